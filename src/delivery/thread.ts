/**
 * Runs the dispatcher in a worker thread (worker.ts) and gives the server a DispatcherHandle for it.
 * Should the thread die while running (a bug, memory), it is started again after a second; its
 * claims were leased, so on PostgreSQL they come back when the lease expires, and on SQLite (one
 * instance per file) the new thread hands them back at start.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { DispatcherHandle } from './runtime.ts';
import { emptyStats, type DispatcherStats } from './stats.ts';
import type { FromWorker, ToWorker } from './worker.ts';

const RESTART_DELAY_MS = 1000;
/** Beyond the drain budget, how long stop() waits for the thread before terminating it. */
const STOP_GRACE_MS = 5000;
/** How long a metrics scrape waits for the thread's counters before using the last ones. */
const STATS_WAIT_MS = 1000;
/**
 * The thread's heap, bounded: without a bound V8 on a large machine lets the old generation grow
 * to hundreds of MiB before collecting (bench backlog: 377–391 MiB RSS at 100 000 deliveries, idle
 * 200). What the thread holds is bounded by design (claims sized to free slots, at most
 * 2 × HERALD_DELIVERY_CONCURRENCY deliveries leased, at most 2 000 results unrecorded), well under
 * this. With the young generation left to its default, an old generation this small made V8 collect
 * constantly (4 × the CPU per delivery); both bounded, the same backlog peaked at 224–226 MiB with
 * no loss of rate.
 */
const THREAD_HEAP_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };

export async function startDispatcherThread(config: Config, parentLog: Logger): Promise<DispatcherHandle> {
  const log = parentLog.child({ module: 'dispatcher-thread' });
  // The thread has no terminal of its own: decide `auto` here.
  const logFormat = config.logFormat === 'auto' ? (process.stdout.isTTY ? 'pretty' : 'json') : config.logFormat;
  /** The last counters the thread answered: what a scrape gets if the thread does not answer in time. */
  let stats: DispatcherStats = emptyStats();
  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  let worker: Worker;

  function spawn(): Promise<Worker> {
    const next = new Worker(new URL('./worker.ts', import.meta.url), {
      workerData: { config: { ...config, logFormat } },
      resourceLimits: THREAD_HEAP_LIMITS,
    });
    next.on('message', (message: FromWorker) => {
      if (message.type === 'stats') stats = message.stats;
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type !== 'ready') return;
        next.off('message', onMessage);
        next.off('error', reject);
        next.on('error', (err) => log.error({ err }, 'dispatcher thread failed'));
        next.on('exit', (code) => {
          if (next !== worker || state !== 'running') return;
          log.error({ code }, 'dispatcher thread exited; starting it again');
          setTimeout(() => void restart(), RESTART_DELAY_MS).unref();
        });
        resolve(next);
      };
      next.on('message', onMessage);
      next.once('error', reject);
    });
  }

  async function restart(): Promise<void> {
    if (state !== 'running') return;
    try {
      worker = await spawn();
      await call({ type: 'start' }, 'started');
    } catch (err) {
      log.error({ err }, 'could not restart the dispatcher thread; trying again');
      setTimeout(() => void restart(), RESTART_DELAY_MS).unref();
    }
  }

  /** Sends a message and waits for the reply of type `reply` (or the thread's end). */
  function call(message: ToWorker, reply: FromWorker['type'], timeoutMs?: number): Promise<boolean> {
    const target = worker;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (answered: boolean) => {
        clearTimeout(timer);
        target.off('message', onMessage);
        target.off('exit', onExit);
        resolve(answered);
      };
      const onMessage = (m: FromWorker) => m.type === reply && finish(true);
      const onExit = () => finish(false);
      target.on('message', onMessage);
      target.on('exit', onExit);
      if (timeoutMs !== undefined) timer = setTimeout(() => finish(false), timeoutMs);
      target.postMessage(message);
    });
  }

  worker = await spawn();
  return {
    async start() {
      if (state !== 'idle') return;
      state = 'running';
      if (!(await call({ type: 'start' }, 'started'))) throw new Error('the dispatcher thread exited while starting');
    },
    async stop(drainMs = 5000) {
      if (state === 'stopping' || state === 'stopped') return;
      state = 'stopping';
      const stopped = await call({ type: 'stop', drainMs }, 'stopped', 2 * drainMs + STOP_GRACE_MS);
      if (!stopped) log.warn('dispatcher thread did not stop in time; terminating it');
      await worker.terminate();
      state = 'stopped';
    },
    notify() {
      if (state === 'running') worker.postMessage({ type: 'notify' } satisfies ToWorker);
    },
    async stats() {
      if (state === 'running') await call({ type: 'stats' }, 'stats', STATS_WAIT_MS);
      return stats;
    },
    async alive(timeoutMs) {
      if (state !== 'running') return false;
      // A round trip through the thread's event loop; it answers whether its dispatcher runs.
      const target = worker;
      return new Promise<boolean>((resolve) => {
        const finish = (answer: boolean) => {
          clearTimeout(timer);
          target.off('message', onMessage);
          target.off('exit', onExit);
          resolve(answer);
        };
        const onMessage = (m: FromWorker) => m.type === 'pong' && finish(m.running);
        const onExit = () => finish(false);
        const timer = setTimeout(() => finish(false), timeoutMs);
        target.on('message', onMessage);
        target.on('exit', onExit);
        target.postMessage({ type: 'ping' } satisfies ToWorker);
      });
    },
  };
}
