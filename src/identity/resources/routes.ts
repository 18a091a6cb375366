/** Logto's `/api/resources` routes: API resources and their permissions (scopes). */
import { Type } from 'typebox';
import { parsePage, setPageHeaders } from '../../http/pagination.ts';
import type { Mutate } from '../../http/mutation.ts';
import type { App } from '../../http/types.ts';
import { isYes } from '../../http/query.ts';
import { errors, idParams, listQuery, noContent, scopeRef, ScopeSchema } from '../schemas.ts';
import { parseSearch, SCOPE_SEARCH_FIELDS } from '../search.ts';
import { resourceRef, ResourceSchema, ResourceWithScopesSchema } from './schemas.ts';
import type { ResourceService } from './service.ts';

const tags = ['Resources'];
const params = idParams('id');
const scopeParams = idParams('resourceId', 'scopeId');

export function registerResourceRoutes(app: App, deps: { resources: ResourceService; mutate: Mutate }): void {
  const { resources, mutate } = deps;
  app.addSchema(ScopeSchema);
  app.addSchema(ResourceSchema);

  app.get(
    '/api/resources',
    {
      schema: {
        summary: 'List API resources',
        description: "`page`/`page_size` turn on paging; `includeScopes=true` adds each resource's scopes.",
        tags,
        querystring: listQuery({ includeScopes: Type.Optional(Type.String()) }),
        response: { 200: Type.Array(ResourceWithScopesSchema), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const { resources: list, total } = await resources.listResources({
        page,
        includeScopes: isYes(request.query.includeScopes),
      });
      if (page) setPageHeaders(request, reply, page, total);
      return list;
    },
  );

  app.post(
    '/api/resources',
    {
      schema: {
        summary: 'Create an API resource',
        description: 'The indicator must be unique: 422 `resource.resource_identifier_in_use`.',
        tags,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 256 }),
          indicator: Type.String({ minLength: 1, maxLength: 2048 }),
          accessTokenTtl: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
        }),
        response: { 201: ResourceWithScopesSchema, ...errors },
      },
    },
    async (request, reply) => mutate(request, reply, 201, ({ tx }) => resources.createResource(tx.db, request.body)),
  );

  app.get(
    '/api/resources/:id',
    { schema: { summary: 'Get an API resource', tags, params, response: { 200: resourceRef, ...errors } } },
    async (request) => resources.getResource(request.params.id),
  );

  app.patch(
    '/api/resources/:id',
    {
      schema: {
        summary: 'Update an API resource',
        description: 'The indicator cannot change.',
        tags,
        params,
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
          accessTokenTtl: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
        }),
        response: { 200: resourceRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) => resources.updateResource(tx.db, request.params.id, request.body)),
  );

  app.patch(
    '/api/resources/:id/is-default',
    {
      schema: {
        summary: 'Set whether an API resource is the default',
        description: 'At most one resource is the default: setting one unsets any other. No event (Logto emits none).',
        tags,
        params,
        body: Type.Object({ isDefault: Type.Boolean() }),
        response: { 200: resourceRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) =>
        resources.setResourceIsDefault(tx.db, request.params.id, request.body.isDefault),
      ),
  );

  app.delete(
    '/api/resources/:id',
    {
      schema: {
        summary: 'Delete an API resource',
        description: 'Its scopes go with it.',
        tags,
        params,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) => resources.deleteResource(tx.db, request.params.id));
      return reply.send(null);
    },
  );

  app.get(
    '/api/resources/:resourceId/scopes',
    {
      schema: {
        summary: "List an API resource's permissions",
        description: 'Always paged; search over id, name, description.',
        tags,
        params: idParams('resourceId'),
        querystring: listQuery(),
        response: { 200: Type.Array(scopeRef), ...errors },
      },
    },
    async (request, reply) => {
      await resources.findOrThrow(resources.db, request.params.resourceId);
      const page = parsePage(request.query, false)!;
      const { scopes, total } = await resources.listScopes(
        request.params.resourceId,
        parseSearch(request.query, SCOPE_SEARCH_FIELDS),
        page,
      );
      setPageHeaders(request, reply, page, total);
      return scopes;
    },
  );

  app.post(
    '/api/resources/:resourceId/scopes',
    {
      config: { hookEvent: 'Scope.Created' },
      schema: {
        summary: 'Create a permission',
        description: 'The name has no spaces and is unique within the resource. Emits `Scope.Created`.',
        tags,
        params: idParams('resourceId'),
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 256 }),
          description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        }),
        response: { 201: scopeRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 201, ({ tx }) => resources.createScope(tx.db, request.params.resourceId, request.body)),
  );

  app.patch(
    '/api/resources/:resourceId/scopes/:scopeId',
    {
      config: { hookEvent: 'Scope.Data.Updated' },
      schema: {
        summary: 'Update a permission',
        description: 'Emits `Scope.Data.Updated`.',
        tags,
        params: scopeParams,
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
          description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        }),
        response: { 200: scopeRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) =>
        resources.updateScope(tx.db, request.params.resourceId, request.params.scopeId, request.body),
      ),
  );

  app.delete(
    '/api/resources/:resourceId/scopes/:scopeId',
    {
      config: { hookEvent: 'Scope.Deleted' },
      schema: {
        summary: 'Delete a permission',
        description: 'Emits `Scope.Deleted`.',
        tags,
        params: scopeParams,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) =>
        resources.deleteScope(tx.db, request.params.resourceId, request.params.scopeId),
      );
      return reply.send(null);
    },
  );
}
