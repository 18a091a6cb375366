/**
 * The JSON shapes the API answers about deliveries: Herald's deliveries and their attempts, a
 * hook's health, and Logto's recent-logs. Each is declared once, here, as a TypeBox schema: the
 * routes answer with it (and the OpenAPI document shows it), and its TypeScript type is `Static<>`
 * of it, for the queries that build it and for the console (`import type`). Only `typebox` is
 * imported: the console's type check reads this file.
 */
import { Type, type Static } from 'typebox';

export const DELIVERY_STATUSES = ['pending', 'delivering', 'succeeded', 'failed'] as const;

const deliveryProperties = {
  id: Type.String({ description: 'Also the `webhook-id` header, the same on every attempt.' }),
  hookId: Type.String(),
  eventId: Type.String(),
  event: Type.String(),
  status: Type.Enum(DELIVERY_STATUSES),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.Number(), Type.Null()], { description: 'When pending: the next attempt, epoch ms.' }),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  completedAt: Type.Union([Type.Number(), Type.Null()]),
};

/** One delivery of an event to a hook, without its request and attempts (component `Delivery`). */
export const DeliverySchema = Type.Object(deliveryProperties, { $id: 'Delivery', title: 'Delivery' });
export type Delivery = Static<typeof DeliverySchema>;
/** `Delivery` by reference, typed. */
export const deliveryRef = Type.Unsafe<Delivery>(Type.Ref('Delivery'));

/** A delivery of the global log (`GET /api/deliveries`): a `Delivery` with its hook's name. */
export const DeliveryLogEntrySchema = Type.Object(
  { ...deliveryProperties, hookName: Type.String({ description: "The hook's name now." }) },
  { title: 'DeliveryLogEntry' },
);
export type DeliveryLogEntry = Static<typeof DeliveryLogEntrySchema>;

/** One attempt to deliver. */
export const AttemptSchema = Type.Object({
  attempt: Type.Integer(),
  startedAt: Type.Number(),
  durationMs: Type.Integer(),
  result: Type.Enum(['success', 'error']),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  responseHeaders: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()], {
    description: 'Values of headers named like a credential (`set-cookie`, `*-token`, `*-signature`, …) masked.',
  }),
  responseBody: Type.Union([Type.String(), Type.Null()], {
    description: 'The first 20 KB; in JSON, values of members named like a credential masked.',
  }),
  error: Type.Union([Type.String(), Type.Null()], {
    description: 'URLs quoted in it have their credentials and query values masked.',
  }),
});
export type Attempt = Static<typeof AttemptSchema>;

/** A delivery with the request it sends and all its attempts. */
export const DeliveryDetailSchema = Type.Object(
  {
    ...deliveryProperties,
    request: Type.Object({
      url: Type.String({ description: "The hook's endpoint now, its user name, password and query values masked." }),
      headers: Type.Record(Type.String(), Type.String(), {
        description: 'What every attempt sends (sensitive values masked), but for the headers in `perAttemptHeaders`.',
      }),
      perAttemptHeaders: Type.Array(Type.String(), {
        description: 'Headers computed afresh at each attempt: its timestamp and signatures.',
      }),
      body: Type.Unknown(),
    }),
    attemptLog: Type.Array(AttemptSchema),
  },
  { title: 'DeliveryDetail' },
);
export type DeliveryDetail = Static<typeof DeliveryDetailSchema>;

/** A page of a hook's deliveries, newest first; `nextCursor` asks for the next one. */
export const DeliveryPageSchema = Type.Object({
  data: Type.Array(deliveryRef),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type DeliveryPage = Static<typeof DeliveryPageSchema>;

/** What a recovery re-queued. */
export const RecoverResultSchema = Type.Object({ queued: Type.Integer() });
export type RecoverResult = Static<typeof RecoverResultSchema>;

/** The health windows the console charts, in hours of one-hour buckets. */
export const HEALTH_PERIODS = { '24h': 24, '7d': 7 * 24 } as const;
export type HealthPeriod = keyof typeof HEALTH_PERIODS;
export const HEALTH_PERIOD_NAMES = Object.keys(HEALTH_PERIODS) as HealthPeriod[];

/** One hour of a hook's attempts. */
export const HealthBucketSchema = Type.Object({
  start: Type.Number({ description: 'Start of the hour, epoch ms.' }),
  /** Attempts in this hour that the endpoint answered with a 2xx. */
  delivered: Type.Integer(),
  /** Attempts in this hour that failed (non-2xx, timeout, network error, refused destination). */
  failed: Type.Integer(),
});
export type HealthBucket = Static<typeof HealthBucketSchema>;

export const HookHealthSchema = Type.Object(
  {
    period: Type.Enum(HEALTH_PERIOD_NAMES),
    bucketMs: Type.Integer({ description: 'The length of a bucket: one hour.' }),
    buckets: Type.Array(HealthBucketSchema),
  },
  { title: 'HookHealth' },
);
export type HookHealth = Static<typeof HookHealthSchema>;

/** Logto's hook log: one entry per delivery sent (component `HookLog`). */
export const RecentLogSchema = Type.Object(
  {
    id: Type.String(),
    key: Type.String({ description: '`TriggerHook.<event>`' }),
    payload: Type.Object({
      key: Type.String(),
      result: Type.Enum(['Success', 'Error']),
      hookId: Type.String(),
      hookRequest: Type.Object({ body: Type.Unknown() }),
      response: Type.Optional(Type.Object({ statusCode: Type.Integer(), body: Type.Unknown() })),
      error: Type.Optional(Type.String()),
    }),
    createdAt: Type.Number(),
  },
  { $id: 'HookLog', title: 'HookLog' },
);
export type RecentLog = Static<typeof RecentLogSchema>;
/** `HookLog` by reference, typed. */
export const recentLogRef = Type.Unsafe<RecentLog>(Type.Ref('HookLog'));
