/**
 * Everything that delivers, assembled: a sender (src/outbound, with the SSRF guard), the dispatcher, the
 * PostgreSQL LISTEN waker and the attempt counters. It runs in the dispatcher's worker thread
 * (thread.ts), or in the API's thread when the store is an in-memory SQLite database that a second
 * connection could not see.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Database } from '../db/connect.ts';
import { createDispatcher } from './dispatcher.ts';
import { createPostgresWaker } from './notify.postgres.ts';
import { createSender, webhookUserAgent, type DestinationPolicy } from '../outbound/index.ts';
import { countAttempt, emptyStats, snapshotStats, type DispatcherStats } from './stats.ts';
import type { Tracing } from '../telemetry/hub.ts';
import { createAttemptTracer } from '../telemetry/attempts.ts';

/** What the server holds of the delivery side, wherever it runs. */
export interface DispatcherHandle {
  start(): Promise<void>;
  /** Stops claiming, waits up to `drainMs` for in-flight requests, records every result. */
  stop(drainMs?: number): Promise<void>;
  /** Something was committed: look for due work now. */
  notify(): void;
  /** This instance's attempt counters and gauges, now. */
  stats(): Promise<DispatcherStats>;
  /**
   * Whether the dispatcher is running and answers (in a thread: a message round trip within
   * `timeoutMs`), for GET /api/health/ready.
   */
  alive(timeoutMs: number): Promise<boolean>;
}

/** `policy`: the SSRF guard's, built once per thread from the config (destinationPolicyOf). */
export function createDispatcherRuntime(deps: {
  config: Config;
  database: Database;
  log: Logger;
  policy: DestinationPolicy;
  /** OpenTelemetry, when enabled (OTEL_*): one span per attempt, linked to the emitting request. */
  tracing?: Tracing | undefined;
}): DispatcherHandle {
  const { config, database, log } = deps;
  const sender = createSender({ policy: deps.policy });
  const dispatcher = createDispatcher({
    db: database.db,
    dialect: database.dialect,
    log,
    sender,
    concurrency: config.deliveryConcurrency,
    hookConcurrency: config.hookConcurrency,
    requestTimeoutMs: config.requestTimeoutMs,
    retryScheduleMs: config.retryScheduleMs,
    throttledRetryMinMs: config.throttledRetryMinMs,
    autoDisableAfterMs: config.autoDisableAfterMs,
    userAgent: webhookUserAgent(config),
  });
  const waker =
    config.database.dialect === 'postgres'
      ? createPostgresWaker({ url: config.database.url, log, onWake: dispatcher.notify })
      : undefined;
  const counters = emptyStats();
  dispatcher.events.on('delivery:attempt', (e) => countAttempt(counters, e));
  const attemptTracer = deps.tracing ? createAttemptTracer({ db: database.db, tracing: deps.tracing, log }) : undefined;
  if (attemptTracer) dispatcher.events.on('delivery:attempt', attemptTracer.record);
  return {
    async start() {
      await waker?.start();
      await dispatcher.start();
    },
    async stop(drainMs) {
      await dispatcher.stop(drainMs);
      await waker?.stop();
      await sender.close();
      await attemptTracer?.flush();
    },
    notify: dispatcher.notify,
    stats: async () => ({
      ...snapshotStats(counters),
      inFlight: dispatcher.inFlight,
      unrecorded: dispatcher.unrecorded,
    }),
    alive: async () => dispatcher.state === 'running',
  };
}
