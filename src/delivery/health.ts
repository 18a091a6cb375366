/**
 * A hook's health, judged on the attempts each batch recorded: a success ends the hook's failure
 * streak (`failing_since`); a failure starts one if none runs; a hook whose streak has lasted
 * HERALD_AUTO_DISABLE_AFTER_SECONDS, or whose endpoint answered 410 Gone, is disabled with a reason.
 * Paused time does not count: a paused hook is not disabled for its streak, and resuming moves the
 * streak forward by the paused time (hooks/store.ts resumeHook).
 * observeHealth() reads one batch (pure); updateHookHealth() writes the outcome in the batch's
 * transaction.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../db/types.ts';

/** What one batch says of one hook. */
export interface HealthObservation {
  /** A success was recorded in this batch. */
  sawSuccess: boolean;
  /** The first failure after the batch's last success; undefined when the last result was a success. */
  failingSince: number | undefined;
  /** Time of the hook's last result in the batch. */
  at: number;
  /** Set when an endpoint answered 410: the hook is disabled with this reason. */
  disableReason?: string;
}

/** One recorded attempt's outcome, as much of it as health needs. */
export interface RecordedOutcome {
  kind: 'delivered' | 'retry' | 'failed' | 'disabled';
  hookId: string;
  at: number;
  reason?: string;
}

/** Per hook, in batch order: whether a success was seen, and the failure streak that follows the last one. */
export function observeHealth(outcomes: readonly RecordedOutcome[]): Map<string, HealthObservation> {
  const health = new Map<string, HealthObservation>();
  for (const c of outcomes) {
    const entry = health.get(c.hookId) ?? { sawSuccess: false, failingSince: undefined, at: c.at };
    entry.at = c.at;
    if (c.kind === 'delivered') {
      entry.sawSuccess = true;
      entry.failingSince = undefined;
    } else entry.failingSince ??= c.at;
    if (c.kind === 'disabled' && c.reason !== undefined) entry.disableReason = c.reason;
    health.set(c.hookId, entry);
  }
  return health;
}

/** Writes each hook's streak and, where due, disables it; hooks in id order, so two instances lock them alike. */
export async function updateHookHealth(
  db: Transaction<DB>,
  health: ReadonlyMap<string, HealthObservation>,
  options: { autoDisableAfterMs: number },
): Promise<void> {
  const sorted = [...health].sort(([a], [b]) => (a < b ? -1 : 1));
  // Hooks whose last result here was a success: their streak ends, all in one statement (most
  // batches are all successes, and the UPDATE changes nothing when no streak ran).
  const healthy = sorted.filter(([, h]) => h.failingSince === undefined).map(([id]) => id);
  if (healthy.length)
    await db
      .updateTable('hooks')
      .set({ failing_since: null })
      .where('id', 'in', healthy)
      .where('failing_since', 'is not', null)
      .execute();
  for (const [hookId, h] of sorted) {
    if (h.failingSince === undefined) continue;
    const hook = db.updateTable('hooks').where('id', '=', hookId);
    // A success in this batch ended the old streak: the new one starts at the first failure after
    // it. Without a success, a running streak keeps its start.
    if (h.sawSuccess) await hook.set({ failing_since: h.failingSince }).execute();
    else await hook.set({ failing_since: h.failingSince }).where('failing_since', 'is', null).execute();
    if (h.disableReason) {
      await hook.set({ enabled: false, disabled_reason: h.disableReason, disabled_at: h.at }).execute();
      continue;
    }
    const since = new Date(h.at - options.autoDisableAfterMs);
    await hook
      .set({
        enabled: false,
        disabled_reason: `Every delivery has failed since ${since.toISOString()}.`,
        disabled_at: h.at,
      })
      .where('enabled', '=', true)
      // A paused hook is not judged on the results of requests already under way when it paused:
      // paused time does not count, and resuming moves the streak forward by it (hooks/store.ts).
      .where('paused', '=', false)
      .where('failing_since', '<=', h.at - options.autoDisableAfterMs)
      .execute();
  }
}
