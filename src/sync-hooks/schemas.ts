/**
 * The JSON shapes of synchronous hooks (`/api/sync-hooks`, Herald's own resource beside Logto's
 * `/api/hooks`): the hook, the bodies that create and change it, one recorded call, a test's
 * report, and the answer an endpoint may give. Each is a TypeBox schema; the TypeScript types are
 * `Static<>` of them (the console imports them as types).
 */
import { Type, type Static } from 'typebox';
import { ProfileSchema } from '../identity/users/schemas.ts';

export const SYNC_HOOK_PHASES = ['PreRegister', 'PreSignIn', 'PrePasswordReset'] as const;
export type SyncHookPhase = (typeof SYNC_HOOK_PHASES)[number];
export const FAILURE_POLICIES = ['open', 'closed'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];
export const SYNC_DECISIONS = ['allow', 'deny', 'failed'] as const;
export type SyncDecision = (typeof SYNC_DECISIONS)[number];

export const DEFAULT_TIMEOUT_MS = 2000;
export const MAX_TIMEOUT_MS = 10_000;
/** Bytes of an endpoint's answer Herald reads; a longer answer is a failure. */
export const ANSWER_MAX_BYTES = 16 * 1024;
export const DENY_CODE_PATTERN = '^[a-z0-9_.]{1,64}$';
export const DENY_MESSAGE_MAX = 256;

const phase = Type.Enum(SYNC_HOOK_PHASES, {
  description:
    '`PreRegister`: the profile is complete, before the user is created (Experience API registration and `POST /api/users`). `PreSignIn`: credentials verified and the user identified, before the sign-in is submitted. `PrePasswordReset`: identity verified, before the new password is stored.',
});
const failurePolicy = Type.Enum(FAILURE_POLICIES, {
  description:
    '`open`: a failure (timeout, error, bad answer, refused destination) allows the request and is logged. `closed`: a failure denies it with 503 `hook.sync_unavailable`.',
});
const timeoutMs = Type.Integer({
  minimum: 1,
  maximum: MAX_TIMEOUT_MS,
  description: `Time limit of one call in milliseconds (default ${DEFAULT_TIMEOUT_MS}, at most ${MAX_TIMEOUT_MS}), within the phase budget (HERALD_SYNC_HOOK_BUDGET_MS).`,
});
const order = Type.Integer({
  minimum: -1_000_000,
  maximum: 1_000_000,
  description: 'Hooks of one phase are called by `order`, lowest first (then oldest first).',
});

export const SyncHookConfigSchema = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'An absolute http(s) URL; every call goes through the SSRF guard, and redirects are not followed.',
      examples: ['https://example.com/hooks/pre-register'],
    }),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: 'Custom request headers; they override `user-agent` and `content-type`, never the signatures.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SyncHookConfig = Static<typeof SyncHookConfigSchema>;

export const SyncHookSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    phase,
    config: SyncHookConfigSchema,
    enabled: Type.Boolean(),
    timeoutMs,
    failurePolicy,
    order,
    signingKey: Type.String({
      description: 'Key of the `logto-signature-sha-256` HMAC (and of `webhook-signature`), as for webhooks.',
    }),
    standardSigningKey: Type.String({ description: 'The same key as a Standard Webhooks secret (`whsec_…`).' }),
    createdAt: Type.Number({ description: 'Epoch milliseconds.' }),
    updatedAt: Type.Number({ description: 'Epoch milliseconds.' }),
  },
  { $id: 'SyncHook', title: 'SyncHook' },
);
export type SyncHook = Static<typeof SyncHookSchema>;
export const syncHookRef = Type.Unsafe<SyncHook>(Type.Ref('SyncHook'));

const name = Type.String({ minLength: 1, maxLength: 256 });

export const CreateSyncHookBody = Type.Object(
  {
    name: Type.Optional(name),
    phase,
    config: SyncHookConfigSchema,
    enabled: Type.Optional(Type.Boolean()),
    timeoutMs: Type.Optional(timeoutMs),
    failurePolicy: Type.Optional(failurePolicy),
    order: Type.Optional(order),
  },
  { additionalProperties: false },
);
export type CreateSyncHookInput = Static<typeof CreateSyncHookBody>;

export const UpdateSyncHookBody = Type.Object(
  {
    name: Type.Optional(name),
    phase: Type.Optional(phase),
    config: Type.Optional(SyncHookConfigSchema),
    enabled: Type.Optional(Type.Boolean()),
    timeoutMs: Type.Optional(timeoutMs),
    failurePolicy: Type.Optional(failurePolicy),
    order: Type.Optional(order),
  },
  { additionalProperties: false },
);
export type UpdateSyncHookInput = Static<typeof UpdateSyncHookBody>;

/** What an endpoint may change on the user: only these fields. */
export const SyncPatchSchema = Type.Object(
  {
    customData: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Merged into `customData` (top-level keys).' }),
    ),
    profile: Type.Optional(ProfileSchema),
    name: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
    avatar: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 2048 }), Type.Literal(''), Type.Null()])),
  },
  { additionalProperties: false },
);
export type SyncPatch = Static<typeof SyncPatchSchema>;

/** The endpoint's answer (a 2xx with this JSON); anything else is a failure. */
export const SyncAnswerSchema = Type.Union([
  Type.Object(
    { action: Type.Literal('allow'), patch: Type.Optional(SyncPatchSchema) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      action: Type.Literal('deny'),
      code: Type.String({ pattern: DENY_CODE_PATTERN }),
      message: Type.Optional(Type.String({ maxLength: DENY_MESSAGE_MAX })),
    },
    { additionalProperties: false },
  ),
]);
export type SyncAnswer = Static<typeof SyncAnswerSchema>;

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const SyncHookCallSchema = Type.Object(
  {
    id: Type.String({ description: 'Also the `webhook-id` header of the call.' }),
    hookId: Type.String(),
    phase,
    interactionEvent: nullable(
      Type.String({ description: 'Register, SignIn or ForgotPassword; null for `POST /api/users`.' }),
    ),
    sessionId: nullable(Type.String()),
    userId: nullable(Type.String({ description: 'The user (PreRegister: the id the user gets if created).' })),
    decision: Type.Enum(SYNC_DECISIONS, { description: 'What the endpoint answered (`failed`: no valid answer).' }),
    effect: Type.Enum(['allowed', 'denied'], { description: 'What Herald did, the failure policy applied.' }),
    patched: Type.Boolean({ description: 'The answer carried a patch.' }),
    statusCode: nullable(Type.Integer()),
    durationMs: Type.Integer(),
    request: Type.Unknown({ description: 'The JSON body sent (values of credential-named keys masked).' }),
    responseBody: nullable(Type.String({ description: `The first ${ANSWER_MAX_BYTES} bytes.` })),
    error: nullable(Type.String()),
    denyCode: nullable(Type.String()),
    denyMessage: nullable(Type.String()),
    createdAt: Type.Number(),
  },
  { $id: 'SyncHookCall', title: 'SyncHookCall' },
);
export type SyncHookCall = Static<typeof SyncHookCallSchema>;

export const TestSyncHookBody = Type.Object(
  {
    config: Type.Optional(SyncHookConfigSchema),
    user: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "Fields over the phase's sample user." }),
    ),
  },
  { additionalProperties: false },
);
export type TestSyncHookInput = Static<typeof TestSyncHookBody>;

export const SyncHookTestReportSchema = Type.Object({
  decision: Type.Enum(SYNC_DECISIONS),
  effect: Type.Enum(['allowed', 'denied'], {
    description: 'What a real request would get, the failure policy applied.',
  }),
  statusCode: nullable(Type.Integer()),
  durationMs: Type.Integer(),
  request: Type.Unknown({ description: 'The sample body sent.' }),
  responseBody: nullable(Type.String()),
  error: nullable(Type.String()),
  denyCode: nullable(Type.String()),
  denyMessage: nullable(Type.String()),
  patch: nullable(SyncPatchSchema),
  blocked: Type.Boolean({ description: 'The SSRF guard refused the destination; nothing was sent.' }),
});
export type SyncHookTestReport = Static<typeof SyncHookTestReportSchema>;
