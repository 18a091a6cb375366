import type { Kysely, Transaction } from 'kysely';
import type { DB, RolesTable, ScopesTable } from '../../db/types.ts';
import { inBatches } from '../../db/batches.ts';
import { searchCondition, type Search } from '../search.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const ROLE_SEARCH_FIELDS = { id: 'roles.id', name: 'roles.name', description: 'roles.description' };

export function insertRole(db: Executor, row: RolesTable): Promise<unknown> {
  return db.insertInto('roles').values(row).execute();
}

export function findRoleById(db: Executor, id: string): Promise<RolesTable | undefined> {
  return db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findRolesByIds(db: Executor, ids: readonly string[]): Promise<RolesTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('roles').selectAll().where('id', 'in', ids).execute();
}

export async function findRoleIdByName(db: Executor, name: string, excludeId?: string): Promise<string | undefined> {
  let query = db.selectFrom('roles').select('id').where('name', '=', name);
  if (excludeId) query = query.where('id', '!=', excludeId);
  return (await query.executeTakeFirst())?.id;
}

export interface RoleListFilter {
  search?: Search | undefined;
  type?: string | undefined;
  excludeUserId?: string | undefined;
  /** Only roles this user holds. */
  userId?: string | undefined;
}

function filtered(db: Executor, filter: RoleListFilter) {
  let query = db.selectFrom('roles');
  const { search, type, excludeUserId, userId } = filter;
  if (search) query = query.where((eb) => searchCondition(eb, search));
  if (type) query = query.where('type', '=', type);
  if (excludeUserId) query = query.where('roles.id', 'not in', db.selectFrom('users_roles').select('role_id').where('user_id', '=', excludeUserId));
  if (userId) query = query.where('roles.id', 'in', db.selectFrom('users_roles').select('role_id').where('user_id', '=', userId));
  return query;
}

export function listRoles(db: Executor, filter: RoleListFilter, page: { offset: number; limit: number }): Promise<RolesTable[]> {
  return filtered(db, filter).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').offset(page.offset).limit(page.limit).execute();
}

export async function countRoles(db: Executor, filter: RoleListFilter): Promise<number> {
  return Number((await filtered(db, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

export function updateRoleById(db: Executor, id: string, patch: Partial<Omit<RolesTable, 'id'>>): Promise<unknown> {
  return db.updateTable('roles').set(patch).where('id', '=', id).execute();
}

export async function deleteRoleById(db: Executor, id: string): Promise<boolean> {
  return Number((await db.deleteFrom('roles').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

// roles_scopes

/**
 * Link inserts skip links that already exist (a concurrent request made them) and go in id order,
 * so two requests linking the same rows lock them in the same order and cannot deadlock.
 */
export function insertRoleScopes(db: Executor, roleId: string, scopeIds: readonly string[], at: number): Promise<unknown> {
  if (scopeIds.length === 0) return Promise.resolve();
  return db
    .insertInto('roles_scopes')
    .values([...scopeIds].sort().map((scopeId) => ({ role_id: roleId, scope_id: scopeId, created_at: at })))
    .onConflict((oc) => oc.columns(['role_id', 'scope_id']).doNothing())
    .execute();
}

export async function findLinkedScopeIds(db: Executor, roleId: string, scopeIds: readonly string[]): Promise<string[]> {
  if (scopeIds.length === 0) return [];
  return (await db.selectFrom('roles_scopes').select('scope_id').where('role_id', '=', roleId).where('scope_id', 'in', scopeIds).execute()).map((r) => r.scope_id);
}

function scopesOfRole(db: Executor, roleId: string, search?: Search) {
  let query = db.selectFrom('scopes').innerJoin('roles_scopes', 'roles_scopes.scope_id', 'scopes.id').where('roles_scopes.role_id', '=', roleId);
  if (search) query = query.where((eb) => searchCondition(eb, search));
  return query;
}

export function listScopesOfRole(db: Executor, roleId: string, search?: Search, page?: { offset: number; limit: number }): Promise<ScopesTable[]> {
  let query = scopesOfRole(db, roleId, search).selectAll('scopes').orderBy('roles_scopes.created_at').orderBy('scopes.id');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export async function countScopesOfRole(db: Executor, roleId: string, search?: Search): Promise<number> {
  return Number((await scopesOfRole(db, roleId, search).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

export async function deleteRoleScope(db: Executor, roleId: string, scopeId: string): Promise<boolean> {
  return Number((await db.deleteFrom('roles_scopes').where('role_id', '=', roleId).where('scope_id', '=', scopeId).executeTakeFirst()).numDeletedRows) > 0;
}

// users_roles

/** Inserts the links not there yet; answers those it inserted (the exact delta, even under races). */
export async function insertUserRoles(db: Executor, rows: readonly { userId: string; roleId: string }[], at: number): Promise<{ userId: string; roleId: string }[]> {
  const sorted = [...rows].sort((a, b) => (a.userId === b.userId ? (a.roleId < b.roleId ? -1 : 1) : a.userId < b.userId ? -1 : 1));
  const inserted = await inBatches(sorted, (batch) =>
    db
      .insertInto('users_roles')
      .values(batch.map((r) => ({ user_id: r.userId, role_id: r.roleId, created_at: at })))
      .onConflict((oc) => oc.columns(['user_id', 'role_id']).doNothing())
      .returning(['user_id', 'role_id'])
      .execute(),
  );
  return inserted.map((r) => ({ userId: r.user_id, roleId: r.role_id }));
}

export async function findUserIdsWithRole(db: Executor, roleId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  return (await db.selectFrom('users_roles').select('user_id').where('role_id', '=', roleId).where('user_id', 'in', userIds).execute()).map((r) => r.user_id);
}

export async function deleteUserRole(db: Executor, userId: string, roleId: string): Promise<boolean> {
  return Number((await db.deleteFrom('users_roles').where('user_id', '=', userId).where('role_id', '=', roleId).executeTakeFirst()).numDeletedRows) > 0;
}

/** Removes the user's roles not in `keepRoleIds`; answers those removed, sorted. */
export async function deleteUserRolesExcept(db: Executor, userId: string, keepRoleIds: readonly string[]): Promise<string[]> {
  let query = db.deleteFrom('users_roles').where('user_id', '=', userId);
  if (keepRoleIds.length) query = query.where('role_id', 'not in', keepRoleIds);
  return (await query.returning('role_id').execute()).map((r) => r.role_id).sort();
}

/** Per role: how many users hold it, and up to three of them (newest links first). */
export async function findRoleUserSummaries(db: Executor, roleIds: readonly string[]): Promise<Map<string, { count: number; featured: { id: string; avatar: string | null; name: string | null }[] }>> {
  const out = new Map<string, { count: number; featured: { id: string; avatar: string | null; name: string | null }[] }>();
  if (roleIds.length === 0) return out;
  const counts = await db.selectFrom('users_roles').select(['role_id']).select((eb) => eb.fn.countAll<number>().as('n')).where('role_id', 'in', roleIds).groupBy('role_id').execute();
  for (const c of counts) out.set(c.role_id, { count: Number(c.n), featured: [] });
  const links = await db
    .selectFrom('users_roles')
    .innerJoin('users', 'users.id', 'users_roles.user_id')
    .select(['users_roles.role_id', 'users.id', 'users.avatar', 'users.name'])
    .where('users_roles.role_id', 'in', roleIds)
    .orderBy('users_roles.created_at', 'desc')
    .execute();
  for (const link of links) {
    const entry = out.get(link.role_id);
    if (entry && entry.featured.length < 3) entry.featured.push({ id: link.id, avatar: link.avatar, name: link.name });
  }
  return out;
}
