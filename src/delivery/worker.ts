/**
 * The dispatcher's worker thread: its own store connection, sender and event loop, so that claiming,
 * signing, sending and recording never queue behind API requests (and API requests never queue
 * behind them). Spoken to by thread.ts with the messages below.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { coerceError } from '../http/errors.ts';
import { createLogger } from '../log.ts';
import { destinationPolicyOf } from '../outbound/index.ts';
import { createDispatcherRuntime } from './runtime.ts';
import { startTracing } from '../telemetry/hub.ts';
import type { DispatcherStats } from './stats.ts';

export type ToWorker =
  | { type: 'start' }
  | { type: 'notify' }
  | { type: 'stats' }
  | { type: 'ping' }
  | { type: 'stop'; drainMs: number | undefined };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'started' }
  | { type: 'stats'; stats: DispatcherStats }
  /** The answer to `ping` (GET /api/health/ready): whether the dispatcher runs. */
  | { type: 'pong'; running: boolean }
  | { type: 'stopped' };

const port = parentPort;
if (!port) throw new Error('src/delivery/worker.ts runs as a worker thread');
const { config } = workerData as { config: Config };
const log = createLogger(config).child({ thread: 'dispatcher' });
const database = await connectDatabase(config.database, {
  // Claims, result batches and the next-due read: a few connections are plenty.
  poolSize: 4,
  onBackgroundError: (err) => log.warn({ err, module: 'db' }, 'database connection lost; the pool will reconnect'),
});
/**
 * On PostgreSQL, deliveries yield the CPU to the API's requests: this thread (alone: on Linux a
 * thread has its own nice value) runs at nice 10. Measured at 500 sign-ups/s on 2 cores: without it
 * the API fell behind until connections were refused; with it every request was served (bench
 * latency), and api-overhead went from ×3.4 to ×1.7. Not on SQLite, where this thread holds the one
 * write lock through its transactions: preempted there, it made the API wait (priority inversion;
 * latency p99 170 instead of 57 ms). Where lowering the priority is not possible, nothing changes.
 */
const POSTGRES_DISPATCHER_NICE = 10;
if (config.database.dialect === 'postgres') {
  try {
    // /proc/thread-self → "PID/task/TID": setpriority() on a TID changes that thread alone.
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), POSTGRES_DISPATCHER_NICE);
  } catch {
    // Not Linux, or not permitted.
  }
}
// OpenTelemetry in this thread has its own tracer provider (loaded only when tracing is on).
const tracing = await startTracing(config, 'dispatcher');
const runtime = createDispatcherRuntime({ config, database, log, policy: destinationPolicyOf(config), tracing });
const send = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type === 'notify') runtime.notify();
  else if (message.type === 'stats') void runtime.stats().then((stats) => send({ type: 'stats', stats }));
  else if (message.type === 'ping') void runtime.alive(0).then((running) => send({ type: 'pong', running }));
  else if (message.type === 'start') {
    runtime.start().then(
      () => send({ type: 'started' }),
      (err: unknown) => {
        log.fatal({ err: coerceError(err) }, 'dispatcher could not start');
        process.exit(1);
      },
    );
  } else if (message.type === 'stop') {
    void (async () => {
      try {
        await runtime.stop(message.drainMs);
        await tracing?.shutdown();
        await database.close();
      } catch (err) {
        log.error({ err: coerceError(err) }, 'error while stopping the dispatcher');
      }
      send({ type: 'stopped' });
      port.close();
    })();
  }
});
send({ type: 'ready' });
