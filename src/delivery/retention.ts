/**
 * Retention: finished deliveries (their attempts cascade) and events older than
 * HERALD_RETENTION_DAYS are deleted in the background, in batches, so no single statement holds
 * the database for long. Pending deliveries are never pruned, whatever their age: nothing is lost.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/types.ts';
import { coerceError } from '../http/errors.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows per DELETE: small enough that a batch takes milliseconds, not seconds. */
const PRUNE_BATCH = 1000;
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export function createPruner(deps: { db: Kysely<DB>; retentionDays: number; log: Logger; clock?: () => number }) {
  const now = deps.clock ?? Date.now;
  const log = deps.log.child({ module: 'retention' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  /** Set by stop(): the current prune ends after its batch, so shutdown never waits for a whole prune. */
  let stopping = false;

  async function pruneOnce(): Promise<{ deliveries: number; events: number }> {
    const cutoff = now() - deps.retentionDays * DAY_MS;
    let deliveries = 0;
    for (;;) {
      if (stopping) break;
      // The conditions repeat on the outer DELETE: a delivery re-queued (retry, recover) between
      // the inner SELECT and the DELETE is no longer finished and must stay.
      const result = await deps.db
        .deleteFrom('deliveries')
        .where('id', 'in', (eb) =>
          eb.selectFrom('deliveries').select('id').where('created_at', '<', cutoff).where('status', 'in', ['succeeded', 'failed']).limit(PRUNE_BATCH),
        )
        .where('created_at', '<', cutoff)
        .where('status', 'in', ['succeeded', 'failed'])
        .executeTakeFirst();
      const n = Number(result.numDeletedRows);
      deliveries += n;
      if (n < PRUNE_BATCH) break;
    }
    let events = 0;
    for (;;) {
      if (stopping) break;
      const result = await deps.db
        .deleteFrom('events')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('events as e')
            .select('e.id')
            .where('e.created_at', '<', cutoff)
            .where((w) => w.not(w.exists(w.selectFrom('deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id'))))
            .limit(PRUNE_BATCH),
        )
        .executeTakeFirst();
      const n = Number(result.numDeletedRows);
      events += n;
      if (n < PRUNE_BATCH) break;
    }
    if (deliveries || events) log.info({ deliveries, events, retentionDays: deps.retentionDays }, 'pruned');
    return { deliveries, events };
  }

  const tick = () => {
    running = pruneOnce().catch((error: unknown) => log.warn({ err: coerceError(error) }, 'pruning failed; will try again'));
  };

  return {
    pruneOnce,
    start(): void {
      tick();
      timer = setInterval(tick, PRUNE_INTERVAL_MS);
      timer.unref();
    },
    async stop(): Promise<void> {
      stopping = true;
      clearInterval(timer);
      await running;
    },
  };
}

export type Pruner = ReturnType<typeof createPruner>;
