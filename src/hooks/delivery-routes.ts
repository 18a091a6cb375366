/** Herald's deliveries API (beyond Logto): every delivery of a hook, with every attempt. */
import { Type } from 'typebox';
import type { DeliveryQueries, ReplayService } from '../delivery/index.ts';
import { maskHeaders, maskUrl, PER_ATTEMPT_HEADERS, unsignedHeaders } from '../outbound/index.ts';
import { HeraldError } from '../http/errors.ts';
import { errorRef } from '../http/schemas.ts';
import type { App } from '../http/types.ts';
import { HookEventSchema, RecoverBody } from './schemas.ts';
import type { HookService } from './service.ts';

const tags = ['Deliveries'];
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const STATUSES = ['pending', 'delivering', 'succeeded', 'failed'] as const;
/** The health windows the console charts, in hours of one-hour buckets. */
const HEALTH_PERIODS = { '24h': 24, '7d': 7 * 24 } as const;
const HEALTH_PERIOD_NAMES = Object.keys(HEALTH_PERIODS) as (keyof typeof HEALTH_PERIODS)[];

const deliveryProperties = {
    id: Type.String({ description: 'Also the `webhook-id` header, the same on every attempt.' }),
    hookId: Type.String(),
    eventId: Type.String(),
    event: Type.String(),
    status: Type.Enum(STATUSES),
    attempts: Type.Integer(),
    nextAttemptAt: Type.Union([Type.Number(), Type.Null()], { description: 'When pending: the next attempt, epoch ms.' }),
    lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.Number(),
    updatedAt: Type.Number(),
    completedAt: Type.Union([Type.Number(), Type.Null()]),
};
const DeliverySchema = Type.Object(deliveryProperties, { $id: 'Delivery', title: 'Delivery' });

const AttemptSchema = Type.Object({
  attempt: Type.Integer(),
  startedAt: Type.Number(),
  durationMs: Type.Integer(),
  result: Type.Enum(['success', 'error']),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  responseHeaders: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()], {
    description: 'Values of headers named like a credential (`set-cookie`, `*-token`, `*-signature`, …) masked.',
  }),
  responseBody: Type.Union([Type.String(), Type.Null()], { description: 'The first 20 KB; in JSON, values of members named like a credential masked.' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'URLs quoted in it have their credentials and query values masked.' }),
});

const encodeCursor = (createdAt: number, id: string) => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(createdAt) && typeof id === 'string' && !id.includes('\u0000')) return { createdAt: createdAt as number, id };
  } catch {
    // falls through to the error below
  }
  throw new HeraldError('guard.invalid_input', { message: 'The cursor is not one this API returned.', data: { field: 'query.cursor' } });
}

export function registerDeliveryRoutes(app: App, deps: { hooks: HookService; queries: DeliveryQueries; replay: ReplayService }): void {
  const { hooks, queries, replay } = deps;
  app.addSchema(DeliverySchema);

  app.get(
    '/api/hooks/:id/deliveries',
    {
      schema: {
        summary: "List a hook's deliveries",
        description: 'Newest first. Filter by `status`, `event` and creation time (`since`/`until`, epoch ms); page with `cursor` (from `nextCursor`).',
        tags,
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          status: Type.Optional(Type.Enum(STATUSES)),
          event: Type.Optional(HookEventSchema),
          since: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
          until: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
          cursor: Type.Optional(Type.String()),
        }),
        response: {
          200: Type.Object({ data: Type.Array(Type.Ref('Delivery')), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          400: errorRef,
          401: errorRef,
          404: errorRef,
        },
      },
    },
    async (request) => {
      await hooks.findOrThrow(request.params.id);
      const q = request.query;
      const limit = q.limit ?? DEFAULT_LIMIT;
      const rows = await queries.listDeliveries({
        hookId: request.params.id,
        status: q.status,
        eventName: q.event,
        since: q.since,
        until: q.until,
        before: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
        limit: limit + 1,
      });
      const data = rows.slice(0, limit);
      const last = data.at(-1);
      return { data, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
  );

  app.get(
    '/api/hooks/:id/deliveries/:deliveryId',
    {
      schema: {
        summary: 'Get a delivery with all its attempts',
        tags,
        params: Type.Object({ id: Type.String(), deliveryId: Type.String() }),
        response: {
          200: Type.Object(
            {
              ...deliveryProperties,
              request: Type.Object({
                url: Type.String({ description: "The hook's endpoint now, its user name, password and query values masked." }),
                headers: Type.Record(Type.String(), Type.String(), {
                  description: 'What every attempt sends (sensitive values masked), but for the headers in `perAttemptHeaders`.',
                }),
                perAttemptHeaders: Type.Array(Type.String(), { description: 'Headers computed afresh at each attempt: its timestamp and signatures.' }),
                body: Type.Unknown(),
              }),
              attemptLog: Type.Array(AttemptSchema),
            },
            { title: 'DeliveryDetail' },
          ),
          401: errorRef,
          404: errorRef,
        },
      },
    },
    async (request) => {
      const hook = await hooks.getHook(request.params.id);
      const delivery = await queries.getDelivery(request.params.id, request.params.deliveryId);
      if (!delivery) {
        throw new HeraldError('entity.not_exists_with_id', {
          message: `The delivery with ID \`${request.params.deliveryId}\` does not exist.`,
          data: { id: request.params.deliveryId },
        });
      }
      const headers = { ...maskHeaders(unsignedHeaders(hook.config.headers, hooks.userAgent)), 'webhook-id': delivery.id };
      return {
        ...delivery,
        request: { url: maskUrl(hook.config.url), headers, perAttemptHeaders: [...PER_ATTEMPT_HEADERS], body: delivery.request.body },
      };
    },
  );

  app.post(
    '/api/hooks/:id/deliveries/:deliveryId/retry',
    {
      schema: {
        summary: 'Send a delivery again now',
        description:
          'Any delivery, a succeeded one too: it is due at once, keeps its `webhook-id`, and the new attempt joins its attempt log. 409 while an attempt is under way. A disabled hook sends it once re-enabled.',
        tags,
        params: Type.Object({ id: Type.String(), deliveryId: Type.String() }),
        response: { 202: Type.Ref('Delivery'), 401: errorRef, 404: errorRef, 409: errorRef },
      },
    },
    async (request, reply) => {
      await hooks.findOrThrow(request.params.id);
      await replay.retryDelivery(request.params.id, request.params.deliveryId);
      return reply.status(202).send(await queries.getDeliveryView(request.params.id, request.params.deliveryId));
    },
  );

  app.post(
    '/api/hooks/:id/recover',
    {
      schema: {
        summary: 'Re-queue failed deliveries',
        description: 'Every `failed` delivery of the hook created between `since` and `until` (epoch ms, at most 14 days back) is due again now.',
        tags,
        params: Type.Object({ id: Type.String() }),
        body: RecoverBody,
        response: { 202: Type.Object({ queued: Type.Integer() }), 400: errorRef, 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      await hooks.findOrThrow(request.params.id);
      const queued = await replay.recoverFailed(request.params.id, request.body.since, request.body.until);
      return reply.status(202).send({ queued });
    },
  );

  app.get(
    '/api/hooks/:id/health',
    {
      schema: {
        summary: "A hook's delivery health per hour",
        description:
          'Attempts that delivered (2xx) and attempts that failed, per hour of `startedAt`, over the last 24 hours (`period=24h`, the default) or 7 days (`period=7d`); oldest first, the last bucket being the current hour. Every hour is present, empty ones with zeros.',
        tags,
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({ period: Type.Optional(Type.Enum(HEALTH_PERIOD_NAMES, { default: '24h' })) }),
        response: {
          200: Type.Object(
            {
              period: Type.Enum(HEALTH_PERIOD_NAMES),
              bucketMs: Type.Integer({ description: 'The length of a bucket: one hour.' }),
              buckets: Type.Array(
                Type.Object({
                  start: Type.Number({ description: 'Start of the hour, epoch ms.' }),
                  delivered: Type.Integer(),
                  failed: Type.Integer(),
                }),
              ),
            },
            { title: 'HookHealth' },
          ),
          400: errorRef,
          401: errorRef,
          404: errorRef,
        },
      },
    },
    async (request) => {
      await hooks.findOrThrow(request.params.id);
      const period = request.query.period ?? '24h';
      return { period, bucketMs: 60 * 60 * 1000, buckets: await queries.health(request.params.id, HEALTH_PERIODS[period]) };
    },
  );
}
