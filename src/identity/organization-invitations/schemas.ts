/**
 * The JSON shapes the organization invitations routes answer, each declared once as a TypeBox
 * schema; the TypeScript types are `Static<>` of them.
 */
import { Type, type Static } from 'typebox';
import { nullable, RoleBrief } from '../schemas.ts';

export const INVITATION_STATUSES = ['Pending', 'Accepted', 'Expired', 'Revoked'] as const;

/** An organization invitation (component `OrganizationInvitation`). */
export const InvitationSchema = Type.Object(
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
    organizationRoles: Type.Array(RoleBrief),
  },
  { $id: 'OrganizationInvitation', title: 'OrganizationInvitation' },
);
export type Invitation = Static<typeof InvitationSchema>;
/** `OrganizationInvitation` by reference, typed. */
export const invitationRef = Type.Unsafe<Invitation>(Type.Ref('OrganizationInvitation'));
