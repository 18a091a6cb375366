import assert from 'node:assert/strict';
import { it } from 'node:test';
import { maxAttempts, nextRetryDelayMs } from './retry.ts';

const schedule = [5_000, 300_000, 1_800_000];

it('waits per the schedule after each failed attempt, then stops', () => {
  assert.equal(nextRetryDelayMs(schedule, 1, () => 0.5), 5_000);
  assert.equal(nextRetryDelayMs(schedule, 2, () => 0.5), 300_000);
  assert.equal(nextRetryDelayMs(schedule, 3, () => 0.5), 1_800_000);
  assert.equal(nextRetryDelayMs(schedule, 4, () => 0.5), undefined);
  assert.equal(maxAttempts(schedule), 4);
});

it('jitters each wait within ±20 %', () => {
  assert.equal(nextRetryDelayMs(schedule, 1, () => 0), 4_000);
  assert.equal(nextRetryDelayMs(schedule, 1, () => 1), 6_000);
  for (let i = 0; i < 1000; i++) {
    const delay = nextRetryDelayMs(schedule, 2) ?? -1;
    assert.ok(delay >= 240_000 && delay <= 360_000, String(delay));
  }
});
