/**
 * Organization roles and organization scopes (organization permissions), as Logto's Management
 * API has them. A role is of type User (for user members) or MachineToMachine (for application
 * members); it carries organization scopes and, optionally, API resource scopes.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/query.ts';
import type { DB, OrganizationRolesTable, OrganizationScopesTable } from '../../db/types.ts';
import { HeraldError, notExistsWithId } from '../../http/errors.ts';
import { generateId } from '../../util/id.ts';
import type { OrganizationRole, OrganizationScope } from './schemas.ts';
import * as store from './store.ts';
import { toScope } from '../resources/service.ts';
import { dedupe } from '../../util/lists.ts';

type Page = { offset: number; limit: number };

export type OrganizationRoleType = OrganizationRole['type'];

export const toOrganizationRole = (row: OrganizationRolesTable): OrganizationRole => ({
  tenantId: 'default',
  id: row.id,
  name: row.name,
  description: row.description,
  type: row.type as OrganizationRoleType,
});

export const toOrganizationScope = (row: OrganizationScopesTable): OrganizationScope => ({
  tenantId: 'default',
  id: row.id,
  name: row.name,
  description: row.description,
});

/** Logto's answer when a referenced row does not exist (its foreign-key violation). */
export function missingReference(name: string, ids: readonly string[]): HeraldError {
  return new HeraldError('entity.relation_foreign_key_not_found', { data: { name, ids } });
}

const nameTaken = (name: string) => new HeraldError('entity.unique_integrity_violation', { data: { name } });
const notFound = (name: string, id: string) => new HeraldError('entity.not_found', { data: { name, id } });
const notExists = (name: string, id: string) =>
  new HeraldError('entity.not_exists', { message: `The ${name} does not exist.`, data: { name, id } });

export function createOrganizationRoleService(deps: { db: Kysely<DB>; clock?: () => number }) {
  const now = deps.clock ?? Date.now;

  async function roleOrThrow(db: Executor, id: string): Promise<OrganizationRolesTable> {
    const row = await store.findRoleById(db, id);
    if (!row) throw notFound('organization role', id);
    return row;
  }

  /** Every id must name an organization scope; 422 `entity.relation_foreign_key_not_found` otherwise. */
  async function assertScopesExist(db: Executor, ids: readonly string[]): Promise<void> {
    const found = new Set(await store.findScopeIds(db, ids));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw missingReference('organization scope', missing);
  }

  async function assertResourceScopesExist(db: Executor, ids: readonly string[]): Promise<void> {
    const found = new Set(await store.findResourceScopeIds(db, ids));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw missingReference('scope', missing);
  }

  return {
    roleOrThrow,

    /** Roles by id: 422 for an unknown one, 422 `entity.db_constraint_violated` for one of the wrong type. */
    async rolesOfTypeOrThrow(
      db: Executor,
      ids: readonly string[],
      type: OrganizationRoleType,
    ): Promise<OrganizationRolesTable[]> {
      const rows = await store.findRolesByIds(db, ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const missing = ids.filter((id) => !byId.has(id));
      if (missing.length) throw missingReference('organization role', missing);
      const wrong = rows.find((r) => r.type !== type);
      if (wrong) {
        throw new HeraldError('entity.db_constraint_violated', {
          message: `The organization role ${wrong.name} is of type ${wrong.type}; only ${type} roles can be assigned here.`,
          data: { organizationRoleId: wrong.id },
        });
      }
      return ids.map((id) => byId.get(id)!);
    },

    /** Role ids for names: 422 `organization.role_names_not_found` naming every unknown one. */
    async roleIdsByNames(db: Executor, names: readonly string[]): Promise<string[]> {
      const rows = await store.findRolesByNames(db, dedupe(names));
      const byName = new Map(rows.map((r) => [r.name, r.id]));
      const missing = dedupe(names).filter((n) => !byName.has(n));
      if (missing.length) {
        throw new HeraldError('organization.role_names_not_found', {
          message: `Invalid role names detected: ${missing.join(', ')}. Please create these roles first before proceeding.`,
          data: { names: missing },
        });
      }
      return names.map((n) => byName.get(n)!);
    },

    // scopes

    async createScope(
      db: Executor,
      input: { name: string; description?: string | null | undefined },
    ): Promise<OrganizationScope> {
      if (await store.findScopeIdByName(db, input.name)) throw nameTaken(input.name);
      const row: OrganizationScopesTable = {
        id: generateId(),
        name: input.name,
        description: input.description ?? null,
        created_at: now(),
      };
      await store.insertScope(db, row);
      return toOrganizationScope(row);
    },

    async getScope(id: string): Promise<OrganizationScope> {
      const row = await store.findScopeById(deps.db, id);
      if (!row) throw notExistsWithId('organization_scopes', id);
      return toOrganizationScope(row);
    },

    /** By name; every match when no page is asked for (Logto's paging is optional here). */
    async listScopes(q: string | undefined, page: Page | undefined) {
      const [rows, total] = await Promise.all([
        store.listScopes(deps.db, q, page),
        page ? store.countScopes(deps.db, q) : 0,
      ]);
      return { scopes: rows.map(toOrganizationScope), total };
    },

    async updateScope(
      db: Executor,
      id: string,
      input: { name?: string | undefined; description?: string | null | undefined },
    ): Promise<OrganizationScope> {
      if (!(await store.findScopeById(db, id))) throw notExists('organization scope', id);
      if (input.name !== undefined && (await store.findScopeIdByName(db, input.name, id))) throw nameTaken(input.name);
      const patch: Partial<OrganizationScopesTable> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (Object.keys(patch).length) await store.updateScopeById(db, id, patch);
      const row = await store.findScopeById(db, id);
      // Deleted by a concurrent request between the check and here.
      if (!row) throw notExists('organization scope', id);
      return toOrganizationScope(row);
    },

    async deleteScope(db: Executor, id: string): Promise<void> {
      if (!(await store.deleteScopeById(db, id))) throw notFound('organization scope', id);
    },

    // roles

    /** Creates a role and links its scopes in one transaction: an unknown scope leaves no role behind. */
    async createRole(
      db: Executor,
      input: {
        name: string;
        description?: string | null | undefined;
        type?: OrganizationRoleType | undefined;
        organizationScopeIds?: string[] | undefined;
        resourceScopeIds?: string[] | undefined;
      },
    ): Promise<{ role: OrganizationRole; scopesLinked: boolean }> {
      if (await store.findRoleIdByName(db, input.name)) throw nameTaken(input.name);
      const scopeIds = dedupe(input.organizationScopeIds ?? []);
      const resourceScopeIds = dedupe(input.resourceScopeIds ?? []);
      await assertScopesExist(db, scopeIds);
      await assertResourceScopesExist(db, resourceScopeIds);
      const at = now();
      const row: OrganizationRolesTable = {
        id: generateId(),
        name: input.name,
        description: input.description ?? null,
        type: input.type ?? 'User',
        created_at: at,
      };
      await store.insertRole(db, row);
      await store.insertRoleScopes(db, row.id, scopeIds, at);
      await store.insertRoleResourceScopes(db, row.id, resourceScopeIds, at);
      return { role: toOrganizationRole(row), scopesLinked: scopeIds.length + resourceScopeIds.length > 0 };
    },

    async getRole(id: string): Promise<OrganizationRole> {
      return toOrganizationRole(await roleOrThrow(deps.db, id));
    },

    /** Roles by name, each with `scopes` and `resourceScopes` (Logto's list shape). */
    async listRoles(q: string | undefined, page: Page) {
      const [rows, total] = await Promise.all([store.listRoles(deps.db, q, page), store.countRoles(deps.db, q)]);
      const ids = rows.map((r) => r.id);
      const [scopes, resourceScopes] = await Promise.all([
        store.findScopesOfRoles(deps.db, ids),
        store.findResourceScopesOfRoles(deps.db, ids),
      ]);
      const roles = rows.map((row) => ({
        ...toOrganizationRole(row),
        scopes: scopes.filter((s) => s.roleId === row.id).map((s) => ({ id: s.id, name: s.name })),
        resourceScopes: resourceScopes
          .filter((s) => s.roleId === row.id)
          .map((s) => ({ id: s.id, name: s.name, resource: { id: s.resourceId, name: s.resourceName } })),
      }));
      return { roles, total };
    },

    /**
     * The type may change while no holder is of the other kind: a role held by users (or offered by
     * an invitation) cannot become MachineToMachine (422 `entity.db_constraint_violated`).
     */
    async updateRole(
      db: Executor,
      id: string,
      input: {
        name?: string | undefined;
        description?: string | null | undefined;
        type?: OrganizationRoleType | undefined;
      },
    ): Promise<OrganizationRole> {
      if (!(await store.lockRole(db, id))) throw notExists('organization role', id);
      if (input.name !== undefined && (await store.findRoleIdByName(db, input.name, id))) throw nameTaken(input.name);
      if (input.type === 'MachineToMachine' && (await store.roleHasUserHolders(db, id))) {
        throw new HeraldError('entity.db_constraint_violated', {
          message:
            'The organization role is held by users or offered by invitations; it cannot become MachineToMachine.',
          data: { organizationRoleId: id },
        });
      }
      if (input.type === 'User' && (await store.roleHasApplicationHolders(db, id))) {
        throw new HeraldError('entity.db_constraint_violated', {
          message: 'The organization role is held by applications; it cannot become User.',
          data: { organizationRoleId: id },
        });
      }
      const patch: Partial<OrganizationRolesTable> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.type !== undefined) patch.type = input.type;
      if (Object.keys(patch).length) await store.updateRoleById(db, id, patch);
      const row = await store.findRoleById(db, id);
      if (!row) throw notExists('organization role', id);
      return toOrganizationRole(row);
    },

    async deleteRole(db: Executor, id: string): Promise<void> {
      if (!(await store.deleteRoleById(db, id))) throw notFound('organization role', id);
    },

    async listRoleScopes(roleId: string, page: Page | undefined) {
      await roleOrThrow(deps.db, roleId);
      const [rows, total] = await Promise.all([
        store.listScopesOfRole(deps.db, roleId, page),
        store.countScopesOfRole(deps.db, roleId),
      ]);
      return { scopes: rows.map(toOrganizationScope), total };
    },

    /** POST: links the scopes not linked yet; an unknown role or scope is 422, as Logto's foreign keys answer. */
    async addRoleScopes(db: Executor, roleId: string, scopeIds: readonly string[]): Promise<void> {
      if (!(await store.lockRole(db, roleId))) throw missingReference('organization role', [roleId]);
      const ids = dedupe(scopeIds);
      await assertScopesExist(db, ids);
      await store.insertRoleScopes(db, roleId, ids, now());
    },

    /** PUT: the role ends with exactly these scopes. */
    async replaceRoleScopes(db: Executor, roleId: string, scopeIds: readonly string[]): Promise<void> {
      // Locked first, so two concurrent PUTs end with one body's scopes, not both.
      if (!(await store.lockRole(db, roleId))) throw missingReference('organization role', [roleId]);
      const ids = dedupe(scopeIds);
      await assertScopesExist(db, ids);
      await store.deleteRoleScopes(db, roleId);
      await store.insertRoleScopes(db, roleId, ids, now());
    },

    async removeRoleScope(db: Executor, roleId: string, scopeId: string): Promise<void> {
      if ((await store.deleteRoleScopes(db, roleId, [scopeId])) === 0)
        throw notFound('organization role scope', scopeId);
    },

    // role ↔ API resource scope links (Logto's `/resource-scopes`; no data event, as in Logto)

    async listRoleResourceScopes(roleId: string, page: Page | undefined) {
      await roleOrThrow(deps.db, roleId);
      const [rows, total] = await Promise.all([
        store.listResourceScopesOfRole(deps.db, roleId, page),
        page ? store.countResourceScopesOfRole(deps.db, roleId) : 0,
      ]);
      return { scopes: rows.map(toScope), total };
    },

    /** POST: links the resource scopes not linked yet; an unknown role or scope is 422. */
    async addRoleResourceScopes(db: Executor, roleId: string, scopeIds: readonly string[]): Promise<void> {
      if (!(await store.lockRole(db, roleId))) throw missingReference('organization role', [roleId]);
      const ids = dedupe(scopeIds);
      await assertResourceScopesExist(db, ids);
      await store.insertRoleResourceScopes(db, roleId, ids, now());
    },

    /** PUT: the role ends with exactly these resource scopes. */
    async replaceRoleResourceScopes(db: Executor, roleId: string, scopeIds: readonly string[]): Promise<void> {
      if (!(await store.lockRole(db, roleId))) throw missingReference('organization role', [roleId]);
      const ids = dedupe(scopeIds);
      await assertResourceScopesExist(db, ids);
      await store.deleteRoleResourceScopes(db, roleId);
      await store.insertRoleResourceScopes(db, roleId, ids, now());
    },

    async removeRoleResourceScope(db: Executor, roleId: string, scopeId: string): Promise<void> {
      if ((await store.deleteRoleResourceScopes(db, roleId, [scopeId])) === 0)
        throw notFound('organization role resource scope', scopeId);
    },
  };
}

export type OrganizationRoleService = ReturnType<typeof createOrganizationRoleService>;
