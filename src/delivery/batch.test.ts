import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBatchWriter } from './batch.ts';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createBatchWriter', () => {
  it('writes items pushed within the wait together, in order, at most maxBatch a write', async () => {
    const writes: number[][] = [];
    const writer = createBatchWriter<number>({
      write: async (b) => void writes.push(b),
      maxBatch: 3,
      waitMs: () => 5,
      retryDelayMs: 1,
    });
    for (let i = 1; i <= 7; i++) writer.push(i);
    assert.equal(writer.size, 7);
    await writer.drain(1000);
    assert.deepEqual(writes, [[1, 2, 3], [4, 5, 6], [7]]);
    assert.equal(writer.size, 0);
  });

  it('a failing batch is written item by item; the items that still fail are kept and retried, first in line', async () => {
    const stored: number[] = [];
    let poisoned = true;
    const failures: number[] = [];
    const writer = createBatchWriter<number>({
      write: async (batch) => {
        if (batch.length > 1 && batch.includes(2)) throw new Error('batch refused');
        if (batch.includes(2) && poisoned) {
          poisoned = false; // fails once on its own, then the database is back
          throw new Error('row refused');
        }
        stored.push(...batch);
      },
      maxBatch: 10,
      waitMs: () => 0,
      retryDelayMs: 1,
      onFailure: (_error, count) => failures.push(count),
    });
    for (const n of [1, 2, 3]) writer.push(n);
    await writer.drain(1000);
    assert.deepEqual(stored, [1, 3, 2]);
    assert.deepEqual(failures, [1], 'one round with one item left over');
    assert.equal(writer.size, 0);
  });

  it('calls onWritten after each batch, and one writer runs at a time', async () => {
    let running = 0;
    let most = 0;
    let written = 0;
    const writer = createBatchWriter<number>({
      write: async () => {
        most = Math.max(most, ++running);
        await tick(2);
        running--;
      },
      maxBatch: 1,
      waitMs: () => 0,
      retryDelayMs: 1,
      onWritten: () => written++,
    });
    for (let i = 0; i < 5; i++) writer.push(i);
    await tick();
    writer.push(5);
    await writer.drain(1000);
    assert.equal(most, 1);
    assert.equal(written, 6);
  });

  it('drain gives up after its time when nothing can be written, leaving the items counted', async () => {
    const writer = createBatchWriter<number>({
      write: async () => {
        throw new Error('database gone');
      },
      maxBatch: 10,
      waitMs: () => 0,
      retryDelayMs: 5,
    });
    writer.push(1);
    writer.push(2);
    await writer.drain(30);
    assert.equal(writer.size, 2);
  });
});
