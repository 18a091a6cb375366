/**
 * Logto's `/api/organizations` routes: organizations, their user and application members, each
 * member's organization roles (User roles for users, MachineToMachine roles for applications), a
 * member's organization scopes, and `GET /api/users/:userId/organizations`. Membership changes emit
 * `Organization.Membership.Updated` with the delta; role changes of a user member emit Herald's
 * `Organization.Membership.Roles.Updated`; application role changes emit nothing (as in Logto).
 */
import { Type } from 'typebox';
import { PaginationQuery, parsePage, setPageHeaders } from '../../http/pagination.ts';
import type { Mutate } from '../../http/mutation.ts';
import { isYes } from '../../http/query.ts';
import type { App } from '../../http/types.ts';
import {
  emitMemberRolesUpdated,
  emitMembershipUpdated,
  MEMBER_ROLES_EVENT_NOTE,
  MEMBERSHIP_EVENT_NOTE,
} from '../events.ts';
import { organizationRoleRef, organizationScopeRef } from '../organization-roles/schemas.ts';
import {
  applicationProperties,
  errors,
  idList,
  idParams,
  JsonObject,
  noContent,
  nullable,
  qListQuery,
  RoleBrief,
} from '../schemas.ts';
import { UserSchema } from '../users/schemas.ts';
import {
  Branding,
  Color,
  organizationRef,
  OrganizationSchema,
  OrganizationWithFeaturedSchema,
  OrganizationWithRolesSchema,
} from './schemas.ts';
import type { OrganizationService } from './service.ts';

const tags = ['Organizations'];
const editable = {
  description: Type.Optional(nullable(Type.String({ maxLength: 256 }))),
  customData: Type.Optional(JsonObject),
  isMfaRequired: Type.Optional(Type.Boolean()),
  isTrustedDeviceAllowed: Type.Optional(Type.Boolean()),
  color: Type.Optional(Color),
  branding: Type.Optional(Branding),
  customCss: Type.Optional(nullable(Type.String({ maxLength: 65536 }))),
};
const { hasPassword: _hasPassword, ...userInfoProperties } = UserSchema.properties;
const RoleBody = Type.Object({
  organizationRoleIds: Type.Optional(idList('Organization role ids (of type User).')),
  organizationRoleNames: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
      maxItems: 10000,
      description: 'Organization role names, resolved to ids.',
    }),
  ),
});
const params = idParams('id');
const memberParams = idParams('id', 'userId');

export function registerOrganizationRoutes(
  app: App,
  deps: { organizations: OrganizationService; mutate: Mutate },
): void {
  const { organizations, mutate } = deps;
  app.addSchema(OrganizationSchema);

  app.get(
    '/api/organizations',
    {
      schema: {
        summary: 'List organizations',
        description:
          'Newest first, always paged; `q` searches id and name; `showFeatured=true` adds `usersCount` and up to three `featuredUsers`.',
        tags,
        querystring: qListQuery({ showFeatured: Type.Optional(Type.String()) }),
        response: { 200: Type.Array(OrganizationWithFeaturedSchema), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, false)!;
      const { organizations: list, total } = await organizations.listOrganizations(
        request.query.q || undefined,
        isYes(request.query.showFeatured),
        page,
      );
      setPageHeaders(request, reply, page, total);
      return list;
    },
  );

  app.post(
    '/api/organizations',
    {
      config: { hookEvent: 'Organization.Created' },
      schema: {
        summary: 'Create an organization',
        description: 'Emits `Organization.Created` with the organization as `data`.',
        tags,
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }), ...editable }),
        response: { 201: organizationRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 201, ({ tx }) => organizations.createOrganization(tx.db, request.body)),
  );

  app.get(
    '/api/organizations/:id',
    {
      schema: {
        summary: 'Get an organization',
        description: '404 `entity.not_exists_with_id` when unknown.',
        tags,
        params,
        response: { 200: organizationRef, ...errors },
      },
    },
    async (request) => organizations.getOrganization(request.params.id),
  );

  app.patch(
    '/api/organizations/:id',
    {
      config: { hookEvent: 'Organization.Data.Updated' },
      schema: {
        summary: 'Update an organization',
        description:
          'JSON fields (`customData`, `color`, `branding`) are replaced. 404 `entity.not_exists` when unknown. Emits `Organization.Data.Updated`.',
        tags,
        params,
        body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })), ...editable }),
        response: { 200: organizationRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) => organizations.updateOrganization(tx.db, request.params.id, request.body)),
  );

  app.delete(
    '/api/organizations/:id',
    {
      config: { hookEvent: 'Organization.Deleted' },
      schema: {
        summary: 'Delete an organization',
        description:
          'Members (users and applications), their roles and invitations go with it. 404 `entity.not_found` when unknown. Emits `Organization.Deleted`.',
        tags,
        params,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) => organizations.deleteOrganization(tx.db, request.params.id));
      return reply.send(null);
    },
  );

  // user members

  app.get(
    '/api/organizations/:id/users',
    {
      schema: {
        summary: 'List the user members of an organization',
        description:
          'Each user with `organizationRoles` (`{id, name}`, by name). Always paged; `q` searches id, email, phone, username and name; `organizationRoleId` keeps the holders of one role.',
        tags,
        params,
        querystring: qListQuery({ organizationRoleId: Type.Optional(Type.String()) }),
        response: {
          200: Type.Array(Type.Object({ ...userInfoProperties, organizationRoles: Type.Array(RoleBrief) })),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, false)!;
      const { users, total } = await organizations.listMembers(
        request.params.id,
        { q: request.query.q || undefined, organizationRoleId: request.query.organizationRoleId },
        page,
      );
      setPageHeaders(request, reply, page, total);
      return users;
    },
  );

  app.post(
    '/api/organizations/:id/users',
    {
      schema: {
        summary: 'Add users to an organization',
        description: `Users already members are left as they are. 422 \`entity.relation_foreign_key_not_found\` for an unknown organization or user. ${MEMBERSHIP_EVENT_NOTE} Only users who were not members yet are in \`addedUserIds\`.`,
        tags,
        params,
        body: Type.Object({ userIds: idList('User ids.', 1) }),
        response: { 201: Type.Object({ userIds: Type.Array(Type.String()) }), ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 201, async ({ tx, emit }) => {
        const { addedUserIds } = await organizations.addMembers(tx.db, request.params.id, request.body.userIds);
        emitMembershipUpdated(emit, request.params.id, { addedUserIds });
        return { userIds: request.body.userIds };
      }),
  );

  app.put(
    '/api/organizations/:id/users',
    {
      schema: {
        summary: 'Replace the user members of an organization',
        description: `The organization ends with exactly these users (\`[]\` removes all); removed members lose their organization roles. ${MEMBERSHIP_EVENT_NOTE}`,
        tags,
        params,
        body: Type.Object({ userIds: idList('User ids.') }),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, async ({ tx, emit }) => {
        const delta = await organizations.replaceMembers(tx.db, request.params.id, request.body.userIds);
        emitMembershipUpdated(emit, request.params.id, delta);
      });
      return reply.send(null);
    },
  );

  app.delete(
    '/api/organizations/:id/users/:userId',
    {
      schema: {
        summary: 'Remove a user from an organization',
        description: `The user's organization roles go too. 404 \`entity.not_found\` when the user is not a member. ${MEMBERSHIP_EVENT_NOTE}`,
        tags,
        params: memberParams,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, async ({ tx, emit }) => {
        await organizations.removeMember(tx.db, request.params.id, request.params.userId);
        emitMembershipUpdated(emit, request.params.id, { removedUserIds: [request.params.userId] });
      });
      return reply.send(null);
    },
  );

  // a member's organization roles

  app.get(
    '/api/organizations/:id/users/:userId/roles',
    {
      schema: {
        summary: "List a member's organization roles",
        description:
          '422 `organization.require_membership` when the user is not a member. `page`/`page_size` turn on paging.',
        tags,
        params: memberParams,
        querystring: Type.Object(PaginationQuery),
        response: { 200: Type.Array(organizationRoleRef), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const { roles, total } = await organizations.listMemberRoles(request.params.id, request.params.userId, page);
      if (page) setPageHeaders(request, reply, page, total);
      return roles;
    },
  );

  app.post(
    '/api/organizations/:id/users/:userId/roles',
    {
      schema: {
        summary: 'Give a member organization roles',
        description: `By id or by name (422 \`organization.role_names_not_found\` for unknown names); roles already held are left as they are. ${MEMBER_ROLES_EVENT_NOTE}`,
        tags,
        params: memberParams,
        body: RoleBody,
        response: { 201: Type.Object({ organizationRoleIds: Type.Array(Type.String()) }), ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 201, async ({ tx, emit }) => {
        const { organizationRoleIds, added } = await organizations.addMemberRoles(
          tx.db,
          request.params.id,
          request.params.userId,
          request.body,
        );
        emitMemberRolesUpdated(emit, request.params.id, request.params.userId, added, []);
        return { organizationRoleIds };
      }),
  );

  app.put(
    '/api/organizations/:id/users/:userId/roles',
    {
      schema: {
        summary: "Replace a member's organization roles",
        description: `The member ends with exactly these roles. ${MEMBER_ROLES_EVENT_NOTE}`,
        tags,
        params: memberParams,
        body: RoleBody,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, async ({ tx, emit }) => {
        const { added, removed } = await organizations.replaceMemberRoles(
          tx.db,
          request.params.id,
          request.params.userId,
          request.body,
        );
        emitMemberRolesUpdated(emit, request.params.id, request.params.userId, added, removed);
      });
      return reply.send(null);
    },
  );

  app.delete(
    '/api/organizations/:id/users/:userId/roles/:organizationRoleId',
    {
      schema: {
        summary: 'Take an organization role from a member',
        description: `404 \`entity.not_found\` when the member does not hold it. ${MEMBER_ROLES_EVENT_NOTE}`,
        tags,
        params: idParams('id', 'userId', 'organizationRoleId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      const { id, userId, organizationRoleId } = request.params;
      await mutate(request, reply, 204, async ({ tx, emit }) => {
        await organizations.removeMemberRole(tx.db, id, userId, organizationRoleId);
        emitMemberRolesUpdated(emit, id, userId, [], [organizationRoleId]);
      });
      return reply.send(null);
    },
  );

  // application members

  app.get(
    '/api/organizations/:id/applications',
    {
      schema: {
        summary: 'List the application members of an organization',
        description:
          'Each application with its `organizationRoles` (`{id, name}`, by name). Always paged; `q` searches id, name and description.',
        tags,
        params,
        querystring: qListQuery({}),
        response: {
          200: Type.Array(Type.Object({ ...applicationProperties, organizationRoles: Type.Array(RoleBrief) })),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, false)!;
      const { applications, total } = await organizations.listApplications(
        request.params.id,
        request.query.q || undefined,
        page,
      );
      setPageHeaders(request, reply, page, total);
      return applications;
    },
  );

  app.post(
    '/api/organizations/:id/applications',
    {
      schema: {
        summary: 'Add applications to an organization',
        description: `Machine-to-machine applications only (422 \`entity.db_constraint_violated\` otherwise); members already are left as they are. ${MEMBERSHIP_EVENT_NOTE}`,
        tags,
        params,
        body: Type.Object({ applicationIds: idList('Application ids.', 1) }),
        response: { 201: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 201, async ({ tx, emit }) => {
        const { addedApplicationIds } = await organizations.addApplications(
          tx.db,
          request.params.id,
          request.body.applicationIds,
        );
        emitMembershipUpdated(emit, request.params.id, { addedApplicationIds });
      });
      return reply.send(null);
    },
  );

  app.put(
    '/api/organizations/:id/applications',
    {
      schema: {
        summary: 'Replace the application members of an organization',
        description: `The organization ends with exactly these applications. ${MEMBERSHIP_EVENT_NOTE}`,
        tags,
        params,
        body: Type.Object({ applicationIds: idList('Application ids.') }),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, async ({ tx, emit }) => {
        const delta = await organizations.replaceApplications(tx.db, request.params.id, request.body.applicationIds);
        emitMembershipUpdated(emit, request.params.id, delta);
      });
      return reply.send(null);
    },
  );

  app.delete(
    '/api/organizations/:id/applications/:applicationId',
    {
      schema: {
        summary: 'Remove an application from an organization',
        description: `The application's organization roles go too. 404 \`entity.not_found\` when it is not a member. ${MEMBERSHIP_EVENT_NOTE}`,
        tags,
        params: idParams('id', 'applicationId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, async ({ tx, emit }) => {
        await organizations.removeApplication(tx.db, request.params.id, request.params.applicationId);
        emitMembershipUpdated(emit, request.params.id, { removedApplicationIds: [request.params.applicationId] });
      });
      return reply.send(null);
    },
  );
  // a user's organizations (Logto's admin-user route; registered here, with the organization code)

  app.get(
    '/api/users/:userId/organizations',
    {
      schema: {
        summary: "List a user's organizations",
        description:
          "Every organization the user is a member of (not paged, as in Logto), each with the user's `organizationRoles` (`{id, name}`, by name). 404 `entity.not_found` for an unknown user.",
        tags: ['Users'],
        params: idParams('userId'),
        response: { 200: Type.Array(OrganizationWithRolesSchema), ...errors },
      },
    },
    async (request) => organizations.listUserOrganizations(request.params.userId),
  );

  app.get(
    '/api/applications/:applicationId/organizations',
    {
      schema: {
        summary: "List an application's organizations",
        description:
          "Every organization the application is a member of, each with the application's `organizationRoles` (`{id, name}`, by name). Every one unless `page`/`page_size` turn on paging (as in Logto). 404 `entity.not_exists_with_id` for an unknown application.",
        tags: ['Applications'],
        params: idParams('applicationId'),
        querystring: Type.Object(PaginationQuery),
        response: { 200: Type.Array(OrganizationWithRolesSchema), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const { organizations: rows, total } = await organizations.listApplicationOrganizations(
        request.params.applicationId,
        page,
      );
      if (page) setPageHeaders(request, reply, page, total);
      return rows;
    },
  );

  // member roles in bulk, and a member's organization scopes

  app.post(
    '/api/organizations/:id/users/roles',
    {
      schema: {
        summary: 'Give members organization roles in bulk',
        description: `Every user gets every role (roles already held stay). 422 \`entity.relation_foreign_key_not_found\` for an unknown organization or role or a user who is not a member, 422 \`entity.db_constraint_violated\` for a role not of type User; nothing is given then. For each user who gained a role, emits Herald's \`Organization.Membership.Roles.Updated\` (\`organizationId\`, \`userId\`, \`addedOrganizationRoleIds\`); Logto emits nothing here.`,
        tags,
        params,
        body: Type.Object({
          userIds: idList('User ids (members).', 1),
          organizationRoleIds: idList('Organization role ids (of type User).', 1),
        }),
        response: { 201: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 201, async ({ tx, emit }) => {
        const added = await organizations.addMembersRoles(
          tx.db,
          request.params.id,
          request.body.userIds,
          request.body.organizationRoleIds,
        );
        for (const { userId, added: roleIds } of added)
          emitMemberRolesUpdated(emit, request.params.id, userId, roleIds, []);
      });
      return reply.send(null);
    },
  );

  app.get(
    '/api/organizations/:id/users/:userId/scopes',
    {
      schema: {
        summary: "List a member's organization scopes",
        description:
          'The organization scopes the user has through their organization roles in this organization, each once, by id. Empty for a user who is not a member (as in Logto).',
        tags,
        params: memberParams,
        response: { 200: Type.Array(organizationScopeRef), ...errors },
      },
    },
    async (request) => organizations.listMemberScopes(request.params.id, request.params.userId),
  );

  // an application member's organization roles (Logto emits no data event for these; neither does Herald)

  const appParams = idParams('id', 'applicationId');
  const APP_ROLES_NOTE =
    '422 `organization.require_membership` when the application is not a member. Emits no event (as in Logto).';

  app.post(
    '/api/organizations/:id/applications/roles',
    {
      schema: {
        summary: 'Give application members organization roles in bulk',
        description:
          'Every application gets every role (roles already held stay). 422 `entity.relation_foreign_key_not_found` for an unknown organization or role or an application that is not a member, 422 `entity.db_constraint_violated` for a role not of type MachineToMachine; nothing is given then. Emits no event (as in Logto).',
        tags,
        params,
        body: Type.Object({
          applicationIds: idList('Application ids (members).', 1),
          organizationRoleIds: idList('Organization role ids (of type MachineToMachine).', 1),
        }),
        response: { 201: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 201, ({ tx }) =>
        organizations.addApplicationsRoles(
          tx.db,
          request.params.id,
          request.body.applicationIds,
          request.body.organizationRoleIds,
        ),
      );
      return reply.send(null);
    },
  );

  app.get(
    '/api/organizations/:id/applications/:applicationId/roles',
    {
      schema: {
        summary: "List an application member's organization roles",
        description: `By name. \`page\`/\`page_size\` turn on paging. ${APP_ROLES_NOTE}`,
        tags,
        params: appParams,
        querystring: Type.Object(PaginationQuery),
        response: { 200: Type.Array(organizationRoleRef), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const { roles, total } = await organizations.listApplicationRoles(
        request.params.id,
        request.params.applicationId,
        page,
      );
      if (page) setPageHeaders(request, reply, page, total);
      return roles;
    },
  );

  app.post(
    '/api/organizations/:id/applications/:applicationId/roles',
    {
      schema: {
        summary: 'Give an application member organization roles',
        description: `Roles already held stay. 422 \`entity.relation_foreign_key_not_found\` for an unknown role, 422 \`entity.db_constraint_violated\` for a role not of type MachineToMachine. ${APP_ROLES_NOTE}`,
        tags,
        params: appParams,
        body: Type.Object({ organizationRoleIds: idList('Organization role ids (of type MachineToMachine).', 1) }),
        response: { 201: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 201, ({ tx }) =>
        organizations.addApplicationRoles(
          tx.db,
          request.params.id,
          request.params.applicationId,
          request.body.organizationRoleIds,
        ),
      );
      return reply.send(null);
    },
  );

  app.put(
    '/api/organizations/:id/applications/:applicationId/roles',
    {
      schema: {
        summary: "Replace an application member's organization roles",
        description: `The application ends with exactly these roles (at least one, as in Logto). ${APP_ROLES_NOTE}`,
        tags,
        params: appParams,
        body: Type.Object({ organizationRoleIds: idList('Organization role ids (of type MachineToMachine).', 1) }),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) =>
        organizations.replaceApplicationRoles(
          tx.db,
          request.params.id,
          request.params.applicationId,
          request.body.organizationRoleIds,
        ),
      );
      return reply.send(null);
    },
  );

  app.delete(
    '/api/organizations/:id/applications/:applicationId/roles/:organizationRoleId',
    {
      schema: {
        summary: 'Take an organization role from an application member',
        description: `404 \`entity.not_found\` when the application does not hold it. ${APP_ROLES_NOTE}`,
        tags,
        params: idParams('id', 'applicationId', 'organizationRoleId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      const { id, applicationId, organizationRoleId } = request.params;
      await mutate(request, reply, 204, ({ tx }) =>
        organizations.removeApplicationRole(tx.db, id, applicationId, organizationRoleId),
      );
      return reply.send(null);
    },
  );
}
