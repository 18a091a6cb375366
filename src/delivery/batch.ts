/**
 * A batching writer, after graphile-worker's `batch()`: items pushed within `waitMs` of each other
 * are written together (one transaction for many results instead of one each: commits dominated a
 * busy SQLite instance when each result had its own, bench/README.md), at most `maxBatch` a write,
 * by one writer at a time. A batch that fails is written again item by item, so one bad item never
 * holds the others hostage; items that still fail (the database is down) are kept, in order, for
 * the next round after `retryDelayMs`. Nothing is dropped unless drain() gives up.
 */
export interface BatchWriterOptions<T> {
  /** Writes one batch; throws when it could not. */
  write(batch: T[]): Promise<void>;
  /** Items a write takes at most. */
  maxBatch: number;
  /** How long the first item of a batch waits for more (read at each batch: 0 while stopping). */
  waitMs(): number;
  /** Wait after a round in which some items could not be written. */
  retryDelayMs: number;
  /** After each batch written: room was made. */
  onWritten?(): void;
  /** Some items could not be written; they are kept and tried again. */
  onFailure?(error: unknown, failedCount: number): void;
}

export function createBatchWriter<T>(options: BatchWriterOptions<T>) {
  let pending: T[] = [];
  let writing: Promise<void> | undefined;
  /** Set by drain() when its time is up: the writer stops at the next batch. */
  let abandoned = false;

  async function writeAll(): Promise<void> {
    while (pending.length > 0 && !abandoned) {
      const batch = pending.slice(0, options.maxBatch);
      try {
        await options.write(batch);
        pending = pending.slice(batch.length);
        options.onWritten?.();
      } catch (batchError) {
        const failed: T[] = [];
        for (const item of batch) {
          try {
            await options.write([item]);
          } catch {
            failed.push(item);
          }
        }
        pending = [...failed, ...pending.slice(batch.length)];
        if (failed.length > 0) {
          options.onFailure?.(batchError, failed.length);
          await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
        }
      }
    }
  }

  return {
    /** Queues an item; the batch it joins is written within waitMs. */
    push(item: T): void {
      pending.push(item);
      writing ??= new Promise((resolve) => setTimeout(resolve, options.waitMs()))
        .then(writeAll)
        .finally(() => (writing = undefined));
    },
    /** Items queued and not yet written. */
    get size(): number {
      return pending.length;
    },
    /**
     * Waits until everything queued is written, or `timeoutMs` passed: then the writer gives up after
     * its current batch (what is left stays unwritten; `size` says how much).
     */
    async drain(timeoutMs: number): Promise<void> {
      const deadline = setTimeout(() => (abandoned = true), timeoutMs);
      try {
        while (writing) await writing;
      } finally {
        clearTimeout(deadline);
      }
    },
  };
}

export type BatchWriter<T> = ReturnType<typeof createBatchWriter<T>>;
