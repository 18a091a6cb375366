/**
 * Herald's webhook events: the body of each delivery, `hookId` included, one interface per event
 * a hook may subscribe to, discriminated on `event`.
 *
 * Generated from `src/events/schemas.ts` by `node scripts/generate-events.ts` in Herald's repository;
 * do not edit by hand. The reference with examples: docs/events.md.
 */

/** Every event a hook may subscribe to, in the catalog's order. */
export const EVENT_NAMES = [
  'PostRegister',
  'PostSignIn',
  'PostSignInAdaptiveMfaTriggered',
  'PostResetPassword',
  'User.Created',
  'User.Deleted',
  'User.Data.Updated',
  'User.SuspensionStatus.Updated',
  'Role.Created',
  'Role.Deleted',
  'Role.Data.Updated',
  'Role.Scopes.Updated',
  'Scope.Created',
  'Scope.Deleted',
  'Scope.Data.Updated',
  'Organization.Created',
  'Organization.Deleted',
  'Organization.Data.Updated',
  'Organization.Membership.Updated',
  'OrganizationRole.Created',
  'OrganizationRole.Deleted',
  'OrganizationRole.Data.Updated',
  'OrganizationRole.Scopes.Updated',
  'OrganizationScope.Created',
  'OrganizationScope.Deleted',
  'OrganizationScope.Data.Updated',
  'Identifier.Lockout',
  'Message.RateLimited',
  'Grant.LimitExceeded',
  'Organization.Membership.Roles.Updated',
  'User.Roles.Updated',
  'SyncHook.Denied',
  'SyncHook.Failed',
] as const;

/** An event a hook may subscribe to. */
export type EventName = (typeof EVENT_NAMES)[number];

/**
 * A user finished signing up: the Experience API submit of a Register interaction.
 *
 * Emitted by: Experience API: `POST /api/experience/submit` in a Register interaction.
 */
export interface PostRegisterEvent {
  /** The event name. */
  event: 'PostRegister';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The interaction that ended. */
  interactionEvent: 'Register';
  /** The interaction id. */
  sessionId: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The user id. */
  userId: string;
  /** The client address (note: `userIp` here, `ip` in other events). */
  userIp: string;
  /** The user after the interaction. */
  user: {
    /** The user id. */
    id: string;
    /** The username, or null. */
    username: string | null;
    /** The primary email, or null. */
    primaryEmail: string | null;
    /** The primary phone in Logto's stored form (digits, country code), or null. */
    primaryPhone: string | null;
    /** The display name, or null. */
    name: string | null;
    /** The avatar URL, or null. */
    avatar: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Social identities, by connector target. */
    identities: Record<
      string,
      {
        /** The user's id at the connector. */
        userId: string;
        /** The connector's details. */
        details?: Record<string, unknown>;
        [key: string]: unknown;
      }
    >;
    /** Last sign-in (epoch ms), or null. */
    lastSignInAt: number | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    /** Last change (epoch ms). */
    updatedAt: number;
    /** OpenID Connect standard profile claims, each optional. */
    profile: {
      /** OpenID Connect `family_name`. */
      familyName?: string;
      /** OpenID Connect `given_name`. */
      givenName?: string;
      /** OpenID Connect `middle_name`. */
      middleName?: string;
      /** OpenID Connect `nickname`. */
      nickname?: string;
      /** OpenID Connect `preferred_username`. */
      preferredUsername?: string;
      /** OpenID Connect `profile`. */
      profile?: string;
      /** OpenID Connect `website`. */
      website?: string;
      /** OpenID Connect `gender`. */
      gender?: string;
      /** OpenID Connect `birthdate`. */
      birthdate?: string;
      /** OpenID Connect `zoneinfo`. */
      zoneinfo?: string;
      /** OpenID Connect `locale`. */
      locale?: string;
      /** OpenID Connect `address`. */
      address?: {
        /** OpenID Connect `formatted`. */
        formatted?: string;
        /** OpenID Connect `street_address`. */
        streetAddress?: string;
        /** OpenID Connect `locality`. */
        locality?: string;
        /** OpenID Connect `region`. */
        region?: string;
        /** OpenID Connect `postal_code`. */
        postalCode?: string;
        /** OpenID Connect `country`. */
        country?: string;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    /** The application the user registered through, or null. */
    applicationId: string | null;
    /** Logto's CIMD client id; always null in Herald. */
    cimdClientId: string | null;
    /** Whether the user is suspended. */
    isSuspended: boolean;
    /** Whether the user has a password; in Management API responses only. */
    hasPassword?: boolean;
    [key: string]: unknown;
  };
  /** The interaction's application `{id, type, name, description}`, when it has one. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A user finished signing in: the Experience API submit of a SignIn interaction.
 *
 * Emitted by: Experience API: `POST /api/experience/submit` in a SignIn interaction.
 */
export interface PostSignInEvent {
  /** The event name. */
  event: 'PostSignIn';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The interaction that ended. */
  interactionEvent: 'SignIn';
  /** The interaction id. */
  sessionId: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The user id. */
  userId: string;
  /** The client address (note: `userIp` here, `ip` in other events). */
  userIp: string;
  /** The user after the interaction. */
  user: {
    /** The user id. */
    id: string;
    /** The username, or null. */
    username: string | null;
    /** The primary email, or null. */
    primaryEmail: string | null;
    /** The primary phone in Logto's stored form (digits, country code), or null. */
    primaryPhone: string | null;
    /** The display name, or null. */
    name: string | null;
    /** The avatar URL, or null. */
    avatar: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Social identities, by connector target. */
    identities: Record<
      string,
      {
        /** The user's id at the connector. */
        userId: string;
        /** The connector's details. */
        details?: Record<string, unknown>;
        [key: string]: unknown;
      }
    >;
    /** Last sign-in (epoch ms), or null. */
    lastSignInAt: number | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    /** Last change (epoch ms). */
    updatedAt: number;
    /** OpenID Connect standard profile claims, each optional. */
    profile: {
      /** OpenID Connect `family_name`. */
      familyName?: string;
      /** OpenID Connect `given_name`. */
      givenName?: string;
      /** OpenID Connect `middle_name`. */
      middleName?: string;
      /** OpenID Connect `nickname`. */
      nickname?: string;
      /** OpenID Connect `preferred_username`. */
      preferredUsername?: string;
      /** OpenID Connect `profile`. */
      profile?: string;
      /** OpenID Connect `website`. */
      website?: string;
      /** OpenID Connect `gender`. */
      gender?: string;
      /** OpenID Connect `birthdate`. */
      birthdate?: string;
      /** OpenID Connect `zoneinfo`. */
      zoneinfo?: string;
      /** OpenID Connect `locale`. */
      locale?: string;
      /** OpenID Connect `address`. */
      address?: {
        /** OpenID Connect `formatted`. */
        formatted?: string;
        /** OpenID Connect `street_address`. */
        streetAddress?: string;
        /** OpenID Connect `locality`. */
        locality?: string;
        /** OpenID Connect `region`. */
        region?: string;
        /** OpenID Connect `postal_code`. */
        postalCode?: string;
        /** OpenID Connect `country`. */
        country?: string;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    /** The application the user registered through, or null. */
    applicationId: string | null;
    /** Logto's CIMD client id; always null in Herald. */
    cimdClientId: string | null;
    /** Whether the user is suspended. */
    isSuspended: boolean;
    /** Whether the user has a password; in Management API responses only. */
    hasPassword?: boolean;
    [key: string]: unknown;
  };
  /** The interaction's application `{id, type, name, description}`, when it has one. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * Logto's adaptive MFA asked a signing-in user for a second factor. Herald has no adaptive MFA and never emits it; hooks may subscribe to it (as in Logto), and the schema is Logto's payload.
 *
 * Herald never emits it.
 */
export interface PostSignInAdaptiveMfaTriggeredEvent {
  /** The event name. */
  event: 'PostSignInAdaptiveMfaTriggered';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The interaction that ended. */
  interactionEvent: 'SignIn';
  /** The interaction id. */
  sessionId: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The user id. */
  userId: string;
  /** The client address (note: `userIp` here, `ip` in other events). */
  userIp: string;
  /** The user after the interaction. */
  user: {
    /** The user id. */
    id: string;
    /** The username, or null. */
    username: string | null;
    /** The primary email, or null. */
    primaryEmail: string | null;
    /** The primary phone in Logto's stored form (digits, country code), or null. */
    primaryPhone: string | null;
    /** The display name, or null. */
    name: string | null;
    /** The avatar URL, or null. */
    avatar: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Social identities, by connector target. */
    identities: Record<
      string,
      {
        /** The user's id at the connector. */
        userId: string;
        /** The connector's details. */
        details?: Record<string, unknown>;
        [key: string]: unknown;
      }
    >;
    /** Last sign-in (epoch ms), or null. */
    lastSignInAt: number | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    /** Last change (epoch ms). */
    updatedAt: number;
    /** OpenID Connect standard profile claims, each optional. */
    profile: {
      /** OpenID Connect `family_name`. */
      familyName?: string;
      /** OpenID Connect `given_name`. */
      givenName?: string;
      /** OpenID Connect `middle_name`. */
      middleName?: string;
      /** OpenID Connect `nickname`. */
      nickname?: string;
      /** OpenID Connect `preferred_username`. */
      preferredUsername?: string;
      /** OpenID Connect `profile`. */
      profile?: string;
      /** OpenID Connect `website`. */
      website?: string;
      /** OpenID Connect `gender`. */
      gender?: string;
      /** OpenID Connect `birthdate`. */
      birthdate?: string;
      /** OpenID Connect `zoneinfo`. */
      zoneinfo?: string;
      /** OpenID Connect `locale`. */
      locale?: string;
      /** OpenID Connect `address`. */
      address?: {
        /** OpenID Connect `formatted`. */
        formatted?: string;
        /** OpenID Connect `street_address`. */
        streetAddress?: string;
        /** OpenID Connect `locality`. */
        locality?: string;
        /** OpenID Connect `region`. */
        region?: string;
        /** OpenID Connect `postal_code`. */
        postalCode?: string;
        /** OpenID Connect `country`. */
        country?: string;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    /** The application the user registered through, or null. */
    applicationId: string | null;
    /** Logto's CIMD client id; always null in Herald. */
    cimdClientId: string | null;
    /** Whether the user is suspended. */
    isSuspended: boolean;
    /** Whether the user has a password; in Management API responses only. */
    hasPassword?: boolean;
    [key: string]: unknown;
  };
  /** The interaction's application `{id, type, name, description}`, when it has one. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** Logto's adaptive MFA verdict. */
  adaptiveMfaResult: {
    /** Whether MFA was required. */
    requiresMfa: boolean;
    /** The rules that triggered, `{rule, …}` each. */
    triggeredRules: {
      /** The rule, as `untrusted_ip`. */
      rule: string;
      [key: string]: unknown;
    }[];
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A user reset their password: the Experience API submit of a ForgotPassword interaction.
 *
 * Emitted by: Experience API: `POST /api/experience/submit` in a ForgotPassword interaction.
 */
export interface PostResetPasswordEvent {
  /** The event name. */
  event: 'PostResetPassword';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The interaction that ended. */
  interactionEvent: 'ForgotPassword';
  /** The interaction id. */
  sessionId: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The user id. */
  userId: string;
  /** The client address (note: `userIp` here, `ip` in other events). */
  userIp: string;
  /** The user after the interaction. */
  user: {
    /** The user id. */
    id: string;
    /** The username, or null. */
    username: string | null;
    /** The primary email, or null. */
    primaryEmail: string | null;
    /** The primary phone in Logto's stored form (digits, country code), or null. */
    primaryPhone: string | null;
    /** The display name, or null. */
    name: string | null;
    /** The avatar URL, or null. */
    avatar: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Social identities, by connector target. */
    identities: Record<
      string,
      {
        /** The user's id at the connector. */
        userId: string;
        /** The connector's details. */
        details?: Record<string, unknown>;
        [key: string]: unknown;
      }
    >;
    /** Last sign-in (epoch ms), or null. */
    lastSignInAt: number | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    /** Last change (epoch ms). */
    updatedAt: number;
    /** OpenID Connect standard profile claims, each optional. */
    profile: {
      /** OpenID Connect `family_name`. */
      familyName?: string;
      /** OpenID Connect `given_name`. */
      givenName?: string;
      /** OpenID Connect `middle_name`. */
      middleName?: string;
      /** OpenID Connect `nickname`. */
      nickname?: string;
      /** OpenID Connect `preferred_username`. */
      preferredUsername?: string;
      /** OpenID Connect `profile`. */
      profile?: string;
      /** OpenID Connect `website`. */
      website?: string;
      /** OpenID Connect `gender`. */
      gender?: string;
      /** OpenID Connect `birthdate`. */
      birthdate?: string;
      /** OpenID Connect `zoneinfo`. */
      zoneinfo?: string;
      /** OpenID Connect `locale`. */
      locale?: string;
      /** OpenID Connect `address`. */
      address?: {
        /** OpenID Connect `formatted`. */
        formatted?: string;
        /** OpenID Connect `street_address`. */
        streetAddress?: string;
        /** OpenID Connect `locality`. */
        locality?: string;
        /** OpenID Connect `region`. */
        region?: string;
        /** OpenID Connect `postal_code`. */
        postalCode?: string;
        /** OpenID Connect `country`. */
        country?: string;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    /** The application the user registered through, or null. */
    applicationId: string | null;
    /** Logto's CIMD client id; always null in Herald. */
    cimdClientId: string | null;
    /** Whether the user is suspended. */
    isSuspended: boolean;
    /** Whether the user has a password; in Management API responses only. */
    hasPassword?: boolean;
    [key: string]: unknown;
  };
  /** The interaction's application `{id, type, name, description}`, when it has one. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A user was created: through the Management API, or by an Experience API registration (at identification, before the submit).
 *
 * Emitted by: `POST /api/users`; Experience API: `POST /api/experience/identification` in a Register interaction.
 */
export interface UserCreatedEvent {
  /** The event name. */
  event: 'User.Created';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The interaction: Register. Experience API only. */
  interactionEvent?: 'Register';
  /** The interaction's application id; `""` when it has none (as Logto). Experience API only. */
  applicationId?: string;
  /** The interaction id. Experience API only. */
  sessionId?: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The interaction's application, when it has one. Experience API only. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The request path, without the `/api` prefix. Management API only. */
  path?: string;
  /** The request method. Management API only. */
  method?: 'POST';
  /** The response status. Management API only. */
  status?: number;
  /** The route parameters. Management API only. */
  params?: Record<string, string>;
  /** The route pattern, without the `/api` prefix. Management API only. */
  matchedRoute?: '/users';
  /** The user created (from `POST /api/users`, the response body, with `hasPassword`). */
  data: {
    /** The user id. */
    id: string;
    /** The username, or null. */
    username: string | null;
    /** The primary email, or null. */
    primaryEmail: string | null;
    /** The primary phone in Logto's stored form (digits, country code), or null. */
    primaryPhone: string | null;
    /** The display name, or null. */
    name: string | null;
    /** The avatar URL, or null. */
    avatar: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Social identities, by connector target. */
    identities: Record<
      string,
      {
        /** The user's id at the connector. */
        userId: string;
        /** The connector's details. */
        details?: Record<string, unknown>;
        [key: string]: unknown;
      }
    >;
    /** Last sign-in (epoch ms), or null. */
    lastSignInAt: number | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    /** Last change (epoch ms). */
    updatedAt: number;
    /** OpenID Connect standard profile claims, each optional. */
    profile: {
      /** OpenID Connect `family_name`. */
      familyName?: string;
      /** OpenID Connect `given_name`. */
      givenName?: string;
      /** OpenID Connect `middle_name`. */
      middleName?: string;
      /** OpenID Connect `nickname`. */
      nickname?: string;
      /** OpenID Connect `preferred_username`. */
      preferredUsername?: string;
      /** OpenID Connect `profile`. */
      profile?: string;
      /** OpenID Connect `website`. */
      website?: string;
      /** OpenID Connect `gender`. */
      gender?: string;
      /** OpenID Connect `birthdate`. */
      birthdate?: string;
      /** OpenID Connect `zoneinfo`. */
      zoneinfo?: string;
      /** OpenID Connect `locale`. */
      locale?: string;
      /** OpenID Connect `address`. */
      address?: {
        /** OpenID Connect `formatted`. */
        formatted?: string;
        /** OpenID Connect `street_address`. */
        streetAddress?: string;
        /** OpenID Connect `locality`. */
        locality?: string;
        /** OpenID Connect `region`. */
        region?: string;
        /** OpenID Connect `postal_code`. */
        postalCode?: string;
        /** OpenID Connect `country`. */
        country?: string;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    /** The application the user registered through, or null. */
    applicationId: string | null;
    /** Logto's CIMD client id; always null in Herald. */
    cimdClientId: string | null;
    /** Whether the user is suspended. */
    isSuspended: boolean;
    /** Whether the user has a password; in Management API responses only. */
    hasPassword?: boolean;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A user was deleted.
 *
 * Emitted by: `DELETE /api/users/:userId`.
 */
export interface UserDeletedEvent {
  /** The event name. */
  event: 'User.Deleted';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/users/:userId';
  /** The user as it was before the deletion. */
  data: {
    /** The user id. */
    id: string;
    /** The username, or null. */
    username: string | null;
    /** The primary email, or null. */
    primaryEmail: string | null;
    /** The primary phone in Logto's stored form (digits, country code), or null. */
    primaryPhone: string | null;
    /** The display name, or null. */
    name: string | null;
    /** The avatar URL, or null. */
    avatar: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Social identities, by connector target. */
    identities: Record<
      string,
      {
        /** The user's id at the connector. */
        userId: string;
        /** The connector's details. */
        details?: Record<string, unknown>;
        [key: string]: unknown;
      }
    >;
    /** Last sign-in (epoch ms), or null. */
    lastSignInAt: number | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    /** Last change (epoch ms). */
    updatedAt: number;
    /** OpenID Connect standard profile claims, each optional. */
    profile: {
      /** OpenID Connect `family_name`. */
      familyName?: string;
      /** OpenID Connect `given_name`. */
      givenName?: string;
      /** OpenID Connect `middle_name`. */
      middleName?: string;
      /** OpenID Connect `nickname`. */
      nickname?: string;
      /** OpenID Connect `preferred_username`. */
      preferredUsername?: string;
      /** OpenID Connect `profile`. */
      profile?: string;
      /** OpenID Connect `website`. */
      website?: string;
      /** OpenID Connect `gender`. */
      gender?: string;
      /** OpenID Connect `birthdate`. */
      birthdate?: string;
      /** OpenID Connect `zoneinfo`. */
      zoneinfo?: string;
      /** OpenID Connect `locale`. */
      locale?: string;
      /** OpenID Connect `address`. */
      address?: {
        /** OpenID Connect `formatted`. */
        formatted?: string;
        /** OpenID Connect `street_address`. */
        streetAddress?: string;
        /** OpenID Connect `locality`. */
        locality?: string;
        /** OpenID Connect `region`. */
        region?: string;
        /** OpenID Connect `postal_code`. */
        postalCode?: string;
        /** OpenID Connect `country`. */
        country?: string;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    /** The application the user registered through, or null. */
    applicationId: string | null;
    /** Logto's CIMD client id; always null in Herald. */
    cimdClientId: string | null;
    /** Whether the user is suspended. */
    isSuspended: boolean;
    /** Whether the user has a password; in Management API responses only. */
    hasPassword?: boolean;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A user's profile, custom data or password changed: through the Management API, at an Experience API sign-in that added to the profile, and at every password reset.
 *
 * Emitted by: `PATCH /api/users/:userId`; `PATCH /api/users/:userId/custom-data`; `PATCH /api/users/:userId/profile`; `PATCH /api/users/:userId/password`; Experience API: `POST /api/experience/submit` in a SignIn interaction that changed the profile; Experience API: `POST /api/experience/submit` in a ForgotPassword interaction.
 */
export interface UserDataUpdatedEvent {
  /** The event name. */
  event: 'User.Data.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The interaction: SignIn, ForgotPassword. Experience API only. */
  interactionEvent?: 'SignIn' | 'ForgotPassword';
  /** The interaction's application id; `""` when it has none (as Logto). Experience API only. */
  applicationId?: string;
  /** The interaction id. Experience API only. */
  sessionId?: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The interaction's application, when it has one. Experience API only. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The request path, without the `/api` prefix. Management API only. */
  path?: string;
  /** The request method. Management API only. */
  method?: 'PATCH';
  /** The response status. Management API only. */
  status?: number;
  /** The route parameters. Management API only. */
  params?: Record<string, string>;
  /** The route pattern, without the `/api` prefix. Management API only. */
  matchedRoute?: '/users/:userId' | '/users/:userId/custom-data' | '/users/:userId/profile' | '/users/:userId/password';
  /** The user (`PATCH /users/:userId`, `…/password`, the Experience API), or the merged custom data (`…/custom-data`) or profile (`…/profile`). */
  data:
    | {
        /** The user id. */
        id: string;
        /** The username, or null. */
        username: string | null;
        /** The primary email, or null. */
        primaryEmail: string | null;
        /** The primary phone in Logto's stored form (digits, country code), or null. */
        primaryPhone: string | null;
        /** The display name, or null. */
        name: string | null;
        /** The avatar URL, or null. */
        avatar: string | null;
        /** Custom data, any JSON object. */
        customData: Record<string, unknown>;
        /** Social identities, by connector target. */
        identities: Record<
          string,
          {
            /** The user's id at the connector. */
            userId: string;
            /** The connector's details. */
            details?: Record<string, unknown>;
            [key: string]: unknown;
          }
        >;
        /** Last sign-in (epoch ms), or null. */
        lastSignInAt: number | null;
        /** Creation time (epoch ms). */
        createdAt: number;
        /** Last change (epoch ms). */
        updatedAt: number;
        /** OpenID Connect standard profile claims, each optional. */
        profile: {
          /** OpenID Connect `family_name`. */
          familyName?: string;
          /** OpenID Connect `given_name`. */
          givenName?: string;
          /** OpenID Connect `middle_name`. */
          middleName?: string;
          /** OpenID Connect `nickname`. */
          nickname?: string;
          /** OpenID Connect `preferred_username`. */
          preferredUsername?: string;
          /** OpenID Connect `profile`. */
          profile?: string;
          /** OpenID Connect `website`. */
          website?: string;
          /** OpenID Connect `gender`. */
          gender?: string;
          /** OpenID Connect `birthdate`. */
          birthdate?: string;
          /** OpenID Connect `zoneinfo`. */
          zoneinfo?: string;
          /** OpenID Connect `locale`. */
          locale?: string;
          /** OpenID Connect `address`. */
          address?: {
            /** OpenID Connect `formatted`. */
            formatted?: string;
            /** OpenID Connect `street_address`. */
            streetAddress?: string;
            /** OpenID Connect `locality`. */
            locality?: string;
            /** OpenID Connect `region`. */
            region?: string;
            /** OpenID Connect `postal_code`. */
            postalCode?: string;
            /** OpenID Connect `country`. */
            country?: string;
            [key: string]: unknown;
          };
          [key: string]: unknown;
        };
        /** The application the user registered through, or null. */
        applicationId: string | null;
        /** Logto's CIMD client id; always null in Herald. */
        cimdClientId: string | null;
        /** Whether the user is suspended. */
        isSuspended: boolean;
        /** Whether the user has a password; in Management API responses only. */
        hasPassword?: boolean;
        [key: string]: unknown;
      }
    | Record<string, unknown>;
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A user was suspended or reactivated.
 *
 * Emitted by: `PATCH /api/users/:userId/is-suspended`.
 */
export interface UserSuspensionStatusUpdatedEvent {
  /** The event name. */
  event: 'User.SuspensionStatus.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'PATCH';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/users/:userId/is-suspended';
  /** The user after the change (`isSuspended`). */
  data: {
    /** The user id. */
    id: string;
    /** The username, or null. */
    username: string | null;
    /** The primary email, or null. */
    primaryEmail: string | null;
    /** The primary phone in Logto's stored form (digits, country code), or null. */
    primaryPhone: string | null;
    /** The display name, or null. */
    name: string | null;
    /** The avatar URL, or null. */
    avatar: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Social identities, by connector target. */
    identities: Record<
      string,
      {
        /** The user's id at the connector. */
        userId: string;
        /** The connector's details. */
        details?: Record<string, unknown>;
        [key: string]: unknown;
      }
    >;
    /** Last sign-in (epoch ms), or null. */
    lastSignInAt: number | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    /** Last change (epoch ms). */
    updatedAt: number;
    /** OpenID Connect standard profile claims, each optional. */
    profile: {
      /** OpenID Connect `family_name`. */
      familyName?: string;
      /** OpenID Connect `given_name`. */
      givenName?: string;
      /** OpenID Connect `middle_name`. */
      middleName?: string;
      /** OpenID Connect `nickname`. */
      nickname?: string;
      /** OpenID Connect `preferred_username`. */
      preferredUsername?: string;
      /** OpenID Connect `profile`. */
      profile?: string;
      /** OpenID Connect `website`. */
      website?: string;
      /** OpenID Connect `gender`. */
      gender?: string;
      /** OpenID Connect `birthdate`. */
      birthdate?: string;
      /** OpenID Connect `zoneinfo`. */
      zoneinfo?: string;
      /** OpenID Connect `locale`. */
      locale?: string;
      /** OpenID Connect `address`. */
      address?: {
        /** OpenID Connect `formatted`. */
        formatted?: string;
        /** OpenID Connect `street_address`. */
        streetAddress?: string;
        /** OpenID Connect `locality`. */
        locality?: string;
        /** OpenID Connect `region`. */
        region?: string;
        /** OpenID Connect `postal_code`. */
        postalCode?: string;
        /** OpenID Connect `country`. */
        country?: string;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    /** The application the user registered through, or null. */
    applicationId: string | null;
    /** Logto's CIMD client id; always null in Herald. */
    cimdClientId: string | null;
    /** Whether the user is suspended. */
    isSuspended: boolean;
    /** Whether the user has a password; in Management API responses only. */
    hasPassword?: boolean;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A role was created.
 *
 * Emitted by: `POST /api/roles`.
 */
export interface RoleCreatedEvent {
  /** The event name. */
  event: 'Role.Created';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/roles';
  /** The role created. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The role id. */
    id: string;
    /** The role name. */
    name: string;
    /** The description. */
    description: string;
    /** Who may hold it: users or machine-to-machine applications. */
    type: 'User' | 'MachineToMachine';
    /** Given to every new user. */
    isDefault: boolean;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A role was deleted (its holders lose it without `User.Roles.Updated`).
 *
 * Emitted by: `DELETE /api/roles/:id`.
 */
export interface RoleDeletedEvent {
  /** The event name. */
  event: 'Role.Deleted';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/roles/:id';
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A role's name, description or default flag changed.
 *
 * Emitted by: `PATCH /api/roles/:id`.
 */
export interface RoleDataUpdatedEvent {
  /** The event name. */
  event: 'Role.Data.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'PATCH';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/roles/:id';
  /** The role after the change. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The role id. */
    id: string;
    /** The role name. */
    name: string;
    /** The description. */
    description: string;
    /** Who may hold it: users or machine-to-machine applications. */
    type: 'User' | 'MachineToMachine';
    /** Given to every new user. */
    isDefault: boolean;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A role's permissions changed: permissions added or removed, or a role created with `scopeIds` (then before its `Role.Created`, with `roleId`).
 *
 * Emitted by: `POST /api/roles` (with `scopeIds`); `POST /api/roles/:id/scopes`; `DELETE /api/roles/:id/scopes/:scopeId`.
 */
export interface RoleScopesUpdatedEvent {
  /** The event name. */
  event: 'Role.Scopes.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST' | 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/roles' | '/roles/:id/scopes' | '/roles/:id/scopes/:scopeId';
  /** The role created; `POST /api/roles` only. */
  roleId?: string;
  /** The role's permissions now: every one linked (`POST /roles/:id/scopes`) or those given at creation (`POST /roles`); absent for a removal. */
  data?: {
    /** Always `default`. */
    tenantId: string;
    /** The permission id. */
    id: string;
    /** The API resource it belongs to. */
    resourceId: string;
    /** The permission name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    [key: string]: unknown;
  }[];
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A permission (API resource scope) was created.
 *
 * Emitted by: `POST /api/resources/:resourceId/scopes`.
 */
export interface ScopeCreatedEvent {
  /** The event name. */
  event: 'Scope.Created';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/resources/:resourceId/scopes';
  /** The permission created. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The permission id. */
    id: string;
    /** The API resource it belongs to. */
    resourceId: string;
    /** The permission name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A permission was deleted.
 *
 * Emitted by: `DELETE /api/resources/:resourceId/scopes/:scopeId`.
 */
export interface ScopeDeletedEvent {
  /** The event name. */
  event: 'Scope.Deleted';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/resources/:resourceId/scopes/:scopeId';
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * A permission's name or description changed.
 *
 * Emitted by: `PATCH /api/resources/:resourceId/scopes/:scopeId`.
 */
export interface ScopeDataUpdatedEvent {
  /** The event name. */
  event: 'Scope.Data.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'PATCH';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/resources/:resourceId/scopes/:scopeId';
  /** The permission after the change. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The permission id. */
    id: string;
    /** The API resource it belongs to. */
    resourceId: string;
    /** The permission name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization was created.
 *
 * Emitted by: `POST /api/organizations`.
 */
export interface OrganizationCreatedEvent {
  /** The event name. */
  event: 'Organization.Created';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/organizations';
  /** The organization created. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The organization id (12 characters). */
    id: string;
    /** The organization name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Whether members must use MFA. */
    isMfaRequired: boolean;
    /** Whether members may trust devices for MFA. */
    isTrustedDeviceAllowed: boolean;
    /** Sign-in colors. */
    color: {
      /** A hex color (`#336699`). */
      primaryColor?: string;
      /** Whether the dark mode is on. */
      isDarkModeEnabled?: boolean;
      /** A hex color. */
      darkPrimaryColor?: string;
      [key: string]: unknown;
    };
    /** Sign-in logos and favicons (URLs). */
    branding: {
      /** The logo. */
      logoUrl?: string;
      /** The logo in dark mode. */
      darkLogoUrl?: string;
      /** The favicon. */
      favicon?: string;
      /** The favicon in dark mode. */
      darkFavicon?: string;
      [key: string]: unknown;
    };
    /** Custom CSS, or null. */
    customCss: string | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization was deleted.
 *
 * Emitted by: `DELETE /api/organizations/:id`.
 */
export interface OrganizationDeletedEvent {
  /** The event name. */
  event: 'Organization.Deleted';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/organizations/:id';
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization's data changed.
 *
 * Emitted by: `PATCH /api/organizations/:id`.
 */
export interface OrganizationDataUpdatedEvent {
  /** The event name. */
  event: 'Organization.Data.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'PATCH';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/organizations/:id';
  /** The organization after the change. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The organization id (12 characters). */
    id: string;
    /** The organization name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Whether members must use MFA. */
    isMfaRequired: boolean;
    /** Whether members may trust devices for MFA. */
    isTrustedDeviceAllowed: boolean;
    /** Sign-in colors. */
    color: {
      /** A hex color (`#336699`). */
      primaryColor?: string;
      /** Whether the dark mode is on. */
      isDarkModeEnabled?: boolean;
      /** A hex color. */
      darkPrimaryColor?: string;
      [key: string]: unknown;
    };
    /** Sign-in logos and favicons (URLs). */
    branding: {
      /** The logo. */
      logoUrl?: string;
      /** The logo in dark mode. */
      darkLogoUrl?: string;
      /** The favicon. */
      favicon?: string;
      /** The favicon in dark mode. */
      darkFavicon?: string;
      [key: string]: unknown;
    };
    /** Custom CSS, or null. */
    customCss: string | null;
    /** Creation time (epoch ms). */
    createdAt: number;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * Users or applications joined or left an organization: sent for every membership request, even when nothing changed (then with `organizationId` alone), and when an accepted invitation adds its invitee.
 *
 * Emitted by: `POST /api/organizations/:id/users`; `PUT /api/organizations/:id/users`; `DELETE /api/organizations/:id/users/:userId`; `POST /api/organizations/:id/applications`; `PUT /api/organizations/:id/applications`; `DELETE /api/organizations/:id/applications/:applicationId`; `PUT /api/organization-invitations/:id/status` (`Accepted`).
 */
export interface OrganizationMembershipUpdatedEvent {
  /** The event name. */
  event: 'Organization.Membership.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST' | 'PUT' | 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute:
    | '/organizations/:id/users'
    | '/organizations/:id/users/:userId'
    | '/organizations/:id/applications'
    | '/organizations/:id/applications/:applicationId'
    | '/organization-invitations/:id/status';
  /** The organization. */
  organizationId: string;
  /** Users who joined (left out when none; at most 5 000). */
  addedUserIds?: string[];
  /** Users who left (left out when none; at most 5 000). */
  removedUserIds?: string[];
  /** Applications that joined (left out when none; at most 5 000). */
  addedApplicationIds?: string[];
  /** Applications that left (left out when none; at most 5 000). */
  removedApplicationIds?: string[];
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization role was created.
 *
 * Emitted by: `POST /api/organization-roles`.
 */
export interface OrganizationRoleCreatedEvent {
  /** The event name. */
  event: 'OrganizationRole.Created';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/organization-roles';
  /** The organization role created. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The organization role id. */
    id: string;
    /** The role name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    /** Who may hold it: users or machine-to-machine applications. */
    type: 'User' | 'MachineToMachine';
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization role was deleted (its holders lose it without `Organization.Membership.Roles.Updated`).
 *
 * Emitted by: `DELETE /api/organization-roles/:id`.
 */
export interface OrganizationRoleDeletedEvent {
  /** The event name. */
  event: 'OrganizationRole.Deleted';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/organization-roles/:id';
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization role's name, description or type changed.
 *
 * Emitted by: `PATCH /api/organization-roles/:id`.
 */
export interface OrganizationRoleDataUpdatedEvent {
  /** The event name. */
  event: 'OrganizationRole.Data.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'PATCH';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/organization-roles/:id';
  /** The organization role after the change. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The organization role id. */
    id: string;
    /** The role name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    /** Who may hold it: users or machine-to-machine applications. */
    type: 'User' | 'MachineToMachine';
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization role's permissions changed: organization scopes added, replaced or removed, or a role created with scope ids (then before its `OrganizationRole.Created`, with `organizationRoleId`).
 *
 * Emitted by: `POST /api/organization-roles` (with `organizationScopeIds` or `resourceScopeIds`); `POST /api/organization-roles/:id/scopes`; `PUT /api/organization-roles/:id/scopes`; `DELETE /api/organization-roles/:id/scopes/:organizationScopeId`.
 */
export interface OrganizationRoleScopesUpdatedEvent {
  /** The event name. */
  event: 'OrganizationRole.Scopes.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST' | 'PUT' | 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute:
    | '/organization-roles'
    | '/organization-roles/:id/scopes'
    | '/organization-roles/:id/scopes/:organizationScopeId';
  /** The organization role created; `POST /api/organization-roles` only. */
  organizationRoleId?: string;
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization permission was created.
 *
 * Emitted by: `POST /api/organization-scopes`.
 */
export interface OrganizationScopeCreatedEvent {
  /** The event name. */
  event: 'OrganizationScope.Created';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/organization-scopes';
  /** The organization permission created. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The organization permission id. */
    id: string;
    /** The permission name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization permission was deleted.
 *
 * Emitted by: `DELETE /api/organization-scopes/:id`.
 */
export interface OrganizationScopeDeletedEvent {
  /** The event name. */
  event: 'OrganizationScope.Deleted';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/organization-scopes/:id';
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An organization permission's name or description changed.
 *
 * Emitted by: `PATCH /api/organization-scopes/:id`.
 */
export interface OrganizationScopeDataUpdatedEvent {
  /** The event name. */
  event: 'OrganizationScope.Data.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'PATCH';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute: '/organization-scopes/:id';
  /** The organization permission after the change. */
  data: {
    /** Always `default`. */
    tenantId: string;
    /** The organization permission id. */
    id: string;
    /** The permission name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * An identifier (and the account it names) was locked after HERALD_LOCKOUT_MAX_ATTEMPTS failed verifications: once, by the attempt that locks; committed although that request fails.
 *
 * Emitted by: Experience API: `POST /api/experience/verification/password`; Experience API: `POST /api/experience/verification/verification-code/verify`.
 */
export interface IdentifierLockoutEvent {
  /** The event name. */
  event: 'Identifier.Lockout';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The interaction: SignIn, Register, ForgotPassword. */
  interactionEvent: 'SignIn' | 'Register' | 'ForgotPassword';
  /** The interaction's application id; `""` when it has none (as Logto). */
  applicationId: string;
  /** The interaction id. */
  sessionId: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The interaction's application `{id, type, name, description}`, when it has one. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The kind of identifier. */
  type: 'username' | 'email' | 'phone';
  /** The identifier, as typed. */
  value: string;
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * Sending a verification code was refused by a rate limit (per mailbox or phone, per client, or for the server): the first refusal of each limit in a window; committed although that request fails (429).
 *
 * Emitted by: Experience API: `POST /api/experience/verification/verification-code`.
 */
export interface MessageRateLimitedEvent {
  /** The event name. */
  event: 'Message.RateLimited';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The interaction: SignIn, Register, ForgotPassword. */
  interactionEvent: 'SignIn' | 'Register' | 'ForgotPassword';
  /** The interaction's application id; `""` when it has none (as Logto). */
  applicationId: string;
  /** The interaction id. */
  sessionId: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The interaction's application `{id, type, name, description}`, when it has one. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** What was refused. */
  action: 'VerificationCodeSend';
  /** The email address or phone number, as typed. */
  recipient: string;
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * Logto revoked a user's oldest grants of an application past its `maxAllowedGrants`. Herald issues no OIDC grants and never emits it; hooks may subscribe to it (as in Logto), and the schema is Logto's payload.
 *
 * Herald never emits it.
 */
export interface GrantLimitExceededEvent {
  /** The event name. */
  event: 'Grant.LimitExceeded';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The user whose grants were revoked. */
  userId: string;
  /** The application; absent for a CIMD client. */
  applicationId?: string;
  /** The CIMD client, instead of `applicationId`. */
  cimdClientId?: string;
  /** The grants revoked. */
  revokedGrantIds: string[];
  /** The application's limit. */
  maxAllowedGrants: number;
  /** Active grants before the revocation. */
  preRevocationActiveGrantCount: number;
  /** The client address. */
  ip?: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * Herald's extension (logto-io/logto#6750): a member's organization roles changed; sent only when a role was added or removed (one event per user for the bulk route), and when an accepted invitation gives roles.
 *
 * Emitted by: `POST /api/organizations/:id/users/:userId/roles`; `PUT /api/organizations/:id/users/:userId/roles`; `DELETE /api/organizations/:id/users/:userId/roles/:organizationRoleId`; `POST /api/organizations/:id/users/roles`; `PUT /api/organization-invitations/:id/status` (`Accepted`).
 */
export interface OrganizationMembershipRolesUpdatedEvent {
  /** The event name. */
  event: 'Organization.Membership.Roles.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST' | 'PUT' | 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute:
    | '/organizations/:id/users/:userId/roles'
    | '/organizations/:id/users/:userId/roles/:organizationRoleId'
    | '/organizations/:id/users/roles'
    | '/organization-invitations/:id/status';
  /** The organization. */
  organizationId: string;
  /** The member. */
  userId: string;
  /** Roles given (left out when none; at most 5 000). */
  addedOrganizationRoleIds?: string[];
  /** Roles taken (left out when none; at most 5 000). */
  removedOrganizationRoleIds?: string[];
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * Herald's extension: a user's roles changed; sent only when a role was added or removed, one event per user.
 *
 * Emitted by: `POST /api/users/:userId/roles`; `PUT /api/users/:userId/roles`; `DELETE /api/users/:userId/roles/:roleId`; `POST /api/roles/:id/users`; `DELETE /api/roles/:id/users/:userId`.
 */
export interface UserRolesUpdatedEvent {
  /** The event name. */
  event: 'User.Roles.Updated';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address of the request (behind HERALD_TRUST_PROXY, the one the proxy saw). */
  ip: string;
  /** The request path, without the `/api` prefix. */
  path: string;
  /** The request method. */
  method: 'POST' | 'PUT' | 'DELETE';
  /** The response status. */
  status: number;
  /** The route parameters. */
  params: Record<string, string>;
  /** The route pattern, without the `/api` prefix. */
  matchedRoute:
    | '/users/:userId/roles'
    | '/users/:userId/roles/:roleId'
    | '/roles/:id/users'
    | '/roles/:id/users/:userId';
  /** The user. */
  userId: string;
  /** Roles given (left out when none; at most 5 000). */
  addedRoleIds?: string[];
  /** Roles taken (left out when none; at most 5 000). */
  removedRoleIds?: string[];
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * Herald's extension: a synchronous hook denied a sign-up, sign-in or password reset (the request answered 403 `hook.denied`; nothing was changed).
 *
 * Emitted by: `POST /api/users` (PreRegister); Experience API: `POST /api/experience/identification` in a Register interaction (PreRegister); Experience API: `POST /api/experience/submit` in a SignIn interaction (PreSignIn); Experience API: `POST /api/experience/submit` in a ForgotPassword interaction (PrePasswordReset).
 */
export interface SyncHookDeniedEvent {
  /** The event name. */
  event: 'SyncHook.Denied';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The synchronous hook. */
  syncHookId: string;
  /** The synchronous hook's name. */
  syncHookName: string;
  /** The call, as `GET /api/sync-hooks/:id/calls` lists it. */
  callId: string;
  /** The phase. */
  phase: 'PreRegister' | 'PreSignIn' | 'PrePasswordReset';
  /** The interaction (Register, SignIn, ForgotPassword); null for `POST /api/users`. */
  interactionEvent: 'SignIn' | 'Register' | 'ForgotPassword' | null;
  /** The interaction id; null for `POST /api/users`. */
  sessionId: string | null;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address. */
  userIp: string;
  /** The interaction's application `{id, type, name, description}`, when it has one. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The user id (at PreRegister, the id the user will get). */
  userId: string;
  /** The user a synchronous hook saw, with the patches of the hooks before it applied: at PreRegister the candidate (the id it will get, `createdAt` and `updatedAt` null), otherwise the user. */
  user: {
    /** The user id. */
    id: string;
    /** The username, or null. */
    username: string | null;
    /** The primary email, or null. */
    primaryEmail: string | null;
    /** The primary phone in Logto's stored form (digits, country code), or null. */
    primaryPhone: string | null;
    /** The display name, or null. */
    name: string | null;
    /** The avatar URL, or null. */
    avatar: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Social identities, by connector target. */
    identities: Record<
      string,
      {
        /** The user's id at the connector. */
        userId: string;
        /** The connector's details. */
        details?: Record<string, unknown>;
        [key: string]: unknown;
      }
    >;
    /** Last sign-in (epoch ms), or null. */
    lastSignInAt: number | null;
    /** Creation time (epoch ms); null for a candidate at PreRegister. */
    createdAt: number | null;
    /** Last change (epoch ms); null for a candidate at PreRegister. */
    updatedAt: number | null;
    /** OpenID Connect standard profile claims, each optional. */
    profile: {
      /** OpenID Connect `family_name`. */
      familyName?: string;
      /** OpenID Connect `given_name`. */
      givenName?: string;
      /** OpenID Connect `middle_name`. */
      middleName?: string;
      /** OpenID Connect `nickname`. */
      nickname?: string;
      /** OpenID Connect `preferred_username`. */
      preferredUsername?: string;
      /** OpenID Connect `profile`. */
      profile?: string;
      /** OpenID Connect `website`. */
      website?: string;
      /** OpenID Connect `gender`. */
      gender?: string;
      /** OpenID Connect `birthdate`. */
      birthdate?: string;
      /** OpenID Connect `zoneinfo`. */
      zoneinfo?: string;
      /** OpenID Connect `locale`. */
      locale?: string;
      /** OpenID Connect `address`. */
      address?: {
        /** OpenID Connect `formatted`. */
        formatted?: string;
        /** OpenID Connect `street_address`. */
        streetAddress?: string;
        /** OpenID Connect `locality`. */
        locality?: string;
        /** OpenID Connect `region`. */
        region?: string;
        /** OpenID Connect `postal_code`. */
        postalCode?: string;
        /** OpenID Connect `country`. */
        country?: string;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    /** The application the user registered through, or null. */
    applicationId: string | null;
    /** Logto's CIMD client id; always null in Herald. */
    cimdClientId: string | null;
    /** Whether the user is suspended. */
    isSuspended: boolean;
    /** Whether the user has a password; in Management API responses only. */
    hasPassword?: boolean;
    [key: string]: unknown;
  };
  /** The hook's code (`[a-z0-9_.]{1,64}`). */
  code: string;
  /** The hook's message, or `The request was denied.` */
  message: string;
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/**
 * Herald's extension: a synchronous hook failed (timeout, error status, bad answer, refused destination, phase budget spent); its `failurePolicy` decided the `outcome`.
 *
 * Emitted by: `POST /api/users` (PreRegister); Experience API: `POST /api/experience/identification` in a Register interaction (PreRegister); Experience API: `POST /api/experience/submit` in a SignIn interaction (PreSignIn); Experience API: `POST /api/experience/submit` in a ForgotPassword interaction (PrePasswordReset).
 */
export interface SyncHookFailedEvent {
  /** The event name. */
  event: 'SyncHook.Failed';
  /** When the event was emitted (ISO 8601, UTC). */
  createdAt: string;
  /** The synchronous hook. */
  syncHookId: string;
  /** The synchronous hook's name. */
  syncHookName: string;
  /** The call, as `GET /api/sync-hooks/:id/calls` lists it. */
  callId: string;
  /** The phase. */
  phase: 'PreRegister' | 'PreSignIn' | 'PrePasswordReset';
  /** The interaction (Register, SignIn, ForgotPassword); null for `POST /api/users`. */
  interactionEvent: 'SignIn' | 'Register' | 'ForgotPassword' | null;
  /** The interaction id; null for `POST /api/users`. */
  sessionId: string | null;
  /** The User-Agent of the request that caused the event (cut to 512 characters); absent without one. */
  userAgent?: string;
  /** The client address. */
  userIp: string;
  /** The interaction's application `{id, type, name, description}`, when it has one. */
  application?: {
    /** The application id. */
    id: string;
    /** The application type. */
    type: 'Native' | 'SPA' | 'Traditional' | 'MachineToMachine';
    /** The application name. */
    name: string;
    /** The description, or null. */
    description: string | null;
    [key: string]: unknown;
  };
  /** The user id (at PreRegister, the id the user will get). */
  userId: string;
  /** The user a synchronous hook saw, with the patches of the hooks before it applied: at PreRegister the candidate (the id it will get, `createdAt` and `updatedAt` null), otherwise the user. */
  user: {
    /** The user id. */
    id: string;
    /** The username, or null. */
    username: string | null;
    /** The primary email, or null. */
    primaryEmail: string | null;
    /** The primary phone in Logto's stored form (digits, country code), or null. */
    primaryPhone: string | null;
    /** The display name, or null. */
    name: string | null;
    /** The avatar URL, or null. */
    avatar: string | null;
    /** Custom data, any JSON object. */
    customData: Record<string, unknown>;
    /** Social identities, by connector target. */
    identities: Record<
      string,
      {
        /** The user's id at the connector. */
        userId: string;
        /** The connector's details. */
        details?: Record<string, unknown>;
        [key: string]: unknown;
      }
    >;
    /** Last sign-in (epoch ms), or null. */
    lastSignInAt: number | null;
    /** Creation time (epoch ms); null for a candidate at PreRegister. */
    createdAt: number | null;
    /** Last change (epoch ms); null for a candidate at PreRegister. */
    updatedAt: number | null;
    /** OpenID Connect standard profile claims, each optional. */
    profile: {
      /** OpenID Connect `family_name`. */
      familyName?: string;
      /** OpenID Connect `given_name`. */
      givenName?: string;
      /** OpenID Connect `middle_name`. */
      middleName?: string;
      /** OpenID Connect `nickname`. */
      nickname?: string;
      /** OpenID Connect `preferred_username`. */
      preferredUsername?: string;
      /** OpenID Connect `profile`. */
      profile?: string;
      /** OpenID Connect `website`. */
      website?: string;
      /** OpenID Connect `gender`. */
      gender?: string;
      /** OpenID Connect `birthdate`. */
      birthdate?: string;
      /** OpenID Connect `zoneinfo`. */
      zoneinfo?: string;
      /** OpenID Connect `locale`. */
      locale?: string;
      /** OpenID Connect `address`. */
      address?: {
        /** OpenID Connect `formatted`. */
        formatted?: string;
        /** OpenID Connect `street_address`. */
        streetAddress?: string;
        /** OpenID Connect `locality`. */
        locality?: string;
        /** OpenID Connect `region`. */
        region?: string;
        /** OpenID Connect `postal_code`. */
        postalCode?: string;
        /** OpenID Connect `country`. */
        country?: string;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    /** The application the user registered through, or null. */
    applicationId: string | null;
    /** Logto's CIMD client id; always null in Herald. */
    cimdClientId: string | null;
    /** Whether the user is suspended. */
    isSuspended: boolean;
    /** Whether the user has a password; in Management API responses only. */
    hasPassword?: boolean;
    [key: string]: unknown;
  };
  /** What went wrong (URLs without credentials or query values). */
  error: string | null;
  /** The endpoint's status, or null when it gave none. */
  statusCode: number | null;
  /** The hook's failure policy. */
  failurePolicy: 'open' | 'closed';
  /** What Herald did: `open` allows, `closed` denies (503). */
  outcome: 'allowed' | 'denied';
  /** The hook this delivery is for (appended to each delivery). */
  hookId: string;
}

/** Any delivery: narrow it on `event`. */
export type HeraldEvent =
  | PostRegisterEvent
  | PostSignInEvent
  | PostSignInAdaptiveMfaTriggeredEvent
  | PostResetPasswordEvent
  | UserCreatedEvent
  | UserDeletedEvent
  | UserDataUpdatedEvent
  | UserSuspensionStatusUpdatedEvent
  | RoleCreatedEvent
  | RoleDeletedEvent
  | RoleDataUpdatedEvent
  | RoleScopesUpdatedEvent
  | ScopeCreatedEvent
  | ScopeDeletedEvent
  | ScopeDataUpdatedEvent
  | OrganizationCreatedEvent
  | OrganizationDeletedEvent
  | OrganizationDataUpdatedEvent
  | OrganizationMembershipUpdatedEvent
  | OrganizationRoleCreatedEvent
  | OrganizationRoleDeletedEvent
  | OrganizationRoleDataUpdatedEvent
  | OrganizationRoleScopesUpdatedEvent
  | OrganizationScopeCreatedEvent
  | OrganizationScopeDeletedEvent
  | OrganizationScopeDataUpdatedEvent
  | IdentifierLockoutEvent
  | MessageRateLimitedEvent
  | GrantLimitExceededEvent
  | OrganizationMembershipRolesUpdatedEvent
  | UserRolesUpdatedEvent
  | SyncHookDeniedEvent
  | SyncHookFailedEvent;

/** The delivery of event `N`. */
export type EventOf<N extends EventName> = Extract<HeraldEvent, { event: N }>;
