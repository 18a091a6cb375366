import type { Kysely, Transaction } from 'kysely';
import { inBatches } from '../db/batches.ts';
import type { DB, EventsTable } from '../db/types.ts';

export async function insertEvents(db: Kysely<DB> | Transaction<DB>, rows: readonly EventsTable[]): Promise<void> {
  await inBatches(rows, (batch) => db.insertInto('events').values(batch).execute());
}
