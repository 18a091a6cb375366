/**
 * Retention: finished deliveries (their attempts cascade) and events older than
 * HERALD_RETENTION_DAYS are deleted in the background, in batches, so no single statement holds
 * the database for long. Pending deliveries are never pruned, whatever their age: nothing is lost.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/types.ts';
import { createBackgroundJob, deleteInBatches } from '../util/background.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows per DELETE: small enough that a batch takes milliseconds, not seconds. */
const PRUNE_BATCH = 1000;
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export function createPruner(deps: { db: Kysely<DB>; retentionDays: number; log: Logger; clock?: () => number }) {
  const now = deps.clock ?? Date.now;
  const log = deps.log.child({ module: 'retention' });

  async function prune(stopping: () => boolean): Promise<{ deliveries: number; events: number }> {
    const cutoff = now() - deps.retentionDays * DAY_MS;
    // The conditions repeat on the outer DELETE: a delivery re-queued (retry, recover) between
    // the inner SELECT and the DELETE is no longer finished and must stay.
    const deliveries = await deleteInBatches(
      () =>
        deps.db
          .deleteFrom('deliveries')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('deliveries')
              .select('id')
              .where('created_at', '<', cutoff)
              .where('status', 'in', ['succeeded', 'failed'])
              .limit(PRUNE_BATCH),
          )
          .where('created_at', '<', cutoff)
          .where('status', 'in', ['succeeded', 'failed'])
          .executeTakeFirst(),
      PRUNE_BATCH,
      stopping,
    );
    const events = await deleteInBatches(
      () =>
        deps.db
          .deleteFrom('events')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('events as e')
              .select('e.id')
              .where('e.created_at', '<', cutoff)
              .where((w) =>
                w.not(w.exists(w.selectFrom('deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id'))),
              )
              .limit(PRUNE_BATCH),
          )
          .executeTakeFirst(),
      PRUNE_BATCH,
      stopping,
    );
    if (deliveries || events) log.info({ deliveries, events, retentionDays: deps.retentionDays }, 'pruned');
    return { deliveries, events };
  }

  const job = createBackgroundJob({
    intervalMs: PRUNE_INTERVAL_MS,
    log,
    failure: 'pruning failed; will try again',
    run: prune,
  });
  return { pruneOnce: job.runOnce, start: job.start, stop: job.stop };
}

export type Pruner = ReturnType<typeof createPruner>;
