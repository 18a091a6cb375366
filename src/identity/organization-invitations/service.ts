/**
 * Organization invitations, as Logto's Management API has them: Pending → Accepted (the invitee,
 * a user with the invited email, joins with the invitation's roles) or Revoked; a Pending invitation
 * past `expiresAt` reads as Expired and cannot change any more. One pending invitation per invitee
 * and organization. Invitation emails go through the message connector (HERALD_MESSAGE_CONNECTOR)
 * with Logto's `OrganizationInvitation` template; without one, asking for an email is 501
 * `connector.not_found`, as in Logto without an email connector.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, OrganizationInvitationsTable } from '../../db/types.ts';
import { HeraldError } from '../../http/errors.ts';
import { inBatches } from '../../db/batches.ts';
import { generateId } from '../../util/id.ts';
import { missingReference, type OrganizationRoleService } from '../organization-roles/service.ts';
import { dedupe } from '../../util/lists.ts';
import { canonicalEmail } from '../identifiers.ts';
import { toOrganization, type OrganizationService } from '../organizations/service.ts';
import { toUser } from '../users/service.ts';
import type { MessageConnector } from '../../experience/connector.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const INVITATION_STATUSES = ['Pending', 'Accepted', 'Expired', 'Revoked'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export interface Invitation {
  tenantId: string;
  id: string;
  inviterId: string | null;
  invitee: string;
  acceptedUserId: string | null;
  organizationId: string;
  status: InvitationStatus;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  organizationRoles: { id: string; name: string }[];
}

const invalid = (message: string, status = 422) => new HeraldError('request.invalid_input', { message: `Input is invalid. ${message}`, details: message, status });
const notFound = (id: string) => new HeraldError('entity.not_found', { data: { name: 'organization invitation', id } });

export function createInvitationService(deps: {
  db: Kysely<DB>;
  organizations: OrganizationService;
  organizationRoles: OrganizationRoleService;
  /** Where invitation emails go; none configured → 501 `connector.not_found` when one is asked for. */
  connector?: MessageConnector | undefined;
  clock?: () => number;
}) {
  const now = deps.clock ?? Date.now;

  /** The status as read: Pending past its expiry is Expired. */
  const statusOf = (row: OrganizationInvitationsTable, at: number): InvitationStatus =>
    row.status === 'Pending' && row.expires_at <= at ? 'Expired' : (row.status as InvitationStatus);

  async function toInvitations(db: Executor, rows: OrganizationInvitationsTable[]): Promise<Invitation[]> {
    const at = now();
    const roles = await inBatches(
      rows.map((r) => r.id),
      (batch) =>
        db
          .selectFrom('organization_invitation_roles as ir')
          .innerJoin('organization_roles as r', 'r.id', 'ir.organization_role_id')
          .select(['ir.organization_invitation_id as invitationId', 'r.id', 'r.name'])
          .where('ir.organization_invitation_id', 'in', batch)
          .execute(),
    );
    roles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return rows.map((row) => ({
      tenantId: 'default',
      id: row.id,
      inviterId: row.inviter_id,
      invitee: row.invitee,
      acceptedUserId: row.accepted_user_id,
      organizationId: row.organization_id,
      status: statusOf(row, at),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      expiresAt: row.expires_at,
      organizationRoles: roles.filter((r) => r.invitationId === row.id).map((r) => ({ id: r.id, name: r.name })),
    }));
  }

  async function findOrThrow(db: Executor, id: string): Promise<OrganizationInvitationsTable> {
    const row = await db.selectFrom('organization_invitations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return row;
  }

  function assertConnector(): MessageConnector {
    if (!deps.connector?.configured) {
      throw new HeraldError('connector.not_found', { message: 'Cannot find any available connector for type: Email.', data: { type: 'Email' } });
    }
    return deps.connector;
  }

  /** Logto's template context: the organization (`id`, `name`, `branding`) and, when known, the inviter. */
  async function templateContext(organizationId: string, inviterId: string | null): Promise<Record<string, unknown>> {
    const organization = await deps.db.selectFrom('organizations').selectAll().where('id', '=', organizationId).executeTakeFirst();
    const inviter = inviterId ? await deps.db.selectFrom('users').selectAll().where('id', '=', inviterId).executeTakeFirst() : undefined;
    const context: Record<string, unknown> = {};
    if (organization) {
      const { id, name, branding } = toOrganization(organization);
      context.organization = { id, name, branding };
    }
    if (inviter) {
      const { id, avatar, name, primaryEmail, primaryPhone, username, profile } = toUser(inviter);
      context.inviter = { id, avatar, name, primaryEmail, primaryPhone, username, profile };
    }
    return context;
  }

  return {
    /**
     * Sends the invitation email to the invitee: `{to, type: 'OrganizationInvitation', payload, ip}`,
     * the payload being the template context (`organization`, `inviter`) under the caller's
     * `payload` (its keys win). 404 for an unknown invitation, 501 `connector.not_found` without a
     * connector, 502 `connector.general` when the connector fails.
     */
    async sendMessage(id: string, payload: Record<string, unknown>, ip: string | undefined): Promise<void> {
      const row = await findOrThrow(deps.db, id);
      const connector = assertConnector();
      const context = await templateContext(row.organization_id, row.inviter_id);
      await connector.send({ to: row.invitee, type: 'OrganizationInvitation', payload: { ...context, ...payload }, ip });
    },

    /** Removes an invitation whose email could not be sent (its creation is undone, as Logto's rollback does). */
    async discardInvitation(id: string): Promise<void> {
      await deps.db.deleteFrom('organization_invitations').where('id', '=', id).execute();
    },

    async createInvitation(
      db: Executor,
      input: { inviterId?: string | null | undefined; invitee: string; organizationId: string; expiresAt: number; organizationRoleIds?: string[] | undefined; messagePayload?: unknown },
    ): Promise<Invitation> {
      const at = now();
      if (input.expiresAt <= at) throw invalid('The value of `expiresAt` must be in the future.', 400);
      if (!(await db.selectFrom('organizations').select('id').where('id', '=', input.organizationId).executeTakeFirst())) {
        throw missingReference('organization', [input.organizationId]);
      }
      if (input.inviterId && !(await db.selectFrom('users').select('id').where('id', '=', input.inviterId).executeTakeFirst())) {
        throw missingReference('user', [input.inviterId]);
      }
      const roleIds = dedupe(input.organizationRoleIds ?? []);
      await deps.organizationRoles.rolesOfTypeOrThrow(db, roleIds, 'User');
      const member = await db
        .selectFrom('organization_users as ou')
        .innerJoin('users', 'users.id', 'ou.user_id')
        .select('users.id')
        .where('ou.organization_id', '=', input.organizationId)
        .where('users.primary_email_canonical', '=', canonicalEmail(input.invitee))
        .executeTakeFirst();
      if (member) throw invalid('The invitee is already a member of the organization.');
      // A stale pending invitation (expired) no longer blocks a new one.
      await db
        .updateTable('organization_invitations')
        .set({ status: 'Expired', updated_at: at })
        .where('organization_id', '=', input.organizationId)
        .where('invitee', '=', input.invitee)
        .where('status', '=', 'Pending')
        .where('expires_at', '<=', at)
        .execute();
      const pending = await db
        .selectFrom('organization_invitations')
        .select('id')
        .where('organization_id', '=', input.organizationId)
        .where('invitee', '=', input.invitee)
        .where('status', '=', 'Pending')
        .executeTakeFirst();
      if (pending) throw new HeraldError('entity.unique_integrity_violation', { message: 'A pending invitation for this invitee and organization already exists.', data: { id: pending.id } });
      // Checked last, as Logto sends the email last: every other problem is named first.
      if (input.messagePayload !== undefined && input.messagePayload !== false) assertConnector();
      const row: OrganizationInvitationsTable = {
        id: generateId(),
        inviter_id: input.inviterId ?? null,
        invitee: input.invitee,
        accepted_user_id: null,
        organization_id: input.organizationId,
        status: 'Pending',
        created_at: at,
        updated_at: at,
        expires_at: input.expiresAt,
      };
      await db.insertInto('organization_invitations').values(row).execute();
      if (roleIds.length) {
        await db
          .insertInto('organization_invitation_roles')
          .values([...roleIds].sort().map((roleId) => ({ organization_invitation_id: row.id, organization_role_id: roleId })))
          .execute();
      }
      return (await toInvitations(db, [row]))[0]!;
    },

    /** Newest first; filters match exactly (the invitee without regard to case). No paging, as in Logto. */
    async listInvitations(filter: { organizationId?: string | undefined; inviterId?: string | undefined; invitee?: string | undefined }): Promise<Invitation[]> {
      let query = deps.db.selectFrom('organization_invitations').selectAll();
      if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
      if (filter.inviterId) query = query.where('inviter_id', '=', filter.inviterId);
      if (filter.invitee) query = query.where(sql`lower(invitee)`, '=', filter.invitee.toLowerCase());
      return toInvitations(deps.db, await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute());
    },

    async getInvitation(id: string): Promise<Invitation> {
      return (await toInvitations(deps.db, [await findOrThrow(deps.db, id)]))[0]!;
    },

    async deleteInvitation(db: Executor, id: string): Promise<void> {
      const result = await db.deleteFrom('organization_invitations').where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw notFound(id);
    },

    /**
     * Pending → Accepted or Revoked. Accepting needs `acceptedUserId`, a user whose primary email is
     * the invitee (without regard to case); the user joins with the invitation's roles. Answers the
     * invitation and, on acceptance, the membership and role deltas.
     */
    async setStatus(
      db: Executor,
      id: string,
      input: { status: 'Accepted' | 'Revoked'; acceptedUserId?: string | null | undefined },
    ): Promise<{ invitation: Invitation; accepted?: { organizationId: string; userId: string; addedUserIds: string[]; addedOrganizationRoleIds: string[] } }> {
      if (input.status === 'Accepted' && !input.acceptedUserId) throw invalid('The `acceptedUserId` is required when accepting an invitation.');
      // Locks in the order a deletion of the organization takes them (organization, then its
      // invitations), so the two cannot deadlock; the invitation's lock keeps two acceptances from
      // both passing the status check.
      const unlocked = await findOrThrow(db, id);
      const organizationLocked = await db
        .updateTable('organizations')
        .set((eb) => ({ name: eb.ref('name') }))
        .where('id', '=', unlocked.organization_id)
        .executeTakeFirst();
      const locked = await db.updateTable('organization_invitations').set((eb) => ({ status: eb.ref('status') })).where('id', '=', id).executeTakeFirst();
      if (Number(organizationLocked.numUpdatedRows) === 0 || Number(locked.numUpdatedRows) === 0) throw notFound(id);
      const row = await findOrThrow(db, id);
      const at = now();
      if (statusOf(row, at) !== 'Pending') throw invalid('The status of the invitation cannot be changed anymore.');
      if (input.status === 'Revoked') {
        await db.updateTable('organization_invitations').set({ status: 'Revoked', updated_at: at }).where('id', '=', id).execute();
        return { invitation: (await toInvitations(db, [{ ...row, status: 'Revoked', updated_at: at }]))[0]! };
      }
      const userId = input.acceptedUserId!;
      const user = await db.selectFrom('users').select(['id', 'primary_email']).where('id', '=', userId).executeTakeFirst();
      if (!user) throw new HeraldError('entity.not_found', { data: { name: 'user', id: userId } });
      if (user.primary_email === null || canonicalEmail(user.primary_email) !== canonicalEmail(row.invitee)) throw invalid('The accepted user must have the same email as the invitee.');
      const roleIds = (
        await db.selectFrom('organization_invitation_roles').select('organization_role_id').where('organization_invitation_id', '=', id).execute()
      ).map((r) => r.organization_role_id);
      const deltas = await deps.organizations.admitMember(db, row.organization_id, userId, roleIds);
      await db.updateTable('organization_invitations').set({ status: 'Accepted', accepted_user_id: userId, updated_at: at }).where('id', '=', id).execute();
      const invitation = (await toInvitations(db, [{ ...row, status: 'Accepted', accepted_user_id: userId, updated_at: at }]))[0]!;
      return { invitation, accepted: { organizationId: row.organization_id, userId, ...deltas } };
    },
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
