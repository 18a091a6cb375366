/** SQL for organization roles, organization scopes and the links between them. */
import type { OrganizationRolesTable, OrganizationScopesTable, ScopesTable } from '../../db/types.ts';
import { inBatches } from '../../db/batches.ts';
import { containsAny, count, type Executor } from '../../db/query.ts';

type Page = { offset: number; limit: number };

// organization scopes

export function insertScope(db: Executor, row: OrganizationScopesTable): Promise<unknown> {
  return db.insertInto('organization_scopes').values(row).execute();
}

export function findScopeById(db: Executor, id: string): Promise<OrganizationScopesTable | undefined> {
  return db.selectFrom('organization_scopes').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findScopeIds(db: Executor, ids: readonly string[]): Promise<string[]> {
  return inBatches(ids, async (batch) =>
    (await db.selectFrom('organization_scopes').select('id').where('id', 'in', batch).execute()).map((r) => r.id),
  );
}

export async function findScopeIdByName(db: Executor, name: string, excludeId?: string): Promise<string | undefined> {
  let query = db.selectFrom('organization_scopes').select('id').where('name', '=', name);
  if (excludeId) query = query.where('id', '!=', excludeId);
  return (await query.executeTakeFirst())?.id;
}

function scopes(db: Executor, q: string | undefined) {
  let query = db.selectFrom('organization_scopes');
  if (q) query = query.where((eb) => containsAny(eb, ['organization_scopes.name'], q));
  return query;
}

/** By name; every match without a page. */
export function listScopes(
  db: Executor,
  q: string | undefined,
  page: Page | undefined,
): Promise<OrganizationScopesTable[]> {
  const query = scopes(db, q).selectAll().orderBy('name').orderBy('id');
  return (page ? query.offset(page.offset).limit(page.limit) : query).execute();
}

export function countScopes(db: Executor, q: string | undefined): Promise<number> {
  return count(scopes(db, q).select((eb) => eb.fn.countAll<number>().as('n')));
}

export function updateScopeById(
  db: Executor,
  id: string,
  patch: Partial<Omit<OrganizationScopesTable, 'id'>>,
): Promise<unknown> {
  return db.updateTable('organization_scopes').set(patch).where('id', '=', id).execute();
}

export async function deleteScopeById(db: Executor, id: string): Promise<boolean> {
  return (
    Number((await db.deleteFrom('organization_scopes').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0
  );
}

// organization roles

export function insertRole(db: Executor, row: OrganizationRolesTable): Promise<unknown> {
  return db.insertInto('organization_roles').values(row).execute();
}

export function findRoleById(db: Executor, id: string): Promise<OrganizationRolesTable | undefined> {
  return db.selectFrom('organization_roles').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findRolesByIds(db: Executor, ids: readonly string[]): Promise<OrganizationRolesTable[]> {
  return inBatches(ids, (batch) => db.selectFrom('organization_roles').selectAll().where('id', 'in', batch).execute());
}

export function findRolesByNames(db: Executor, names: readonly string[]): Promise<OrganizationRolesTable[]> {
  return inBatches(names, (batch) =>
    db.selectFrom('organization_roles').selectAll().where('name', 'in', batch).execute(),
  );
}

export async function findRoleIdByName(db: Executor, name: string, excludeId?: string): Promise<string | undefined> {
  let query = db.selectFrom('organization_roles').select('id').where('name', '=', name);
  if (excludeId) query = query.where('id', '!=', excludeId);
  return (await query.executeTakeFirst())?.id;
}

function roles(db: Executor, q: string | undefined) {
  let query = db.selectFrom('organization_roles');
  if (q)
    query = query.where((eb) =>
      containsAny(eb, ['organization_roles.id', 'organization_roles.name', 'organization_roles.description'], q),
    );
  return query;
}

export function listRoles(db: Executor, q: string | undefined, page: Page): Promise<OrganizationRolesTable[]> {
  return roles(db, q).selectAll().orderBy('name').orderBy('id').offset(page.offset).limit(page.limit).execute();
}

export function countRoles(db: Executor, q: string | undefined): Promise<number> {
  return count(roles(db, q).select((eb) => eb.fn.countAll<number>().as('n')));
}

export function updateRoleById(
  db: Executor,
  id: string,
  patch: Partial<Omit<OrganizationRolesTable, 'id'>>,
): Promise<unknown> {
  return db.updateTable('organization_roles').set(patch).where('id', '=', id).execute();
}

/** Locks the role's row for the rest of the transaction (a no-op update); false when it does not exist. */
export async function lockRole(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable('organization_roles')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Whether a user member holds the role or a pending or past invitation offers it. */
export async function roleHasUserHolders(db: Executor, id: string): Promise<boolean> {
  const held = await db
    .selectFrom('organization_user_roles')
    .select('organization_role_id')
    .where('organization_role_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (held) return true;
  return Boolean(
    await db
      .selectFrom('organization_invitation_roles')
      .select('organization_role_id')
      .where('organization_role_id', '=', id)
      .limit(1)
      .executeTakeFirst(),
  );
}

export async function deleteRoleById(db: Executor, id: string): Promise<boolean> {
  return Number((await db.deleteFrom('organization_roles').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

// role ↔ organization scope links

function scopesOfRole(db: Executor, roleId: string) {
  return db
    .selectFrom('organization_role_scopes as rs')
    .innerJoin('organization_scopes as s', 's.id', 'rs.organization_scope_id')
    .where('rs.organization_role_id', '=', roleId);
}

export function listScopesOfRole(
  db: Executor,
  roleId: string,
  page: Page | undefined,
): Promise<OrganizationScopesTable[]> {
  let query = scopesOfRole(db, roleId).selectAll('s').orderBy('s.name').orderBy('s.id');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export function countScopesOfRole(db: Executor, roleId: string): Promise<number> {
  return count(scopesOfRole(db, roleId).select((eb) => eb.fn.countAll<number>().as('n')));
}

/** Per role: its organization scopes `{id, name}`, by name. */
export async function findScopesOfRoles(
  db: Executor,
  roleIds: readonly string[],
): Promise<{ roleId: string; id: string; name: string }[]> {
  if (roleIds.length === 0) return [];
  return db
    .selectFrom('organization_role_scopes as rs')
    .innerJoin('organization_scopes as s', 's.id', 'rs.organization_scope_id')
    .select(['rs.organization_role_id as roleId', 's.id', 's.name'])
    .where('rs.organization_role_id', 'in', roleIds)
    .orderBy('s.name')
    .execute();
}

export async function insertRoleScopes(
  db: Executor,
  roleId: string,
  scopeIds: readonly string[],
  at: number,
): Promise<void> {
  await inBatches([...scopeIds].sort(), async (batch) =>
    db
      .insertInto('organization_role_scopes')
      .values(
        batch.map((scopeId) => ({ organization_role_id: roleId, organization_scope_id: scopeId, created_at: at })),
      )
      .onConflict((oc) => oc.columns(['organization_role_id', 'organization_scope_id']).doNothing())
      .execute(),
  );
}

/** Unlinks these scopes (all of them without `scopeIds`); answers how many links went. */
export async function deleteRoleScopes(db: Executor, roleId: string, scopeIds?: readonly string[]): Promise<number> {
  if (!scopeIds)
    return Number(
      (await db.deleteFrom('organization_role_scopes').where('organization_role_id', '=', roleId).executeTakeFirst())
        .numDeletedRows,
    );
  const counts = await inBatches(scopeIds, async (batch) => [
    Number(
      (
        await db
          .deleteFrom('organization_role_scopes')
          .where('organization_role_id', '=', roleId)
          .where('organization_scope_id', 'in', batch)
          .executeTakeFirst()
      ).numDeletedRows,
    ),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

// role ↔ API resource scope links

/** Per role: its resource scopes `{id, name, resource: {id, name}}`, by name. */
export async function findResourceScopesOfRoles(db: Executor, roleIds: readonly string[]) {
  if (roleIds.length === 0) return [];
  return db
    .selectFrom('organization_role_resource_scopes as rrs')
    .innerJoin('scopes as s', 's.id', 'rrs.scope_id')
    .innerJoin('resources as r', 'r.id', 's.resource_id')
    .select(['rrs.organization_role_id as roleId', 's.id', 's.name', 'r.id as resourceId', 'r.name as resourceName'])
    .where('rrs.organization_role_id', 'in', roleIds)
    .orderBy('s.name')
    .execute();
}

export function findResourceScopeIds(db: Executor, ids: readonly string[]): Promise<string[]> {
  return inBatches(ids, async (batch) =>
    (await db.selectFrom('scopes').select('id').where('id', 'in', batch).execute()).map((r) => r.id),
  );
}

export async function insertRoleResourceScopes(
  db: Executor,
  roleId: string,
  scopeIds: readonly string[],
  at: number,
): Promise<void> {
  await inBatches([...scopeIds].sort(), async (batch) =>
    db
      .insertInto('organization_role_resource_scopes')
      .values(batch.map((scopeId) => ({ organization_role_id: roleId, scope_id: scopeId, created_at: at })))
      .onConflict((oc) => oc.columns(['organization_role_id', 'scope_id']).doNothing())
      .execute(),
  );
}

function resourceScopesOfRole(db: Executor, roleId: string) {
  return db
    .selectFrom('organization_role_resource_scopes as rrs')
    .innerJoin('scopes as s', 's.id', 'rrs.scope_id')
    .where('rrs.organization_role_id', '=', roleId);
}

/** A role's API resource scopes, by name. */
export function listResourceScopesOfRole(db: Executor, roleId: string, page: Page | undefined): Promise<ScopesTable[]> {
  let query = resourceScopesOfRole(db, roleId).selectAll('s').orderBy('s.name').orderBy('s.id');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export function countResourceScopesOfRole(db: Executor, roleId: string): Promise<number> {
  return count(resourceScopesOfRole(db, roleId).select((eb) => eb.fn.countAll<number>().as('n')));
}

/** Unlinks these resource scopes (all of them without `scopeIds`); answers how many links went. */
export async function deleteRoleResourceScopes(
  db: Executor,
  roleId: string,
  scopeIds?: readonly string[],
): Promise<number> {
  if (!scopeIds) {
    return Number(
      (
        await db
          .deleteFrom('organization_role_resource_scopes')
          .where('organization_role_id', '=', roleId)
          .executeTakeFirst()
      ).numDeletedRows,
    );
  }
  const counts = await inBatches(scopeIds, async (batch) => [
    Number(
      (
        await db
          .deleteFrom('organization_role_resource_scopes')
          .where('organization_role_id', '=', roleId)
          .where('scope_id', 'in', batch)
          .executeTakeFirst()
      ).numDeletedRows,
    ),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

/** Whether an application member holds the role in some organization. */
export async function roleHasApplicationHolders(db: Executor, id: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('organization_application_roles')
      .select('organization_role_id')
      .where('organization_role_id', '=', id)
      .limit(1)
      .executeTakeFirst(),
  );
}
