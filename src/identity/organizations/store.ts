/**
 * SQL for organizations, their members (users and applications) and each user member's
 * organization roles. Link inserts skip existing links and go in key order (no deadlocks between
 * two requests linking the same rows). Link writes answer the rows they actually inserted or
 * deleted (RETURNING), so the deltas that events report are exact even when requests race.
 */
import { inBatches } from '../../db/batches.ts';
import { containsAny, count, type Executor } from '../../db/query.ts';
import type {
  ApplicationsTable,
  OrganizationRolesTable,
  OrganizationScopesTable,
  OrganizationsTable,
  UsersTable,
} from '../../db/types.ts';

type Page = { offset: number; limit: number };

// organizations

export function insertOrganization(db: Executor, row: OrganizationsTable): Promise<unknown> {
  return db.insertInto('organizations').values(row).execute();
}

export function findOrganizationById(db: Executor, id: string): Promise<OrganizationsTable | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

function organizations(db: Executor, q: string | undefined) {
  let query = db.selectFrom('organizations');
  if (q) query = query.where((eb) => containsAny(eb, ['organizations.id', 'organizations.name'], q));
  return query;
}

export function listOrganizations(db: Executor, q: string | undefined, page: Page): Promise<OrganizationsTable[]> {
  return organizations(db, q)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export function countOrganizations(db: Executor, q: string | undefined): Promise<number> {
  return count(organizations(db, q).select((eb) => eb.fn.countAll<number>().as('n')));
}

export function updateOrganizationById(
  db: Executor,
  id: string,
  patch: Partial<Omit<OrganizationsTable, 'id'>>,
): Promise<unknown> {
  return db.updateTable('organizations').set(patch).where('id', '=', id).execute();
}

/**
 * Locks the organization's row for the rest of the transaction (a no-op update: a row lock on
 * PostgreSQL; SQLite's write transactions are serial anyway), so that concurrent membership changes
 * of one organization run one after the other and each reports its exact delta. False when the
 * organization does not exist.
 */
export async function lockOrganization(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable('organizations')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Locks a membership row, as lockOrganization does; false when the user is not a member. */
export async function lockMembership(db: Executor, organizationId: string, userId: string): Promise<boolean> {
  const result = await db
    .updateTable('organization_users')
    .set((eb) => ({ created_at: eb.ref('created_at') }))
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteOrganizationById(db: Executor, id: string): Promise<boolean> {
  return Number((await db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

/** Per organization: its member count and up to three members (earliest first). */
export async function findFeaturedUsers(db: Executor, organizationIds: readonly string[]) {
  const out = new Map<
    string,
    { usersCount: number; featuredUsers: { id: string; avatar: string | null; name: string | null }[] }
  >();
  if (organizationIds.length === 0) return out;
  for (const id of organizationIds) out.set(id, { usersCount: 0, featuredUsers: [] });
  const counts = await db
    .selectFrom('organization_users')
    .select('organization_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', 'in', organizationIds)
    .groupBy('organization_id')
    .execute();
  for (const c of counts) out.get(c.organization_id)!.usersCount = Number(c.n);
  // Three per organization, whatever the member counts (no window functions needed).
  for (const id of organizationIds) {
    if (out.get(id)!.usersCount === 0) continue;
    out.get(id)!.featuredUsers = await db
      .selectFrom('organization_users as ou')
      .innerJoin('users', 'users.id', 'ou.user_id')
      .select(['users.id', 'users.avatar', 'users.name'])
      .where('ou.organization_id', '=', id)
      .orderBy('ou.created_at')
      .orderBy('users.id')
      .limit(3)
      .execute();
  }
  return out;
}

// user members

export async function isMember(db: Executor, organizationId: string, userId: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('organization_users')
      .select('user_id')
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  );
}

/** Adds the users who are not members yet; answers those (in `userIds` order). */
export async function insertMemberUsers(
  db: Executor,
  organizationId: string,
  userIds: readonly string[],
  at: number,
): Promise<string[]> {
  const inserted = new Set(
    await inBatches([...userIds].sort(), async (batch) =>
      (
        await db
          .insertInto('organization_users')
          .values(batch.map((userId) => ({ organization_id: organizationId, user_id: userId, created_at: at })))
          .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doNothing())
          .returning('user_id')
          .execute()
      ).map((r) => r.user_id),
    ),
  );
  return userIds.filter((id) => inserted.has(id));
}

/** Removes these members; answers those who were members. */
export async function deleteMemberUsers(
  db: Executor,
  organizationId: string,
  userIds: readonly string[],
): Promise<string[]> {
  return inBatches(userIds, async (batch) =>
    (
      await db
        .deleteFrom('organization_users')
        .where('organization_id', '=', organizationId)
        .where('user_id', 'in', batch)
        .returning('user_id')
        .execute()
    ).map((r) => r.user_id),
  );
}

/** Removes every member not in `keepUserIds` (a request's list, so bounded); answers who left, sorted. */
export async function deleteMemberUsersExcept(
  db: Executor,
  organizationId: string,
  keepUserIds: readonly string[],
): Promise<string[]> {
  let query = db.deleteFrom('organization_users').where('organization_id', '=', organizationId);
  if (keepUserIds.length) query = query.where('user_id', 'not in', keepUserIds);
  return (await query.returning('user_id').execute()).map((r) => r.user_id).sort();
}

export interface MemberFilter {
  q?: string | undefined;
  organizationRoleId?: string | undefined;
}

function memberUsers(db: Executor, organizationId: string, filter: MemberFilter) {
  let query = db
    .selectFrom('organization_users as ou')
    .innerJoin('users', 'users.id', 'ou.user_id')
    .where('ou.organization_id', '=', organizationId);
  const { q, organizationRoleId } = filter;
  if (q)
    query = query.where((eb) =>
      containsAny(eb, ['users.id', 'users.primary_email', 'users.primary_phone', 'users.username', 'users.name'], q),
    );
  if (organizationRoleId) {
    query = query.where('users.id', 'in', (eb) =>
      eb
        .selectFrom('organization_user_roles')
        .select('user_id')
        .where('organization_id', '=', organizationId)
        .where('organization_role_id', '=', organizationRoleId),
    );
  }
  return query;
}

export function listMemberUsers(
  db: Executor,
  organizationId: string,
  filter: MemberFilter,
  page: Page,
): Promise<UsersTable[]> {
  return memberUsers(db, organizationId, filter)
    .selectAll('users')
    .orderBy('ou.created_at')
    .orderBy('users.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export function countMemberUsers(db: Executor, organizationId: string, filter: MemberFilter): Promise<number> {
  return count(memberUsers(db, organizationId, filter).select((eb) => eb.fn.countAll<number>().as('n')));
}

// a user member's organization roles

export async function findRolesOfMembers(
  db: Executor,
  organizationId: string,
  userIds: readonly string[],
): Promise<{ user_id: string; id: string; name: string }[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('organization_user_roles as our')
    .innerJoin('organization_roles as r', 'r.id', 'our.organization_role_id')
    .select(['our.user_id', 'r.id', 'r.name'])
    .where('our.organization_id', '=', organizationId)
    .where('our.user_id', 'in', userIds)
    .orderBy('r.name')
    .execute();
}

function rolesOfMember(db: Executor, organizationId: string, userId: string) {
  return db
    .selectFrom('organization_user_roles as our')
    .innerJoin('organization_roles as r', 'r.id', 'our.organization_role_id')
    .where('our.organization_id', '=', organizationId)
    .where('our.user_id', '=', userId);
}

export function listRolesOfMember(
  db: Executor,
  organizationId: string,
  userId: string,
  page: Page | undefined,
): Promise<OrganizationRolesTable[]> {
  let query = rolesOfMember(db, organizationId, userId).selectAll('r').orderBy('r.name').orderBy('r.id');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export function countRolesOfMember(db: Executor, organizationId: string, userId: string): Promise<number> {
  return count(rolesOfMember(db, organizationId, userId).select((eb) => eb.fn.countAll<number>().as('n')));
}

/** Gives the roles not held yet; answers those (in `roleIds` order). */
export async function insertMemberRoles(
  db: Executor,
  organizationId: string,
  userId: string,
  roleIds: readonly string[],
  at: number,
): Promise<string[]> {
  const inserted = new Set(
    await inBatches([...roleIds].sort(), async (batch) =>
      (
        await db
          .insertInto('organization_user_roles')
          .values(
            batch.map((roleId) => ({
              organization_id: organizationId,
              user_id: userId,
              organization_role_id: roleId,
              created_at: at,
            })),
          )
          .onConflict((oc) => oc.columns(['organization_id', 'user_id', 'organization_role_id']).doNothing())
          .returning('organization_role_id')
          .execute()
      ).map((r) => r.organization_role_id),
    ),
  );
  return roleIds.filter((id) => inserted.has(id));
}

/** Takes these roles from the member; answers those that were held. */
export async function deleteMemberRoles(
  db: Executor,
  organizationId: string,
  userId: string,
  roleIds: readonly string[],
): Promise<string[]> {
  return inBatches(roleIds, async (batch) =>
    (
      await db
        .deleteFrom('organization_user_roles')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .where('organization_role_id', 'in', batch)
        .returning('organization_role_id')
        .execute()
    ).map((r) => r.organization_role_id),
  );
}

/** Takes every role not in `keepRoleIds` from the member; answers those taken, sorted. */
export async function deleteMemberRolesExcept(
  db: Executor,
  organizationId: string,
  userId: string,
  keepRoleIds: readonly string[],
): Promise<string[]> {
  let query = db
    .deleteFrom('organization_user_roles')
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId);
  if (keepRoleIds.length) query = query.where('organization_role_id', 'not in', keepRoleIds);
  return (await query.returning('organization_role_id').execute()).map((r) => r.organization_role_id).sort();
}

// application members

/** Adds the applications that are not members yet; answers those (in `applicationIds` order). */
export async function insertMemberApplications(
  db: Executor,
  organizationId: string,
  applicationIds: readonly string[],
  at: number,
): Promise<string[]> {
  const inserted = new Set(
    await inBatches([...applicationIds].sort(), async (batch) =>
      (
        await db
          .insertInto('organization_applications')
          .values(
            batch.map((applicationId) => ({
              organization_id: organizationId,
              application_id: applicationId,
              created_at: at,
            })),
          )
          .onConflict((oc) => oc.columns(['organization_id', 'application_id']).doNothing())
          .returning('application_id')
          .execute()
      ).map((r) => r.application_id),
    ),
  );
  return applicationIds.filter((id) => inserted.has(id));
}

export async function deleteMemberApplications(
  db: Executor,
  organizationId: string,
  applicationIds: readonly string[],
): Promise<string[]> {
  return inBatches(applicationIds, async (batch) =>
    (
      await db
        .deleteFrom('organization_applications')
        .where('organization_id', '=', organizationId)
        .where('application_id', 'in', batch)
        .returning('application_id')
        .execute()
    ).map((r) => r.application_id),
  );
}

export async function deleteMemberApplicationsExcept(
  db: Executor,
  organizationId: string,
  keepApplicationIds: readonly string[],
): Promise<string[]> {
  let query = db.deleteFrom('organization_applications').where('organization_id', '=', organizationId);
  if (keepApplicationIds.length) query = query.where('application_id', 'not in', keepApplicationIds);
  return (await query.returning('application_id').execute()).map((r) => r.application_id).sort();
}

function memberApplications(db: Executor, organizationId: string, q: string | undefined) {
  let query = db
    .selectFrom('organization_applications as oa')
    .innerJoin('applications', 'applications.id', 'oa.application_id')
    .where('oa.organization_id', '=', organizationId);
  if (q)
    query = query.where((eb) =>
      containsAny(eb, ['applications.id', 'applications.name', 'applications.description'], q),
    );
  return query;
}

export function listMemberApplications(
  db: Executor,
  organizationId: string,
  q: string | undefined,
  page: Page,
): Promise<ApplicationsTable[]> {
  return memberApplications(db, organizationId, q)
    .selectAll('applications')
    .orderBy('oa.created_at')
    .orderBy('applications.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export function countMemberApplications(db: Executor, organizationId: string, q: string | undefined): Promise<number> {
  return count(memberApplications(db, organizationId, q).select((eb) => eb.fn.countAll<number>().as('n')));
}

/** Locks an application membership row, as lockMembership does; false when it is not a member. */
export async function lockApplicationMembership(
  db: Executor,
  organizationId: string,
  applicationId: string,
): Promise<boolean> {
  const result = await db
    .updateTable('organization_applications')
    .set((eb) => ({ created_at: eb.ref('created_at') }))
    .where('organization_id', '=', organizationId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function isApplicationMember(
  db: Executor,
  organizationId: string,
  applicationId: string,
): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('organization_applications')
      .select('application_id')
      .where('organization_id', '=', organizationId)
      .where('application_id', '=', applicationId)
      .executeTakeFirst(),
  );
}

/** Which of these applications are members of the organization. */
export function findMemberApplicationIds(
  db: Executor,
  organizationId: string,
  applicationIds: readonly string[],
): Promise<string[]> {
  return inBatches(applicationIds, async (batch) =>
    (
      await db
        .selectFrom('organization_applications')
        .select('application_id')
        .where('organization_id', '=', organizationId)
        .where('application_id', 'in', batch)
        .execute()
    ).map((r) => r.application_id),
  );
}

/** Which of these users are members of the organization. */
export function findMemberUserIds(db: Executor, organizationId: string, userIds: readonly string[]): Promise<string[]> {
  return inBatches(userIds, async (batch) =>
    (
      await db
        .selectFrom('organization_users')
        .select('user_id')
        .where('organization_id', '=', organizationId)
        .where('user_id', 'in', batch)
        .execute()
    ).map((r) => r.user_id),
  );
}

// an application member's organization roles

export async function findRolesOfApplications(
  db: Executor,
  organizationId: string,
  applicationIds: readonly string[],
): Promise<{ application_id: string; id: string; name: string }[]> {
  if (applicationIds.length === 0) return [];
  return db
    .selectFrom('organization_application_roles as oar')
    .innerJoin('organization_roles as r', 'r.id', 'oar.organization_role_id')
    .select(['oar.application_id', 'r.id', 'r.name'])
    .where('oar.organization_id', '=', organizationId)
    .where('oar.application_id', 'in', applicationIds)
    .orderBy('r.name')
    .execute();
}

function rolesOfApplication(db: Executor, organizationId: string, applicationId: string) {
  return db
    .selectFrom('organization_application_roles as oar')
    .innerJoin('organization_roles as r', 'r.id', 'oar.organization_role_id')
    .where('oar.organization_id', '=', organizationId)
    .where('oar.application_id', '=', applicationId);
}

export function listRolesOfApplication(
  db: Executor,
  organizationId: string,
  applicationId: string,
  page: Page | undefined,
): Promise<OrganizationRolesTable[]> {
  let query = rolesOfApplication(db, organizationId, applicationId).selectAll('r').orderBy('r.name').orderBy('r.id');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export function countRolesOfApplication(db: Executor, organizationId: string, applicationId: string): Promise<number> {
  return count(rolesOfApplication(db, organizationId, applicationId).select((eb) => eb.fn.countAll<number>().as('n')));
}

/** Gives the application the roles it does not hold yet; answers those (in `roleIds` order). */
export async function insertApplicationRoles(
  db: Executor,
  organizationId: string,
  applicationId: string,
  roleIds: readonly string[],
  at: number,
): Promise<string[]> {
  const inserted = new Set(
    await inBatches([...roleIds].sort(), async (batch) =>
      (
        await db
          .insertInto('organization_application_roles')
          .values(
            batch.map((roleId) => ({
              organization_id: organizationId,
              application_id: applicationId,
              organization_role_id: roleId,
              created_at: at,
            })),
          )
          .onConflict((oc) => oc.columns(['organization_id', 'application_id', 'organization_role_id']).doNothing())
          .returning('organization_role_id')
          .execute()
      ).map((r) => r.organization_role_id),
    ),
  );
  return roleIds.filter((id) => inserted.has(id));
}

export async function deleteApplicationRoles(
  db: Executor,
  organizationId: string,
  applicationId: string,
  roleIds: readonly string[],
): Promise<string[]> {
  return inBatches(roleIds, async (batch) =>
    (
      await db
        .deleteFrom('organization_application_roles')
        .where('organization_id', '=', organizationId)
        .where('application_id', '=', applicationId)
        .where('organization_role_id', 'in', batch)
        .returning('organization_role_id')
        .execute()
    ).map((r) => r.organization_role_id),
  );
}

export async function deleteApplicationRolesExcept(
  db: Executor,
  organizationId: string,
  applicationId: string,
  keepRoleIds: readonly string[],
): Promise<string[]> {
  let query = db
    .deleteFrom('organization_application_roles')
    .where('organization_id', '=', organizationId)
    .where('application_id', '=', applicationId);
  if (keepRoleIds.length) query = query.where('organization_role_id', 'not in', keepRoleIds);
  return (await query.returning('organization_role_id').execute()).map((r) => r.organization_role_id).sort();
}

// a user's organizations and organization scopes

/** The organizations a user is a member of (earliest membership first). */
export function listOrganizationsOfUser(db: Executor, userId: string): Promise<OrganizationsTable[]> {
  return db
    .selectFrom('organization_users as ou')
    .innerJoin('organizations as o', 'o.id', 'ou.organization_id')
    .selectAll('o')
    .where('ou.user_id', '=', userId)
    .orderBy('ou.created_at')
    .orderBy('o.id')
    .execute();
}

/** The organizations an application is a member of (earliest membership first), a page of them when asked. */
export function listOrganizationsOfApplication(
  db: Executor,
  applicationId: string,
  page: Page | undefined,
): Promise<OrganizationsTable[]> {
  let query = db
    .selectFrom('organization_applications as oa')
    .innerJoin('organizations as o', 'o.id', 'oa.organization_id')
    .selectAll('o')
    .where('oa.application_id', '=', applicationId)
    .orderBy('oa.created_at')
    .orderBy('o.id');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export function countOrganizationsOfApplication(db: Executor, applicationId: string): Promise<number> {
  return count(
    db
      .selectFrom('organization_applications')
      .where('application_id', '=', applicationId)
      .select((eb) => eb.fn.countAll<number>().as('n')),
  );
}

/** An application's organization roles in the given organizations: `{organization_id, id, name}`, by name. */
export function findRolesOfApplicationInOrganizations(
  db: Executor,
  applicationId: string,
  organizationIds: readonly string[],
): Promise<{ organization_id: string; id: string; name: string }[]> {
  if (organizationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('organization_application_roles as oar')
    .innerJoin('organization_roles as r', 'r.id', 'oar.organization_role_id')
    .select(['oar.organization_id', 'r.id', 'r.name'])
    .where('oar.application_id', '=', applicationId)
    .where('oar.organization_id', 'in', organizationIds)
    .orderBy('r.name')
    .execute();
}

/** A user's organization roles in every organization: `{organization_id, id, name}`, by name. */
export function findRolesOfUserInOrganizations(
  db: Executor,
  userId: string,
): Promise<{ organization_id: string; id: string; name: string }[]> {
  return db
    .selectFrom('organization_user_roles as our')
    .innerJoin('organization_roles as r', 'r.id', 'our.organization_role_id')
    .select(['our.organization_id', 'r.id', 'r.name'])
    .where('our.user_id', '=', userId)
    .orderBy('r.name')
    .execute();
}

/** The organization scopes a member has through their roles in the organization, each once, by id. */
export function findScopesOfMember(
  db: Executor,
  organizationId: string,
  userId: string,
): Promise<OrganizationScopesTable[]> {
  return db
    .selectFrom('organization_scopes as s')
    .selectAll('s')
    .where('s.id', 'in', (eb) =>
      eb
        .selectFrom('organization_user_roles as our')
        .innerJoin('organization_role_scopes as rs', 'rs.organization_role_id', 'our.organization_role_id')
        .select('rs.organization_scope_id')
        .where('our.organization_id', '=', organizationId)
        .where('our.user_id', '=', userId),
    )
    .orderBy('s.id')
    .execute();
}
