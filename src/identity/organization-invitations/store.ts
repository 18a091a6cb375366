/**
 * SQL for organization invitations and the organization roles each offers, and the reads and locks
 * of organizations, users and memberships that creating and accepting an invitation check.
 */
import { sql } from 'kysely';
import { inBatches } from '../../db/batches.ts';
import type { Executor } from '../../db/query.ts';
import type { OrganizationInvitationsTable, OrganizationsTable, UsersTable } from '../../db/types.ts';

// invitations

export function insertInvitation(db: Executor, row: OrganizationInvitationsTable): Promise<unknown> {
  return db.insertInto('organization_invitations').values(row).execute();
}

export function findInvitationById(db: Executor, id: string): Promise<OrganizationInvitationsTable | undefined> {
  return db.selectFrom('organization_invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface InvitationFilter {
  organizationId?: string | undefined;
  inviterId?: string | undefined;
  /** Matched without regard to case. */
  invitee?: string | undefined;
}

/** Newest first. */
export function listInvitations(db: Executor, filter: InvitationFilter): Promise<OrganizationInvitationsTable[]> {
  let query = db.selectFrom('organization_invitations').selectAll();
  if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
  if (filter.inviterId) query = query.where('inviter_id', '=', filter.inviterId);
  if (filter.invitee) query = query.where(sql`lower(invitee)`, '=', filter.invitee.toLowerCase());
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** The pending invitation of this invitee to this organization, if any. */
export async function findPendingInvitationId(
  db: Executor,
  organizationId: string,
  invitee: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('organization_invitations')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('invitee', '=', invitee)
    .where('status', '=', 'Pending')
    .executeTakeFirst();
  return row?.id;
}

/** Marks this invitee's pending invitations to this organization that are past their expiry as Expired. */
export function expirePendingInvitations(
  db: Executor,
  organizationId: string,
  invitee: string,
  at: number,
): Promise<unknown> {
  return db
    .updateTable('organization_invitations')
    .set({ status: 'Expired', updated_at: at })
    .where('organization_id', '=', organizationId)
    .where('invitee', '=', invitee)
    .where('status', '=', 'Pending')
    .where('expires_at', '<=', at)
    .execute();
}

export function updateInvitationById(
  db: Executor,
  id: string,
  patch: Partial<Omit<OrganizationInvitationsTable, 'id'>>,
): Promise<unknown> {
  return db.updateTable('organization_invitations').set(patch).where('id', '=', id).execute();
}

/** Locks the invitation's row for the rest of the transaction (a no-op update); false when it does not exist. */
export async function lockInvitation(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable('organization_invitations')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteInvitationById(db: Executor, id: string): Promise<boolean> {
  return (
    Number((await db.deleteFrom('organization_invitations').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0
  );
}

// the organization roles an invitation offers

/** Links the roles in id order. */
export async function insertInvitationRoles(
  db: Executor,
  invitationId: string,
  roleIds: readonly string[],
): Promise<void> {
  if (roleIds.length === 0) return;
  await db
    .insertInto('organization_invitation_roles')
    .values(
      [...roleIds].sort().map((roleId) => ({ organization_invitation_id: invitationId, organization_role_id: roleId })),
    )
    .execute();
}

export async function findInvitationRoleIds(db: Executor, invitationId: string): Promise<string[]> {
  return (
    await db
      .selectFrom('organization_invitation_roles')
      .select('organization_role_id')
      .where('organization_invitation_id', '=', invitationId)
      .execute()
  ).map((r) => r.organization_role_id);
}

/** Per invitation: the roles it offers, `{invitationId, id, name}` (in no particular order). */
export function findRolesOfInvitations(
  db: Executor,
  invitationIds: readonly string[],
): Promise<{ invitationId: string; id: string; name: string }[]> {
  return inBatches(invitationIds, (batch) =>
    db
      .selectFrom('organization_invitation_roles as ir')
      .innerJoin('organization_roles as r', 'r.id', 'ir.organization_role_id')
      .select(['ir.organization_invitation_id as invitationId', 'r.id', 'r.name'])
      .where('ir.organization_invitation_id', 'in', batch)
      .execute(),
  );
}

// organizations, users and members, as invitations check them

export function findOrganizationById(db: Executor, id: string): Promise<OrganizationsTable | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function organizationExists(db: Executor, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst());
}

/** Locks the organization's row for the rest of the transaction (a no-op update); false when it does not exist. */
export async function lockOrganization(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable('organizations')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function findUserById(db: Executor, id: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function userExists(db: Executor, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst());
}

export function findUserEmail(
  db: Executor,
  id: string,
): Promise<{ id: string; primary_email: string | null } | undefined> {
  return db.selectFrom('users').select(['id', 'primary_email']).where('id', '=', id).executeTakeFirst();
}

/** Whether a member of the organization has this primary email (in canonical form: `primary_email_canonical`). */
export async function isMemberByCanonicalEmail(
  db: Executor,
  organizationId: string,
  canonicalEmail: string,
): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('organization_users as ou')
      .innerJoin('users', 'users.id', 'ou.user_id')
      .select('users.id')
      .where('ou.organization_id', '=', organizationId)
      .where('users.primary_email_canonical', '=', canonicalEmail)
      .executeTakeFirst(),
  );
}
