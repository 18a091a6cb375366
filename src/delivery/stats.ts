/**
 * This instance's attempt counters and duration histograms, kept beside the dispatcher (in its
 * thread) and read by the metrics route as a plain, cloneable snapshot: instance-wide, and per hook
 * and outcome (a deployment has tens of hooks; past HOOKS_TRACKED_MAX distinct hooks the rest are
 * counted under `hook_id="other"`, so the label's cardinality stays bounded).
 */
import type { DeliveryAttemptEvent } from './dispatcher.ts';

export const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
export const OUTCOMES = ['delivered', 'retry', 'failed', 'disabled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Distinct hooks counted under their own id; further hooks share `other`. */
export const HOOKS_TRACKED_MAX = 500;
export const OTHER_HOOKS = 'other';

/** One histogram's cumulative state. */
export interface DurationHistogram {
  /** Cumulative counts per DURATION_BUCKETS_S bound. */
  buckets: number[];
  sum: number;
  count: number;
}

export interface DispatcherStats {
  attempts: Record<Outcome, number>;
  /** Cumulative counts per DURATION_BUCKETS_S bound. */
  durationBuckets: number[];
  durationSum: number;
  durationCount: number;
  /** Attempts and their durations by hook id, then outcome (only outcomes that happened). */
  byHook: Record<string, Partial<Record<Outcome, DurationHistogram>>>;
  inFlight: number;
  unrecorded: number;
}

export function emptyStats(): DispatcherStats {
  return {
    attempts: { delivered: 0, retry: 0, failed: 0, disabled: 0 },
    durationBuckets: DURATION_BUCKETS_S.map(() => 0),
    durationSum: 0,
    durationCount: 0,
    byHook: {},
    inFlight: 0,
    unrecorded: 0,
  };
}

function observe(buckets: number[], seconds: number): void {
  DURATION_BUCKETS_S.forEach((le, i) => {
    if (seconds <= le) buckets[i] = (buckets[i] ?? 0) + 1;
  });
}

/** Counts one attempt into `stats` (released attempts are not attempts: they never counted). */
export function countAttempt(stats: DispatcherStats, e: DeliveryAttemptEvent): void {
  if (e.outcome === 'released') return;
  stats.attempts[e.outcome]++;
  const seconds = e.durationMs / 1000;
  observe(stats.durationBuckets, seconds);
  stats.durationSum += seconds;
  stats.durationCount++;

  let hook = stats.byHook[e.hookId];
  if (!hook) {
    const key = Object.keys(stats.byHook).length < HOOKS_TRACKED_MAX ? e.hookId : OTHER_HOOKS;
    hook = stats.byHook[key] ?? {};
    stats.byHook[key] = hook;
  }
  let histogram = hook[e.outcome];
  if (!histogram) {
    histogram = { buckets: DURATION_BUCKETS_S.map(() => 0), sum: 0, count: 0 };
    hook[e.outcome] = histogram;
  }
  observe(histogram.buckets, seconds);
  histogram.sum += seconds;
  histogram.count++;
}

/** A deep copy of `stats`, safe to hand out while counting goes on. */
export function snapshotStats(stats: DispatcherStats): DispatcherStats {
  const byHook: DispatcherStats['byHook'] = {};
  for (const [hookId, outcomes] of Object.entries(stats.byHook)) {
    const copy: Partial<Record<Outcome, DurationHistogram>> = {};
    for (const [outcome, h] of Object.entries(outcomes) as [Outcome, DurationHistogram][])
      copy[outcome] = { buckets: [...h.buckets], sum: h.sum, count: h.count };
    byHook[hookId] = copy;
  }
  return {
    ...stats,
    attempts: { ...stats.attempts },
    durationBuckets: [...stats.durationBuckets],
    byHook,
  };
}
