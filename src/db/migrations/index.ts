import type { Migration } from 'kysely';
import * as m0001 from './0001-api-keys.ts';
import * as m0002 from './0002-hooks.ts';
import * as m0003 from './0003-events.ts';
import * as m0004 from './0004-deliveries.ts';
import * as m0005 from './0005-delivery-attempts.ts';
import * as m0006 from './0006-users.ts';
import * as m0007 from './0007-applications.ts';
import * as m0008 from './0008-resources.ts';
import * as m0009 from './0009-scopes.ts';
import * as m0010 from './0010-roles.ts';
import * as m0011 from './0011-roles-scopes.ts';
import * as m0012 from './0012-users-roles.ts';
import * as m0013 from './0013-hooks-health.ts';
import * as m0014 from './0014-hooks-key-rotation.ts';
import * as m0015 from './0015-deliveries-due-by-hook.ts';
import * as m0016 from './0016-users-lower-email.ts';
import * as m0017 from './0017-organizations.ts';
import * as m0018 from './0018-experience.ts';
import * as m0019 from './0019-attempts-by-hook.ts';
import * as m0020 from './0020-users-canonical-identifiers.ts';
import * as m0021 from './0021-sentinel-bounded.ts';
import * as m0022 from './0022-users-phone-form.ts';
import * as m0023 from './0023-applications-roles.ts';
import * as m0024 from './0024-organization-application-roles.ts';
import * as m0025 from './0025-sync-hooks.ts';
import * as m0026 from './0026-hooks-listener.ts';
import * as m0027 from './0027-hooks-paused.ts';
import * as m0028 from './0028-events-trace.ts';

/**
 * Every migration, in order. Names sort lexically (NNNN-what), each does one change, and a
 * migration that has shipped is never edited: a later one corrects it.
 */
export const migrations: Record<string, Migration> = {
  '0001-api-keys': m0001,
  '0002-hooks': m0002,
  '0003-events': m0003,
  '0004-deliveries': m0004,
  '0005-delivery-attempts': m0005,
  '0006-users': m0006,
  '0007-applications': m0007,
  '0008-resources': m0008,
  '0009-scopes': m0009,
  '0010-roles': m0010,
  '0011-roles-scopes': m0011,
  '0012-users-roles': m0012,
  '0013-hooks-health': m0013,
  '0014-hooks-key-rotation': m0014,
  '0015-deliveries-due-by-hook': m0015,
  '0016-users-lower-email': m0016,
  '0017-organizations': m0017,
  '0018-experience': m0018,
  '0019-attempts-by-hook': m0019,
  '0020-users-canonical-identifiers': m0020,
  '0021-sentinel-bounded': m0021,
  '0022-users-phone-form': m0022,
  '0023-applications-roles': m0023,
  '0024-organization-application-roles': m0024,
  '0025-sync-hooks': m0025,
  '0026-hooks-listener': m0026,
  '0027-hooks-paused': m0027,
  '0028-events-trace': m0028,
};
