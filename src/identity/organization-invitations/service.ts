/**
 * Organization invitations, as Logto's Management API has them: Pending → Accepted (the invitee,
 * a user with the invited email, joins with the invitation's roles) or Revoked; a Pending invitation
 * past `expiresAt` reads as Expired and cannot change any more. One pending invitation per invitee
 * and organization. Invitation emails go through the message connector (HERALD_MESSAGE_CONNECTOR)
 * with Logto's `OrganizationInvitation` template; without one, asking for an email is 501
 * `connector.not_found`, as in Logto without an email connector.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/query.ts';
import type { DB, OrganizationInvitationsTable } from '../../db/types.ts';
import { HeraldError } from '../../http/errors.ts';
import { generateId } from '../../util/id.ts';
import { missingReference, type OrganizationRoleService } from '../organization-roles/service.ts';
import { dedupe } from '../../util/lists.ts';
import { canonicalEmail } from '../identifiers.ts';
import { toOrganization, type OrganizationService } from '../organizations/service.ts';
import { toUser } from '../users/service.ts';
import type { MessageConnector } from '../../experience/connector.ts';
import type { Invitation } from './schemas.ts';
import * as store from './store.ts';

export type InvitationStatus = Invitation['status'];

const invalid = (message: string, status = 422) =>
  new HeraldError('request.invalid_input', { message: `Input is invalid. ${message}`, details: message, status });
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
    const roles = await store.findRolesOfInvitations(
      db,
      rows.map((r) => r.id),
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
    const row = await store.findInvitationById(db, id);
    if (!row) throw notFound(id);
    return row;
  }

  function assertConnector(): MessageConnector {
    if (!deps.connector?.configured) {
      throw new HeraldError('connector.not_found', {
        message: 'Cannot find any available connector for type: Email.',
        data: { type: 'Email' },
      });
    }
    return deps.connector;
  }

  /** Logto's template context: the organization (`id`, `name`, `branding`) and, when known, the inviter. */
  async function templateContext(organizationId: string, inviterId: string | null): Promise<Record<string, unknown>> {
    const organization = await store.findOrganizationById(deps.db, organizationId);
    const inviter = inviterId ? await store.findUserById(deps.db, inviterId) : undefined;
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
      await connector.send({
        to: row.invitee,
        type: 'OrganizationInvitation',
        payload: { ...context, ...payload },
        ip,
      });
    },

    /** Removes an invitation whose email could not be sent (its creation is undone, as Logto's rollback does). */
    async discardInvitation(id: string): Promise<void> {
      await store.deleteInvitationById(deps.db, id);
    },

    async createInvitation(
      db: Executor,
      input: {
        inviterId?: string | null | undefined;
        invitee: string;
        organizationId: string;
        expiresAt: number;
        organizationRoleIds?: string[] | undefined;
        messagePayload?: unknown;
      },
    ): Promise<Invitation> {
      const at = now();
      if (input.expiresAt <= at) throw invalid('The value of `expiresAt` must be in the future.', 400);
      if (!(await store.organizationExists(db, input.organizationId))) {
        throw missingReference('organization', [input.organizationId]);
      }
      if (input.inviterId && !(await store.userExists(db, input.inviterId))) {
        throw missingReference('user', [input.inviterId]);
      }
      const roleIds = dedupe(input.organizationRoleIds ?? []);
      await deps.organizationRoles.rolesOfTypeOrThrow(db, roleIds, 'User');
      if (await store.isMemberByCanonicalEmail(db, input.organizationId, canonicalEmail(input.invitee)))
        throw invalid('The invitee is already a member of the organization.');
      // A stale pending invitation (expired) no longer blocks a new one.
      await store.expirePendingInvitations(db, input.organizationId, input.invitee, at);
      const pendingId = await store.findPendingInvitationId(db, input.organizationId, input.invitee);
      if (pendingId)
        throw new HeraldError('entity.unique_integrity_violation', {
          message: 'A pending invitation for this invitee and organization already exists.',
          data: { id: pendingId },
        });
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
      await store.insertInvitation(db, row);
      await store.insertInvitationRoles(db, row.id, roleIds);
      return (await toInvitations(db, [row]))[0]!;
    },

    /** Newest first; filters match exactly (the invitee without regard to case). No paging, as in Logto. */
    async listInvitations(filter: store.InvitationFilter): Promise<Invitation[]> {
      return toInvitations(deps.db, await store.listInvitations(deps.db, filter));
    },

    async getInvitation(id: string): Promise<Invitation> {
      return (await toInvitations(deps.db, [await findOrThrow(deps.db, id)]))[0]!;
    },

    async deleteInvitation(db: Executor, id: string): Promise<void> {
      if (!(await store.deleteInvitationById(db, id))) throw notFound(id);
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
    ): Promise<{
      invitation: Invitation;
      accepted?: { organizationId: string; userId: string; addedUserIds: string[]; addedOrganizationRoleIds: string[] };
    }> {
      if (input.status === 'Accepted' && !input.acceptedUserId)
        throw invalid('The `acceptedUserId` is required when accepting an invitation.');
      // Locks in the order a deletion of the organization takes them (organization, then its
      // invitations), so the two cannot deadlock; the invitation's lock keeps two acceptances from
      // both passing the status check.
      const unlocked = await findOrThrow(db, id);
      const organizationLocked = await store.lockOrganization(db, unlocked.organization_id);
      const locked = await store.lockInvitation(db, id);
      if (!organizationLocked || !locked) throw notFound(id);
      const row = await findOrThrow(db, id);
      const at = now();
      if (statusOf(row, at) !== 'Pending') throw invalid('The status of the invitation cannot be changed anymore.');
      if (input.status === 'Revoked') {
        await store.updateInvitationById(db, id, { status: 'Revoked', updated_at: at });
        return { invitation: (await toInvitations(db, [{ ...row, status: 'Revoked', updated_at: at }]))[0]! };
      }
      const userId = input.acceptedUserId!;
      const user = await store.findUserEmail(db, userId);
      if (!user) throw new HeraldError('entity.not_found', { data: { name: 'user', id: userId } });
      if (user.primary_email === null || canonicalEmail(user.primary_email) !== canonicalEmail(row.invitee))
        throw invalid('The accepted user must have the same email as the invitee.');
      const roleIds = await store.findInvitationRoleIds(db, id);
      const deltas = await deps.organizations.admitMember(db, row.organization_id, userId, roleIds);
      await store.updateInvitationById(db, id, { status: 'Accepted', accepted_user_id: userId, updated_at: at });
      const invitation = (
        await toInvitations(db, [{ ...row, status: 'Accepted', accepted_user_id: userId, updated_at: at }])
      )[0]!;
      return { invitation, accepted: { organizationId: row.organization_id, userId, ...deltas } };
    },
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
