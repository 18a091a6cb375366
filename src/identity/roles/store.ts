import type { Executor } from '../../db/query.ts';
import type { ApplicationsTable, RolesTable, ScopesTable } from '../../db/types.ts';
import { inBatches } from '../../db/batches.ts';
import { searchCondition, type Search } from '../search.ts';

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
  excludeApplicationId?: string | undefined;
  /** Only roles this user holds. */
  userId?: string | undefined;
  /** Only roles this application holds. */
  applicationId?: string | undefined;
}

function filtered(db: Executor, filter: RoleListFilter) {
  let query = db.selectFrom('roles');
  const { search, type, excludeUserId, excludeApplicationId, userId, applicationId } = filter;
  if (search) query = query.where((eb) => searchCondition(eb, search));
  if (type) query = query.where('type', '=', type);
  if (excludeUserId)
    query = query.where(
      'roles.id',
      'not in',
      db.selectFrom('users_roles').select('role_id').where('user_id', '=', excludeUserId),
    );
  if (userId)
    query = query.where('roles.id', 'in', db.selectFrom('users_roles').select('role_id').where('user_id', '=', userId));
  if (excludeApplicationId)
    query = query.where(
      'roles.id',
      'not in',
      db.selectFrom('applications_roles').select('role_id').where('application_id', '=', excludeApplicationId),
    );
  if (applicationId)
    query = query.where(
      'roles.id',
      'in',
      db.selectFrom('applications_roles').select('role_id').where('application_id', '=', applicationId),
    );
  return query;
}

export function listRoles(
  db: Executor,
  filter: RoleListFilter,
  page: { offset: number; limit: number },
): Promise<RolesTable[]> {
  return filtered(db, filter)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export async function countRoles(db: Executor, filter: RoleListFilter): Promise<number> {
  return Number(
    (
      await filtered(db, filter)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
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
export function insertRoleScopes(
  db: Executor,
  roleId: string,
  scopeIds: readonly string[],
  at: number,
): Promise<unknown> {
  if (scopeIds.length === 0) return Promise.resolve();
  return db
    .insertInto('roles_scopes')
    .values([...scopeIds].sort().map((scopeId) => ({ role_id: roleId, scope_id: scopeId, created_at: at })))
    .onConflict((oc) => oc.columns(['role_id', 'scope_id']).doNothing())
    .execute();
}

export async function findLinkedScopeIds(db: Executor, roleId: string, scopeIds: readonly string[]): Promise<string[]> {
  if (scopeIds.length === 0) return [];
  return (
    await db
      .selectFrom('roles_scopes')
      .select('scope_id')
      .where('role_id', '=', roleId)
      .where('scope_id', 'in', scopeIds)
      .execute()
  ).map((r) => r.scope_id);
}

function scopesOfRole(db: Executor, roleId: string, search?: Search) {
  let query = db
    .selectFrom('scopes')
    .innerJoin('roles_scopes', 'roles_scopes.scope_id', 'scopes.id')
    .where('roles_scopes.role_id', '=', roleId);
  if (search) query = query.where((eb) => searchCondition(eb, search));
  return query;
}

export function listScopesOfRole(
  db: Executor,
  roleId: string,
  search?: Search,
  page?: { offset: number; limit: number },
): Promise<ScopesTable[]> {
  let query = scopesOfRole(db, roleId, search)
    .selectAll('scopes')
    .orderBy('roles_scopes.created_at')
    .orderBy('scopes.id');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export async function countScopesOfRole(db: Executor, roleId: string, search?: Search): Promise<number> {
  return Number(
    (
      await scopesOfRole(db, roleId, search)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

export async function deleteRoleScope(db: Executor, roleId: string, scopeId: string): Promise<boolean> {
  return (
    Number(
      (
        await db
          .deleteFrom('roles_scopes')
          .where('role_id', '=', roleId)
          .where('scope_id', '=', scopeId)
          .executeTakeFirst()
      ).numDeletedRows,
    ) > 0
  );
}

// users_roles

/** Inserts the links not there yet; answers those it inserted (the exact delta, even under races). */
export async function insertUserRoles(
  db: Executor,
  rows: readonly { userId: string; roleId: string }[],
  at: number,
): Promise<{ userId: string; roleId: string }[]> {
  const sorted = [...rows].sort((a, b) =>
    a.userId === b.userId ? (a.roleId < b.roleId ? -1 : 1) : a.userId < b.userId ? -1 : 1,
  );
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
  return (
    await db
      .selectFrom('users_roles')
      .select('user_id')
      .where('role_id', '=', roleId)
      .where('user_id', 'in', userIds)
      .execute()
  ).map((r) => r.user_id);
}

export async function deleteUserRole(db: Executor, userId: string, roleId: string): Promise<boolean> {
  return (
    Number(
      (
        await db
          .deleteFrom('users_roles')
          .where('user_id', '=', userId)
          .where('role_id', '=', roleId)
          .executeTakeFirst()
      ).numDeletedRows,
    ) > 0
  );
}

/** Removes the user's roles not in `keepRoleIds`; answers those removed, sorted. */
export async function deleteUserRolesExcept(
  db: Executor,
  userId: string,
  keepRoleIds: readonly string[],
): Promise<string[]> {
  let query = db.deleteFrom('users_roles').where('user_id', '=', userId);
  if (keepRoleIds.length) query = query.where('role_id', 'not in', keepRoleIds);
  return (await query.returning('role_id').execute()).map((r) => r.role_id).sort();
}

/** Role summaries: per role, how many hold it and up to this many of them (newest links first). */
const FEATURED_HOLDERS = 3;

/**
 * Per role: how many rows of `table` link a holder to it, and the first FEATURED_HOLDERS of `links`
 * (the holders' links to these roles, newest first) in the shape `featured` makes of each.
 */
async function summarizeHolders<L extends { role_id: string }, F>(
  db: Executor,
  table: 'users_roles' | 'applications_roles',
  roleIds: readonly string[],
  links: () => Promise<L[]>,
  featured: (link: L) => F,
): Promise<Map<string, { count: number; featured: F[] }>> {
  const out = new Map<string, { count: number; featured: F[] }>();
  if (roleIds.length === 0) return out;
  const counts = await db
    .selectFrom(table)
    .select(['role_id'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role_id', 'in', roleIds)
    .groupBy('role_id')
    .execute();
  for (const c of counts) out.set(c.role_id, { count: Number(c.n), featured: [] });
  for (const link of await links()) {
    const entry = out.get(link.role_id);
    if (entry && entry.featured.length < FEATURED_HOLDERS) entry.featured.push(featured(link));
  }
  return out;
}

/** Per role: how many users hold it, and up to three of them (newest links first). */
export function findRoleUserSummaries(
  db: Executor,
  roleIds: readonly string[],
): Promise<Map<string, { count: number; featured: { id: string; avatar: string | null; name: string | null }[] }>> {
  return summarizeHolders(
    db,
    'users_roles',
    roleIds,
    () =>
      db
        .selectFrom('users_roles')
        .innerJoin('users', 'users.id', 'users_roles.user_id')
        .select(['users_roles.role_id', 'users.id', 'users.avatar', 'users.name'])
        .where('users_roles.role_id', 'in', roleIds)
        .orderBy('users_roles.created_at', 'desc')
        .execute(),
    (link) => ({ id: link.id, avatar: link.avatar, name: link.name }),
  );
}

/**
 * Gives a new user every default role (`isDefault`, type User: Logto ignores the flag on
 * machine-to-machine roles), in the caller's transaction; answers the role ids granted.
 */
export async function grantDefaultRoles(db: Executor, userId: string, at: number): Promise<string[]> {
  const defaults = await db
    .selectFrom('roles')
    .select('id')
    .where('is_default', '=', true)
    .where('type', '=', 'User')
    .execute();
  return (
    await insertUserRoles(
      db,
      defaults.map((r) => ({ userId, roleId: r.id })),
      at,
    )
  ).map((r) => r.roleId);
}

// applications_roles

/** Inserts the links not there yet, in id order; answers the role ids it inserted. */
export async function insertApplicationRoles(
  db: Executor,
  rows: readonly { applicationId: string; roleId: string }[],
  at: number,
): Promise<{ applicationId: string; roleId: string }[]> {
  const sorted = [...rows].sort((a, b) =>
    a.applicationId === b.applicationId ? (a.roleId < b.roleId ? -1 : 1) : a.applicationId < b.applicationId ? -1 : 1,
  );
  const inserted = await inBatches(sorted, (batch) =>
    db
      .insertInto('applications_roles')
      .values(batch.map((r) => ({ application_id: r.applicationId, role_id: r.roleId, created_at: at })))
      .onConflict((oc) => oc.columns(['application_id', 'role_id']).doNothing())
      .returning(['application_id', 'role_id'])
      .execute(),
  );
  return inserted.map((r) => ({ applicationId: r.application_id, roleId: r.role_id }));
}

export async function findApplicationRoleIds(db: Executor, applicationId: string): Promise<string[]> {
  return (
    await db.selectFrom('applications_roles').select('role_id').where('application_id', '=', applicationId).execute()
  ).map((r) => r.role_id);
}

export async function findApplicationIdsWithRole(
  db: Executor,
  roleId: string,
  applicationIds: readonly string[],
): Promise<string[]> {
  if (applicationIds.length === 0) return [];
  return (
    await db
      .selectFrom('applications_roles')
      .select('application_id')
      .where('role_id', '=', roleId)
      .where('application_id', 'in', applicationIds)
      .execute()
  ).map((r) => r.application_id);
}

export async function deleteApplicationRole(db: Executor, applicationId: string, roleId: string): Promise<boolean> {
  return (
    Number(
      (
        await db
          .deleteFrom('applications_roles')
          .where('application_id', '=', applicationId)
          .where('role_id', '=', roleId)
          .executeTakeFirst()
      ).numDeletedRows,
    ) > 0
  );
}

/** Removes the application's roles not in `keepRoleIds`; answers those removed. */
export async function deleteApplicationRolesExcept(
  db: Executor,
  applicationId: string,
  keepRoleIds: readonly string[],
): Promise<string[]> {
  let query = db.deleteFrom('applications_roles').where('application_id', '=', applicationId);
  if (keepRoleIds.length) query = query.where('role_id', 'not in', keepRoleIds);
  return (await query.returning('role_id').execute()).map((r) => r.role_id);
}

/** The machine-to-machine applications holding a role (Logto lists only those). */
function applicationsOfRole(db: Executor, roleId: string, search?: Search) {
  let query = db
    .selectFrom('applications')
    .innerJoin('applications_roles', 'applications_roles.application_id', 'applications.id')
    .where('applications_roles.role_id', '=', roleId)
    .where('applications.type', '=', 'MachineToMachine');
  if (search) query = query.where((eb) => searchCondition(eb, search));
  return query;
}

export function listApplicationsOfRole(
  db: Executor,
  roleId: string,
  search: Search | undefined,
  page: { offset: number; limit: number },
): Promise<ApplicationsTable[]> {
  return applicationsOfRole(db, roleId, search)
    .selectAll('applications')
    .orderBy('applications_roles.created_at', 'desc')
    .orderBy('applications.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export async function countApplicationsOfRole(db: Executor, roleId: string, search?: Search): Promise<number> {
  return Number(
    (
      await applicationsOfRole(db, roleId, search)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

/** Per role: how many applications hold it, and up to three of them (newest links first). */
export function findRoleApplicationSummaries(
  db: Executor,
  roleIds: readonly string[],
): Promise<Map<string, { count: number; featured: { id: string; name: string; type: string }[] }>> {
  return summarizeHolders(
    db,
    'applications_roles',
    roleIds,
    () =>
      db
        .selectFrom('applications_roles')
        .innerJoin('applications', 'applications.id', 'applications_roles.application_id')
        .select(['applications_roles.role_id', 'applications.id', 'applications.name', 'applications.type'])
        .where('applications_roles.role_id', 'in', roleIds)
        .orderBy('applications_roles.created_at', 'desc')
        .execute(),
    (link) => ({ id: link.id, name: link.name, type: link.type }),
  );
}
