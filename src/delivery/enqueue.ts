import { sql, type Transaction } from 'kysely';
import type { DB, DeliveriesTable, Dialect } from '../db/types.ts';
import * as store from './store.ts';

/** The PostgreSQL channel whose notifications wake every instance's dispatcher. */
export const DELIVERY_WAKE_CHANNEL = 'herald_deliveries';

/**
 * Inserts deliveries inside the caller's transaction. On PostgreSQL it also queues a NOTIFY, which
 * PostgreSQL sends only if and when the transaction commits: idle instances wake within
 * milliseconds, and a rolled-back transaction wakes nobody.
 */
/** Rows per INSERT: PostgreSQL takes at most 65 535 parameters, and a delivery row has 14. */
const INSERT_CHUNK = 2000;

export async function insertDeliveries(db: Transaction<DB>, dialect: Dialect, rows: DeliveriesTable[]): Promise<void> {
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await store.insertDeliveries(db, rows.slice(i, i + INSERT_CHUNK));
  if (dialect === 'postgres') await sql`select pg_notify(${DELIVERY_WAKE_CHANNEL}, '')`.execute(db);
}
