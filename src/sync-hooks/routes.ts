/** `/api/sync-hooks`: Herald's synchronous hooks, beside (never inside) Logto's `/api/hooks`. */
import { Type } from 'typebox';
import { PaginationQuery, parsePage, setPageHeaders } from '../http/pagination.ts';
import { errorRef } from '../http/schemas.ts';
import { parseTime, TimeParam } from '../http/time.ts';
import type { App } from '../http/types.ts';
import {
  CreateSyncHookBody,
  SYNC_DECISIONS,
  SyncHookCallSchema,
  SyncHookSchema,
  SyncHookTestReportSchema,
  syncHookRef,
  TestSyncHookBody,
  UpdateSyncHookBody,
} from './schemas.ts';
import type { SyncHookService } from './service.ts';

const tags = ['Sync hooks'];
const params = Type.Object({ id: Type.String() });
const errors = { 400: errorRef, 401: errorRef, 404: errorRef };

export function registerSyncHookRoutes(app: App, deps: { syncHooks: SyncHookService }): void {
  const { syncHooks } = deps;
  app.addSchema(SyncHookSchema);
  app.addSchema(SyncHookCallSchema);

  app.get(
    '/api/sync-hooks',
    {
      schema: {
        summary: 'List synchronous hooks',
        description: 'Every synchronous hook, by phase, then in call order (`order`, then oldest first).',
        tags,
        response: { 200: Type.Array(syncHookRef), 401: errorRef },
      },
    },
    async () => syncHooks.list(),
  );

  app.post(
    '/api/sync-hooks',
    {
      schema: {
        summary: 'Create a synchronous hook',
        description:
          'An endpoint called while a sign-up (`PreRegister`), sign-in (`PreSignIn`) or password reset (`PrePasswordReset`) waits; it answers `{"action":"allow"}`, `{"action":"allow","patch":{…}}` or `{"action":"deny","code":"…","message":"…"}`. Defaults: enabled, `timeoutMs` 2000, `failurePolicy` `open`, `order` 0. The answer carries a fresh `signingKey`.',
        tags,
        body: CreateSyncHookBody,
        response: { 201: syncHookRef, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await syncHooks.create(request.body)),
  );

  app.get(
    '/api/sync-hooks/:id',
    { schema: { summary: 'Get a synchronous hook', tags, params, response: { 200: syncHookRef, ...errors } } },
    async (request) => syncHooks.get(request.params.id),
  );

  app.patch(
    '/api/sync-hooks/:id',
    {
      schema: {
        summary: 'Update a synchronous hook',
        description: '`config` is replaced whole.',
        tags,
        params,
        body: UpdateSyncHookBody,
        response: { 200: syncHookRef, ...errors },
      },
    },
    async (request) => syncHooks.update(request.params.id, request.body),
  );

  app.patch(
    '/api/sync-hooks/:id/signing-key',
    {
      schema: {
        summary: 'Regenerate the signing key',
        description: 'The new key signs the next call; the old one signs nothing more.',
        tags,
        params,
        response: { 200: syncHookRef, ...errors },
      },
    },
    async (request) => syncHooks.rotateSigningKey(request.params.id),
  );

  app.delete(
    '/api/sync-hooks/:id',
    {
      schema: {
        summary: 'Delete a synchronous hook',
        description: 'Deletes the hook with its calls log.',
        tags,
        params,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await syncHooks.remove(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/sync-hooks/:id/test',
    {
      // A test needs no body.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: 'Test a synchronous hook',
        description:
          "Calls the endpoint (`config`, or the stored one) with a sample request of the hook's phase (`user` fields over the sample user), signed with the hook's key, and reports what it answered and what a real request would get. Nothing is recorded and no event is sent.",
        tags,
        params,
        body: TestSyncHookBody,
        response: { 200: SyncHookTestReportSchema, ...errors },
      },
    },
    async (request) => syncHooks.test(request.params.id, request.body),
  );

  app.get(
    '/api/sync-hooks/:id/calls',
    {
      schema: {
        summary: 'The calls log',
        description:
          'Every call of the hook, newest first: the decision (`allow`, `deny`, `failed`), what Herald did (`effect`), status, latency, the request sent and the answer (first 16 KB), the error. Filter by `decision`, `effect`, `userId` and creation time (`since` inclusive, `until` exclusive; epoch ms or ISO 8601). Always paged (`Total-Number`, `Link`). Kept HERALD_RETENTION_DAYS.',
        tags,
        params,
        querystring: Type.Object({
          ...PaginationQuery,
          decision: Type.Optional(Type.Enum(SYNC_DECISIONS)),
          effect: Type.Optional(Type.Enum(['allowed', 'denied'])),
          userId: Type.Optional(Type.String({ maxLength: 64 })),
          since: Type.Optional(TimeParam('Calls made at or after this time.')),
          until: Type.Optional(TimeParam('Calls made before this time.')),
        }),
        response: { 200: Type.Array(Type.Ref('SyncHookCall')), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, false) ?? { page: 1, pageSize: 20, offset: 0, limit: 20 };
      const { decision, effect, userId, since, until } = request.query;
      const { calls, total } = await syncHooks.calls(
        request.params.id,
        {
          decision,
          effect,
          userId,
          since: parseTime(since, 'query.since'),
          until: parseTime(until, 'query.until'),
        },
        page,
      );
      setPageHeaders(request, reply, page, total);
      return calls;
    },
  );
}
