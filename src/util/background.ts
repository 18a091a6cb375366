/**
 * A job that runs in the background now and then at an interval (the retention pruner, the
 * Experience API's prune): never two runs at once, a failure logged and tried again at the next
 * tick, and stop() that lets the current run end after its batch (`stopping()` turns true) and
 * waits for it, so shutdown never waits for a whole run.
 */
import type { Logger } from 'pino';
import { coerceError } from '../http/errors.ts';

export function createBackgroundJob<T>(options: {
  intervalMs: number;
  log: Logger;
  failure: string;
  run: (stopping: () => boolean) => Promise<T>;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopping = false;
  const runOnce = () => options.run(() => stopping);
  const tick = () => {
    running ??= runOnce()
      .catch((error: unknown) => options.log.warn({ err: coerceError(error) }, options.failure))
      .finally(() => (running = undefined));
  };
  return {
    /** One run now (tests call it; the timer calls it every interval). */
    runOnce,
    start(): void {
      tick();
      timer = setInterval(tick, options.intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      stopping = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Runs `deleteBatch` (a DELETE of at most `batch` rows, answering how many it removed) until it
 * removes fewer than `batch` or `stopping()` turns true; answers the rows removed in all.
 */
export async function deleteInBatches(
  deleteBatch: () => Promise<{ numDeletedRows: bigint }>,
  batch: number,
  stopping: () => boolean,
): Promise<number> {
  let removed = 0;
  while (!stopping()) {
    const n = Number((await deleteBatch()).numDeletedRows);
    removed += n;
    if (n < batch) break;
  }
  return removed;
}
