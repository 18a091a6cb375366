import type { Kysely, Transaction } from 'kysely';
import type { DB, EventsTable } from '../db/types.ts';

export function insertEvent(db: Kysely<DB> | Transaction<DB>, row: EventsTable): Promise<unknown> {
  return db.insertInto('events').values(row).execute();
}
