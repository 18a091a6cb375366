/** Logto's `/api/roles` routes: roles, their permissions and their users. */
import { Type } from 'typebox';
import { parsePage, setPageHeaders } from '../../http/pagination.ts';
import type { Mutate } from '../../http/mutation.ts';
import type { App } from '../../http/types.ts';
import { emitUserRolesUpdated } from '../events.ts';
import { applicationRef, errors, idParams, listQuery, noContent, scopeRef } from '../schemas.ts';
import {
  APPLICATION_SEARCH_FIELDS,
  parseSearch,
  ROLE_SEARCH_FIELDS,
  SCOPE_SEARCH_FIELDS,
  USER_SEARCH_FIELDS,
} from '../search.ts';
import { userRef } from '../users/schemas.ts';
import type { UserService } from '../users/service.ts';
import { ROLE_TYPES, roleRef, RoleSchema, RoleScopeSchema, RoleWithCountsSchema } from './schemas.ts';
import type { RoleService } from './service.ts';

const tags = ['Roles'];
const params = idParams('id');

export function registerRoleRoutes(app: App, deps: { roles: RoleService; users: UserService; mutate: Mutate }): void {
  const { roles, users, mutate } = deps;
  app.addSchema(RoleSchema);

  app.get(
    '/api/roles',
    {
      schema: {
        summary: 'List roles',
        description:
          'Always paged; each role with `usersCount`, up to three `featuredUsers`, `applicationsCount` and up to three `featuredApplications`. Filter by `type`, `excludeUserId`, `excludeApplicationId`; search over id, name, description.',
        tags,
        querystring: listQuery({
          type: Type.Optional(Type.Enum(ROLE_TYPES)),
          excludeUserId: Type.Optional(Type.String()),
          excludeApplicationId: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Array(RoleWithCountsSchema), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, false)!;
      const search = parseSearch(request.query, ROLE_SEARCH_FIELDS);
      const { type, excludeUserId, excludeApplicationId } = request.query;
      const { roles: list, total } = await roles.listRoles({ search, type, excludeUserId, excludeApplicationId }, page);
      setPageHeaders(request, reply, page, total);
      return list;
    },
  );

  app.post(
    '/api/roles',
    {
      config: { hookEvent: 'Role.Created' },
      schema: {
        summary: 'Create a role',
        description:
          'Emits `Role.Created`; with `scopeIds`, also `Role.Scopes.Updated` carrying `roleId` and the linked scopes.',
        tags,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 128 }),
          description: Type.String({ minLength: 1, maxLength: 128 }),
          type: Type.Optional(Type.Enum(ROLE_TYPES)),
          isDefault: Type.Optional(Type.Boolean()),
          scopeIds: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
        }),
        response: { 200: roleRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, async ({ tx, emit }) => {
        const { role, scopes } = await roles.createRole(tx.db, request.body);
        if (scopes) emit('Role.Scopes.Updated', { roleId: role.id, data: scopes });
        return role;
      }),
  );

  app.get(
    '/api/roles/:id',
    { schema: { summary: 'Get a role', tags, params, response: { 200: roleRef, ...errors } } },
    async (request) => roles.getRole(request.params.id),
  );

  app.patch(
    '/api/roles/:id',
    {
      config: { hookEvent: 'Role.Data.Updated' },
      schema: {
        summary: 'Update a role',
        description: 'The type cannot change. Emits `Role.Data.Updated`.',
        tags,
        params,
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          description: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          isDefault: Type.Optional(Type.Boolean()),
        }),
        response: { 200: roleRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) => roles.updateRole(tx.db, request.params.id, request.body)),
  );

  app.delete(
    '/api/roles/:id',
    {
      config: { hookEvent: 'Role.Deleted' },
      schema: {
        summary: 'Delete a role',
        description: 'Emits `Role.Deleted`.',
        tags,
        params,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) => roles.deleteRole(tx.db, request.params.id));
      return reply.send(null);
    },
  );

  app.get(
    '/api/roles/:id/scopes',
    {
      schema: {
        summary: "List a role's permissions",
        description: 'Each scope with its resource. `page`/`page_size` turn on paging.',
        tags,
        params,
        querystring: listQuery(),
        response: { 200: Type.Array(RoleScopeSchema), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const { scopes, total } = await roles.listRoleScopes(
        request.params.id,
        parseSearch(request.query, SCOPE_SEARCH_FIELDS),
        page,
      );
      if (page) setPageHeaders(request, reply, page, total);
      return scopes;
    },
  );

  app.post(
    '/api/roles/:id/scopes',
    {
      config: { hookEvent: 'Role.Scopes.Updated' },
      schema: {
        summary: 'Add permissions to a role',
        description: 'Answers every scope now linked. Emits `Role.Scopes.Updated`.',
        tags,
        params,
        body: Type.Object({ scopeIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }),
        response: { 201: Type.Array(scopeRef), ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 201, ({ tx }) => roles.addRoleScopes(tx.db, request.params.id, request.body.scopeIds)),
  );

  app.delete(
    '/api/roles/:id/scopes/:scopeId',
    {
      config: { hookEvent: 'Role.Scopes.Updated' },
      schema: {
        summary: 'Remove a permission from a role',
        description: 'Emits `Role.Scopes.Updated`.',
        tags,
        params: idParams('id', 'scopeId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) =>
        roles.removeRoleScope(tx.db, request.params.id, request.params.scopeId),
      );
      return reply.send(null);
    },
  );

  app.get(
    '/api/roles/:id/users',
    {
      schema: {
        summary: 'List the users of a role',
        tags,
        params,
        querystring: listQuery(),
        response: { 200: Type.Array(userRef), ...errors },
      },
    },
    async (request, reply) => {
      await roles.findOrThrow(users.db, request.params.id);
      const page = parsePage(request.query, false)!;
      const { users: list, total } = await users.listUsers(
        { roleId: request.params.id, search: parseSearch(request.query, USER_SEARCH_FIELDS) },
        page,
      );
      setPageHeaders(request, reply, page, total);
      return list;
    },
  );

  app.post(
    '/api/roles/:id/users',
    {
      schema: {
        summary: 'Assign a role to users',
        description:
          "422 `role.user_exists` if a user already has it. Emits Herald's `User.Roles.Updated` for each user.",
        tags,
        params,
        body: Type.Object({
          userIds: Type.Array(Type.String({ minLength: 1, maxLength: 21 }), { minItems: 1, maxItems: 10000 }),
        }),
        response: { 201: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 201, async ({ tx, emit }) => {
        const added = await roles.addRoleUsers(tx.db, request.params.id, request.body.userIds, (ids) =>
          users.findUsersByIds(tx.db, ids),
        );
        for (const userId of added) emitUserRolesUpdated(emit, userId, [request.params.id], []);
      });
      return reply.send(null);
    },
  );

  app.delete(
    '/api/roles/:id/users/:userId',
    {
      schema: {
        summary: 'Remove a role from a user',
        description: "Emits Herald's `User.Roles.Updated`.",
        tags,
        params: idParams('id', 'userId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, async ({ tx, emit }) => {
        await roles.removeRoleUser(tx.db, request.params.id, request.params.userId);
        emitUserRolesUpdated(emit, request.params.userId, [], [request.params.id]);
      });
      return reply.send(null);
    },
  );

  // Machine-to-machine roles of applications (Logto's role.application.ts and
  // applications/application-role.ts). Logto emits no data event for any of these routes.
  const appTags = ['Applications'];

  app.get(
    '/api/roles/:id/applications',
    {
      schema: {
        summary: 'List the applications of a role',
        description:
          'The machine-to-machine applications holding the role. Always paged; search over id, name, description.',
        tags,
        params,
        querystring: listQuery(),
        response: { 200: Type.Array(applicationRef), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, false)!;
      const { applications, total } = await roles.listRoleApplications(
        request.params.id,
        parseSearch(request.query, APPLICATION_SEARCH_FIELDS),
        page,
      );
      setPageHeaders(request, reply, page, total);
      return applications;
    },
  );

  app.post(
    '/api/roles/:id/applications',
    {
      schema: {
        summary: 'Assign a role to applications',
        description:
          'Machine-to-machine roles to machine-to-machine applications only. 422 `role.application_exists` if an application already has it; 404 for an unknown role or application. No event.',
        tags,
        params,
        body: Type.Object({
          applicationIds: Type.Array(Type.String({ minLength: 1, maxLength: 21 }), { minItems: 1, maxItems: 10000 }),
        }),
        response: { 201: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 201, ({ tx }) =>
        roles.addRoleApplications(tx.db, request.params.id, request.body.applicationIds),
      );
      return reply.send(null);
    },
  );

  app.delete(
    '/api/roles/:id/applications/:applicationId',
    {
      schema: {
        summary: 'Remove a role from an application',
        description: '404 unless the application has the role. No event.',
        tags,
        params: idParams('id', 'applicationId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) =>
        roles.removeApplicationRole(tx.db, request.params.applicationId, request.params.id),
      );
      return reply.send(null);
    },
  );

  const appParams = idParams('applicationId');
  const roleIdsBody = Type.Object({
    roleIds: Type.Array(Type.String({ minLength: 1, maxLength: 21 }), { maxItems: 10000 }),
  });

  app.get(
    '/api/applications/:applicationId/roles',
    {
      schema: {
        summary: "List an application's roles",
        description:
          'Machine-to-machine applications only (422 `application.invalid_type`). Always paged; search over id, name, description.',
        tags: appTags,
        params: appParams,
        querystring: listQuery(),
        response: { 200: Type.Array(roleRef), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, false)!;
      const { roles: list, total } = await roles.listApplicationRoles(
        request.params.applicationId,
        parseSearch(request.query, ROLE_SEARCH_FIELDS),
        page,
      );
      setPageHeaders(request, reply, page, total);
      return list;
    },
  );

  app.post(
    '/api/applications/:applicationId/roles',
    {
      schema: {
        summary: 'Assign roles to an application',
        description:
          'Roles already held are skipped. Machine-to-machine applications only (422 `application.invalid_type`); user roles: 422 `application.invalid_role_type`. No event.',
        tags: appTags,
        params: appParams,
        body: roleIdsBody,
        response: {
          201: Type.Object({ roleIds: Type.Array(Type.String()), addedRoleIds: Type.Array(Type.String()) }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 201, ({ tx }) =>
        roles.addApplicationRoles(tx.db, request.params.applicationId, request.body.roleIds),
      ),
  );

  app.put(
    '/api/applications/:applicationId/roles',
    {
      schema: {
        summary: "Replace an application's roles",
        description:
          'The application ends with exactly these roles. Machine-to-machine applications and roles only. Answers 200 with no body. No event.',
        tags: appTags,
        params: appParams,
        body: roleIdsBody,
        response: { 200: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 200, ({ tx }) =>
        roles.replaceApplicationRoles(tx.db, request.params.applicationId, request.body.roleIds),
      );
      return reply.send(undefined as never);
    },
  );

  app.delete(
    '/api/applications/:applicationId/roles/:roleId',
    {
      schema: {
        summary: 'Remove a role from an application',
        description:
          'Machine-to-machine applications only (422 `application.invalid_type`); 404 unless the application has the role. No event.',
        tags: appTags,
        params: idParams('applicationId', 'roleId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, async ({ tx }) => {
        await roles.findM2mApplicationOrThrow(tx.db, request.params.applicationId);
        await roles.removeApplicationRole(tx.db, request.params.applicationId, request.params.roleId);
      });
      return reply.send(null);
    },
  );
}
