/**
 * The JSON shapes the organizations routes answer, each declared once as a TypeBox schema; the
 * TypeScript types are `Static<>` of them.
 */
import { Type, type Static } from 'typebox';
import { JsonObject, nullable, RoleBrief } from '../schemas.ts';

const hexColor = Type.String({ pattern: '^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$' });
export const Color = Type.Object({
  primaryColor: Type.Optional(hexColor),
  isDarkModeEnabled: Type.Optional(Type.Boolean()),
  darkPrimaryColor: Type.Optional(hexColor),
});
const url = Type.String({ format: 'uri', maxLength: 2048 });
export const Branding = Type.Object({
  logoUrl: Type.Optional(url),
  darkLogoUrl: Type.Optional(url),
  favicon: Type.Optional(url),
  darkFavicon: Type.Optional(url),
});

const organizationProperties = {
  tenantId: Type.String(),
  id: Type.String(),
  name: Type.String(),
  description: nullable(Type.String()),
  customData: JsonObject,
  isMfaRequired: Type.Boolean(),
  isTrustedDeviceAllowed: Type.Boolean(),
  color: Color,
  branding: Branding,
  customCss: nullable(Type.String()),
  createdAt: Type.Number(),
};
/** An organization (component `Organization`). */
export const OrganizationSchema = Type.Object(organizationProperties, { $id: 'Organization', title: 'Organization' });
export type Organization = Static<typeof OrganizationSchema>;
/** `Organization` by reference, typed. */
export const organizationRef = Type.Unsafe<Organization>(Type.Ref('Organization'));

/** An organization as the list answers it: with `showFeatured=true`, its `usersCount` and up to three `featuredUsers`. */
export const OrganizationWithFeaturedSchema = Type.Object({
  ...organizationProperties,
  usersCount: Type.Optional(Type.Integer()),
  featuredUsers: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), avatar: nullable(Type.String()), name: nullable(Type.String()) })),
  ),
});
export type OrganizationWithFeatured = Static<typeof OrganizationWithFeaturedSchema>;

/** An organization as a member's list answers it: with the member's `organizationRoles`. */
export const OrganizationWithRolesSchema = Type.Object({
  ...organizationProperties,
  organizationRoles: Type.Array(RoleBrief),
});
export type OrganizationWithRoles = Static<typeof OrganizationWithRolesSchema>;
