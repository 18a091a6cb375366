/** Logto's `/api/users` routes; the data events come from `config.hookEvent` through mutate(). */
import { Type } from 'typebox';
import { HeraldError } from '../../http/errors.ts';
import { parsePage, setPageHeaders } from '../../http/pagination.ts';
import type { Mutate } from '../../http/mutation.ts';
import { errorRef } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { emitUserRolesUpdated, USER_ROLES_EVENT_NOTE } from '../events.ts';
import { roleRef } from '../roles/schemas.ts';
import type { RoleService } from '../roles/service.ts';
import { errors, idParams, JsonObject, listQuery, noContent } from '../schemas.ts';
import { parseSearch, ROLE_SEARCH_FIELDS, USER_SEARCH_FIELDS } from '../search.ts';
import { CreateUserBody, ProfileSchema, UpdateUserBody, userRef, UserSchema } from './schemas.ts';
import { toUserInfo, type UserService } from './service.ts';
import { userAgentOf } from '../../http/client-info.ts';
import { applyPatch, recordedWith, type SyncHookGate, type Verdict } from '../../sync-hooks/index.ts';
import { generateId } from '../../util/id.ts';

/** Logto's reading of a yes/no query parameter (@silverhand/essentials `yes`). */
const yes = (value: string | undefined) =>
  value !== undefined && ['1', 'true', 'y', 'yes', 'yep', 'yeah'].includes(value.toLowerCase());

const tags = ['Users'];
const params = idParams('userId');
const RoleIdsBody = Type.Object({
  roleIds: Type.Array(Type.String({ minLength: 1, maxLength: 21 }), { maxItems: 10000 }),
});

export function registerUserRoutes(
  app: App,
  deps: { users: UserService; roles: RoleService; mutate: Mutate; gate?: SyncHookGate | undefined },
): void {
  const { users, roles, mutate } = deps;
  app.addSchema(UserSchema);

  app.get(
    '/api/users',
    {
      schema: {
        summary: 'List users',
        description:
          "Newest first, always paged. Search over id, primaryEmail, primaryPhone, username, name (Logto's modes: like, exact, posix, similar_to; `isCaseSensitive`). `excludeRoleId` drops holders of a role, `excludeOrganizationId` members of an organization (not both: 400). `includePasswordHash=true` adds `passwordDigest` and `passwordAlgorithm`.",
        tags,
        querystring: listQuery({
          excludeRoleId: Type.Optional(Type.String()),
          excludeOrganizationId: Type.Optional(Type.String()),
          includePasswordHash: Type.Optional(
            Type.String({ description: '`true` to include `passwordDigest` and `passwordAlgorithm`.' }),
          ),
        }),
        response: { 200: Type.Array(userRef), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, false)!;
      const { excludeRoleId, excludeOrganizationId } = request.query;
      if (excludeRoleId && excludeOrganizationId) {
        const details = 'Parameter `excludeRoleId` and `excludeOrganizationId` cannot be used at the same time.';
        throw new HeraldError('request.invalid_input', { message: `Input is invalid. ${details}`, details });
      }
      const search = parseSearch(request.query, USER_SEARCH_FIELDS);
      const { users: list, total } = await users.listUsers({ search, excludeRoleId, excludeOrganizationId }, page, {
        includePasswordHash: yes(request.query.includePasswordHash),
      });
      setPageHeaders(request, reply, page, total);
      return list;
    },
  );

  app.post(
    '/api/users',
    {
      config: { hookEvent: 'User.Created' },
      schema: {
        summary: 'Create a user',
        description:
          'Emits `User.Created`. Synchronous hooks of phase PreRegister are called first (403 `hook.denied`, 503 `hook.sync_unavailable`; a patch is applied to the user created). `primaryPhone` is stored as Logto stores it (digits, country code, no trunk `0`; 422 `user.invalid_phone` if it is no phone number). `passwordDigest` + `passwordAlgorithm` import a digest (Argon2i/id/d, MD5, SHA1, SHA256, Bcrypt cost ≤ 12, Legacy; cost-bounded, see the README), upgraded to argon2id at its first verification.',
        tags,
        body: CreateUserBody,
        response: { 200: userRef, ...errors, 403: errorRef, 503: errorRef },
      },
    },
    async (request, reply) => {
      const password = await users.preparePassword(request.body);
      let input = { ...request.body, id: generateId() };
      let verdict: Verdict | undefined;
      if (deps.gate) {
        // PreRegister (synchronous hooks), before the transaction: no connection waits on an endpoint.
        verdict = await deps.gate.run('PreRegister', {
          interactionEvent: null,
          sessionId: null,
          userAgent: userAgentOf(request),
          userIp: request.ip,
          user: await users.candidate(users.db, input.id, input),
        });
        if (verdict.patch) input = applyPatch(input, verdict.patch);
      }
      // The calls are recorded with the user, in one commit (alone, should the creation fail).
      return recordedWith(verdict, () =>
        mutate(request, reply, 200, async ({ tx }) => {
          const user = await users.createUser(tx.db, input, password);
          await verdict?.record(tx);
          return user;
        }),
      );
    },
  );

  app.get(
    '/api/users/:userId',
    {
      schema: {
        summary: 'Get a user',
        description:
          '`includePasswordHash=true` adds `passwordDigest` and `passwordAlgorithm` (`null` without a password).',
        tags,
        params,
        querystring: Type.Object({
          includePasswordHash: Type.Optional(
            Type.String({ description: '`true` to include `passwordDigest` and `passwordAlgorithm`.' }),
          ),
          includeSsoIdentities: Type.Optional(
            Type.String({
              description: '`true` adds `ssoIdentities`: always `[]`, Herald having no enterprise SSO connectors.',
            }),
          ),
        }),
        response: { 200: userRef, ...errors },
      },
    },
    async (request) => {
      const user = await users.getUser(users.db, request.params.userId, {
        includePasswordHash: yes(request.query.includePasswordHash),
      });
      return yes(request.query.includeSsoIdentities) ? { ...user, ssoIdentities: [] } : user;
    },
  );

  app.patch(
    '/api/users/:userId',
    {
      config: { hookEvent: 'User.Data.Updated' },
      schema: {
        summary: 'Update a user',
        description:
          '`customData` and `profile` replace the stored objects; `null` or `""` clears an identifier; an empty body answers 422 `entity.invalid_input`. Emits `User.Data.Updated`.',
        tags,
        params,
        body: UpdateUserBody,
        response: { 200: userRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) => users.updateUser(tx.db, request.params.userId, request.body)),
  );

  app.delete(
    '/api/users/:userId',
    {
      schema: {
        summary: 'Delete a user',
        description: 'Emits `User.Deleted` with the user as it was.',
        tags,
        params,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, async ({ tx, emit }) => {
        const user = await users.deleteUser(tx.db, request.params.userId);
        emit('User.Deleted', { data: toUserInfo(user) });
      });
      return reply.send(null);
    },
  );

  app.patch(
    '/api/users/:userId/custom-data',
    {
      config: { hookEvent: 'User.Data.Updated' },
      schema: {
        summary: "Merge into a user's custom data",
        description: 'Shallow merge; answers the new custom data. Emits `User.Data.Updated`.',
        tags,
        params,
        body: Type.Object({ customData: JsonObject }),
        response: { 200: JsonObject, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) =>
        users.mergeCustomData(tx.db, request.params.userId, request.body.customData),
      ),
  );

  app.patch(
    '/api/users/:userId/profile',
    {
      config: { hookEvent: 'User.Data.Updated' },
      schema: {
        summary: "Merge into a user's profile",
        description: 'Shallow merge; answers the new profile. Emits `User.Data.Updated`.',
        tags,
        params,
        body: Type.Object({ profile: ProfileSchema }),
        response: { 200: ProfileSchema, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) => users.mergeProfile(tx.db, request.params.userId, request.body.profile)),
  );

  app.patch(
    '/api/users/:userId/password',
    {
      config: { hookEvent: 'User.Data.Updated' },
      schema: {
        summary: "Set a user's password",
        description: 'Hashed with argon2id. Emits `User.Data.Updated`.',
        tags,
        params,
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 200: userRef, ...errors },
      },
    },
    async (request, reply) => {
      await users.findOrThrow(users.db, request.params.userId);
      const password = await users.preparePassword({ password: request.body.password });
      return mutate(request, reply, 200, ({ tx }) => users.setPassword(tx.db, request.params.userId, password));
    },
  );

  app.post(
    '/api/users/:userId/password/verify',
    {
      schema: {
        summary: "Verify a user's password",
        description:
          '204 when it matches (an imported digest is then upgraded to argon2id); 422 `session.invalid_credentials` otherwise.',
        tags,
        params,
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await users.verifyPassword(request.params.userId, request.body.password);
      return reply.status(204).send(null);
    },
  );

  app.patch(
    '/api/users/:userId/is-suspended',
    {
      config: { hookEvent: 'User.SuspensionStatus.Updated' },
      schema: {
        summary: 'Suspend or reactivate a user',
        description: 'Emits `User.SuspensionStatus.Updated`.',
        tags,
        params,
        body: Type.Object({ isSuspended: Type.Boolean() }),
        response: { 200: userRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) =>
        users.setSuspended(tx.db, request.params.userId, request.body.isSuspended),
      ),
  );

  app.get(
    '/api/users/:userId/roles',
    {
      schema: {
        summary: "List a user's roles",
        tags,
        params,
        querystring: listQuery(),
        response: { 200: Type.Array(roleRef), ...errors },
      },
    },
    async (request, reply) => {
      await users.findOrThrow(users.db, request.params.userId);
      const page = parsePage(request.query, false)!;
      const { roles: list, total } = await roles.listUserRoles(
        request.params.userId,
        parseSearch(request.query, ROLE_SEARCH_FIELDS),
        page,
      );
      setPageHeaders(request, reply, page, total);
      return list;
    },
  );

  app.post(
    '/api/users/:userId/roles',
    {
      schema: {
        summary: 'Assign roles to a user',
        description: `Roles already held are skipped. Machine-to-machine roles: 422 \`user.invalid_role_type\`. ${USER_ROLES_EVENT_NOTE}`,
        tags,
        params,
        body: RoleIdsBody,
        response: {
          201: Type.Object({ roleIds: Type.Array(Type.String()), addedRoleIds: Type.Array(Type.String()) }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 201, async ({ tx, emit }) => {
        await roles.lockUser(tx.db, request.params.userId);
        await users.findOrThrow(tx.db, request.params.userId);
        const result = await roles.addUserRoles(tx.db, request.params.userId, request.body.roleIds);
        emitUserRolesUpdated(emit, request.params.userId, result.addedRoleIds, []);
        return result;
      }),
  );

  app.put(
    '/api/users/:userId/roles',
    {
      schema: {
        summary: "Replace a user's roles",
        description: USER_ROLES_EVENT_NOTE,
        tags,
        params,
        body: RoleIdsBody,
        response: { 200: Type.Object({ roleIds: Type.Array(Type.String()) }), ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, async ({ tx, emit }) => {
        await roles.lockUser(tx.db, request.params.userId);
        await users.findOrThrow(tx.db, request.params.userId);
        const { roleIds, addedRoleIds, removedRoleIds } = await roles.replaceUserRoles(
          tx.db,
          request.params.userId,
          request.body.roleIds,
        );
        emitUserRolesUpdated(emit, request.params.userId, addedRoleIds, removedRoleIds);
        return { roleIds };
      }),
  );

  app.delete(
    '/api/users/:userId/roles/:roleId',
    {
      schema: {
        summary: 'Remove a role from a user',
        description: USER_ROLES_EVENT_NOTE,
        tags,
        params: idParams('userId', 'roleId'),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await mutate(request, reply, 204, async ({ tx, emit }) => {
        await roles.removeUserRole(tx.db, request.params.userId, request.params.roleId);
        emitUserRolesUpdated(emit, request.params.userId, [], [request.params.roleId]);
      });
      return reply.send(null);
    },
  );
}
