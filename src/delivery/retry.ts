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
export function nextRetryDelayMs(
  scheduleMs: readonly number[],
  attemptsMade: number,
  random: () => number = Math.random,
): number | undefined {
  const base = scheduleMs[attemptsMade - 1];
  if (base === undefined) return undefined;
  return Math.max(0, Math.round(base * (1 + JITTER_RATIO * (2 * random() - 1))));
}

/** Total attempts a delivery gets: the first plus one per schedule entry. */
export const maxAttempts = (scheduleMs: readonly number[]): number => scheduleMs.length + 1;

/** Longest `Retry-After` Herald honours; a larger one is cut to this. */
export const RETRY_AFTER_MAX_MS = 24 * 60 * 60 * 1000;

/**
 * `Retry-After` as milliseconds from `now`: delay-seconds or an HTTP date; undefined when absent or
 * unreadable. Bounded to [0, RETRY_AFTER_MAX_MS].
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
    ms = at - now;
  }
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(0, ms));
}

export type AttemptDecision =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed' }
  | { kind: 'disable'; reason: string };

/**
 * What follows a failed attempt: `410 Gone` disables the hook; a failure no retry can mend (the
 * SSRF guard refused the destination, or the URL cannot be sent to) fails at once; otherwise the schedule decides, with `Retry-After` taking the schedule's place when
 * given, and at least `throttledMinMs` after a timeout or a 429.
 */
export function decideAfterFailure(input: {
  attempt: number;
  scheduleMs: readonly number[];
  statusCode: number | undefined;
  timedOut: boolean;
  /** Retrying cannot help: a refused destination, an endpoint URL that cannot be parsed. */
  permanent: boolean;
  retryAfterMs: number | undefined;
  throttledMinMs: number;
  random?: () => number;
}): AttemptDecision {
  if (input.statusCode === 410) return { kind: 'disable', reason: 'The endpoint answered 410 Gone.' };
  if (input.permanent) return { kind: 'failed' };
  const scheduled = nextRetryDelayMs(input.scheduleMs, input.attempt, input.random);
  if (scheduled === undefined) return { kind: 'failed' };
  let delayMs = input.retryAfterMs ?? scheduled;
  if (input.timedOut || input.statusCode === 429) delayMs = Math.max(delayMs, input.throttledMinMs);
  return { kind: 'retry', delayMs };
}
