/** Logto's `/api/organization-invitations` routes. Accepting one emits the membership events. */
import { Type } from 'typebox';
import type { Mutate } from '../../http/mutation.ts';
import type { App } from '../../http/types.ts';
import { errors, idList, idParams, noContent, nullable } from '../http.ts';
import { emitMemberRolesUpdated, emitMembershipUpdated } from '../organizations/routes.ts';
import { EMAIL_PATTERN } from '../users/schemas.ts';
import { INVITATION_STATUSES, type InvitationService } from './service.ts';

const tags = ['Organization invitations'];
const InvitationSchema = Type.Object(
  {
    tenantId: Type.String(),
    id: Type.String(),
    inviterId: nullable(Type.String()),
    invitee: Type.String(),
    acceptedUserId: nullable(Type.String()),
    organizationId: Type.String(),
    status: Type.Enum(INVITATION_STATUSES, { description: 'A Pending invitation past `expiresAt` reads as Expired.' }),
    createdAt: Type.Number(),
    updatedAt: Type.Number(),
    expiresAt: Type.Number(),
    organizationRoles: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  },
  { $id: 'OrganizationInvitation', title: 'OrganizationInvitation' },
);
const invitationRef = Type.Ref('OrganizationInvitation');
const params = idParams('id');

export function registerInvitationRoutes(app: App, deps: { invitations: InvitationService; mutate: Mutate }): void {
  const { invitations, mutate } = deps;
  app.addSchema(InvitationSchema);

  app.get(
    '/api/organization-invitations',
    {
      schema: {
        summary: 'List organization invitations',
        description: 'Newest first, not paged (as in Logto); filter by `organizationId`, `inviterId`, `invitee` (without regard to case).',
        tags,
        querystring: Type.Object({ organizationId: Type.Optional(Type.String()), inviterId: Type.Optional(Type.String()), invitee: Type.Optional(Type.String()) }),
        response: { 200: Type.Array(invitationRef), ...errors },
      },
    },
    async (request) => invitations.listInvitations(request.query),
  );

  app.post(
    '/api/organization-invitations',
    {
      schema: {
        summary: 'Invite someone to an organization',
        description:
          'Pending until `expiresAt` (epoch ms, in the future: 400 `request.invalid_input` otherwise). 422 `request.invalid_input` when the invitee is already a member, 422 `entity.unique_integrity_violation` for a second pending invitation, 422 `entity.relation_foreign_key_not_found` for an unknown organization, inviter or role. Herald sends no email yet: a `messagePayload` other than `false` is 501 `connector.not_found`.',
        tags,
        body: Type.Object({
          inviterId: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 21 }))),
          invitee: Type.String({ pattern: EMAIL_PATTERN, maxLength: 256 }),
          organizationId: Type.String({ minLength: 1, maxLength: 21 }),
          expiresAt: Type.Integer({ minimum: 0, maximum: 8.64e15, description: 'Epoch milliseconds, in the future.' }),
          organizationRoleIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 21 }), { maxItems: 1000 })),
          messagePayload: Type.Optional(Type.Union([Type.Literal(false), Type.Record(Type.String(), Type.Unknown())])),
        }),
        response: { 201: invitationRef, ...errors, 501: errors[400] },
      },
    },
    async (request, reply) => mutate(request, reply, 201, ({ tx }) => invitations.createInvitation(tx.db, request.body)),
  );

  app.get(
    '/api/organization-invitations/:id',
    { schema: { summary: 'Get an organization invitation', description: '404 `entity.not_found` when unknown.', tags, params, response: { 200: invitationRef, ...errors } } },
    async (request) => invitations.getInvitation(request.params.id),
  );

  app.delete(
    '/api/organization-invitations/:id',
    { schema: { summary: 'Delete an organization invitation', description: '404 `entity.not_found` when unknown.', tags, params, response: { 204: noContent, ...errors } } },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) => invitations.deleteInvitation(tx.db, request.params.id));
      return reply.send(null);
    },
  );

  app.put(
    '/api/organization-invitations/:id/status',
    {
      schema: {
        summary: 'Accept or revoke an organization invitation',
        description:
          'Only a Pending invitation changes (422 `request.invalid_input` for an Accepted, Revoked or Expired one). `Accepted` needs `acceptedUserId`: a user whose primary email is the invitee; the user joins the organization with the invitation\'s roles, which emits `Organization.Membership.Updated` (with `addedUserIds` unless the user was a member already) and, for new roles, `Organization.Membership.Roles.Updated`.',
        tags,
        params,
        body: Type.Object({ status: Type.Enum(['Accepted', 'Revoked'] as const), acceptedUserId: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 21 }))) }),
        response: { 200: invitationRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, async ({ tx, emit }) => {
        const { invitation, accepted } = await invitations.setStatus(tx.db, request.params.id, request.body);
        if (accepted) {
          emitMembershipUpdated(emit, accepted.organizationId, { addedUserIds: accepted.addedUserIds });
          emitMemberRolesUpdated(emit, accepted.organizationId, accepted.userId, accepted.addedOrganizationRoleIds, []);
        }
        return invitation;
      }),
  );
}
