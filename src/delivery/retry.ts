/**
 * Retry timing, as pure functions. The schedule lists the wait before each retry (DESIGN.md:
 * immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); each wait gets ±20 % jitter so a
 * burst of failures does not come back as a burst.
 */

export const JITTER_RATIO = 0.2;

/**
 * The wait before the next attempt after `attemptsMade` attempts, or undefined when the schedule is
 * exhausted and the delivery has failed. `random` is injectable for tests.
 */
export function nextRetryDelayMs(scheduleMs: readonly number[], attemptsMade: number, random: () => number = Math.random): number | undefined {
  const base = scheduleMs[attemptsMade - 1];
  if (base === undefined) return undefined;
  return Math.max(0, Math.round(base * (1 + JITTER_RATIO * (2 * random() - 1))));
}

/** Total attempts a delivery gets: the first plus one per schedule entry. */
export const maxAttempts = (scheduleMs: readonly number[]): number => scheduleMs.length + 1;
