import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { observeHealth } from './health.ts';

describe('observeHealth', () => {
  it('a success ends the streak; the first failure after the last success starts the next', () => {
    const health = observeHealth([
      { kind: 'failed', hookId: 'a', at: 1 },
      { kind: 'delivered', hookId: 'a', at: 2 },
      { kind: 'retry', hookId: 'a', at: 3 },
      { kind: 'failed', hookId: 'a', at: 4 },
      { kind: 'delivered', hookId: 'b', at: 5 },
    ]);
    assert.deepEqual(health.get('a'), { sawSuccess: true, failingSince: 3, at: 4 });
    assert.deepEqual(health.get('b'), { sawSuccess: true, failingSince: undefined, at: 5 });
  });

  it('failures only: the streak starts at the first, and a 410 carries its reason', () => {
    const health = observeHealth([
      { kind: 'retry', hookId: 'a', at: 10 },
      { kind: 'disabled', hookId: 'a', at: 11, reason: 'Gone' },
    ]);
    assert.deepEqual(health.get('a'), { sawSuccess: false, failingSince: 10, at: 11, disableReason: 'Gone' });
  });

  it('an empty batch observes nothing', () => {
    assert.equal(observeHealth([]).size, 0);
  });
});
