/**
 * The identity core (users, applications, API resources and scopes, roles): Logto's Management API
 * routes, each data change emitting Logto's data events in its own transaction.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import type { Emitter } from '../events/index.ts';
import { createMutationRunner } from '../http/mutation.ts';
import type { App } from '../http/types.ts';
import { createApplicationService } from './applications/service.ts';
import { registerApplicationRoutes } from './applications/routes.ts';
import { createResourceService } from './resources/service.ts';
import { registerResourceRoutes } from './resources/routes.ts';
import { createRoleService } from './roles/service.ts';
import { registerRoleRoutes } from './roles/routes.ts';
import { createUserService } from './users/service.ts';
import { registerUserRoutes } from './users/routes.ts';

export function createIdentity(deps: { db: Kysely<DB>; emitter: Emitter }) {
  const users = createUserService({ db: deps.db });
  const resources = createResourceService({ db: deps.db });
  const roles = createRoleService({ db: deps.db, resources });
  const applications = createApplicationService({ db: deps.db });
  const mutate = createMutationRunner({ db: deps.db, emitter: deps.emitter });
  return {
    users,
    resources,
    roles,
    applications,
    registerRoutes(app: App): void {
      registerResourceRoutes(app, { resources, mutate });
      registerRoleRoutes(app, { roles, users, mutate });
      registerUserRoutes(app, { users, roles, mutate });
      registerApplicationRoutes(app, { applications, mutate });
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
