/**
 * This instance's attempt counters and duration histogram, kept beside the dispatcher (in its
 * thread) and read by the metrics route as a plain, cloneable snapshot.
 */
import type { DeliveryAttemptEvent } from './dispatcher.ts';

export const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
export const OUTCOMES = ['delivered', 'retry', 'failed', 'disabled'] as const;

export interface DispatcherStats {
  attempts: Record<(typeof OUTCOMES)[number], number>;
  /** Cumulative counts per DURATION_BUCKETS_S bound. */
  durationBuckets: number[];
  durationSum: number;
  durationCount: number;
  inFlight: number;
  unrecorded: number;
}

export function emptyStats(): DispatcherStats {
  return {
    attempts: { delivered: 0, retry: 0, failed: 0, disabled: 0 },
    durationBuckets: DURATION_BUCKETS_S.map(() => 0),
    durationSum: 0,
    durationCount: 0,
    inFlight: 0,
    unrecorded: 0,
  };
}

/** Counts one attempt into `stats` (released attempts are not attempts: they never counted). */
export function countAttempt(stats: DispatcherStats, e: DeliveryAttemptEvent): void {
  if (e.outcome === 'released') return;
  stats.attempts[e.outcome]++;
  const seconds = e.durationMs / 1000;
  DURATION_BUCKETS_S.forEach((le, i) => {
    if (seconds <= le) stats.durationBuckets[i] = (stats.durationBuckets[i] ?? 0) + 1;
  });
  stats.durationSum += seconds;
  stats.durationCount++;
}
