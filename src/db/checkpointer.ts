/**
 * SQLite's WAL checkpoints, off the threads that serve: a tiny worker thread with its own
 * connection runs `PRAGMA wal_checkpoint(PASSIVE)` every CHECKPOINT_INTERVAL_MS, while the server's
 * and the dispatcher's connections have auto-checkpointing off (sqlite-dialect.ts).
 *
 * Why: SQLite checkpoints in whichever connection's commit pushes the WAL past 1 000 pages, and
 * node:sqlite runs it on that connection's thread: at 500 sign-ups a second a dispatcher claim or
 * a result batch now and then took 12–45 ms instead of under 1 ms, and every delivery behind it
 * waited (bench latency p99). A PASSIVE checkpoint never waits for or blocks readers and writers; in
 * its own thread it blocks no event loop either. The worker is plain JavaScript (eval), so it loads
 * nothing but node:sqlite.
 */
import { Worker } from 'node:worker_threads';

/** How often the WAL is copied back into the database file. A checkpoint with nothing to do is a no-op. */
export const CHECKPOINT_INTERVAL_MS = 250;

const SOURCE = `
const { DatabaseSync } = require('node:sqlite');
const { parentPort, workerData } = require('node:worker_threads');
const db = new DatabaseSync(workerData.path, { timeout: 0 });
const checkpoint = () => {
  // SQLITE_BUSY (another checkpoint running) or a transient error: the next turn tries again.
  try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch {}
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('closed');
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Runs a last checkpoint and ends the thread. */
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { path, intervalMs },
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
  });
  // The thread must not keep a CLI process alive on its own.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held again while it finishes: an unreferenced thread being awaited would let the process end
      // right here, before the caller's own shutdown is done.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
