/**
 * Replay: send one delivery again now, or re-queue every failed delivery of a hook in a window.
 * The delivery keeps its id (`webhook-id`), and the new attempt joins its attempt log.
 */
import type { Kysely } from 'kysely';
import type { DB, Dialect } from '../db/types.ts';
import { transaction } from '../db/tx.ts';
import { HeraldError, notExistsWithId } from '../http/errors.ts';
import { type DeliveryLogFilter, hookExists, requeueFailed } from './log.store.ts';
import { wakeOnCommit } from './outbox.ts';

/** How far back `recover` may reach. */
export const RECOVER_MAX_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

export function createReplayService(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  wake: () => void;
  clock?: () => number;
}) {
  const now = deps.clock ?? Date.now;

  /** Runs `work` in a transaction that wakes every instance's dispatcher when it commits. */
  async function requeue<T>(work: (db: Kysely<DB>) => Promise<T>, changed: (result: T) => boolean): Promise<T> {
    return transaction(deps.db, async (tx) => {
      const result = await work(tx.db);
      if (changed(result)) await wakeOnCommit(tx, deps.dialect, deps.wake);
      return result;
    });
  }

  /** 400 unless [since, until] starts within RECOVER_MAX_WINDOW_MS and is in order. */
  function checkWindow(since: number, until: number | undefined, at: number): void {
    if (since < at - RECOVER_MAX_WINDOW_MS) {
      throw new HeraldError('guard.invalid_input', {
        message: 'since may reach at most 14 days back.',
        data: { field: 'body.since' },
      });
    }
    if (until !== undefined && until < since) {
      throw new HeraldError('guard.invalid_input', {
        message: 'until must not be before since.',
        data: { field: 'body.until' },
      });
    }
  }

  return {
    /** Due now, whatever its status (a succeeded delivery too); 409 while an attempt is under way. */
    async retryDelivery(hookId: string, deliveryId: string): Promise<void> {
      const at = now();
      await requeue(
        async (db) => {
          const row = await db
            .selectFrom('deliveries')
            .select(['status'])
            .where('id', '=', deliveryId)
            .where('hook_id', '=', hookId)
            .executeTakeFirst();
          if (!row) throw notExistsWithId('delivery', deliveryId);
          if (row.status === 'delivering') throw new HeraldError('delivery.in_progress');
          await db
            .updateTable('deliveries')
            .set({ status: 'pending', next_attempt_at: at, completed_at: null, updated_at: at })
            .where('id', '=', deliveryId)
            .where('status', '!=', 'delivering')
            .execute();
          return true;
        },
        (changed) => changed,
      );
    },

    /** Every failed delivery of the hook created in [since, until] is due again; answers how many. */
    async recoverFailed(hookId: string, since: number, until: number | undefined): Promise<number> {
      const at = now();
      checkWindow(since, until, at);
      return requeue(
        async (db) => {
          const result = await db
            .updateTable('deliveries')
            .set({ status: 'pending', next_attempt_at: at, completed_at: null, updated_at: at })
            .where('hook_id', '=', hookId)
            .where('status', '=', 'failed')
            .where('created_at', '>=', since)
            .where('created_at', '<=', until ?? at)
            .executeTakeFirst();
          return Number(result.numUpdatedRows);
        },
        (count) => count > 0,
      );
    },

    /**
     * The global log's bulk recovery: every failed delivery the filter matches (any hook, or
     * `hookId`'s; `since` defaults to, and may reach at most, 14 days back) is due again now.
     * Answers how many, or undefined when `hookId` names no hook.
     */
    async recoverMatching(filter: Omit<DeliveryLogFilter, 'status'>): Promise<number | undefined> {
      const at = now();
      const since = filter.since ?? at - RECOVER_MAX_WINDOW_MS;
      checkWindow(since, filter.until, at);
      if (filter.hookId !== undefined && !(await hookExists(deps.db, filter.hookId))) return undefined;
      return requeue(
        (db) => requeueFailed(db, { ...filter, since, until: filter.until ?? at }, at),
        (count) => count > 0,
      );
    },
  };
}

export type ReplayService = ReturnType<typeof createReplayService>;
