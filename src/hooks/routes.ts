/** `/api/hooks` with Logto's paths, bodies, statuses and error codes, plus Herald's deliveries API. */
import { Type } from 'typebox';
import type { DeliveryQueries, ListenerStreams, ReplayService } from '../delivery/index.ts';
import { RecentLogSchema, recentLogRef } from '../delivery/schemas.ts';
import { eventCatalog, testPayload } from '../events/index.ts';
import { HeraldError } from '../http/errors.ts';
import { PaginationQuery, parsePage, setPageHeaders } from '../http/pagination.ts';
import { isYes } from '../http/query.ts';
import { errorRef } from '../http/schemas.ts';
import { parseTime, TimeParam } from '../http/time.ts';
import type { App } from '../http/types.ts';
import {
  CatalogEventSchema,
  CreateHookBody,
  HookConfigSchema,
  HookIdParams,
  hookRef,
  HookSchema,
  HookTestReportSchema,
  RotateSigningKeyBody,
  TestHookBody,
  UpdateHookBody,
} from './schemas.ts';
import type { HookService } from './service.ts';
import { registerDeliveryRoutes } from './delivery-routes.ts';
import { registerListenerRoutes } from './listen-routes.ts';

const tags = ['Hooks'];
const RECENT_LOGS_DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;

export function registerHookRoutes(
  app: App,
  deps: {
    hooks: HookService;
    queries: DeliveryQueries;
    replay: ReplayService;
    listeners?: ListenerStreams | undefined;
  },
): void {
  const { hooks, queries } = deps;
  app.addSchema(HookConfigSchema);
  app.addSchema(HookSchema);
  app.addSchema(RecentLogSchema);

  app.get(
    '/api/hook-events',
    {
      schema: {
        summary: 'List hook events',
        description:
          "Every event of Logto's catalog and Herald's own, with its category, description, whether a hook may take it and the sample `/test` sends; for events a hook may take, also when it fires, what emits it, the JSON Schema of its delivered body and an example delivery (the same as docs/events.md).",
        tags,
        response: {
          200: Type.Array(CatalogEventSchema),
          401: errorRef,
        },
      },
    },
    async () => {
      // The reference (payload schemas, sources, examples) is built at first use, not at start.
      const { EVENT_REFERENCE } = await import('../events/schemas.ts');
      const reference = new Map<string, (typeof EVENT_REFERENCE)[number]>(EVENT_REFERENCE.map((r) => [r.name, r]));
      return eventCatalog.map((e) => {
        const r = reference.get(e.name);
        return {
          ...e,
          examplePayload: testPayload(e.name, 'example-hook-id'),
          emittedBy: [...(r?.emittedBy ?? [])],
          ...(r
            ? {
                firesWhen: r.firesWhen,
                payloadSchema: r.schema as unknown as Record<string, unknown>,
                example: { ...r.example },
              }
            : {}),
        };
      });
    },
  );

  app.get(
    '/api/hooks',
    {
      schema: {
        summary: 'List hooks',
        description:
          'All hooks, newest first. `page`/`page_size` turn on paging (`Total-Number` and `Link` headers); `includeExecutionStats=true` adds 24-hour `executionStats`.',
        tags,
        querystring: Type.Object({ ...PaginationQuery, includeExecutionStats: Type.Optional(Type.String()) }),
        response: { 200: Type.Array(hookRef), 400: errorRef, 401: errorRef },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const result = await hooks.listHooks({ page, includeExecutionStats: isYes(request.query.includeExecutionStats) });
      if (page) setPageHeaders(request, reply, page, result.total);
      return result.hooks;
    },
  );

  app.post(
    '/api/hooks',
    {
      schema: {
        summary: 'Create a hook',
        description: 'Give `events` (or the legacy `event`). The answer carries a fresh 32-character `signingKey`.',
        tags,
        body: CreateHookBody,
        response: { 201: hookRef, 400: errorRef, 401: errorRef },
      },
    },
    async (request, reply) => {
      const { name, event, events, config, enabled, paused } = request.body;
      const hook = await hooks.createHook({ name, event, events, config, enabled, paused });
      return reply.status(201).send(hook);
    },
  );

  app.get(
    '/api/hooks/:id',
    {
      schema: {
        summary: 'Get a hook',
        tags,
        params: HookIdParams,
        querystring: Type.Object({ includeExecutionStats: Type.Optional(Type.String()) }),
        response: { 200: hookRef, 401: errorRef, 404: errorRef },
      },
    },
    async (request) =>
      hooks.getHook(request.params.id, { includeExecutionStats: isYes(request.query.includeExecutionStats) }),
  );

  app.patch(
    '/api/hooks/:id',
    {
      schema: {
        summary: 'Update a hook',
        description: '`config` and `events` are replaced whole. A `signingKey` in the body is ignored.',
        tags,
        params: HookIdParams,
        body: UpdateHookBody,
        response: { 200: hookRef, 400: errorRef, 401: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const { name, event, events, config, enabled, paused } = request.body;
      return hooks.updateHook(request.params.id, { name, event, events, config, enabled, paused });
    },
  );

  app.patch(
    '/api/hooks/:id/signing-key',
    {
      // Logto's console sends no body at all: treat that as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: 'Regenerate the signing key',
        description:
          'Without a body, as in Logto: the new key replaces the old at once. With `gracePeriodSeconds`, the previous key keeps signing `webhook-signature` (space-separated `v1,` entries) until the grace ends; `logto-signature-sha-256` always uses the new key.',
        tags,
        params: HookIdParams,
        body: RotateSigningKeyBody,
        response: { 200: hookRef, 400: errorRef, 401: errorRef, 404: errorRef },
      },
    },
    async (request) => hooks.rotateSigningKey(request.params.id, request.body.gracePeriodSeconds),
  );

  app.delete(
    '/api/hooks/:id',
    {
      schema: {
        summary: 'Delete a hook',
        description: 'Deletes the hook with its deliveries and their attempts.',
        tags,
        params: HookIdParams,
        response: { 204: Type.Null(), 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      await hooks.deleteHook(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/hooks/:id/test',
    {
      schema: {
        summary: 'Send test payloads',
        description:
          "Sends Logto's test payload for each event to `config` (not the stored config), signed with the hook's key. Nothing is recorded. 204 when every request got a 2xx; otherwise Logto's 422 for the first failure. With `Prefer: return=representation` (a Herald extension, used by the console), 200 with what each event's request got, failures included.",
        tags,
        params: HookIdParams,
        headers: Type.Object({
          prefer: Type.Optional(Type.String({ description: '`return=representation` for the per-event report.' })),
        }),
        body: TestHookBody,
        response: {
          200: HookTestReportSchema,
          204: Type.Null(),
          400: errorRef,
          401: errorRef,
          404: errorRef,
          422: errorRef,
        },
      },
    },
    async (request, reply) => {
      if (/(^|[\s,;])return=representation(\s*($|[,;]))/i.test(request.headers.prefer ?? '')) {
        const results = await hooks.reportTestHook(request.params.id, {
          events: request.body.events,
          config: request.body.config,
        });
        return reply.header('preference-applied', 'return=representation').status(200).send({ results });
      }
      await hooks.testHook(request.params.id, { events: request.body.events, config: request.body.config });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/hooks/:id/recent-logs',
    {
      schema: {
        summary: 'Recent delivery logs',
        description:
          'One entry per delivery sent, newest first, from the last 24 hours unless `start_time`/`end_time` (epoch ms or ISO 8601) are given. `logKey` filters by `TriggerHook.<event>`. Always paged.',
        tags,
        params: HookIdParams,
        querystring: Type.Object({
          ...PaginationQuery,
          logKey: Type.Optional(Type.String()),
          start_time: Type.Optional(TimeParam('Logs from this time on.')),
          end_time: Type.Optional(TimeParam('Logs up to this time.')),
        }),
        response: { 200: Type.Array(recentLogRef), 400: errorRef, 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      // As Logto: an unknown hook has no logs (200 []), not a 404.
      const page = parsePage(request.query, false) ?? { page: 1, pageSize: 20, offset: 0, limit: 20 };
      let since = parseTime(request.query.start_time, 'query.start_time');
      const until = parseTime(request.query.end_time, 'query.end_time');
      if (since !== undefined && until !== undefined && since > until) {
        throw new HeraldError('guard.invalid_input', {
          message: 'start_time must not be after end_time.',
          data: { field: 'query.start_time' },
        });
      }
      if (since === undefined && until === undefined) since = Date.now() - RECENT_LOGS_DEFAULT_WINDOW_MS;
      const logKey = request.query.logKey;
      const prefix = 'TriggerHook.';
      if (logKey !== undefined && !logKey.startsWith(prefix)) {
        setPageHeaders(request, reply, page, 0);
        return [];
      }
      const { total, logs } = await queries.recentLogs(request.params.id, {
        since,
        until,
        eventName: logKey?.slice(prefix.length),
        offset: page.offset,
        limit: page.limit,
      });
      setPageHeaders(request, reply, page, total);
      return logs;
    },
  );

  registerDeliveryRoutes(app, deps);
  if (deps.listeners) registerListenerRoutes(app, { hooks: deps.hooks, listeners: deps.listeners });
}
