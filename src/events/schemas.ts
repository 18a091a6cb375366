/**
 * The delivered payload of every event a hook may take, as JSON Schema (TypeBox objects are plain
 * JSON Schema): the body exactly as a receiver gets it, `hookId` included. With each schema: when
 * the event fires, the routes and flows that emit it, and an example that validates against it.
 *
 * Read from the emit sites: `http/mutation.ts` (the Management API's context), `identity/events.ts`
 * (membership and roles deltas), `experience/service.ts` (interaction, flow and exception events),
 * `sync-hooks/gate.ts` (`SyncHook.*`). `test/events.schemas.test.ts` causes every event Herald
 * emits through the real API and validates every delivery against these schemas;
 * `scripts/generate-events.ts` writes the receiver SDK's types (`packages/webhooks/src/events.ts`)
 * and the event reference (`docs/events.md`) from them.
 *
 * Required fields are those always present; a field that may be null says so. Entity objects (users,
 * roles, organizations…) are left open (`additionalProperties: true`): they may grow. The payload
 * itself is closed: a field Herald starts sending must be added here first.
 */
import { Type, type TObject, type TProperties, type TSchema } from 'typebox';
import {
  eventCatalog,
  type CatalogEntry,
  type EventCategory,
  type EventGroup,
  type HookEvent,
  HOOK_EVENTS,
} from './catalog.ts';

const nullable = <T extends TSchema>(schema: T, description?: string) =>
  Type.Union([schema, Type.Null()], description ? { description } : {});
const open = { additionalProperties: true } as const;
const JsonObject = (description?: string) =>
  Type.Record(Type.String(), Type.Unknown(), description ? { description } : {});
const ids = (description: string) => Type.Array(Type.String(), { description });
/** One literal, or a union of literals. */
function oneOfLiterals(values: readonly string[], description: string): TSchema {
  if (values.length === 1) return Type.Literal(values[0]!, { description });
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );
}

// Entities, as the events carry them (open: their fields may grow).

/** Optional strings, each described as the OpenID Connect claim it carries (`familyName` is `family_name`). */
const claims = (names: readonly string[]) =>
  Object.fromEntries(
    names.map((name) => [
      name,
      Type.Optional(
        Type.String({ description: `OpenID Connect \`${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}\`.` }),
      ),
    ]),
  );
const Profile = Type.Object(
  {
    ...claims([
      'familyName',
      'givenName',
      'middleName',
      'nickname',
      'preferredUsername',
      'profile',
      'website',
      'gender',
      'birthdate',
      'zoneinfo',
      'locale',
    ]),
    address: Type.Optional(
      Type.Object(claims(['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country']), {
        ...open,
        description: 'OpenID Connect `address`.',
      }),
    ),
  },
  { ...open, description: 'OpenID Connect standard profile claims, each optional.' },
);
const Identities = Type.Record(
  Type.String(),
  Type.Object(
    {
      userId: Type.String({ description: "The user's id at the connector." }),
      details: Type.Optional(JsonObject("The connector's details.")),
    },
    open,
  ),
  { description: 'Social identities, by connector target.' },
);

const UserProperties = {
  id: Type.String({ description: 'The user id.' }),
  username: nullable(Type.String(), 'The username, or null.'),
  primaryEmail: nullable(Type.String(), 'The primary email, or null.'),
  primaryPhone: nullable(Type.String(), "The primary phone in Logto's stored form (digits, country code), or null."),
  name: nullable(Type.String(), 'The display name, or null.'),
  avatar: nullable(Type.String(), 'The avatar URL, or null.'),
  customData: JsonObject('Custom data, any JSON object.'),
  identities: Identities,
  lastSignInAt: nullable(Type.Number(), 'Last sign-in (epoch ms), or null.'),
  createdAt: Type.Number({ description: 'Creation time (epoch ms).' }),
  updatedAt: Type.Number({ description: 'Last change (epoch ms).' }),
  profile: Profile,
  applicationId: nullable(Type.String(), 'The application the user registered through, or null.'),
  cimdClientId: nullable(Type.String(), "Logto's CIMD client id; always null in Herald."),
  isSuspended: Type.Boolean({ description: 'Whether the user is suspended.' }),
  hasPassword: Type.Optional(
    Type.Boolean({ description: 'Whether the user has a password; in Management API responses only.' }),
  ),
};
const User = Type.Object(UserProperties, {
  ...open,
  title: 'User',
  description: "A user: Logto's user fields, never a password or its digest.",
});
const SyncHookUser = Type.Object(
  {
    ...UserProperties,
    createdAt: nullable(Type.Number(), 'Creation time (epoch ms); null for a candidate at PreRegister.'),
    updatedAt: nullable(Type.Number(), 'Last change (epoch ms); null for a candidate at PreRegister.'),
  },
  {
    ...open,
    title: 'SyncHookUser',
    description:
      'The user a synchronous hook saw, with the patches of the hooks before it applied: at PreRegister the candidate (the id it will get, `createdAt` and `updatedAt` null), otherwise the user.',
  },
);
const Application = Type.Object(
  {
    id: Type.String({ description: 'The application id.' }),
    type: oneOfLiterals(['Native', 'SPA', 'Traditional', 'MachineToMachine'], 'The application type.'),
    name: Type.String({ description: 'The application name.' }),
    description: nullable(Type.String(), 'The description, or null.'),
  },
  { ...open, title: 'Application', description: 'The application of the interaction.' },
);
const Role = Type.Object(
  {
    tenantId: Type.String({ description: 'Always `default`.' }),
    id: Type.String({ description: 'The role id.' }),
    name: Type.String({ description: 'The role name.' }),
    description: Type.String({ description: 'The description.' }),
    type: oneOfLiterals(['User', 'MachineToMachine'], 'Who may hold it: users or machine-to-machine applications.'),
    isDefault: Type.Boolean({ description: 'Given to every new user.' }),
  },
  { ...open, title: 'Role', description: 'A role.' },
);
const Scope = Type.Object(
  {
    tenantId: Type.String({ description: 'Always `default`.' }),
    id: Type.String({ description: 'The permission id.' }),
    resourceId: Type.String({ description: 'The API resource it belongs to.' }),
    name: Type.String({ description: 'The permission name.' }),
    description: nullable(Type.String(), 'The description, or null.'),
    createdAt: Type.Number({ description: 'Creation time (epoch ms).' }),
  },
  { ...open, title: 'Scope', description: 'A permission (API resource scope).' },
);
const Organization = Type.Object(
  {
    tenantId: Type.String({ description: 'Always `default`.' }),
    id: Type.String({ description: 'The organization id (12 characters).' }),
    name: Type.String({ description: 'The organization name.' }),
    description: nullable(Type.String(), 'The description, or null.'),
    customData: JsonObject('Custom data, any JSON object.'),
    isMfaRequired: Type.Boolean({ description: 'Whether members must use MFA.' }),
    isTrustedDeviceAllowed: Type.Boolean({ description: 'Whether members may trust devices for MFA.' }),
    color: Type.Object(
      {
        primaryColor: Type.Optional(Type.String({ description: 'A hex color (`#336699`).' })),
        isDarkModeEnabled: Type.Optional(Type.Boolean({ description: 'Whether the dark mode is on.' })),
        darkPrimaryColor: Type.Optional(Type.String({ description: 'A hex color.' })),
      },
      { ...open, description: 'Sign-in colors.' },
    ),
    branding: Type.Object(
      {
        logoUrl: Type.Optional(Type.String({ description: 'The logo.' })),
        darkLogoUrl: Type.Optional(Type.String({ description: 'The logo in dark mode.' })),
        favicon: Type.Optional(Type.String({ description: 'The favicon.' })),
        darkFavicon: Type.Optional(Type.String({ description: 'The favicon in dark mode.' })),
      },
      { ...open, description: 'Sign-in logos and favicons (URLs).' },
    ),
    customCss: nullable(Type.String(), 'Custom CSS, or null.'),
    createdAt: Type.Number({ description: 'Creation time (epoch ms).' }),
  },
  { ...open, title: 'Organization', description: 'An organization.' },
);
const OrganizationRole = Type.Object(
  {
    tenantId: Type.String({ description: 'Always `default`.' }),
    id: Type.String({ description: 'The organization role id.' }),
    name: Type.String({ description: 'The role name.' }),
    description: nullable(Type.String(), 'The description, or null.'),
    type: oneOfLiterals(['User', 'MachineToMachine'], 'Who may hold it: users or machine-to-machine applications.'),
  },
  { ...open, title: 'OrganizationRole', description: 'An organization role.' },
);
const OrganizationScope = Type.Object(
  {
    tenantId: Type.String({ description: 'Always `default`.' }),
    id: Type.String({ description: 'The organization permission id.' }),
    name: Type.String({ description: 'The permission name.' }),
    description: nullable(Type.String(), 'The description, or null.'),
  },
  { ...open, title: 'OrganizationScope', description: 'An organization permission (organization scope).' },
);

// Fields every payload shares, and the contexts of each kind of source.

const head = (name: string) => ({
  event: Type.Literal(name, { description: 'The event name.' }),
  createdAt: Type.String({ format: 'date-time', description: 'When the event was emitted (ISO 8601, UTC).' }),
});
const tail = {
  hookId: Type.String({ description: 'The hook this delivery is for (appended to each delivery).' }),
};
const userAgent = Type.Optional(
  Type.String({
    maxLength: 512,
    description: 'The User-Agent of the request that caused the event (cut to 512 characters); absent without one.',
  }),
);
const ip = Type.String({
  description: 'The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw).',
});

const INTERACTION_EVENTS = ['SignIn', 'Register', 'ForgotPassword'] as const;

/** Each field optional, its description saying when it is there. */
function onlyIn(fields: TProperties, where: string): TProperties {
  return Object.fromEntries(
    Object.entries(fields).map(([key, schema]) => [
      key,
      Type.Optional({ ...schema, description: `${(schema as { description?: string }).description} ${where} only.` }),
    ]),
  );
}

/** `{path, method, status, params, matchedRoute}` of a Management API request (mutation.ts), for `routes`. */
function managementFields(routes: readonly string[]) {
  const methods = [...new Set(routes.map((r) => r.split(' ')[0]!))];
  const matched = [...new Set(routes.map((r) => r.split(' ')[1]!.replace(/^\/api/, '')))];
  return {
    path: Type.String({ description: 'The request path, without the `/api` prefix.' }),
    method: oneOfLiterals(methods, 'The request method.'),
    status: Type.Integer({ description: 'The response status.' }),
    params: Type.Record(Type.String(), Type.String(), { description: 'The route parameters.' }),
    matchedRoute: oneOfLiterals(matched, 'The route pattern, without the `/api` prefix.'),
  };
}
const MANAGEMENT_KEYS = ['path', 'method', 'status', 'params', 'matchedRoute'] as const;

/** What an Experience API flow adds to the data and exception events it raises (`flowContext`). */
function flowFields(interactionEvents: readonly string[]) {
  return {
    interactionEvent: oneOfLiterals(interactionEvents, `The interaction: ${interactionEvents.join(', ')}.`),
    applicationId: Type.String({
      description: 'The interaction\'s application id; `""` when it has none (as Logto).',
    }),
    sessionId: Type.String({ description: 'The interaction id.' }),
  };
}
const FLOW_KEYS = ['interactionEvent', 'applicationId', 'sessionId'] as const;
const flowApplication = Type.Optional({
  ...Application,
  description: "The interaction's application `{id, type, name, description}`, when it has one.",
});

/** A payload: closed (every field Herald sends is listed), with `oneOf` for sources whose fields differ. */
function payload(
  properties: TProperties,
  variants?: readonly { description: string; required: readonly string[] }[],
): TObject {
  return Type.Object(properties, {
    additionalProperties: false,
    ...(variants ? { oneOf: variants.map((v) => ({ description: v.description, required: [...v.required] })) } : {}),
  });
}

/** A data event of the Management API's routes (`mutate`). */
function managementEvent(name: HookEvent, routes: readonly string[], extra: TProperties): TObject {
  return payload({ ...head(name), userAgent, ip, ...managementFields(routes), ...extra, ...tail });
}

/** A data event the Management API and an Experience API flow both emit: one source's fields or the other's. */
function managementOrFlowEvent(
  name: HookEvent,
  routes: readonly string[],
  interactionEvents: readonly string[],
  data: TSchema,
): TObject {
  return payload(
    {
      ...head(name),
      ...onlyIn(flowFields(interactionEvents), 'Experience API'),
      userAgent,
      ip,
      application: Type.Optional({
        ...Application,
        description: "The interaction's application, when it has one. Experience API only.",
      }),
      ...onlyIn(managementFields(routes), 'Management API'),
      data,
      ...tail,
    },
    [
      { description: 'From the Management API', required: MANAGEMENT_KEYS },
      { description: 'From an Experience API flow', required: FLOW_KEYS },
    ],
  );
}

/** An interaction event (`PostRegister`, …), as submit emits it. */
function interactionEvent(name: HookEvent, interaction: string, extra: TProperties = {}): TObject {
  return payload({
    ...head(name),
    interactionEvent: Type.Literal(interaction, { description: 'The interaction that ended.' }),
    sessionId: Type.String({ description: 'The interaction id.' }),
    userAgent,
    userId: Type.String({ description: 'The user id.' }),
    userIp: Type.String({ description: 'The client address (note: `userIp` here, `ip` in other events).' }),
    user: { ...User, description: 'The user after the interaction.' },
    application: flowApplication,
    ...extra,
    ...tail,
  });
}

/** An exception event raised by an Experience API flow (`emitException`). */
function flowException(name: HookEvent, extra: TProperties): TObject {
  return payload({
    ...head(name),
    ...flowFields(INTERACTION_EVENTS),
    userAgent,
    ip,
    application: flowApplication,
    ...extra,
    ...tail,
  });
}

/** `SyncHook.Denied` / `SyncHook.Failed` (gate.ts). */
function syncHookEvent(name: HookEvent, extra: TProperties): TObject {
  return payload({
    ...head(name),
    syncHookId: Type.String({ description: 'The synchronous hook.' }),
    syncHookName: Type.String({ description: "The synchronous hook's name." }),
    callId: Type.String({ description: 'The call, as `GET /api/sync-hooks/:id/calls` lists it.' }),
    phase: oneOfLiterals(['PreRegister', 'PreSignIn', 'PrePasswordReset'], 'The phase.'),
    interactionEvent: Type.Union([...INTERACTION_EVENTS.map((e) => Type.Literal(e)), Type.Null()], {
      description: 'The interaction (Register, SignIn, ForgotPassword); null for `POST /api/users`.',
    }),
    sessionId: nullable(Type.String(), 'The interaction id; null for `POST /api/users`.'),
    userAgent,
    userIp: Type.String({ description: 'The client address.' }),
    application: flowApplication,
    userId: Type.String({ description: 'The user id (at PreRegister, the id the user will get).' }),
    user: SyncHookUser,
    ...extra,
    ...tail,
  });
}

const membershipDelta = {
  addedUserIds: Type.Optional(ids('Users who joined (left out when none; at most 5 000).')),
  removedUserIds: Type.Optional(ids('Users who left (left out when none; at most 5 000).')),
  addedApplicationIds: Type.Optional(ids('Applications that joined (left out when none; at most 5 000).')),
  removedApplicationIds: Type.Optional(ids('Applications that left (left out when none; at most 5 000).')),
};

// Examples: realistic deliveries, each valid against its schema (checked by the tests).

const AT = '2026-01-15T09:30:00.000Z';
const AT_MS = Date.parse(AT);
const HOOK_ID = 'p2k7w9x4m1c8v3n6b5z0q';
const UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15';
const SERVER_UA = 'acme-provisioning/2.3 (+https://acme.example)';
const CLIENT_IP = '203.0.113.24';
const SERVER_IP = '10.0.4.17';
const USER_ID = 'r8f2k5d9w1m4c7x0b3n6p';
const SESSION_ID = 'm7c2x9v4b1n8k3j6h5g0f';
const APP_ID = 'a4k9d2w7x1c6v3b8n5m0q';
const ORG_ID = 'q3h8b2x6k9d4';

const exampleUser = {
  id: USER_ID,
  username: 'ada_lovelace',
  primaryEmail: 'ada@example.com',
  primaryPhone: null,
  name: 'Ada Lovelace',
  avatar: null,
  customData: { plan: 'pro' },
  identities: {},
  lastSignInAt: AT_MS,
  createdAt: AT_MS - 86_400_000,
  updatedAt: AT_MS,
  profile: { givenName: 'Ada', familyName: 'Lovelace' },
  applicationId: APP_ID,
  cimdClientId: null,
  isSuspended: false,
};
const exampleApplication = { id: APP_ID, type: 'SPA', name: 'Acme Portal', description: 'The customer portal' };
const exampleRole = {
  tenantId: 'default',
  id: 'k1v6c3x8n2b7m4d9w5f0h',
  name: 'editor',
  description: 'Edits articles',
  type: 'User',
  isDefault: false,
};
const exampleScope = {
  tenantId: 'default',
  id: 's5n1b8v3c6x2m9k4d7w0j',
  resourceId: 'e2d7w4x9c1v6b3n8m5k0l',
  name: 'write:articles',
  description: 'Write articles',
  createdAt: AT_MS,
};
const exampleOrganization = {
  tenantId: 'default',
  id: ORG_ID,
  name: 'Acme',
  description: 'Acme Corporation',
  customData: { tier: 'enterprise' },
  isMfaRequired: false,
  isTrustedDeviceAllowed: false,
  color: {},
  branding: {},
  customCss: null,
  createdAt: AT_MS,
};
const exampleOrganizationRole = {
  tenantId: 'default',
  id: 'o9w4c7x2v5b8n1m6k3d0g',
  name: 'admin',
  description: 'Administers the organization',
  type: 'User',
};
const exampleOrganizationScope = {
  tenantId: 'default',
  id: 'z6x1c4v9b2n7m3k8d5w0t',
  name: 'invite:members',
  description: 'Invite members',
};

/** A Management API example: the context of `route` with `params` filled in. */
function managementExample(name: HookEvent, route: string, status: number, params: Record<string, string>) {
  const [method, pattern] = route.split(' ') as [string, string];
  const matchedRoute = pattern.replace(/^\/api/, '');
  const path = Object.entries(params).reduce((p, [key, value]) => p.replace(`:${key}`, value), matchedRoute);
  return {
    event: name,
    createdAt: AT,
    userAgent: SERVER_UA,
    ip: SERVER_IP,
    path,
    method,
    status,
    params,
    matchedRoute,
  };
}
const flowExample = (interaction: string) => ({
  interactionEvent: interaction,
  userAgent: UA,
  applicationId: APP_ID,
  sessionId: SESSION_ID,
  ip: CLIENT_IP,
  application: exampleApplication,
});
const interactionExample = (name: HookEvent, interaction: string) => ({
  event: name,
  interactionEvent: interaction,
  createdAt: AT,
  sessionId: SESSION_ID,
  userAgent: UA,
  userId: USER_ID,
  userIp: CLIENT_IP,
  user: exampleUser,
  application: exampleApplication,
});

// The events.

interface Definition {
  /** When it fires, in a sentence or two. */
  firesWhen: string;
  /** The routes (`METHOD /api/…`) and flows that emit it; empty: Herald never emits it. */
  emittedBy: readonly string[];
  schema: TObject;
  example: Record<string, unknown>;
}

const SUBMIT = 'Experience API: `POST /api/experience/submit`';
const USER_ROUTES = {
  data: [
    'PATCH /api/users/:userId',
    'PATCH /api/users/:userId/custom-data',
    'PATCH /api/users/:userId/profile',
    'PATCH /api/users/:userId/password',
  ],
  roles: [
    'POST /api/users/:userId/roles',
    'PUT /api/users/:userId/roles',
    'DELETE /api/users/:userId/roles/:roleId',
    'POST /api/roles/:id/users',
    'DELETE /api/roles/:id/users/:userId',
  ],
} as const;
const ROLE_SCOPE_ROUTES = ['POST /api/roles', 'POST /api/roles/:id/scopes', 'DELETE /api/roles/:id/scopes/:scopeId'];
const MEMBERSHIP_ROUTES = [
  'POST /api/organizations/:id/users',
  'PUT /api/organizations/:id/users',
  'DELETE /api/organizations/:id/users/:userId',
  'POST /api/organizations/:id/applications',
  'PUT /api/organizations/:id/applications',
  'DELETE /api/organizations/:id/applications/:applicationId',
  'PUT /api/organization-invitations/:id/status',
];
const MEMBER_ROLE_ROUTES = [
  'POST /api/organizations/:id/users/:userId/roles',
  'PUT /api/organizations/:id/users/:userId/roles',
  'DELETE /api/organizations/:id/users/:userId/roles/:organizationRoleId',
  'POST /api/organizations/:id/users/roles',
  'PUT /api/organization-invitations/:id/status',
];
const ORG_ROLE_SCOPE_ROUTES = [
  'POST /api/organization-roles',
  'POST /api/organization-roles/:id/scopes',
  'PUT /api/organization-roles/:id/scopes',
  'DELETE /api/organization-roles/:id/scopes/:organizationScopeId',
];
const SYNC_HOOK_FLOWS = [
  '`POST /api/users` (PreRegister)',
  'Experience API: `POST /api/experience/identification` in a Register interaction (PreRegister)',
  `${SUBMIT} in a SignIn interaction (PreSignIn)`,
  `${SUBMIT} in a ForgotPassword interaction (PrePasswordReset)`,
];

/** A data event of one route whose `data` is the entity the route answers (or none, for a delete). */
function entityEvent(
  name: HookEvent,
  firesWhen: string,
  route: string,
  status: number,
  params: Record<string, string>,
  entity?: { schema: TSchema; example: unknown; description: string },
): Definition {
  const extra: TProperties = entity ? { data: { ...entity.schema, description: entity.description } } : {};
  return {
    firesWhen,
    emittedBy: [route],
    schema: managementEvent(name, [route], extra),
    example: {
      ...managementExample(name, route, status, params),
      ...(entity ? { data: entity.example } : {}),
      hookId: HOOK_ID,
    },
  };
}

const definitions: { readonly [N in HookEvent]: Definition } = {
  PostRegister: {
    firesWhen: 'A user finished signing up: the Experience API submit of a Register interaction.',
    emittedBy: [`${SUBMIT} in a Register interaction`],
    schema: interactionEvent('PostRegister', 'Register'),
    example: { ...interactionExample('PostRegister', 'Register'), hookId: HOOK_ID },
  },
  PostSignIn: {
    firesWhen: 'A user finished signing in: the Experience API submit of a SignIn interaction.',
    emittedBy: [`${SUBMIT} in a SignIn interaction`],
    schema: interactionEvent('PostSignIn', 'SignIn'),
    example: { ...interactionExample('PostSignIn', 'SignIn'), hookId: HOOK_ID },
  },
  PostSignInAdaptiveMfaTriggered: {
    firesWhen:
      "Logto's adaptive MFA asked a signing-in user for a second factor. Herald has no adaptive MFA and never emits it; hooks may subscribe to it (as in Logto), and the schema is Logto's payload.",
    emittedBy: [],
    schema: interactionEvent('PostSignInAdaptiveMfaTriggered', 'SignIn', {
      adaptiveMfaResult: Type.Object(
        {
          requiresMfa: Type.Boolean({ description: 'Whether MFA was required.' }),
          triggeredRules: Type.Array(
            Type.Object({ rule: Type.String({ description: 'The rule, as `untrusted_ip`.' }) }, open),
            {
              description: 'The rules that triggered, `{rule, …}` each.',
            },
          ),
        },
        { ...open, description: "Logto's adaptive MFA verdict." },
      ),
    }),
    example: {
      ...interactionExample('PostSignInAdaptiveMfaTriggered', 'SignIn'),
      adaptiveMfaResult: { requiresMfa: true, triggeredRules: [{ rule: 'untrusted_ip' }] },
      hookId: HOOK_ID,
    },
  },
  PostResetPassword: {
    firesWhen: 'A user reset their password: the Experience API submit of a ForgotPassword interaction.',
    emittedBy: [`${SUBMIT} in a ForgotPassword interaction`],
    schema: interactionEvent('PostResetPassword', 'ForgotPassword'),
    example: { ...interactionExample('PostResetPassword', 'ForgotPassword'), hookId: HOOK_ID },
  },
  'User.Created': {
    firesWhen:
      'A user was created: through the Management API, or by an Experience API registration (at identification, before the submit).',
    emittedBy: ['POST /api/users', 'Experience API: `POST /api/experience/identification` in a Register interaction'],
    schema: managementOrFlowEvent('User.Created', ['POST /api/users'], ['Register'], {
      ...User,
      description: 'The user created (from `POST /api/users`, the response body, with `hasPassword`).',
    }),
    example: {
      ...managementExample('User.Created', 'POST /api/users', 200, {}),
      data: { ...exampleUser, lastSignInAt: null, applicationId: null, hasPassword: true },
      hookId: HOOK_ID,
    },
  },
  'User.Deleted': entityEvent(
    'User.Deleted',
    'A user was deleted.',
    'DELETE /api/users/:userId',
    204,
    { userId: USER_ID },
    {
      schema: User,
      example: exampleUser,
      description: 'The user as it was before the deletion.',
    },
  ),
  'User.Data.Updated': {
    firesWhen:
      "A user's profile, custom data or password changed: through the Management API, at an Experience API sign-in that added to the profile, and at every password reset.",
    emittedBy: [
      ...USER_ROUTES.data,
      `${SUBMIT} in a SignIn interaction that changed the profile`,
      `${SUBMIT} in a ForgotPassword interaction`,
    ],
    schema: managementOrFlowEvent(
      'User.Data.Updated',
      USER_ROUTES.data,
      ['SignIn', 'ForgotPassword'],
      Type.Union([User, JsonObject()], {
        description:
          'The user (`PATCH /users/:userId`, `…/password`, the Experience API), or the merged custom data (`…/custom-data`) or profile (`…/profile`).',
      }),
    ),
    example: {
      ...managementExample('User.Data.Updated', 'PATCH /api/users/:userId', 200, { userId: USER_ID }),
      data: { ...exampleUser, name: 'Ada King', hasPassword: true },
      hookId: HOOK_ID,
    },
  },
  'User.SuspensionStatus.Updated': entityEvent(
    'User.SuspensionStatus.Updated',
    'A user was suspended or reactivated.',
    'PATCH /api/users/:userId/is-suspended',
    200,
    { userId: USER_ID },
    {
      schema: User,
      example: { ...exampleUser, isSuspended: true, hasPassword: true },
      description: 'The user after the change (`isSuspended`).',
    },
  ),
  'Role.Created': entityEvent(
    'Role.Created',
    'A role was created.',
    'POST /api/roles',
    200,
    {},
    {
      schema: Role,
      example: exampleRole,
      description: 'The role created.',
    },
  ),
  'Role.Deleted': entityEvent(
    'Role.Deleted',
    'A role was deleted (its holders lose it without `User.Roles.Updated`).',
    'DELETE /api/roles/:id',
    204,
    {
      id: exampleRole.id,
    },
  ),
  'Role.Data.Updated': entityEvent(
    'Role.Data.Updated',
    "A role's name, description or default flag changed.",
    'PATCH /api/roles/:id',
    200,
    { id: exampleRole.id },
    {
      schema: Role,
      example: { ...exampleRole, description: 'Edits and publishes articles' },
      description: 'The role after the change.',
    },
  ),
  'Role.Scopes.Updated': {
    firesWhen:
      "A role's permissions changed: permissions added or removed, or a role created with `scopeIds` (then before its `Role.Created`, with `roleId`).",
    emittedBy: ROLE_SCOPE_ROUTES.map((r) => (r === 'POST /api/roles' ? `${r} (with \`scopeIds\`)` : r)),
    schema: managementEvent('Role.Scopes.Updated', ROLE_SCOPE_ROUTES, {
      roleId: Type.Optional(Type.String({ description: 'The role created; `POST /api/roles` only.' })),
      data: Type.Optional(
        Type.Array(Scope, {
          description:
            "The role's permissions now: every one linked (`POST /roles/:id/scopes`) or those given at creation (`POST /roles`); absent for a removal.",
        }),
      ),
    }),
    example: {
      ...managementExample('Role.Scopes.Updated', 'POST /api/roles/:id/scopes', 201, { id: exampleRole.id }),
      data: [exampleScope],
      hookId: HOOK_ID,
    },
  },
  'Scope.Created': entityEvent(
    'Scope.Created',
    'A permission (API resource scope) was created.',
    'POST /api/resources/:resourceId/scopes',
    201,
    { resourceId: exampleScope.resourceId },
    { schema: Scope, example: exampleScope, description: 'The permission created.' },
  ),
  'Scope.Deleted': entityEvent(
    'Scope.Deleted',
    'A permission was deleted.',
    'DELETE /api/resources/:resourceId/scopes/:scopeId',
    204,
    { resourceId: exampleScope.resourceId, scopeId: exampleScope.id },
  ),
  'Scope.Data.Updated': entityEvent(
    'Scope.Data.Updated',
    "A permission's name or description changed.",
    'PATCH /api/resources/:resourceId/scopes/:scopeId',
    200,
    { resourceId: exampleScope.resourceId, scopeId: exampleScope.id },
    {
      schema: Scope,
      example: { ...exampleScope, description: 'Write and publish articles' },
      description: 'The permission after the change.',
    },
  ),
  'Organization.Created': entityEvent(
    'Organization.Created',
    'An organization was created.',
    'POST /api/organizations',
    201,
    {},
    {
      schema: Organization,
      example: exampleOrganization,
      description: 'The organization created.',
    },
  ),
  'Organization.Deleted': entityEvent(
    'Organization.Deleted',
    'An organization was deleted.',
    'DELETE /api/organizations/:id',
    204,
    {
      id: ORG_ID,
    },
  ),
  'Organization.Data.Updated': entityEvent(
    'Organization.Data.Updated',
    "An organization's data changed.",
    'PATCH /api/organizations/:id',
    200,
    { id: ORG_ID },
    {
      schema: Organization,
      example: { ...exampleOrganization, isMfaRequired: true },
      description: 'The organization after the change.',
    },
  ),
  'Organization.Membership.Updated': {
    firesWhen:
      'Users or applications joined or left an organization: sent for every membership request, even when nothing changed (then with `organizationId` alone), and when an accepted invitation adds its invitee.',
    emittedBy: MEMBERSHIP_ROUTES.map((r) => (r.includes('invitations') ? `${r} (\`Accepted\`)` : r)),
    schema: managementEvent('Organization.Membership.Updated', MEMBERSHIP_ROUTES, {
      organizationId: Type.String({ description: 'The organization.' }),
      ...membershipDelta,
    }),
    example: {
      ...managementExample('Organization.Membership.Updated', 'POST /api/organizations/:id/users', 201, { id: ORG_ID }),
      organizationId: ORG_ID,
      addedUserIds: [USER_ID],
      hookId: HOOK_ID,
    },
  },
  'OrganizationRole.Created': entityEvent(
    'OrganizationRole.Created',
    'An organization role was created.',
    'POST /api/organization-roles',
    201,
    {},
    { schema: OrganizationRole, example: exampleOrganizationRole, description: 'The organization role created.' },
  ),
  'OrganizationRole.Deleted': entityEvent(
    'OrganizationRole.Deleted',
    'An organization role was deleted (its holders lose it without `Organization.Membership.Roles.Updated`).',
    'DELETE /api/organization-roles/:id',
    204,
    { id: exampleOrganizationRole.id },
  ),
  'OrganizationRole.Data.Updated': entityEvent(
    'OrganizationRole.Data.Updated',
    "An organization role's name, description or type changed.",
    'PATCH /api/organization-roles/:id',
    200,
    { id: exampleOrganizationRole.id },
    {
      schema: OrganizationRole,
      example: { ...exampleOrganizationRole, description: 'Runs the organization' },
      description: 'The organization role after the change.',
    },
  ),
  'OrganizationRole.Scopes.Updated': {
    firesWhen:
      "An organization role's permissions changed: organization scopes added, replaced or removed, or a role created with scope ids (then before its `OrganizationRole.Created`, with `organizationRoleId`).",
    emittedBy: ORG_ROLE_SCOPE_ROUTES.map((r) =>
      r === 'POST /api/organization-roles' ? `${r} (with \`organizationScopeIds\` or \`resourceScopeIds\`)` : r,
    ),
    schema: managementEvent('OrganizationRole.Scopes.Updated', ORG_ROLE_SCOPE_ROUTES, {
      organizationRoleId: Type.Optional(
        Type.String({ description: 'The organization role created; `POST /api/organization-roles` only.' }),
      ),
    }),
    example: {
      ...managementExample('OrganizationRole.Scopes.Updated', 'PUT /api/organization-roles/:id/scopes', 204, {
        id: exampleOrganizationRole.id,
      }),
      hookId: HOOK_ID,
    },
  },
  'OrganizationScope.Created': entityEvent(
    'OrganizationScope.Created',
    'An organization permission was created.',
    'POST /api/organization-scopes',
    201,
    {},
    {
      schema: OrganizationScope,
      example: exampleOrganizationScope,
      description: 'The organization permission created.',
    },
  ),
  'OrganizationScope.Deleted': entityEvent(
    'OrganizationScope.Deleted',
    'An organization permission was deleted.',
    'DELETE /api/organization-scopes/:id',
    204,
    { id: exampleOrganizationScope.id },
  ),
  'OrganizationScope.Data.Updated': entityEvent(
    'OrganizationScope.Data.Updated',
    "An organization permission's name or description changed.",
    'PATCH /api/organization-scopes/:id',
    200,
    { id: exampleOrganizationScope.id },
    {
      schema: OrganizationScope,
      example: { ...exampleOrganizationScope, description: 'Invite and remove members' },
      description: 'The organization permission after the change.',
    },
  ),
  'Identifier.Lockout': {
    firesWhen:
      'An identifier (and the account it names) was locked after HERALD_LOCKOUT_MAX_ATTEMPTS failed verifications: once, by the attempt that locks; committed although that request fails.',
    emittedBy: [
      'Experience API: `POST /api/experience/verification/password`',
      'Experience API: `POST /api/experience/verification/verification-code/verify`',
    ],
    schema: flowException('Identifier.Lockout', {
      type: oneOfLiterals(['username', 'email', 'phone'], 'The kind of identifier.'),
      value: Type.String({ description: 'The identifier, as typed.' }),
    }),
    example: {
      event: 'Identifier.Lockout',
      createdAt: AT,
      ...flowExample('SignIn'),
      type: 'username',
      value: 'ada_lovelace',
      hookId: HOOK_ID,
    },
  },
  'Message.RateLimited': {
    firesWhen:
      'Sending a verification code was refused by a rate limit (per mailbox or phone, per client, or for the server): the first refusal of each limit in a window; committed although that request fails (429).',
    emittedBy: ['Experience API: `POST /api/experience/verification/verification-code`'],
    schema: flowException('Message.RateLimited', {
      action: Type.Literal('VerificationCodeSend', { description: 'What was refused.' }),
      recipient: Type.String({ description: 'The email address or phone number, as typed.' }),
    }),
    example: {
      event: 'Message.RateLimited',
      createdAt: AT,
      ...flowExample('Register'),
      action: 'VerificationCodeSend',
      recipient: 'ada@example.com',
      hookId: HOOK_ID,
    },
  },
  'Grant.LimitExceeded': {
    firesWhen:
      "Logto revoked a user's oldest grants of an application past its `maxAllowedGrants`. Herald issues no OIDC grants and never emits it; hooks may subscribe to it (as in Logto), and the schema is Logto's payload.",
    emittedBy: [],
    schema: payload({
      ...head('Grant.LimitExceeded'),
      userId: Type.String({ description: 'The user whose grants were revoked.' }),
      applicationId: Type.Optional(Type.String({ description: 'The application; absent for a CIMD client.' })),
      cimdClientId: Type.Optional(Type.String({ description: 'The CIMD client, instead of `applicationId`.' })),
      revokedGrantIds: ids('The grants revoked.'),
      maxAllowedGrants: Type.Number({ description: "The application's limit." }),
      preRevocationActiveGrantCount: Type.Number({ description: 'Active grants before the revocation.' }),
      ip: Type.Optional(Type.String({ description: 'The client address.' })),
      userAgent,
      ...tail,
    }),
    example: {
      event: 'Grant.LimitExceeded',
      createdAt: AT,
      userId: USER_ID,
      applicationId: APP_ID,
      revokedGrantIds: ['g3b8n1m6k4d9w2x7c5v0f'],
      maxAllowedGrants: 5,
      preRevocationActiveGrantCount: 6,
      ip: CLIENT_IP,
      userAgent: UA,
      hookId: HOOK_ID,
    },
  },
  'Organization.Membership.Roles.Updated': {
    firesWhen:
      "Herald's extension (logto-io/logto#6750): a member's organization roles changed; sent only when a role was added or removed (one event per user for the bulk route), and when an accepted invitation gives roles.",
    emittedBy: MEMBER_ROLE_ROUTES.map((r) => (r.includes('invitations') ? `${r} (\`Accepted\`)` : r)),
    schema: managementEvent('Organization.Membership.Roles.Updated', MEMBER_ROLE_ROUTES, {
      organizationId: Type.String({ description: 'The organization.' }),
      userId: Type.String({ description: 'The member.' }),
      addedOrganizationRoleIds: Type.Optional(ids('Roles given (left out when none; at most 5 000).')),
      removedOrganizationRoleIds: Type.Optional(ids('Roles taken (left out when none; at most 5 000).')),
    }),
    example: {
      ...managementExample(
        'Organization.Membership.Roles.Updated',
        'POST /api/organizations/:id/users/:userId/roles',
        201,
        { id: ORG_ID, userId: USER_ID },
      ),
      organizationId: ORG_ID,
      userId: USER_ID,
      addedOrganizationRoleIds: [exampleOrganizationRole.id],
      hookId: HOOK_ID,
    },
  },
  'User.Roles.Updated': {
    firesWhen:
      "Herald's extension: a user's roles changed; sent only when a role was added or removed, one event per user.",
    emittedBy: USER_ROUTES.roles,
    schema: managementEvent('User.Roles.Updated', USER_ROUTES.roles, {
      userId: Type.String({ description: 'The user.' }),
      addedRoleIds: Type.Optional(ids('Roles given (left out when none; at most 5 000).')),
      removedRoleIds: Type.Optional(ids('Roles taken (left out when none; at most 5 000).')),
    }),
    example: {
      ...managementExample('User.Roles.Updated', 'PUT /api/users/:userId/roles', 200, { userId: USER_ID }),
      userId: USER_ID,
      addedRoleIds: [exampleRole.id],
      removedRoleIds: ['j8d3w6x1c9v4b7n2m5k0s'],
      hookId: HOOK_ID,
    },
  },
  'SyncHook.Denied': {
    firesWhen:
      "Herald's extension: a synchronous hook denied a sign-up, sign-in or password reset (the request answered 403 `hook.denied`; nothing was changed).",
    emittedBy: SYNC_HOOK_FLOWS,
    schema: syncHookEvent('SyncHook.Denied', {
      code: Type.String({ description: "The hook's code (`[a-z0-9_.]{1,64}`)." }),
      message: Type.String({ description: "The hook's message, or `The request was denied.`" }),
    }),
    example: {
      event: 'SyncHook.Denied',
      createdAt: AT,
      syncHookId: 'y5t0r7e2w9q4u1i6o3p8a',
      syncHookName: 'sign-up policy',
      callId: 'mkf3a9x1b7c5d2e8f4g6h',
      phase: 'PreRegister',
      interactionEvent: 'Register',
      sessionId: SESSION_ID,
      userAgent: UA,
      userIp: CLIENT_IP,
      application: exampleApplication,
      userId: USER_ID,
      user: {
        ...exampleUser,
        primaryEmail: 'joe@mailinator.com',
        lastSignInAt: null,
        createdAt: null,
        updatedAt: null,
      },
      code: 'disposable_email',
      message: 'Please sign up with a permanent email address.',
      hookId: HOOK_ID,
    },
  },
  'SyncHook.Failed': {
    firesWhen:
      "Herald's extension: a synchronous hook failed (timeout, error status, bad answer, refused destination, phase budget spent); its `failurePolicy` decided the `outcome`.",
    emittedBy: SYNC_HOOK_FLOWS,
    schema: syncHookEvent('SyncHook.Failed', {
      error: nullable(Type.String(), 'What went wrong (URLs without credentials or query values).'),
      statusCode: nullable(Type.Integer(), "The endpoint's status, or null when it gave none."),
      failurePolicy: oneOfLiterals(['open', 'closed'], "The hook's failure policy."),
      outcome: oneOfLiterals(['allowed', 'denied'], 'What Herald did: `open` allows, `closed` denies (503).'),
    }),
    example: {
      event: 'SyncHook.Failed',
      createdAt: AT,
      syncHookId: 'y5t0r7e2w9q4u1i6o3p8a',
      syncHookName: 'risk check',
      callId: 'mkf3a9x1b7c5d2e8f4g6h',
      phase: 'PreSignIn',
      interactionEvent: 'SignIn',
      sessionId: SESSION_ID,
      userAgent: UA,
      userIp: CLIENT_IP,
      application: exampleApplication,
      userId: USER_ID,
      user: exampleUser,
      error: 'the request timed out after 2000 ms',
      statusCode: null,
      failurePolicy: 'open',
      outcome: 'allowed',
      hookId: HOOK_ID,
    },
  },
};

/**
 * The entities the payloads carry, each with its `title` (the payloads embed copies, with their own
 * `description`, that keep the title): the reference documents each once.
 */
export const EVENT_OBJECTS: readonly TObject[] = [
  User,
  SyncHookUser,
  Application,
  Role,
  Scope,
  Organization,
  OrganizationRole,
  OrganizationScope,
];

/** One event of the reference: the catalog's entry with its payload schema, sources and example. */
export interface EventReference {
  readonly name: HookEvent;
  readonly category: EventCategory;
  readonly group: EventGroup;
  readonly extension: boolean;
  /** The catalog's one-line description. */
  readonly description: string;
  /** When it fires. */
  readonly firesWhen: string;
  /** The routes (`METHOD /api/…`) and flows that emit it; empty when Herald never emits it. */
  readonly emittedBy: readonly string[];
  /** JSON Schema of the delivered body (`hookId` included). */
  readonly schema: TObject;
  /** A delivery of this event, valid against `schema`. */
  readonly example: Readonly<Record<string, unknown>>;
}

const isAvailable = (e: CatalogEntry): e is Extract<CatalogEntry, { available: true }> => e.available;

/** Every event a hook may take, in the catalog's order. */
export const EVENT_REFERENCE: readonly EventReference[] = eventCatalog.filter(isAvailable).map((entry) => {
  const definition = definitions[entry.name];
  return {
    name: entry.name,
    category: entry.category,
    group: entry.group,
    extension: entry.extension,
    description: entry.description,
    ...definition,
  };
});

/** The JSON Schema of each event's delivered body, by event name. */
export const EVENT_PAYLOAD_SCHEMAS: { readonly [N in HookEvent]: TObject } = Object.fromEntries(
  HOOK_EVENTS.map((name) => [name, definitions[name].schema]),
) as { [N in HookEvent]: TObject };

/** Events a hook may take that Herald never emits (Logto's, kept for compatibility). */
export const NEVER_EMITTED_EVENTS: readonly HookEvent[] = EVENT_REFERENCE.filter((e) => e.emittedBy.length === 0).map(
  (e) => e.name,
);

/** The JSON Schema of `event`'s delivered body. */
export function eventPayloadSchema(event: HookEvent): TObject {
  return EVENT_PAYLOAD_SCHEMAS[event];
}
