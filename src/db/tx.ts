import type { Kysely, Transaction } from 'kysely';
import type { DB } from './types.ts';

/** What a service gets inside a transaction: the executor for store calls, and a hook for after commit. */
export interface Tx {
  readonly db: Transaction<DB>;
  /** Runs `fn` once the transaction has committed; never if it rolls back. */
  afterCommit(fn: () => void): void;
}

/**
 * Runs `work` in one database transaction: an entity, its event and its deliveries are written
 * together or not at all. Callbacks registered with `afterCommit` (waking the dispatcher, say) run
 * only after COMMIT succeeded; an error thrown by `work` rolls everything back and is rethrown.
 */
export async function transaction<T>(db: Kysely<DB>, work: (tx: Tx) => Promise<T>): Promise<T> {
  const callbacks: (() => void)[] = [];
  const result = await db.transaction().execute((trx) => work({ db: trx, afterCommit: (fn) => callbacks.push(fn) }));
  for (const fn of callbacks) fn();
  return result;
}
