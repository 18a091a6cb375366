/**
 * Schema pieces shared by the identity routes: list queries, error answers, id parameters and
 * lists, and the shapes more than one feature uses (applications, scopes, role briefs), each
 * declared once as a TypeBox schema with its TypeScript type `Static<>` of it. A feature's own
 * shapes stay in its folder's schemas.ts.
 */
import { Type, type Static, type TProperties, type TSchema, type TString } from 'typebox';
import { PaginationQuery } from '../http/pagination.ts';
import { errorRef } from '../http/schemas.ts';

/** A list's query: paging plus Logto's `search`, `search.<field>`, `mode`, `joint` keys (open-ended). */
export const listQuery = <T extends TProperties>(extra: T = {} as T) =>
  Type.Object(
    {
      ...PaginationQuery,
      search: Type.Optional(
        Type.Union([Type.String(), Type.Array(Type.String())], {
          description:
            "Match any searchable field (Logto's modes: `like` with `%` wildcards, `exact`, `posix`, `similar_to`). `search.<field>` matches one field; repeated in `exact` mode, any value matches.",
        }),
      ),
      ...extra,
    },
    { additionalProperties: true },
  );

/** An organization list's query (organizations, their members, organization roles): paging plus Logto's `q`. */
export const qListQuery = <T extends TProperties>(extra: T = {} as T) =>
  Type.Object({
    ...PaginationQuery,
    q: Type.Optional(Type.String({ description: 'Case-insensitive substring of the searchable fields.' })),
    ...extra,
  });

export const errors = { 400: errorRef, 401: errorRef, 404: errorRef, 422: errorRef } as const;

export const idParams = <const N extends string>(...names: N[]) =>
  Type.Object(Object.fromEntries(names.map((n) => [n, Type.String()])) as { [K in N]: TString });

export const noContent = Type.Null({ description: 'No content.' });

export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A body's list of ids (bounded: 10 000). */
export const idList = (description: string, minItems?: number) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 21 }), {
    description,
    maxItems: 10000,
    ...(minItems ? { minItems } : {}),
  });

export const JsonObject = Type.Record(Type.String(), Type.Unknown());

/** The application types Herald creates. */
export const APPLICATION_TYPES = ['Native', 'SPA', 'Traditional', 'MachineToMachine'] as const;
const OidcClientMetadata = Type.Object(
  { redirectUris: Type.Array(Type.String()), postLogoutRedirectUris: Type.Array(Type.String()) },
  { additionalProperties: true },
);
/** An application as the routes answer it (the `Application` schema; organization members add their roles). */
export const applicationProperties = {
  tenantId: Type.String(),
  id: Type.String(),
  name: Type.String(),
  secret: Type.String({
    description: 'Client secret of Traditional and MachineToMachine apps; empty for public clients.',
  }),
  description: Type.Union([Type.String(), Type.Null()]),
  type: Type.Enum(APPLICATION_TYPES),
  oidcClientMetadata: OidcClientMetadata,
  customClientMetadata: JsonObject,
  protectedAppMetadata: Type.Null(),
  customData: JsonObject,
  isThirdParty: Type.Boolean(),
  createdAt: Type.Number(),
};
export const ApplicationSchema = Type.Object(applicationProperties, { $id: 'Application', title: 'Application' });
export type Application = Static<typeof ApplicationSchema>;
/** `Application` by reference, typed. */
export const applicationRef = Type.Unsafe<Application>(Type.Ref('Application'));

/** A permission of an API resource (component `Scope`). */
export const ScopeSchema = Type.Object(
  {
    tenantId: Type.String(),
    id: Type.String(),
    resourceId: Type.String(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.Number(),
  },
  { $id: 'Scope', title: 'Scope' },
);
export type Scope = Static<typeof ScopeSchema>;
/** `Scope` by reference, typed. */
export const scopeRef = Type.Unsafe<Scope>(Type.Ref('Scope'));

/** An organization role as members and invitations list it: `{id, name}`. */
export const RoleBrief = Type.Object({ id: Type.String(), name: Type.String() });
export type RoleBrief = Static<typeof RoleBrief>;
