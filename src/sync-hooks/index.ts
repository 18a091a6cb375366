/**
 * Synchronous hooks: endpoints that allow, deny or patch a sign-up, sign-in or password reset while
 * it waits. The gate (gate.ts) is what the Experience API and `POST /api/users` call; the service
 * and routes (service.ts, routes.ts) are the `/api/sync-hooks` resource; calls older than
 * HERALD_RETENTION_DAYS are pruned in the background.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB, Dialect } from '../db/types.ts';
import type { Emitter } from '../delivery/outbox.ts';
import type { App } from '../http/types.ts';
import type { Sender } from '../outbound/index.ts';
import { createBackgroundJob, deleteInBatches } from '../util/background.ts';
import { createSyncHookGate } from './gate.ts';
import { registerSyncHookRoutes } from './routes.ts';
import { createSyncHookService } from './service.ts';
import * as store from './store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
const PRUNE_BATCH = 1000;

export function createSyncHooks(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  emitter: Emitter;
  sender: Sender;
  budgetMs: number;
  retentionDays: number;
  userAgent?: string | undefined;
  log: Logger;
  clock?: () => number;
}) {
  const now = deps.clock ?? Date.now;
  const gate = createSyncHookGate(deps);
  const service = createSyncHookService({ db: deps.db, gate, clock: deps.clock });
  const pruner = createBackgroundJob({
    intervalMs: PRUNE_INTERVAL_MS,
    log: deps.log.child({ module: 'sync-hooks' }),
    failure: 'pruning synchronous-hook calls failed; will try again',
    run: (stopping) =>
      deleteInBatches(
        () => store.deleteCallsBefore(deps.db, now() - deps.retentionDays * DAY_MS, PRUNE_BATCH),
        PRUNE_BATCH,
        stopping,
      ),
  });
  return {
    gate,
    service,
    registerRoutes: (app: App) => registerSyncHookRoutes(app, { syncHooks: service }),
    /** Lines for /metrics: this instance's calls by hook and decision, and their latency by phase. */
    metricsLines: gate.metricsLines,
    prune: pruner.runOnce,
    startPruning: pruner.start,
    close: pruner.stop,
  };
}

export type SyncHooks = ReturnType<typeof createSyncHooks>;
export type { SyncHookGate, SyncRequest, Verdict } from './gate.ts';
export { applyPatch, recordedWith } from './gate.ts';
export type { SyncPatch, SyncHookPhase } from './schemas.ts';
