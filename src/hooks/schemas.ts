import { Type, type Static } from 'typebox';
import { EVENT_CATEGORIES, HOOK_EVENTS, type HookEvent } from '../events/catalog.ts';
import { TimeParam } from '../http/time.ts';

/**
 * An event a hook may take: a string, one of the available events (Logto's gated TrustedDevice.*
 * are refused with 400 `guard.invalid_input`, as Logto does with its development features off).
 */
export const HookEventSchema = Type.Unsafe<HookEvent>({
  type: 'string',
  enum: [...HOOK_EVENTS],
  description: 'A hook event name (GET /api/hook-events lists them).',
});

export const HookConfigSchema = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      description:
        'Where the POSTs go: an absolute http(s) URL. Any non-empty string is stored, as Logto does; one that cannot be sent to fails each delivery at once with `Failed to parse URL from <url>` (not retried), and `/test` answers 422 `hook.send_test_payload_failed`.',
      examples: ['https://example.com/webhooks/logto'],
    }),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: 'Custom request headers; they override `user-agent` and `content-type`.',
      }),
    ),
    retries: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3,
        deprecated: true,
        description: 'Deprecated in Logto and ignored: Herald retries per HERALD_RETRY_SCHEDULE.',
      }),
    ),
  },
  {
    $id: 'HookConfig',
    title: 'HookConfig',
    // The API reference's example: what a hook needs today, not the deprecated `retries`.
    examples: [{ url: 'https://example.com/webhooks/herald', headers: { Authorization: 'Bearer <receiver token>' } }],
  },
);
export type HookConfig = Static<typeof HookConfigSchema>;
/** `HookConfig` by reference, typed. */
export const hookConfigRef = Type.Unsafe<HookConfig>(Type.Ref('HookConfig'));

export const ExecutionStatsSchema = Type.Object(
  { requestCount: Type.Integer(), successCount: Type.Integer() },
  { description: 'Deliveries sent in the last 24 hours, and how many succeeded.' },
);
export type ExecutionStats = Static<typeof ExecutionStatsSchema>;

const hookProperties = {
  tenantId: Type.String({ description: 'Always "default".' }),
  id: Type.String(),
  name: Type.String({ maxLength: 256 }),
  event: Type.Union([HookEventSchema, Type.Null()], {
    description: 'Legacy single event; used only when `events` is empty.',
  }),
  events: Type.Array(HookEventSchema),
  config: hookConfigRef,
  signingKey: Type.String({ description: 'Key of the `logto-signature-sha-256` HMAC.' }),
  standardSigningKey: Type.String({
    description: 'The same key as a Standard Webhooks secret (`whsec_…`), for `webhook-signature`.',
  }),
  enabled: Type.Boolean(),
  createdAt: Type.Number({ description: 'Epoch milliseconds.' }),
  disabledReason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why Herald disabled the hook (410 Gone, failing too long); null otherwise.',
  }),
  disabledAt: Type.Union([Type.Number(), Type.Null()], { description: 'When Herald disabled the hook, epoch ms.' }),
  previousSigningKeyExpiresAt: Type.Union([Type.Number(), Type.Null()], {
    description: 'While a rotation grace period lasts: when the previous key stops signing `webhook-signature`.',
  }),
  executionStats: Type.Optional(ExecutionStatsSchema),
  listener: Type.Optional(
    Type.Boolean({
      description:
        "Herald extension, present (true) only on `herald listen`'s ephemeral hooks: their deliveries are streamed to the connected CLI (`/api/listeners`), never POSTed by Herald.",
    }),
  ),
  destinationWarning: Type.Optional(
    Type.String({
      description:
        "Herald extension, present only when the SSRF guard will refuse the hook's URL (its deliveries will fail with `E_BLOCKED_DESTINATION`): says why and which setting would allow it. Judged from the URL's host: an IP literal or `localhost`/`*.localhost`, and for one hook's answer (not lists) a host name's DNS addresses, looked up with a 300 ms timeout. The hook is saved either way.",
    }),
  ),
  paused: Type.Optional(
    Type.Boolean({
      description:
        'Herald extension, present (true) only while the hook is paused: its deliveries are still created and held, none is sent until it is resumed (`PATCH` with `paused: false`), then they go out in order of creation. Absent when not paused, so an ordinary hook reads exactly as in Logto.',
    }),
  ),
  pausedAt: Type.Optional(
    Type.Number({ description: 'Herald extension, present only while paused: when the pause began, epoch ms.' }),
  ),
};

export const HookSchema = Type.Object(hookProperties, { $id: 'Hook', title: 'Hook' });

export type Hook = Static<typeof HookSchema>;
/** `Hook` by reference, typed. */
export const hookRef = Type.Unsafe<Hook>(Type.Ref('Hook'));

const events = Type.Array(HookEventSchema, {
  minItems: 1,
  description: 'Events to subscribe to; duplicates are removed.',
});

const pausedInput = Type.Boolean({
  description:
    'Herald extension: `true` pauses the hook (deliveries are created and held, none is sent), `false` resumes it (the held deliveries go out in order of creation). Paused time does not count towards auto-disable.',
});

export const CreateHookBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    event: Type.Optional(
      Type.Union([HookEventSchema, Type.Null()], { description: 'Deprecated: use `events`.', deprecated: true }),
    ),
    events: Type.Optional(events),
    config: hookConfigRef,
    enabled: Type.Optional(Type.Boolean()),
    paused: Type.Optional(pausedInput),
  },
  {
    // The API reference's example request: `events` and `config.url`, as a hook is made today.
    examples: [
      {
        name: 'CRM sync',
        events: ['User.Created', 'User.Data.Updated'],
        config: { url: 'https://example.com/webhooks/herald' },
      },
    ],
  },
);
export type CreateHookInput = Static<typeof CreateHookBody>;

export const UpdateHookBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  event: Type.Optional(Type.Union([HookEventSchema, Type.Null()])),
  events: Type.Optional(events),
  config: Type.Optional(hookConfigRef),
  enabled: Type.Optional(Type.Boolean()),
  paused: Type.Optional(pausedInput),
  signingKey: Type.Optional(
    Type.String({ description: 'Ignored, as in Logto: rotate with PATCH /api/hooks/{id}/signing-key.' }),
  ),
});
export type UpdateHookInput = Omit<Static<typeof UpdateHookBody>, 'signingKey'>;

export const TestHookBody = Type.Object({
  events,
  config: hookConfigRef,
});
export type TestHookInput = Static<typeof TestHookBody>;

export const MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 60 * 60;

export const RotateSigningKeyBody = Type.Object({
  gracePeriodSeconds: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: MAX_GRACE_PERIOD_SECONDS,
      description: 'How long the previous key keeps signing `webhook-signature` alongside the new one (0–7 days).',
    }),
  ),
});

export const RecoverBody = Type.Object({
  since: TimeParam('At most 14 days back.'),
  until: Type.Optional(TimeParam('Default now.')),
});

export const HookIdParams = Type.Object({ id: Type.String() });

/** An entry of the event catalog (GET /api/hook-events). */
export const CatalogEventSchema = Type.Object({
  name: Type.String(),
  category: Type.Enum(EVENT_CATEGORIES),
  group: Type.String(),
  description: Type.String(),
  extension: Type.Boolean({
    description: 'A Herald event that Logto does not have; delivered only to hooks that name it.',
  }),
  available: Type.Boolean({
    description:
      'Whether a hook may subscribe to it (false: Logto lists it only with its development features on, and Herald never fires it).',
  }),
  examplePayload: Type.Record(Type.String(), Type.Unknown(), {
    description: "The sample `POST /api/hooks/{id}/test` sends (Logto's test payload).",
  }),
  firesWhen: Type.Optional(Type.String({ description: 'When Herald fires it (events a hook may take).' })),
  emittedBy: Type.Array(Type.String(), {
    description: 'The routes (`METHOD /api/…`) and flows that emit it; empty when Herald never fires it.',
  }),
  payloadSchema: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'JSON Schema of the delivered body (`hookId` included), as in docs/events.md.',
    }),
  ),
  example: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'A delivery of this event, valid against `payloadSchema`.',
    }),
  ),
});
export type CatalogEvent = Static<typeof CatalogEventSchema>;

/** What one test request got: the status and body, or the error (`blocked`: the SSRF guard refused it). */
export const HookTestResultSchema = Type.Object({
  event: HookEventSchema,
  ok: Type.Boolean({ description: 'The endpoint answered 2xx.' }),
  durationMs: Type.Integer(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  responseBody: Type.Union([Type.String(), Type.Null()], { description: 'The first 20 KB.' }),
  error: Type.Union([Type.String(), Type.Null()]),
  blocked: Type.Boolean({ description: 'The SSRF guard refused the destination; nothing was sent.' }),
});
export type HookTestResult = Static<typeof HookTestResultSchema>;

/** The answer of POST /api/hooks/{id}/test with `Prefer: return=representation`. */
export const HookTestReportSchema = Type.Object(
  { results: Type.Array(HookTestResultSchema) },
  { title: 'HookTestReport' },
);
export type HookTestReport = Static<typeof HookTestReportSchema>;
