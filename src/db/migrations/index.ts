import type { Migration } from 'kysely';
import * as m0001 from './0001-api-keys.ts';

/**
 * Every migration, in order. Names sort lexically (NNNN-what), each does one change, and a
 * migration that has shipped is never edited: a later one corrects it.
 */
export const migrations: Record<string, Migration> = {
  '0001-api-keys': m0001,
};
