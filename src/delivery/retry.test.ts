import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decideAfterFailure, maxAttempts, nextRetryDelayMs, parseRetryAfter, RETRY_AFTER_MAX_MS } from './retry.ts';

const schedule = [5_000, 300_000, 1_800_000];

it('waits per the schedule after each failed attempt, then stops', () => {
  assert.equal(
    nextRetryDelayMs(schedule, 1, () => 0.5),
    5_000,
  );
  assert.equal(
    nextRetryDelayMs(schedule, 2, () => 0.5),
    300_000,
  );
  assert.equal(
    nextRetryDelayMs(schedule, 3, () => 0.5),
    1_800_000,
  );
  assert.equal(
    nextRetryDelayMs(schedule, 4, () => 0.5),
    undefined,
  );
  assert.equal(maxAttempts(schedule), 4);
});

it('jitters each wait within ±20 %', () => {
  assert.equal(
    nextRetryDelayMs(schedule, 1, () => 0),
    4_000,
  );
  assert.equal(
    nextRetryDelayMs(schedule, 1, () => 1),
    6_000,
  );
  for (let i = 0; i < 1000; i++) {
    const delay = nextRetryDelayMs(schedule, 2) ?? -1;
    assert.ok(delay >= 240_000 && delay <= 360_000, String(delay));
  }
});

it('reads Retry-After as seconds or an HTTP date, bounded', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0, 'a past date means now');
  assert.equal(parseRetryAfter('9999999', now), RETRY_AFTER_MAX_MS);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter('-5', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

it('decides what follows a failed attempt', () => {
  const base = {
    attempt: 1,
    scheduleMs: [5_000, 300_000],
    statusCode: 500,
    timedOut: false,
    permanent: false,
    retryAfterMs: undefined,
    throttledMinMs: 60_000,
    random: () => 0.5,
  };
  assert.deepEqual(decideAfterFailure(base), { kind: 'retry', delayMs: 5_000 });
  assert.deepEqual(decideAfterFailure({ ...base, statusCode: 410 }), {
    kind: 'disable',
    reason: 'The endpoint answered 410 Gone.',
  });
  assert.deepEqual(decideAfterFailure({ ...base, permanent: true, statusCode: undefined }), { kind: 'failed' });
  assert.deepEqual(decideAfterFailure({ ...base, attempt: 3 }), { kind: 'failed' });
  assert.deepEqual(decideAfterFailure({ ...base, statusCode: 503, retryAfterMs: 120_000 }), {
    kind: 'retry',
    delayMs: 120_000,
  });
  assert.deepEqual(decideAfterFailure({ ...base, statusCode: 503, retryAfterMs: 1_000 }), {
    kind: 'retry',
    delayMs: 1_000,
  });
  assert.deepEqual(decideAfterFailure({ ...base, statusCode: 429, retryAfterMs: 1_000 }), {
    kind: 'retry',
    delayMs: 60_000,
  });
  assert.deepEqual(decideAfterFailure({ ...base, statusCode: undefined, timedOut: true }), {
    kind: 'retry',
    delayMs: 60_000,
  });
});
