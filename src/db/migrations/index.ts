import type { Migration } from 'kysely';
import * as m0001 from './0001-api-keys.ts';
import * as m0002 from './0002-hooks.ts';
import * as m0003 from './0003-events.ts';
import * as m0004 from './0004-deliveries.ts';
import * as m0005 from './0005-delivery-attempts.ts';

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
};
