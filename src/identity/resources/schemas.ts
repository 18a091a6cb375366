/**
 * The JSON shapes the API resources routes answer, each declared once as a TypeBox schema; the
 * TypeScript types are `Static<>` of them. A resource's permissions are `Scope` (../schemas.ts).
 */
import { Type, type Static } from 'typebox';
import { scopeRef } from '../schemas.ts';

const resourceProperties = {
  tenantId: Type.String(),
  id: Type.String(),
  name: Type.String(),
  indicator: Type.String({ description: 'The API identifier (audience), usually a URI.' }),
  isDefault: Type.Boolean(),
  accessTokenTtl: Type.Number({ description: 'Seconds.' }),
};
/** An API resource (component `Resource`). */
export const ResourceSchema = Type.Object(resourceProperties, { $id: 'Resource', title: 'Resource' });
export type Resource = Static<typeof ResourceSchema>;
/** `Resource` by reference, typed. */
export const resourceRef = Type.Unsafe<Resource>(Type.Ref('Resource'));

/** A resource as a list with `includeScopes` and a create answer it: with its scopes. */
export const ResourceWithScopesSchema = Type.Object({
  ...resourceProperties,
  scopes: Type.Optional(Type.Array(scopeRef)),
});
export type ResourceWithScopes = Static<typeof ResourceWithScopesSchema>;
