/** Logto's `/api/organization-roles` and `/api/organization-scopes` routes. */
import { Type } from 'typebox';
import { PaginationQuery, parsePage, setPageHeaders } from '../../http/pagination.ts';
import type { Mutate } from '../../http/mutation.ts';
import type { App } from '../../http/types.ts';
import { errors, idList, idParams, noContent, nullable, qListQuery, scopeRef } from '../schemas.ts';
import {
  ORGANIZATION_ROLE_TYPES,
  organizationRoleRef,
  OrganizationRoleSchema,
  OrganizationRoleWithScopesSchema,
  organizationScopeRef,
  OrganizationScopeSchema,
} from './schemas.ts';
import type { OrganizationRoleService } from './service.ts';

const params = idParams('id');
const name = Type.String({ minLength: 1, maxLength: 128 });
const description = nullable(Type.String({ maxLength: 256 }));

export function registerOrganizationRoleRoutes(
  app: App,
  deps: { organizationRoles: OrganizationRoleService; mutate: Mutate },
): void {
  const { organizationRoles, mutate } = deps;
  app.addSchema(OrganizationRoleSchema);
  app.addSchema(OrganizationScopeSchema);
  const roleTags = ['Organization roles'];
  const scopeTags = ['Organization scopes'];

  app.get(
    '/api/organization-roles',
    {
      schema: {
        summary: 'List organization roles',
        description:
          'By name, always paged; `q` searches id, name and description. Each role with its `scopes` and `resourceScopes`.',
        tags: roleTags,
        querystring: qListQuery({}),
        response: { 200: Type.Array(OrganizationRoleWithScopesSchema), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, false)!;
      const { roles, total } = await organizationRoles.listRoles(request.query.q || undefined, page);
      setPageHeaders(request, reply, page, total);
      return roles;
    },
  );

  app.post(
    '/api/organization-roles',
    {
      config: { hookEvent: 'OrganizationRole.Created' },
      schema: {
        summary: 'Create an organization role',
        description:
          'Names are unique (422 `entity.unique_integrity_violation`). With `organizationScopeIds` or `resourceScopeIds`, links them in the same transaction (422 `entity.relation_foreign_key_not_found` for an unknown one, and no role is left) and also emits `OrganizationRole.Scopes.Updated` with `organizationRoleId`. Emits `OrganizationRole.Created`.',
        tags: roleTags,
        body: Type.Object({
          name,
          description: Type.Optional(description),
          type: Type.Optional(Type.Enum(ORGANIZATION_ROLE_TYPES)),
          organizationScopeIds: Type.Optional(idList('Organization scope ids.')),
          resourceScopeIds: Type.Optional(idList('API resource scope ids.')),
        }),
        response: { 201: organizationRoleRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 201, async ({ tx, emit }) => {
        const { role, scopesLinked } = await organizationRoles.createRole(tx.db, request.body);
        if (scopesLinked) emit('OrganizationRole.Scopes.Updated', { organizationRoleId: role.id });
        return role;
      }),
  );

  app.get(
    '/api/organization-roles/:id',
    {
      schema: {
        summary: 'Get an organization role',
        description: '404 `entity.not_found` when unknown.',
        tags: roleTags,
        params,
        response: { 200: organizationRoleRef, ...errors },
      },
    },
    async (request) => organizationRoles.getRole(request.params.id),
  );

  app.patch(
    '/api/organization-roles/:id',
    {
      config: { hookEvent: 'OrganizationRole.Data.Updated' },
      schema: {
        summary: 'Update an organization role',
        description:
          'A role held by users or offered by invitations cannot become MachineToMachine, nor one held by applications User (422 `entity.db_constraint_violated`). 404 `entity.not_exists` when unknown. Emits `OrganizationRole.Data.Updated`.',
        tags: roleTags,
        params,
        body: Type.Object({
          name: Type.Optional(name),
          description: Type.Optional(description),
          type: Type.Optional(Type.Enum(ORGANIZATION_ROLE_TYPES)),
        }),
        response: { 200: organizationRoleRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) => organizationRoles.updateRole(tx.db, request.params.id, request.body)),
  );

  app.delete(
    '/api/organization-roles/:id',
    {
      config: { hookEvent: 'OrganizationRole.Deleted' },
      schema: {
        summary: 'Delete an organization role',
        description:
          'Members holding it lose it. 404 `entity.not_found` when unknown. Emits `OrganizationRole.Deleted`.',
        tags: roleTags,
        params,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) => organizationRoles.deleteRole(tx.db, request.params.id));
      return reply.send(null);
    },
  );

  app.get(
    '/api/organization-roles/:id/scopes',
    {
      schema: {
        summary: "List an organization role's scopes",
        description: 'By name. `page`/`page_size` turn on paging. 404 `entity.not_found` for an unknown role.',
        tags: roleTags,
        params,
        querystring: Type.Object(PaginationQuery),
        response: { 200: Type.Array(organizationScopeRef), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const { scopes, total } = await organizationRoles.listRoleScopes(request.params.id, page);
      if (page) setPageHeaders(request, reply, page, total);
      return scopes;
    },
  );

  app.post(
    '/api/organization-roles/:id/scopes',
    {
      config: { hookEvent: 'OrganizationRole.Scopes.Updated' },
      schema: {
        summary: 'Add scopes to an organization role',
        description:
          'Scopes already linked are left as they are; 422 `entity.relation_foreign_key_not_found` for an unknown role or scope. Emits `OrganizationRole.Scopes.Updated`.',
        tags: roleTags,
        params,
        body: Type.Object({ organizationScopeIds: idList('Organization scope ids.', 1) }),
        response: { 201: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 201, ({ tx }) =>
        organizationRoles.addRoleScopes(tx.db, request.params.id, request.body.organizationScopeIds),
      );
      return reply.send(null);
    },
  );

  app.put(
    '/api/organization-roles/:id/scopes',
    {
      config: { hookEvent: 'OrganizationRole.Scopes.Updated' },
      schema: {
        summary: "Replace an organization role's scopes",
        description: 'The role ends with exactly these scopes. Emits `OrganizationRole.Scopes.Updated`.',
        tags: roleTags,
        params,
        body: Type.Object({ organizationScopeIds: idList('Organization scope ids.') }),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) =>
        organizationRoles.replaceRoleScopes(tx.db, request.params.id, request.body.organizationScopeIds),
      );
      return reply.send(null);
    },
  );

  app.delete(
    '/api/organization-roles/:id/scopes/:organizationScopeId',
    {
      config: { hookEvent: 'OrganizationRole.Scopes.Updated' },
      schema: {
        summary: 'Remove a scope from an organization role',
        description: '404 `entity.not_found` when not linked. Emits `OrganizationRole.Scopes.Updated`.',
        tags: roleTags,
        params: idParams('id', 'organizationScopeId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) =>
        organizationRoles.removeRoleScope(tx.db, request.params.id, request.params.organizationScopeId),
      );
      return reply.send(null);
    },
  );

  // a role's API resource scopes (Logto emits no data event for these; neither does Herald)

  const RESOURCE_SCOPES_NOTE = 'Emits no event (Logto has no data event for resource-scope links).';

  app.get(
    '/api/organization-roles/:id/resource-scopes',
    {
      schema: {
        summary: "List an organization role's API resource scopes",
        description: 'By name. `page`/`page_size` turn on paging. 404 `entity.not_found` for an unknown role.',
        tags: roleTags,
        params,
        querystring: Type.Object(PaginationQuery),
        response: { 200: Type.Array(scopeRef), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const { scopes, total } = await organizationRoles.listRoleResourceScopes(request.params.id, page);
      if (page) setPageHeaders(request, reply, page, total);
      return scopes;
    },
  );

  app.post(
    '/api/organization-roles/:id/resource-scopes',
    {
      schema: {
        summary: 'Add API resource scopes to an organization role',
        description: `Scopes already linked are left as they are; 422 \`entity.relation_foreign_key_not_found\` for an unknown role or scope. ${RESOURCE_SCOPES_NOTE}`,
        tags: roleTags,
        params,
        body: Type.Object({ scopeIds: idList('API resource scope ids.', 1) }),
        response: { 201: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 201, ({ tx }) =>
        organizationRoles.addRoleResourceScopes(tx.db, request.params.id, request.body.scopeIds),
      );
      return reply.send(null);
    },
  );

  app.put(
    '/api/organization-roles/:id/resource-scopes',
    {
      schema: {
        summary: "Replace an organization role's API resource scopes",
        description: `The role ends with exactly these scopes; 422 \`entity.relation_foreign_key_not_found\` for an unknown role or scope. ${RESOURCE_SCOPES_NOTE}`,
        tags: roleTags,
        params,
        body: Type.Object({ scopeIds: idList('API resource scope ids.') }),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) =>
        organizationRoles.replaceRoleResourceScopes(tx.db, request.params.id, request.body.scopeIds),
      );
      return reply.send(null);
    },
  );

  app.delete(
    '/api/organization-roles/:id/resource-scopes/:scopeId',
    {
      schema: {
        summary: 'Remove an API resource scope from an organization role',
        description: `404 \`entity.not_found\` when not linked. ${RESOURCE_SCOPES_NOTE}`,
        tags: roleTags,
        params: idParams('id', 'scopeId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) =>
        organizationRoles.removeRoleResourceScope(tx.db, request.params.id, request.params.scopeId),
      );
      return reply.send(null);
    },
  );

  // organization scopes

  app.get(
    '/api/organization-scopes',
    {
      schema: {
        summary: 'List organization scopes',
        description:
          'By name; `q` searches the name. Every scope unless `page`/`page_size` turn on paging (as in Logto).',
        tags: scopeTags,
        querystring: qListQuery({}),
        response: { 200: Type.Array(organizationScopeRef), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const { scopes, total } = await organizationRoles.listScopes(request.query.q || undefined, page);
      if (page) setPageHeaders(request, reply, page, total);
      return scopes;
    },
  );

  app.post(
    '/api/organization-scopes',
    {
      config: { hookEvent: 'OrganizationScope.Created' },
      schema: {
        summary: 'Create an organization scope',
        description: 'Names are unique (422 `entity.unique_integrity_violation`). Emits `OrganizationScope.Created`.',
        tags: scopeTags,
        body: Type.Object({ name, description: Type.Optional(description) }),
        response: { 201: organizationScopeRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 201, ({ tx }) => organizationRoles.createScope(tx.db, request.body)),
  );

  app.get(
    '/api/organization-scopes/:id',
    {
      schema: {
        summary: 'Get an organization scope',
        description: '404 `entity.not_exists_with_id` when unknown.',
        tags: scopeTags,
        params,
        response: { 200: organizationScopeRef, ...errors },
      },
    },
    async (request) => organizationRoles.getScope(request.params.id),
  );

  app.patch(
    '/api/organization-scopes/:id',
    {
      config: { hookEvent: 'OrganizationScope.Data.Updated' },
      schema: {
        summary: 'Update an organization scope',
        description: '404 `entity.not_exists` when unknown. Emits `OrganizationScope.Data.Updated`.',
        tags: scopeTags,
        params,
        body: Type.Object({ name: Type.Optional(name), description: Type.Optional(description) }),
        response: { 200: organizationScopeRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) => organizationRoles.updateScope(tx.db, request.params.id, request.body)),
  );

  app.delete(
    '/api/organization-scopes/:id',
    {
      config: { hookEvent: 'OrganizationScope.Deleted' },
      schema: {
        summary: 'Delete an organization scope',
        description:
          'Roles carrying it lose it. 404 `entity.not_found` when unknown. Emits `OrganizationScope.Deleted`.',
        tags: scopeTags,
        params,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) => organizationRoles.deleteScope(tx.db, request.params.id));
      return reply.send(null);
    },
  );
}
