/**
 * The JSON shapes the organization roles and scopes routes answer, each declared once as a TypeBox
 * schema; the TypeScript types are `Static<>` of them.
 */
import { Type, type Static } from 'typebox';
import { nullable } from '../schemas.ts';

export const ORGANIZATION_ROLE_TYPES = ['User', 'MachineToMachine'] as const;

/** An organization role (component `OrganizationRole`): User roles for user members, MachineToMachine for application members. */
const roleProperties = {
  tenantId: Type.String(),
  id: Type.String(),
  name: Type.String(),
  description: nullable(Type.String()),
  type: Type.Enum(ORGANIZATION_ROLE_TYPES),
};
export const OrganizationRoleSchema = Type.Object(roleProperties, {
  $id: 'OrganizationRole',
  title: 'OrganizationRole',
});
export type OrganizationRole = Static<typeof OrganizationRoleSchema>;
/** `OrganizationRole` by reference, typed. */
export const organizationRoleRef = Type.Unsafe<OrganizationRole>(Type.Ref('OrganizationRole'));

/** An organization role as the list answers it: with its `scopes` and `resourceScopes` (Logto's list shape). */
export const OrganizationRoleWithScopesSchema = Type.Object({
  ...roleProperties,
  scopes: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  resourceScopes: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      resource: Type.Object({ id: Type.String(), name: Type.String() }),
    }),
  ),
});
export type OrganizationRoleWithScopes = Static<typeof OrganizationRoleWithScopesSchema>;

/** An organization scope, or organization permission (component `OrganizationScope`). */
export const OrganizationScopeSchema = Type.Object(
  { tenantId: Type.String(), id: Type.String(), name: Type.String(), description: nullable(Type.String()) },
  { $id: 'OrganizationScope', title: 'OrganizationScope' },
);
export type OrganizationScope = Static<typeof OrganizationScopeSchema>;
/** `OrganizationScope` by reference, typed. */
export const organizationScopeRef = Type.Unsafe<OrganizationScope>(Type.Ref('OrganizationScope'));
