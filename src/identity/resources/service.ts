/** API resources and their permissions (scopes), as Logto's Management API has them. */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/query.ts';
import type { DB, ResourcesTable, ScopesTable } from '../../db/types.ts';
import { HeraldError, notExistsWithId } from '../../http/errors.ts';
import { generateId } from '../../util/id.ts';
import type { Scope } from '../schemas.ts';
import type { Search } from '../search.ts';
import type { Resource, ResourceWithScopes } from './schemas.ts';
import * as store from './store.ts';

const DEFAULT_ACCESS_TOKEN_TTL_S = 3600;

export const toResource = (row: ResourcesTable): Resource => ({
  tenantId: 'default',
  id: row.id,
  name: row.name,
  indicator: row.indicator,
  isDefault: Boolean(row.is_default),
  accessTokenTtl: Number(row.access_token_ttl),
});

export const toScope = (row: ScopesTable): Scope => ({
  tenantId: 'default',
  id: row.id,
  resourceId: row.resource_id,
  name: row.name,
  description: row.description,
  createdAt: row.created_at,
});

const assertScopeName = (name: string) => {
  if (/\s/.test(name)) throw new HeraldError('scope.name_with_space', { data: { field: 'body.name' } });
};

export function createResourceService(deps: { db: Kysely<DB>; clock?: () => number }) {
  const now = deps.clock ?? Date.now;

  async function findOrThrow(db: Executor, id: string): Promise<ResourcesTable> {
    const row = await store.findResourceById(db, id);
    if (!row) throw notExistsWithId('resource', id);
    return row;
  }

  async function withScopes(resources: Resource[]): Promise<ResourceWithScopes[]> {
    const scopes = await store.listScopesByResourceIds(
      deps.db,
      resources.map((r) => r.id),
    );
    return resources.map((r) => ({ ...r, scopes: scopes.filter((s) => s.resource_id === r.id).map(toScope) }));
  }

  return {
    db: deps.db,
    findOrThrow,

    async createResource(
      db: Executor,
      input: { name: string; indicator: string; accessTokenTtl?: number | undefined },
    ): Promise<ResourceWithScopes> {
      if (await store.findResourceIdByIndicator(db, input.indicator)) {
        throw new HeraldError('resource.resource_identifier_in_use', {
          message: `The API identifier ${input.indicator} is already in use.`,
          data: { indicator: input.indicator },
        });
      }
      const row: ResourcesTable = {
        id: generateId(),
        name: input.name,
        indicator: input.indicator,
        is_default: false,
        access_token_ttl: input.accessTokenTtl ?? DEFAULT_ACCESS_TOKEN_TTL_S,
        created_at: now(),
      };
      await store.insertResource(db, row);
      return { ...toResource(row), scopes: [] };
    },

    async getResource(id: string): Promise<Resource> {
      return toResource(await findOrThrow(deps.db, id));
    },

    async listResources(options: { page?: { offset: number; limit: number } | undefined; includeScopes: boolean }) {
      const rows = await store.listResources(deps.db, options.page);
      const total = options.page ? await store.countResources(deps.db) : rows.length;
      const resources = rows.map(toResource);
      return { resources: options.includeScopes ? await withScopes(resources) : resources, total };
    },

    /** The indicator is immutable, as in Logto. */
    async updateResource(
      db: Executor,
      id: string,
      input: { name?: string | undefined; accessTokenTtl?: number | undefined },
    ): Promise<Resource> {
      await findOrThrow(db, id);
      const patch: Partial<ResourcesTable> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.accessTokenTtl !== undefined) patch.access_token_ttl = input.accessTokenTtl;
      if (Object.keys(patch).length) await store.updateResourceById(db, id, patch);
      return toResource(await findOrThrow(db, id));
    },

    /** PATCH /resources/:id/is-default: at most one default resource, as in Logto. */
    async setResourceIsDefault(db: Executor, id: string, isDefault: boolean): Promise<Resource> {
      await findOrThrow(db, id);
      if (isDefault) await store.setDefaultResource(db, id);
      else await store.updateResourceById(db, id, { is_default: false });
      return toResource(await findOrThrow(db, id));
    },

    async deleteResource(db: Executor, id: string): Promise<void> {
      await findOrThrow(db, id);
      await store.deleteResourceById(db, id);
    },

    async listScopes(resourceId: string, search: Search | undefined, page: { offset: number; limit: number }) {
      const [rows, total] = await Promise.all([
        store.listScopesByResourceIds(deps.db, [resourceId], search, page),
        store.countScopesByResourceId(deps.db, resourceId, search),
      ]);
      return { scopes: rows.map(toScope), total };
    },

    async createScope(
      db: Executor,
      resourceId: string,
      input: { name: string; description?: string | null | undefined },
    ): Promise<Scope> {
      assertScopeName(input.name);
      await findOrThrow(db, resourceId);
      if (await store.findScopeIdByName(db, resourceId, input.name)) {
        throw new HeraldError('scope.name_exists', {
          message: `The scope name ${input.name} is already in use.`,
          data: { name: input.name },
        });
      }
      const row: ScopesTable = {
        id: generateId(),
        resource_id: resourceId,
        name: input.name,
        description: input.description ?? null,
        created_at: now(),
      };
      await store.insertScope(db, row);
      return toScope(row);
    },

    async updateScope(
      db: Executor,
      resourceId: string,
      scopeId: string,
      input: { name?: string | undefined; description?: string | null | undefined },
    ): Promise<Scope> {
      await findOrThrow(db, resourceId);
      const scope = await store.findScopeById(db, scopeId);
      if (!scope || scope.resource_id !== resourceId) throw notExistsWithId('scope', scopeId);
      if (input.name !== undefined) {
        assertScopeName(input.name);
        if (await store.findScopeIdByName(db, resourceId, input.name, scopeId)) {
          throw new HeraldError('scope.name_exists', {
            message: `The scope name ${input.name} is already in use.`,
            data: { name: input.name },
          });
        }
      }
      const patch: Partial<ScopesTable> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (Object.keys(patch).length) await store.updateScopeById(db, scopeId, patch);
      return toScope((await store.findScopeById(db, scopeId)) ?? scope);
    },

    async deleteScope(db: Executor, resourceId: string, scopeId: string): Promise<void> {
      await findOrThrow(db, resourceId);
      if (!(await store.deleteScopeById(db, resourceId, scopeId)))
        throw new HeraldError('entity.not_found', { data: { name: 'scope', id: scopeId } });
    },

    /** Scopes by id, in the order asked; 404 for the first unknown one. */
    async findScopesOrThrow(db: Executor, ids: readonly string[]): Promise<ScopesTable[]> {
      const rows = await store.findScopesByIds(db, ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => {
        const row = byId.get(id);
        if (!row) throw notExistsWithId('scope', id);
        return row;
      });
    },

    findResourcesByIds: (ids: readonly string[]) => store.findResourcesByIds(deps.db, ids),
  };
}

export type ResourceService = ReturnType<typeof createResourceService>;
