import type { Executor } from '../../db/query.ts';
import type { ResourcesTable, ScopesTable } from '../../db/types.ts';
import { searchCondition, type Search } from '../search.ts';

export function insertResource(db: Executor, row: ResourcesTable): Promise<unknown> {
  return db.insertInto('resources').values(row).execute();
}

export function findResourceById(db: Executor, id: string): Promise<ResourcesTable | undefined> {
  return db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findResourcesByIds(db: Executor, ids: readonly string[]): Promise<ResourcesTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('resources').selectAll().where('id', 'in', ids).execute();
}

export async function findResourceIdByIndicator(db: Executor, indicator: string): Promise<string | undefined> {
  return (await db.selectFrom('resources').select('id').where('indicator', '=', indicator).executeTakeFirst())?.id;
}

export function listResources(db: Executor, page?: { offset: number; limit: number }): Promise<ResourcesTable[]> {
  let query = db.selectFrom('resources').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export async function countResources(db: Executor): Promise<number> {
  return Number(
    (
      await db
        .selectFrom('resources')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

export function updateResourceById(
  db: Executor,
  id: string,
  patch: Partial<Omit<ResourcesTable, 'id'>>,
): Promise<unknown> {
  return db.updateTable('resources').set(patch).where('id', '=', id).execute();
}

/**
 * Makes `id` the one default resource. Every row is written, so a concurrent call waits on the rows
 * this one wrote and then overwrites them: the last to commit wins and one default remains.
 */
export function setDefaultResource(db: Executor, id: string): Promise<unknown> {
  return db
    .updateTable('resources')
    .set((eb) => ({ is_default: eb('id', '=', id) }))
    .execute();
}

export async function deleteResourceById(db: Executor, id: string): Promise<boolean> {
  return Number((await db.deleteFrom('resources').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

export function insertScope(db: Executor, row: ScopesTable): Promise<unknown> {
  return db.insertInto('scopes').values(row).execute();
}

export function findScopeById(db: Executor, id: string): Promise<ScopesTable | undefined> {
  return db.selectFrom('scopes').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findScopesByIds(db: Executor, ids: readonly string[]): Promise<ScopesTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('scopes').selectAll().where('id', 'in', ids).orderBy('created_at').orderBy('id').execute();
}

export async function findScopeIdByName(
  db: Executor,
  resourceId: string,
  name: string,
  excludeId?: string,
): Promise<string | undefined> {
  let query = db.selectFrom('scopes').select('id').where('resource_id', '=', resourceId).where('name', '=', name);
  if (excludeId) query = query.where('id', '!=', excludeId);
  return (await query.executeTakeFirst())?.id;
}

function scopesOf(db: Executor, resourceIds: readonly string[], search?: Search) {
  let query = db.selectFrom('scopes').where('resource_id', 'in', resourceIds);
  if (search) query = query.where((eb) => searchCondition(eb, search));
  return query;
}

export function listScopesByResourceIds(
  db: Executor,
  resourceIds: readonly string[],
  search?: Search,
  page?: { offset: number; limit: number },
): Promise<ScopesTable[]> {
  if (resourceIds.length === 0) return Promise.resolve([]);
  let query = scopesOf(db, resourceIds, search).selectAll().orderBy('created_at').orderBy('id');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export async function countScopesByResourceId(db: Executor, resourceId: string, search?: Search): Promise<number> {
  return Number(
    (
      await scopesOf(db, [resourceId], search)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

export function updateScopeById(db: Executor, id: string, patch: Partial<Omit<ScopesTable, 'id'>>): Promise<unknown> {
  return db.updateTable('scopes').set(patch).where('id', '=', id).execute();
}

export async function deleteScopeById(db: Executor, resourceId: string, id: string): Promise<boolean> {
  return (
    Number(
      (await db.deleteFrom('scopes').where('id', '=', id).where('resource_id', '=', resourceId).executeTakeFirst())
        .numDeletedRows,
    ) > 0
  );
}
