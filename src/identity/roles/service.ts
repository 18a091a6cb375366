/**
 * Roles, their permissions (roles_scopes) and their users (users_roles), as Logto's Management API
 * has them. Role type is User or MachineToMachine; only User roles go to users.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/query.ts';
import type { DB, RolesTable } from '../../db/types.ts';
import { HeraldError, notExistsWithId } from '../../http/errors.ts';
import { generateId } from '../../util/id.ts';
import { toResource, toScope, type ResourceService } from '../resources/service.ts';
import type { Application, Scope } from '../schemas.ts';
import type { Search } from '../search.ts';
import type { Role } from './schemas.ts';
import * as store from './store.ts';
import { dedupe } from '../../util/lists.ts';
import { toApplication, type ApplicationService } from '../applications/service.ts';

export type RoleType = Role['type'];

export const toRole = (row: RolesTable): Role => ({
  tenantId: 'default',
  id: row.id,
  name: row.name,
  description: row.description,
  type: row.type as RoleType,
  isDefault: Boolean(row.is_default),
});

export function createRoleService(deps: {
  db: Kysely<DB>;
  resources: ResourceService;
  applications: ApplicationService;
  clock?: () => number;
}) {
  const now = deps.clock ?? Date.now;

  async function findOrThrow(db: Executor, id: string): Promise<RolesTable> {
    const row = await store.findRoleById(db, id);
    if (!row) throw notExistsWithId('role', id);
    return row;
  }

  async function assertNameFree(db: Executor, name: string, excludeId?: string) {
    if (await store.findRoleIdByName(db, name, excludeId)) {
      throw new HeraldError('role.name_in_use', {
        message: `This role name ${name} is already in use.`,
        data: { name },
      });
    }
  }

  /** Links scopes to a role: 404 for an unknown scope, 422 `role.scope_exists` for one already linked. */
  async function linkScopes(db: Executor, roleId: string, scopeIds: readonly string[]): Promise<void> {
    const ids = dedupe(scopeIds);
    const linked = await store.findLinkedScopeIds(db, roleId, ids);
    if (linked[0])
      throw new HeraldError('role.scope_exists', {
        message: `The scope id ${linked[0]} has already been added to this role.`,
        data: { scopeId: linked[0] },
      });
    await deps.resources.findScopesOrThrow(db, ids);
    await store.insertRoleScopes(db, roleId, ids, now());
  }

  /** Roles by id for assignment to users: 404 for an unknown one, 422 for a machine-to-machine role. */
  async function findUserRolesOrThrow(db: Executor, roleIds: readonly string[]): Promise<RolesTable[]> {
    const rows = await store.findRolesByIds(db, roleIds);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return roleIds.map((id) => {
      const row = byId.get(id);
      if (!row) throw notExistsWithId('role', id);
      if (row.type !== 'User') throw new HeraldError('user.invalid_role_type', { data: { roleId: id } });
      return row;
    });
  }

  /** An application whose roles are read or changed: 404 if unknown, 422 `application.invalid_type` unless MachineToMachine. */
  async function findM2mApplicationOrThrow(db: Executor, id: string) {
    const app = await deps.applications.findOrThrow(db, id);
    if (app.type !== 'MachineToMachine') throw new HeraldError('application.invalid_type');
    return app;
  }

  /** Roles by id, in order: 404 for the first unknown one. */
  async function findRolesOrThrow(db: Executor, ids: readonly string[]): Promise<RolesTable[]> {
    const rows = await store.findRolesByIds(db, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const row = byId.get(id);
      if (!row) throw notExistsWithId('role', id);
      return row;
    });
  }

  return {
    findOrThrow,

    /** Creates a role; with `scopeIds`, links them too and answers the linked scopes for Role.Scopes.Updated. */
    async createRole(
      db: Executor,
      input: {
        name: string;
        description: string;
        type?: RoleType | undefined;
        isDefault?: boolean | undefined;
        scopeIds?: string[] | undefined;
      },
    ): Promise<{ role: Role; scopes: Scope[] | undefined }> {
      await assertNameFree(db, input.name);
      const row: RolesTable = {
        id: generateId(),
        name: input.name,
        description: input.description,
        type: input.type ?? 'User',
        is_default: input.isDefault ?? false,
        created_at: now(),
      };
      await store.insertRole(db, row);
      if (!input.scopeIds) return { role: toRole(row), scopes: undefined };
      await linkScopes(db, row.id, input.scopeIds);
      return { role: toRole(row), scopes: (await store.listScopesOfRole(db, row.id)).map(toScope) };
    },

    async getRole(id: string): Promise<Role> {
      return toRole(await findOrThrow(deps.db, id));
    },

    /** Roles with Logto's list extras: usersCount and up to three featured users. */
    async listRoles(filter: store.RoleListFilter, page: { offset: number; limit: number }) {
      const [rows, total] = await Promise.all([
        store.listRoles(deps.db, filter, page),
        store.countRoles(deps.db, filter),
      ]);
      const ids = rows.map((r) => r.id);
      const [summaries, appSummaries] = await Promise.all([
        store.findRoleUserSummaries(deps.db, ids),
        store.findRoleApplicationSummaries(deps.db, ids),
      ]);
      const roles = rows.map((row) => {
        const summary = summaries.get(row.id);
        const apps = appSummaries.get(row.id);
        return {
          ...toRole(row),
          usersCount: summary?.count ?? 0,
          featuredUsers: summary?.featured ?? [],
          applicationsCount: apps?.count ?? 0,
          featuredApplications: apps?.featured ?? [],
        };
      });
      return { roles, total };
    },

    /** The type is immutable, as in Logto. */
    async updateRole(
      db: Executor,
      id: string,
      input: { name?: string | undefined; description?: string | undefined; isDefault?: boolean | undefined },
    ): Promise<Role> {
      await findOrThrow(db, id);
      if (input.name !== undefined) await assertNameFree(db, input.name, id);
      const patch: Partial<RolesTable> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.isDefault !== undefined) patch.is_default = input.isDefault;
      if (Object.keys(patch).length) await store.updateRoleById(db, id, patch);
      return toRole(await findOrThrow(db, id));
    },

    async deleteRole(db: Executor, id: string): Promise<void> {
      await findOrThrow(db, id);
      await store.deleteRoleById(db, id);
    },

    /** The role's scopes, each with its resource (Logto's ScopeResponse). */
    async listRoleScopes(
      roleId: string,
      search: Search | undefined,
      page: { offset: number; limit: number } | undefined,
    ) {
      await findOrThrow(deps.db, roleId);
      const [rows, total] = await Promise.all([
        store.listScopesOfRole(deps.db, roleId, search, page),
        store.countScopesOfRole(deps.db, roleId, search),
      ]);
      const resources = new Map(
        (await deps.resources.findResourcesByIds(dedupe(rows.map((r) => r.resource_id)))).map((r) => [
          r.id,
          toResource(r),
        ]),
      );
      // A scope's resource exists: scopes.resource_id references it.
      return { scopes: rows.map((r) => ({ ...toScope(r), resource: resources.get(r.resource_id)! })), total };
    },

    /** Adds scopes; answers every scope now linked (Logto's body, and the event's data). */
    async addRoleScopes(db: Executor, roleId: string, scopeIds: string[]): Promise<Scope[]> {
      await findOrThrow(db, roleId);
      await linkScopes(db, roleId, scopeIds);
      return (await store.listScopesOfRole(db, roleId)).map(toScope);
    },

    async removeRoleScope(db: Executor, roleId: string, scopeId: string): Promise<void> {
      await findOrThrow(db, roleId);
      if (!(await store.deleteRoleScope(db, roleId, scopeId)))
        throw new HeraldError('entity.not_found', { data: { name: 'role scope', id: scopeId } });
    },

    /** POST /roles/:id/users: 422 `role.user_exists` if a user already has the role (Logto: not idempotent). */
    async addRoleUsers(
      db: Executor,
      roleId: string,
      userIds: string[],
      findUsers: (ids: string[]) => Promise<{ id: string }[]>,
    ): Promise<string[]> {
      const role = await findOrThrow(db, roleId);
      const ids = dedupe(userIds);
      const existing = await store.findUserIdsWithRole(db, roleId, ids);
      if (existing[0])
        throw new HeraldError('role.user_exists', {
          message: `The user id ${existing[0]} has already been added to this role.`,
          data: { userId: existing[0] },
        });
      const found = new Set((await findUsers(ids)).map((u) => u.id));
      const missing = ids.find((id) => !found.has(id));
      if (missing) throw new HeraldError('entity.not_found', { data: { name: 'user', id: missing } });
      if (role.type !== 'User')
        throw new HeraldError('entity.db_constraint_violated', {
          message: 'Only roles of type User can be assigned to users.',
        });
      return (
        await store.insertUserRoles(
          db,
          ids.map((userId) => ({ userId, roleId })),
          now(),
        )
      ).map((r) => r.userId);
    },

    async removeRoleUser(db: Executor, roleId: string, userId: string): Promise<void> {
      await findOrThrow(db, roleId);
      if (!(await store.deleteUserRole(db, userId, roleId)))
        throw new HeraldError('entity.not_found', { data: { name: 'user role', id: userId } });
    },

    /** POST /users/:id/roles: adds the roles not held yet; answers `{roleIds, addedRoleIds}`. */
    async addUserRoles(
      db: Executor,
      userId: string,
      roleIds: string[],
    ): Promise<{ roleIds: string[]; addedRoleIds: string[] }> {
      const ids = dedupe(roleIds);
      await findUserRolesOrThrow(db, ids);
      const inserted = new Set(
        (
          await store.insertUserRoles(
            db,
            ids.map((roleId) => ({ userId, roleId })),
            now(),
          )
        ).map((r) => r.roleId),
      );
      return { roleIds: ids, addedRoleIds: ids.filter((id) => inserted.has(id)) };
    },

    /** PUT /users/:id/roles: the user ends with exactly these roles; answers what was added and removed. */
    async replaceUserRoles(
      db: Executor,
      userId: string,
      roleIds: string[],
    ): Promise<{ roleIds: string[]; addedRoleIds: string[]; removedRoleIds: string[] }> {
      const ids = dedupe(roleIds);
      await findUserRolesOrThrow(db, ids);
      const removedRoleIds = await store.deleteUserRolesExcept(db, userId, ids);
      const inserted = new Set(
        (
          await store.insertUserRoles(
            db,
            ids.map((roleId) => ({ userId, roleId })),
            now(),
          )
        ).map((r) => r.roleId),
      );
      return { roleIds: ids, addedRoleIds: ids.filter((id) => inserted.has(id)), removedRoleIds };
    },

    /**
     * Locks the user's row for the rest of the transaction (a no-op update: a row lock on PostgreSQL;
     * SQLite's write transactions are serial), so two concurrent PUTs end with one body's roles, not both.
     */
    async lockUser(db: Executor, userId: string): Promise<void> {
      await db
        .updateTable('users')
        .set((eb) => ({ updated_at: eb.ref('updated_at') }))
        .where('id', '=', userId)
        .execute();
    },

    async removeUserRole(db: Executor, userId: string, roleId: string): Promise<void> {
      if (!(await store.deleteUserRole(db, userId, roleId)))
        throw new HeraldError('entity.not_found', { data: { name: 'user role', id: roleId } });
    },

    /** A new user's default roles (type User), in the caller's transaction; answers the role ids granted. */
    grantDefaultRoles: (db: Executor, userId: string, at: number): Promise<string[]> =>
      store.grantDefaultRoles(db, userId, at),

    /** GET /roles/:id/applications: the role's machine-to-machine applications. */
    async listRoleApplications(
      roleId: string,
      search: Search | undefined,
      page: { offset: number; limit: number },
    ): Promise<{ applications: Application[]; total: number }> {
      await findOrThrow(deps.db, roleId);
      const [rows, total] = await Promise.all([
        store.listApplicationsOfRole(deps.db, roleId, search, page),
        store.countApplicationsOfRole(deps.db, roleId, search),
      ]);
      return { applications: rows.map(toApplication), total };
    },

    /**
     * POST /roles/:id/applications: 404 for an unknown role or application, 422
     * `role.application_exists` if one already has the role (not idempotent, as in Logto), 422
     * `entity.db_constraint_violated` for a User role and `application.invalid_type` for an
     * application that is not machine-to-machine.
     */
    async addRoleApplications(db: Executor, roleId: string, applicationIds: string[]): Promise<void> {
      const role = await findOrThrow(db, roleId);
      const ids = dedupe(applicationIds);
      const existing = await store.findApplicationIdsWithRole(db, roleId, ids);
      if (existing[0])
        throw new HeraldError('role.application_exists', {
          message: `The application id ${existing[0]} is already been added to this role.`,
          data: { userId: existing[0], applicationId: existing[0] },
        });
      const apps = [];
      for (const id of ids) apps.push(await deps.applications.findOrThrow(db, id));
      if (role.type !== 'MachineToMachine')
        throw new HeraldError('entity.db_constraint_violated', {
          message: 'Only roles of type MachineToMachine can be assigned to applications.',
        });
      if (apps.some((a) => a.type !== 'MachineToMachine')) throw new HeraldError('application.invalid_type');
      await store.insertApplicationRoles(
        db,
        ids.map((applicationId) => ({ applicationId, roleId })),
        now(),
      );
    },

    /** DELETE /roles/:id/applications/:applicationId and /applications/:id/roles/:roleId: 404 unless linked. */
    async removeApplicationRole(db: Executor, applicationId: string, roleId: string): Promise<void> {
      if (!(await store.deleteApplicationRole(db, applicationId, roleId)))
        throw new HeraldError('entity.not_found', { data: { name: 'application role', id: roleId } });
    },

    findM2mApplicationOrThrow,

    /** GET /applications/:id/roles: the application's machine-to-machine roles. */
    async listApplicationRoles(
      applicationId: string,
      search: Search | undefined,
      page: { offset: number; limit: number },
    ) {
      await findM2mApplicationOrThrow(deps.db, applicationId);
      const filter = { applicationId, search, type: 'MachineToMachine' };
      const [rows, total] = await Promise.all([
        store.listRoles(deps.db, filter, page),
        store.countRoles(deps.db, filter),
      ]);
      return { roles: rows.map(toRole), total };
    },

    /**
     * POST /applications/:id/roles: adds the roles not held yet (idempotent, as in Logto); 422
     * `application.invalid_role_type` for a User role, 404 for an unknown one. Answers Logto's
     * `{roleIds, addedRoleIds}`: `roleIds` as sent.
     */
    async addApplicationRoles(
      db: Executor,
      applicationId: string,
      roleIds: string[],
    ): Promise<{ roleIds: string[]; addedRoleIds: string[] }> {
      await findM2mApplicationOrThrow(db, applicationId);
      const held = new Set(await store.findApplicationRoleIds(db, applicationId));
      const toAdd = dedupe(roleIds).filter((id) => !held.has(id));
      const rows = await store.findRolesByIds(db, toAdd);
      if (rows.some((r) => r.type !== 'MachineToMachine')) throw new HeraldError('application.invalid_role_type');
      await findRolesOrThrow(db, toAdd);
      const inserted = new Set(
        (
          await store.insertApplicationRoles(
            db,
            toAdd.map((roleId) => ({ applicationId, roleId })),
            now(),
          )
        ).map((r) => r.roleId),
      );
      return { roleIds, addedRoleIds: toAdd.filter((id) => inserted.has(id)) };
    },

    /**
     * PUT /applications/:id/roles: the application ends with exactly these roles. 404 for an
     * unknown role; a User role breaks Logto's `applications_roles__role_type` check: 422
     * `entity.db_constraint_violated`.
     */
    async replaceApplicationRoles(db: Executor, applicationId: string, roleIds: string[]): Promise<void> {
      // Lock the application's row first, so two concurrent PUTs end with one body's roles, not both.
      await db
        .updateTable('applications')
        .set((eb) => ({ name: eb.ref('name') }))
        .where('id', '=', applicationId)
        .execute();
      await findM2mApplicationOrThrow(db, applicationId);
      const ids = dedupe(roleIds);
      const rows = await findRolesOrThrow(db, ids);
      if (rows.some((r) => r.type !== 'MachineToMachine'))
        throw new HeraldError('entity.db_constraint_violated', {
          message: 'Only roles of type MachineToMachine can be assigned to applications.',
        });
      await store.deleteApplicationRolesExcept(db, applicationId, ids);
      await store.insertApplicationRoles(
        db,
        ids.map((roleId) => ({ applicationId, roleId })),
        now(),
      );
    },

    async listUserRoles(userId: string, search: Search | undefined, page: { offset: number; limit: number }) {
      const filter = { userId, search, type: 'User' };
      const [rows, total] = await Promise.all([
        store.listRoles(deps.db, filter, page),
        store.countRoles(deps.db, filter),
      ]);
      return { roles: rows.map(toRole), total };
    },
  };
}

export type RoleService = ReturnType<typeof createRoleService>;
