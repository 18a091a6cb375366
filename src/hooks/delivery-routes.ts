/** Herald's deliveries API (beyond Logto): every delivery of a hook, with every attempt. */
import { Type } from 'typebox';
import type { DeliveryQueries, ReplayService } from '../delivery/index.ts';
import { maskHeaders, maskUrl, PER_ATTEMPT_HEADERS, unsignedHeaders } from '../outbound/index.ts';
import { HeraldError } from '../http/errors.ts';
import { errorRef } from '../http/schemas.ts';
import { parseTime, TimeParam } from '../http/time.ts';
import type { App } from '../http/types.ts';
import {
  DELIVERY_STATUSES,
  deliveryRef,
  DeliveryDetailSchema,
  DeliveryPageSchema,
  DeliverySchema,
  HEALTH_PERIOD_NAMES,
  HEALTH_PERIODS,
  HookHealthSchema,
  RecoverResultSchema,
} from '../delivery/schemas.ts';
import { HookEventSchema, RecoverBody } from './schemas.ts';
import type { HookService } from './service.ts';

const tags = ['Deliveries'];
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

const encodeCursor = (createdAt: number, id: string) =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(createdAt) && typeof id === 'string' && !id.includes('\u0000'))
      return { createdAt: createdAt as number, id };
  } catch {
    // falls through to the error below
  }
  throw new HeraldError('guard.invalid_input', {
    message: 'The cursor is not one this API returned.',
    data: { field: 'query.cursor' },
  });
}

export function registerDeliveryRoutes(
  app: App,
  deps: { hooks: HookService; queries: DeliveryQueries; replay: ReplayService },
): void {
  const { hooks, queries, replay } = deps;
  app.addSchema(DeliverySchema);

  app.get(
    '/api/hooks/:id/deliveries',
    {
      schema: {
        summary: "List a hook's deliveries",
        description:
          'Newest first. Filter by `status`, `event` and creation time (`since`/`until`: epoch ms or ISO 8601); page with `cursor` (from `nextCursor`).',
        tags,
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          status: Type.Optional(Type.Enum(DELIVERY_STATUSES)),
          event: Type.Optional(HookEventSchema),
          since: Type.Optional(TimeParam('Deliveries created at or after this time.')),
          until: Type.Optional(TimeParam('Deliveries created at or before this time.')),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
          cursor: Type.Optional(Type.String()),
        }),
        response: {
          200: DeliveryPageSchema,
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
        since: parseTime(q.since, 'query.since'),
        until: parseTime(q.until, 'query.until'),
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
          200: DeliveryDetailSchema,
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
      const headers = {
        ...maskHeaders(unsignedHeaders(hook.config.headers, hooks.userAgent)),
        'webhook-id': delivery.id,
      };
      return {
        ...delivery,
        request: {
          url: maskUrl(hook.config.url),
          headers,
          perAttemptHeaders: [...PER_ATTEMPT_HEADERS],
          body: delivery.request.body,
        },
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
        response: { 202: deliveryRef, 401: errorRef, 404: errorRef, 409: errorRef },
      },
    },
    async (request, reply) => {
      await hooks.findOrThrow(request.params.id);
      await replay.retryDelivery(request.params.id, request.params.deliveryId);
      // retryDelivery found it (404 otherwise); only a delete meanwhile leaves it undefined: an empty 202.
      return reply.status(202).send((await queries.getDeliveryView(request.params.id, request.params.deliveryId))!);
    },
  );

  app.post(
    '/api/hooks/:id/recover',
    {
      schema: {
        summary: 'Re-queue failed deliveries',
        description:
          'Every `failed` delivery of the hook created between `since` and `until` (epoch ms or ISO 8601, at most 14 days back) is due again now.',
        tags,
        params: Type.Object({ id: Type.String() }),
        body: RecoverBody,
        response: { 202: RecoverResultSchema, 400: errorRef, 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      await hooks.findOrThrow(request.params.id);
      const since = parseTime(request.body.since, 'body.since') as number;
      const until = parseTime(request.body.until, 'body.until');
      const queued = await replay.recoverFailed(request.params.id, since, until);
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
          200: HookHealthSchema,
          400: errorRef,
          401: errorRef,
          404: errorRef,
        },
      },
    },
    async (request) => {
      await hooks.findOrThrow(request.params.id);
      const period = request.query.period ?? '24h';
      return {
        period,
        bucketMs: 60 * 60 * 1000,
        buckets: await queries.health(request.params.id, HEALTH_PERIODS[period]),
      };
    },
  );
}
