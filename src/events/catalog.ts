/**
 * The event catalog: every event Logto defines (`hookEvents` in @logto/schemas, spelled exactly),
 * with its category, the console group it is shown under, and a one-line description; then Herald's
 * own events (`extension: true`), which Logto lacks and which reach only hooks that name them.
 * test/hooks.api.test.ts checks the Logto names against Logto's package.
 */

export const EVENT_CATEGORIES = ['interaction', 'data', 'exception'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const EVENT_GROUPS = [
  'User',
  'Organization',
  'Role',
  'Organization role',
  'Permission',
  'Organization permission',
  'User interaction',
  'Security',
  'Herald extensions',
] as const;
export type EventGroup = (typeof EVENT_GROUPS)[number];

const interaction = <const N extends string>(name: N, description: string) =>
  ({
    name,
    category: 'interaction',
    group: 'User interaction',
    description,
    extension: false,
    available: true,
  }) as const;
const data = <const N extends string, G extends EventGroup>(name: N, group: G, description: string) =>
  ({ name, category: 'data', group, description, extension: false, available: true }) as const;
/**
 * An event Logto lists but refuses in hooks while its development features are off (the default:
 * `devFeatureHookEvents`), and which Herald never fires: shown in the catalog, refused in hooks.
 */
const gated = <const N extends string, G extends EventGroup>(name: N, group: G, description: string) =>
  ({ name, category: 'data', group, description, extension: false, available: false }) as const;
const exception = <const N extends string>(name: N, description: string) =>
  ({ name, category: 'exception', group: 'Security', description, extension: false, available: true }) as const;
/** A Herald event beyond Logto's list (logto-io/logto#6750 asks for the first two). */
const extension = <const N extends string>(name: N, description: string) =>
  ({ name, category: 'data', group: 'Herald extensions', description, extension: true, available: true }) as const;

export const eventCatalog = [
  interaction('PostRegister', 'A user finished signing up.'),
  interaction('PostSignIn', 'A user finished signing in.'),
  interaction('PostSignInAdaptiveMfaTriggered', 'Adaptive MFA asked a signing-in user for a second factor.'),
  interaction('PostResetPassword', 'A user reset their password.'),
  data('User.Created', 'User', 'A user was created.'),
  data('User.Deleted', 'User', 'A user was deleted.'),
  data('User.Data.Updated', 'User', "A user's profile, custom data or password changed."),
  data('User.SuspensionStatus.Updated', 'User', 'A user was suspended or reactivated.'),
  gated(
    'TrustedDevice.Created',
    'User',
    'A user trusted a device for MFA. Not available: Logto offers it only with its development features on.',
  ),
  gated(
    'TrustedDevice.Deleted',
    'User',
    'A trusted device was removed. Not available: Logto offers it only with its development features on.',
  ),
  data('Role.Created', 'Role', 'A role was created.'),
  data('Role.Deleted', 'Role', 'A role was deleted.'),
  data('Role.Data.Updated', 'Role', "A role's name or description changed."),
  data('Role.Scopes.Updated', 'Role', "A role's permissions changed."),
  data('Scope.Created', 'Permission', 'A permission (API resource scope) was created.'),
  data('Scope.Deleted', 'Permission', 'A permission was deleted.'),
  data('Scope.Data.Updated', 'Permission', "A permission's name or description changed."),
  data('Organization.Created', 'Organization', 'An organization was created.'),
  data('Organization.Deleted', 'Organization', 'An organization was deleted.'),
  data('Organization.Data.Updated', 'Organization', "An organization's data changed."),
  data('Organization.Membership.Updated', 'Organization', 'Users or applications joined or left an organization.'),
  data('OrganizationRole.Created', 'Organization role', 'An organization role was created.'),
  data('OrganizationRole.Deleted', 'Organization role', 'An organization role was deleted.'),
  data('OrganizationRole.Data.Updated', 'Organization role', "An organization role's data changed."),
  data('OrganizationRole.Scopes.Updated', 'Organization role', "An organization role's permissions changed."),
  data('OrganizationScope.Created', 'Organization permission', 'An organization permission was created.'),
  data('OrganizationScope.Deleted', 'Organization permission', 'An organization permission was deleted.'),
  data('OrganizationScope.Data.Updated', 'Organization permission', "An organization permission's data changed."),
  exception('Identifier.Lockout', 'An identifier was locked after too many failed verification attempts.'),
  exception('Message.RateLimited', 'Sending a verification message was refused by the rate limit.'),
  exception('Grant.LimitExceeded', 'A token grant was refused because a limit was exceeded.'),
  extension(
    'Organization.Membership.Roles.Updated',
    "A member's organization roles changed: `organizationId`, `userId`, `addedOrganizationRoleIds`, `removedOrganizationRoleIds`.",
  ),
  extension('User.Roles.Updated', "A user's roles changed: `userId`, `addedRoleIds`, `removedRoleIds`."),
  extension(
    'SyncHook.Denied',
    'A synchronous hook denied a sign-up, sign-in or password reset: `syncHookId`, `phase`, `code`, `message`, the `user` (or candidate) and the request context.',
  ),
  extension(
    'SyncHook.Failed',
    'A synchronous hook failed (timeout, error, bad answer, refused destination): `syncHookId`, `phase`, `error`, `failurePolicy` and `outcome` (`allowed` or `denied`).',
  ),
] as const;

export type CatalogEntry = (typeof eventCatalog)[number];
/** Every event name the catalog knows, those hooks may not take included. */
export type CatalogEventName = CatalogEntry['name'];
/** An event a hook may subscribe to. */
export type HookEvent = Extract<CatalogEntry, { available: true }>['name'];

const isAvailable = (e: CatalogEntry): e is Extract<CatalogEntry, { available: true }> => e.available;
/** The events a hook may take (as Logto with development features off, plus Herald's own). */
export const HOOK_EVENTS: readonly HookEvent[] = eventCatalog.filter(isAvailable).map((e) => e.name);
/** Logto's events a hook may take (what a hook "subscribed to everything Logto has" names). */
export const LOGTO_HOOK_EVENTS: readonly HookEvent[] = eventCatalog
  .filter(isAvailable)
  .filter((e) => !e.extension)
  .map((e) => e.name);
const byName = new Map<string, CatalogEntry>(eventCatalog.map((e) => [e.name, e]));

export const isHookEvent = (name: string): name is HookEvent => byName.get(name)?.available === true;
export const catalogEntry = (name: CatalogEventName): CatalogEntry => byName.get(name) as CatalogEntry;
