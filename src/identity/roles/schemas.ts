/**
 * The JSON shapes the roles routes answer, each declared once as a TypeBox schema; the TypeScript
 * types are `Static<>` of them.
 */
import { Type, type Static } from 'typebox';
import { ScopeSchema } from '../schemas.ts';
import { resourceRef } from '../resources/schemas.ts';

export const ROLE_TYPES = ['User', 'MachineToMachine'] as const;

/** A role (component `Role`); only User roles go to users. */
const roleProperties = {
  tenantId: Type.String(),
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  type: Type.Enum(ROLE_TYPES),
  isDefault: Type.Boolean(),
};
export const RoleSchema = Type.Object(roleProperties, { $id: 'Role', title: 'Role' });
export type Role = Static<typeof RoleSchema>;
/** `Role` by reference, typed. */
export const roleRef = Type.Unsafe<Role>(Type.Ref('Role'));

/** A role as the list answers it: with its user and application counts and up to three of each. */
export const RoleWithCountsSchema = Type.Object({
  ...roleProperties,
  usersCount: Type.Integer(),
  featuredUsers: Type.Array(
    Type.Object({
      id: Type.String(),
      avatar: Type.Union([Type.String(), Type.Null()]),
      name: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  applicationsCount: Type.Integer(),
  featuredApplications: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), type: Type.String() })),
});
export type RoleWithCounts = Static<typeof RoleWithCountsSchema>;

/** A permission of a role, with its API resource. */
export const RoleScopeSchema = Type.Object({ ...ScopeSchema.properties, resource: resourceRef });
export type RoleScope = Static<typeof RoleScopeSchema>;
