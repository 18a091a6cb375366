/**
 * The identity core (users, applications, API resources and scopes, roles, organizations with their
 * roles, scopes, members and invitations): Logto's Management API routes, each data change emitting
 * Logto's data events (and Herald's extensions) in its own transaction.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import type { Emitter } from '../delivery/outbox.ts';
import type { MessageConnector } from '../experience/connector.ts';
import { createMutationRunner } from '../http/mutation.ts';
import type { SyncHookGate } from '../sync-hooks/index.ts';
import type { App } from '../http/types.ts';
import { createApplicationService } from './applications/service.ts';
import { registerApplicationRoutes } from './applications/routes.ts';
import { createResourceService } from './resources/service.ts';
import { registerResourceRoutes } from './resources/routes.ts';
import { createInvitationService } from './organization-invitations/service.ts';
import { registerInvitationRoutes } from './organization-invitations/routes.ts';
import { createOrganizationRoleService } from './organization-roles/service.ts';
import { registerOrganizationRoleRoutes } from './organization-roles/routes.ts';
import { createOrganizationService } from './organizations/service.ts';
import { registerOrganizationRoutes } from './organizations/routes.ts';
import { createRoleService } from './roles/service.ts';
import { registerRoleRoutes } from './roles/routes.ts';
import { createUserService } from './users/service.ts';
import { registerUserRoutes } from './users/routes.ts';

export function createIdentity(deps: {
  db: Kysely<DB>;
  emitter: Emitter;
  connector?: MessageConnector;
  /** Synchronous hooks: `POST /api/users` runs PreRegister. */
  gate?: SyncHookGate;
}) {
  const resources = createResourceService({ db: deps.db });
  const applications = createApplicationService({ db: deps.db });
  const roles = createRoleService({ db: deps.db, resources, applications });
  const users = createUserService({ db: deps.db, roles });
  const organizationRoles = createOrganizationRoleService({ db: deps.db });
  const organizations = createOrganizationService({ db: deps.db, organizationRoles });
  const invitations = createInvitationService({
    db: deps.db,
    organizations,
    organizationRoles,
    connector: deps.connector,
  });
  const mutate = createMutationRunner({ db: deps.db, emitter: deps.emitter });
  return {
    users,
    resources,
    roles,
    applications,
    organizations,
    organizationRoles,
    invitations,
    registerRoutes(app: App): void {
      registerResourceRoutes(app, { resources, mutate });
      registerRoleRoutes(app, { roles, users, mutate });
      registerUserRoutes(app, { users, roles, mutate, gate: deps.gate });
      registerApplicationRoutes(app, { applications, mutate });
      registerOrganizationRoleRoutes(app, { organizationRoles, mutate });
      registerOrganizationRoutes(app, { organizations, mutate });
      registerInvitationRoutes(app, { invitations, mutate });
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
