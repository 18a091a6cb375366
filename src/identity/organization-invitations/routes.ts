/** Logto's `/api/organization-invitations` routes. Accepting one emits the membership events; emails go through the message connector. */
import { Type } from 'typebox';
import type { Mutate } from '../../http/mutation.ts';
import type { App } from '../../http/types.ts';
import { emitMemberRolesUpdated, emitMembershipUpdated } from '../events.ts';
import { errors, idParams, noContent, nullable } from '../schemas.ts';
import { EMAIL_PATTERN } from '../users/schemas.ts';
import { invitationRef, InvitationSchema } from './schemas.ts';
import type { InvitationService } from './service.ts';

const tags = ['Organization invitations'];
/** Logto's send-message payload: optional string `code`, `link`, `locale`, `uiLocales`, and any other keys. */
const MessagePayload = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 2048 })),
    link: Type.Optional(Type.String({ maxLength: 2048 })),
    locale: Type.Optional(Type.String({ maxLength: 64 })),
    uiLocales: Type.Optional(Type.String({ maxLength: 256 })),
  },
  {
    additionalProperties: true,
    description: 'Sent to the connector as the message payload, over the template context.',
  },
);
const params = idParams('id');

export function registerInvitationRoutes(app: App, deps: { invitations: InvitationService; mutate: Mutate }): void {
  const { invitations, mutate } = deps;
  app.addSchema(InvitationSchema);

  app.get(
    '/api/organization-invitations',
    {
      schema: {
        summary: 'List organization invitations',
        description:
          'Newest first, not paged (as in Logto); filter by `organizationId`, `inviterId`, `invitee` (without regard to case).',
        tags,
        querystring: Type.Object({
          organizationId: Type.Optional(Type.String()),
          inviterId: Type.Optional(Type.String()),
          invitee: Type.Optional(Type.String()),
        }),
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
          'Pending until `expiresAt` (epoch ms, in the future: 400 `request.invalid_input` otherwise). 422 `request.invalid_input` when the invitee is already a member, 422 `entity.unique_integrity_violation` for a second pending invitation, 422 `entity.relation_foreign_key_not_found` for an unknown organization, inviter or role. With a `messagePayload` (other than `false`), the invitation email goes to the invitee through the message connector (template `OrganizationInvitation`, as `POST /api/organization-invitations/{id}/message` sends it): 501 `connector.not_found` without a connector, 502 `connector.general` when it fails; either way no invitation is left.',
        tags,
        body: Type.Object({
          inviterId: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 21 }))),
          invitee: Type.String({ pattern: EMAIL_PATTERN, maxLength: 256 }),
          organizationId: Type.String({ minLength: 1, maxLength: 21 }),
          expiresAt: Type.Integer({ minimum: 0, maximum: 8.64e15, description: 'Epoch milliseconds, in the future.' }),
          organizationRoleIds: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 21 }), { maxItems: 1000 }),
          ),
          messagePayload: Type.Optional(Type.Union([Type.Literal(false), MessagePayload])),
        }),
        response: { 201: invitationRef, ...errors, 501: errors[400], 502: errors[400] },
      },
    },
    async (request, reply) => {
      const invitation = await mutate(request, reply, 201, ({ tx }) =>
        invitations.createInvitation(tx.db, request.body),
      );
      const { messagePayload } = request.body;
      if (messagePayload) {
        // Sent after the commit (no database lock held over a network call); a failed send undoes the creation.
        try {
          await invitations.sendMessage(invitation.id, messagePayload, request.ip);
        } catch (error) {
          await invitations.discardInvitation(invitation.id);
          throw error;
        }
      }
      return invitation;
    },
  );

  app.post(
    '/api/organization-invitations/:id/message',
    {
      schema: {
        summary: 'Send an organization invitation email again',
        description:
          "Sends `{to: invitee, type: 'OrganizationInvitation', payload, ip}` through the message connector; `payload` is the body (Logto's send-message payload: `link`, `code`, `locale`, `uiLocales`, any other key) over the template context (`organization` with `id`, `name`, `branding`; `inviter` when known). 404 `entity.not_found` for an unknown invitation, 501 `connector.not_found` without a connector, 502 `connector.general` when the connector fails. Emits no event.",
        tags,
        params,
        body: MessagePayload,
        response: { 204: noContent, ...errors, 501: errors[400], 502: errors[400] },
      },
    },
    async (request, reply) => {
      await invitations.sendMessage(request.params.id, request.body, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/organization-invitations/:id',
    {
      schema: {
        summary: 'Get an organization invitation',
        description: '404 `entity.not_found` when unknown.',
        tags,
        params,
        response: { 200: invitationRef, ...errors },
      },
    },
    async (request) => invitations.getInvitation(request.params.id),
  );

  app.delete(
    '/api/organization-invitations/:id',
    {
      schema: {
        summary: 'Delete an organization invitation',
        description: '404 `entity.not_found` when unknown.',
        tags,
        params,
        response: { 204: noContent, ...errors },
      },
    },
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
          "Only a Pending invitation changes (422 `request.invalid_input` for an Accepted, Revoked or Expired one). `Accepted` needs `acceptedUserId`: a user whose primary email is the invitee; the user joins the organization with the invitation's roles, which emits `Organization.Membership.Updated` (with `addedUserIds` unless the user was a member already) and, for new roles, `Organization.Membership.Roles.Updated`.",
        tags,
        params,
        body: Type.Object({
          status: Type.Enum(['Accepted', 'Revoked'] as const),
          acceptedUserId: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 21 }))),
        }),
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
