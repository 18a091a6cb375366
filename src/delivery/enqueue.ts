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
export async function insertDeliveries(db: Transaction<DB>, dialect: Dialect, rows: DeliveriesTable[]): Promise<void> {
  if (rows.length === 0) return;
  await store.insertDeliveries(db, rows);
  if (dialect === 'postgres') await sql`select pg_notify(${DELIVERY_WAKE_CHANNEL}, '')`.execute(db);
}
