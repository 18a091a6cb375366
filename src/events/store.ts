import type { Kysely, Transaction } from 'kysely';
import type { DB, EventsTable } from '../db/types.ts';

export function insertEvents(db: Kysely<DB> | Transaction<DB>, rows: readonly EventsTable[]): Promise<unknown> {
  if (rows.length === 0) return Promise.resolve();
  return db.insertInto('events').values([...rows]).execute();
}
