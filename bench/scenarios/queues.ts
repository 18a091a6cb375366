/**
 * Queue baselines — what a Node team would pick instead of Herald: BullMQ on the machine's Redis
 * (127.0.0.1:6379) and graphile-worker on PostgreSQL (TEST_DATABASE_URL, a fresh database per
 * measurement). Each job is one webhook delivery, done as Herald does it: the bench body (built as
 * measureBaseline builds it), signed with HMAC-SHA256 and POSTed with undici at `concurrency` in
 * flight to the same receiver process; a non-2xx answer throws, so the queue would retry.
 *
 * - drain: `count` jobs added in bulk while no worker runs, then the worker starts: deliveries/s
 *   from the first arrival to the last at the receiver (as measureBaseline and measureDrain).
 * - latency: one job added per tick at a steady rate (open loop) with the worker running: the
 *   receiver's arrival time minus the time `add()` resolved, p50/p99/max, and how long the adds
 *   took (with the rate the producer reached, as latency reports for the API).
 *
 * Producer and worker run in this bench process (the receiver is its own process, as for Herald),
 * so the queue's client, its worker and undici share one event loop; Herald's server is a process
 * of its own with the dispatcher in a worker thread. They do keep separate connections (BullMQ's
 * Queue and Worker each have theirs; graphile-worker gets a pool for each).
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Logger, makeWorkerUtils, run, runMigrations, type Runner } from 'graphile-worker';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startReceiver } from '../lib/processes.ts';
import { progress } from '../lib/report.ts';
import { percentile } from '../lib/stats.ts';
import { createBenchDatabase } from '../lib/store.ts';
import { benchBody, benchBodyId, webhookSender, type WebhookSender } from '../lib/webhook.ts';
import { HOOK_CONCURRENCY } from './throughput.ts';

export type QueueName = 'bullmq' | 'graphile-worker';

const REDIS = { host: '127.0.0.1', port: 6379 };
/** Jobs per bulk add (bodies of ~540 bytes: ~0.5 MB per Redis pipeline or add_jobs call). */
const BULK = 1000;
/**
 * graphile-worker's batching, as its performance page runs it: a local queue that fetches and locks
 * up to this many jobs at once, and job completions batched (delay 0: what finishes in the same
 * turn is completed in one statement). Herald likewise claims ahead of free slots and writes
 * results in batches.
 */
const GRAPHILE_LOCAL_QUEUE = 500;
/** Retries a failed delivery would get (neither queue retries here: the receiver answers 200). */
const ATTEMPTS = 8;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One queue with a worker that delivers its jobs through `sender`. */
interface QueueUnderTest {
  /** Adds jobs through the queue's bulk path (no worker runs yet in the drain). */
  addBulk(bodies: string[]): Promise<void>;
  add(body: string): Promise<void>;
  startWorker(): Promise<void>;
  /** Failed attempts so far (a delivery that threw). */
  failures(): number;
  /** Stops the worker and removes everything the queue stored. */
  close(): Promise<void>;
}

type Open = (sender: WebhookSender, concurrency: number) => Promise<QueueUnderTest>;

/**
 * BullMQ with a queue name and key prefix of its own, obliterated afterwards (then any key left
 * under the prefix is deleted). Completed jobs are kept, as BullMQ does by default (Herald keeps a
 * record of every delivery too).
 */
const openBullmq: Open = async (sender, concurrency) => {
  const prefix = `herald-bench-${randomUUID()}`;
  const name = 'deliveries';
  const queue = new Queue<{ body: string }>(name, { connection: REDIS, prefix });
  const options = { attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 1000 } };
  let worker: Worker | undefined;
  let failed = 0;
  /** Obliterates the queue, then deletes any key obliterate left under the prefix (there should be none). */
  const removeQueue = async () => {
    try {
      await queue.obliterate({ force: true });
      const redis = new Redis(REDIS);
      try {
        let left = 0;
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) left += await redis.del(...keys);
        } while (cursor !== '0');
        if (left > 0) progress(`bullmq: deleted ${left} keys obliterate left under ${prefix}`);
      } finally {
        redis.disconnect();
      }
    } finally {
      await queue.close();
    }
  };
  return {
    async addBulk(bodies) {
      await queue.addBulk(bodies.map((body) => ({ name: 'deliver', data: { body }, opts: options })));
    },
    async add(body) {
      await queue.add('deliver', { body }, options);
    },
    async startWorker() {
      worker = new Worker<{ body: string }>(name, (job) => sender.send(job.data.body), {
        connection: REDIS,
        prefix,
        concurrency,
      });
      worker.on('failed', (_job, error) => {
        if (failed++ === 0) progress(`bullmq: a delivery failed: ${error.message}`);
      });
      worker.on('error', (error) => progress(`bullmq: worker error: ${error.message}`));
      await worker.waitUntilReady();
    },
    failures: () => failed,
    async close() {
      try {
        await worker?.close();
      } finally {
        await removeQueue();
      }
    },
  };
};

/**
 * graphile-worker in a database of its own (dropped afterwards), with its local queue enabled. The
 * producer (WorkerUtils) and the worker have a pool each, as an API process and a worker process
 * would. The pools are ours, ended before the drop: graphile-worker does not wait for the end of
 * pools it makes, and the drop's FORCE would terminate a connection still open.
 */
const openGraphile: Open = async (sender, concurrency) => {
  const db = await createBenchDatabase('postgres');
  // Its info lines (worker started, stopped) would interleave with the bench's progress.
  const logger = new Logger(() => (level, message) => {
    if (level === 'error') progress(`graphile-worker: ${message}`);
  });
  // pool.end() resolves before its sockets are closed, so the drop may still terminate them.
  let closing = false;
  const onError = (error: Error) => {
    if (!closing) progress(`graphile-worker: PostgreSQL: ${error.message}`);
  };
  const pool = (max: number) => {
    const created = new pg.Pool({ connectionString: db.url, max });
    created.on('error', onError);
    created.on('connect', (client) => client.on('error', onError));
    return created;
  };
  // The worker's pool as graphile-worker sizes it (concurrentJobs + 2); the producer's, pg's default.
  const workerPool = pool(concurrency + 2);
  const producerPool = pool(10);
  const endPools = async () => {
    closing = true;
    await Promise.all([workerPool.end(), producerPool.end()]);
  };
  const preset = {
    worker: {
      concurrentJobs: concurrency,
      localQueue: { size: GRAPHILE_LOCAL_QUEUE },
      completeJobBatchDelay: 0,
      failJobBatchDelay: 0,
      logger,
    },
  };
  const utils = await (async () => {
    await runMigrations({ preset, pgPool: producerPool });
    return makeWorkerUtils({ preset, pgPool: producerPool });
  })().catch(async (error: unknown) => {
    await endPools();
    await db.drop();
    throw error;
  });
  let runner: Runner | undefined;
  let failed = 0;
  return {
    async addBulk(bodies) {
      await utils.addJobs(bodies.map((body) => ({ identifier: 'deliver', payload: { body }, maxAttempts: ATTEMPTS })));
    },
    async add(body) {
      await utils.addJob('deliver', { body }, { maxAttempts: ATTEMPTS });
    },
    async startWorker() {
      runner = await run({
        preset,
        pgPool: workerPool,
        noHandleSignals: true,
        crontab: '',
        taskList: { deliver: (payload) => sender.send((payload as { body: string }).body) },
      });
      runner.events.on('job:failed', ({ error }) => {
        if (failed++ === 0) progress(`graphile-worker: a delivery failed: ${String(error)}`);
      });
    },
    failures: () => failed,
    async close() {
      try {
        await runner?.stop();
        await utils.release();
        await endPools();
      } finally {
        await db.drop();
      }
    },
  };
};

const OPEN: Record<QueueName, Open> = { bullmq: openBullmq, 'graphile-worker': openGraphile };

/** Adds `count` jobs in bulk with no worker running, then starts one: deliveries/s at the receiver. */
async function measureQueueDrain(name: QueueName, count: number, concurrency: number): Promise<number> {
  const receiver = await startReceiver('ok');
  const sender = webhookSender(`${receiver.url}/t`, concurrency);
  try {
    const queue = await OPEN[name](sender, concurrency);
    try {
      const createdAt = new Date().toISOString();
      const started = performance.now();
      for (let done = 0; done < count; done += BULK) {
        const size = Math.min(BULK, count - done);
        await queue.addBulk(Array.from({ length: size }, (_, i) => benchBody(done + i, createdAt)));
        if ((done + size) % 10_000 === 0) progress(`${name}: queued ${done + size}`);
      }
      progress(`${name}: ${count} jobs queued in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await queue.startWorker();
      const ticker = setInterval(async () => progress(`${name}: delivered ${await receiver.count()} / ${count}`), 2000);
      try {
        await receiver.wait(count, undefined, 15 * 60_000);
      } finally {
        clearInterval(ticker);
      }
      if (queue.failures() > 0) progress(`${name}: ${queue.failures()} failed attempts`);
      return count / (await receiver.spanSeconds());
    } finally {
      await queue.close();
    }
  } finally {
    await sender.close();
    await receiver.stop();
  }
}

export const measureBullmqDrain = (count: number, concurrency = HOOK_CONCURRENCY) =>
  measureQueueDrain('bullmq', count, concurrency);
export const measureGraphileDrain = (count: number, concurrency = HOOK_CONCURRENCY) =>
  measureQueueDrain('graphile-worker', count, concurrency);

export interface LatencyOptions {
  ratePerS: number;
  seconds: number;
  warmUpSeconds: number;
  concurrency?: number;
}

export interface QueueLatency {
  p50: number;
  p99: number;
  max: number;
  /** How long add() took (called → resolved), p50 and p99: the producer's side of the latency. */
  addP50: number;
  addP99: number;
  /** Jobs added per second, as the producer managed it (all adds resolved). */
  offeredRate: number;
  /** Events whose arrival was matched to their add (all of them, unless one was lost). */
  delivered: number;
  total: number;
  failures: number;
}

/**
 * One job per tick at `ratePerS` (open loop: adds start on schedule whatever the answers), the
 * worker running; per event the receiver's arrival minus the time its add() resolved (negative if
 * the delivery arrived before the add's answer did). A warm-up at the same rate goes first.
 */
async function measureQueueLatency(name: QueueName, options: LatencyOptions): Promise<QueueLatency> {
  const concurrency = options.concurrency ?? HOOK_CONCURRENCY;
  const receiver = await startReceiver('ok', { record: true });
  const sender = webhookSender(`${receiver.url}/l`, concurrency);
  try {
    const queue = await OPEN[name](sender, concurrency);
    try {
      await queue.startWorker();
      /** Adds ids first..first+total-1 on schedule; answers when each add resolved, by receiver key. */
      const produce = async (first: number, total: number) => {
        const added = new Map<string, number>();
        const addMs: number[] = [];
        const started = now();
        const inflight: Promise<void>[] = [];
        for (let i = 0; i < total; i++) {
          const wait = started + (i * 1000) / options.ratePerS - now();
          if (wait > 1) await sleep(wait);
          const n = first + i;
          const called = now();
          inflight.push(
            queue.add(benchBody(n)).then(() => {
              const at = now();
              added.set(benchBodyId(n), at);
              addMs.push(at - called);
            }),
          );
        }
        await Promise.all(inflight);
        return { added, addMs, seconds: (now() - started) / 1000 };
      };
      const warmUp = options.ratePerS * options.warmUpSeconds;
      await produce(0, warmUp);
      await receiver.wait(warmUp, undefined, 60_000);
      await receiver.reset();
      progress(`${name}: warmed up with ${warmUp} events`);
      const total = options.ratePerS * options.seconds;
      const { added, addMs, seconds } = await produce(warmUp, total);
      await receiver.wait(total, undefined, 60_000);
      const deltas = (await receiver.arrivals()).flatMap(([id, , at]) => {
        const t = added.get(id);
        return t === undefined ? [] : [at - t];
      });
      return {
        p50: percentile(deltas, 50),
        p99: percentile(deltas, 99),
        max: Math.max(...deltas),
        addP50: percentile(addMs, 50),
        addP99: percentile(addMs, 99),
        offeredRate: total / seconds,
        delivered: deltas.length,
        total,
        failures: queue.failures(),
      };
    } finally {
      await queue.close();
    }
  } finally {
    await sender.close();
    await receiver.stop();
  }
}

export const measureBullmqLatency = (options: LatencyOptions) => measureQueueLatency('bullmq', options);
export const measureGraphileLatency = (options: LatencyOptions) => measureQueueLatency('graphile-worker', options);
