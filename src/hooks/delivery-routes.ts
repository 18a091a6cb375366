/** Herald's deliveries API (beyond Logto): every delivery of a hook, with every attempt. */
import { Type } from 'typebox';
import type { DeliveryQueries, ReplayService } from '../delivery/index.ts';
import { DELIVERY_LOG_COUNT_LIMIT as COUNT_LIMIT, PAYLOAD_SCAN_LIMIT } from '../delivery/index.ts';
import { maskHeaders, maskUrl, PER_ATTEMPT_HEADERS, unsignedHeaders } from '../outbound/index.ts';
import { HeraldError } from '../http/errors.ts';
import { PaginationQuery, parsePage, setPageHeaders } from '../http/pagination.ts';
import { errorRef } from '../http/schemas.ts';
import { parseTime, TimeParam } from '../http/time.ts';
import type { App } from '../http/types.ts';
import {
  DELIVERY_STATUSES,
  deliveryRef,
  DeliveryDetailSchema,
  DeliveryLogEntrySchema,
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

  registerDeliveryLogRoutes(app, deps);
}

const SEARCH_DESCRIPTION = `\`q\` finds a delivery by its id or its event's id (exact match, indexed), or by a value in its event's payload, such as a user id or an email (a whole JSON string value, any case). The payload search is a bounded scan: it reads only the newest ${PAYLOAD_SCAN_LIMIT.toLocaleString('en-US')} events created in the \`since\`/\`until\` window (of the \`event\`, when given); a match older than those is found by narrowing \`since\`/\`until\`.`;

const LogFilter = {
  hookId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "Only this hook's deliveries." })),
  event: Type.Optional(HookEventSchema),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'A delivery id, an event id, or a value in the payload (user id, email).',
    }),
  ),
};

const unknownHook = (field: string, id: string) =>
  new HeraldError('guard.invalid_input', {
    message: `hookId names no hook (got ${JSON.stringify(id)}).`,
    data: { field },
  });

/** The global delivery log (Herald extension): every hook's deliveries, filtered and searched, and its bulk recovery. */
function registerDeliveryLogRoutes(app: App, deps: { queries: DeliveryQueries; replay: ReplayService }): void {
  const { queries, replay } = deps;

  app.get(
    '/api/deliveries',
    {
      schema: {
        summary: 'The delivery log: every hook',
        description: `Herald extension. Deliveries of every hook, newest first, each with its hook's \`hookName\`. Filter by \`hookId\`, \`event\`, \`status\` and creation time (\`since\`/\`until\`, both inclusive: epoch ms or ISO 8601). ${SEARCH_DESCRIPTION} Always paged with \`page\`/\`page_size\` (\`Total-Number\`, \`Link\`); \`Total-Number\` counts at most ${COUNT_LIMIT} deliveries (a larger match says ${COUNT_LIMIT}: narrow the filter). Newest first by the time-ordered delivery id. A \`hookId\` naming no hook, or \`until\` before \`since\`, is 400 \`guard.invalid_input\`.`,
        tags,
        querystring: Type.Object({
          ...PaginationQuery,
          ...LogFilter,
          status: Type.Optional(Type.Enum(DELIVERY_STATUSES)),
          since: Type.Optional(TimeParam('Deliveries created at or after this time.')),
          until: Type.Optional(TimeParam('Deliveries created at or before this time.')),
        }),
        response: { 200: Type.Array(DeliveryLogEntrySchema), 400: errorRef, 401: errorRef },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const page = parsePage(query, false) ?? { page: 1, pageSize: 20, offset: 0, limit: 20 };
      const since = parseTime(query.since, 'query.since');
      const until = parseTime(query.until, 'query.until');
      if (since !== undefined && until !== undefined && until < since) {
        throw new HeraldError('guard.invalid_input', {
          message: 'until must not be before since.',
          data: { field: 'query.until' },
        });
      }
      const result = await queries.log(
        {
          hookId: query.hookId,
          status: query.status,
          eventName: query.event,
          since,
          until,
          q: query.q?.trim() || undefined,
        },
        page,
      );
      if (!result) throw unknownHook('query.hookId', query.hookId ?? '');
      setPageHeaders(request, reply, page, result.total);
      return result.entries;
    },
  );

  app.post(
    '/api/deliveries/recover',
    {
      schema: {
        summary: 'Re-queue the failed deliveries the log shows',
        description: `Herald extension. Every \`failed\` delivery matching the delivery log's filters (\`hookId\`, \`event\`, \`q\`, and creation time \`since\`/\`until\`: \`since\` defaults to, and may reach at most, 14 days back; \`until\` defaults to now) is due again now, keeping its id. ${SEARCH_DESCRIPTION}`,
        tags,
        body: Type.Object({
          ...LogFilter,
          since: Type.Optional(TimeParam('At most 14 days back; default 14 days back.')),
          until: Type.Optional(TimeParam('Default now.')),
        }),
        response: { 202: RecoverResultSchema, 400: errorRef, 401: errorRef },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const queued = await replay.recoverMatching({
        hookId: body.hookId,
        eventName: body.event,
        since: parseTime(body.since, 'body.since'),
        until: parseTime(body.until, 'body.until'),
        q: body.q?.trim() || undefined,
      });
      if (queued === undefined) throw unknownHook('body.hookId', body.hookId ?? '');
      return reply.status(202).send({ queued });
    },
  );
}
