import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { connectDatabase, type Database } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { lockSqliteDatabase } from './db/sqlite-lock.ts';
import {
  createDeliveryQueries,
  createDispatcherRuntime,
  createEmitter,
  createListenerStreams,
  createReplayService,
  createMetrics,
  createPruner,
  startDispatcherThread,
  type DispatcherHandle,
  type Emitter,
  type Pruner,
} from './delivery/index.ts';
import { emptyStats } from './delivery/stats.ts';
import { createSender, destinationPolicyOf, webhookUserAgent } from './outbound/index.ts';
import { createHookService } from './hooks/index.ts';
import { createConfiguredConnector, createExperience, type Experience } from './experience/index.ts';
import { createIdentity } from './identity/index.ts';
import type { App } from './http/types.ts';
import { createKeyService, type KeyService } from './keys/index.ts';
import { createLogger } from './log.ts';
import { createSyncHooks, type SyncHooks } from './sync-hooks/index.ts';
import { startTracing } from './telemetry/hub.ts';
import { createReadiness } from './telemetry/readiness.ts';

export interface RunningServer {
  readonly app: App;
  readonly database: Database;
  readonly keys: KeyService;
  readonly emitter: Emitter;
  readonly dispatcher: DispatcherHandle;
  readonly pruner: Pruner;
  /** The Experience API (its background prune is exposed for tests). */
  readonly experience: Experience;
  /** Synchronous hooks (their calls' prune is exposed for tests). */
  readonly syncHooks: SyncHooks;
  /** http://host:port as bound (the real port when PORT=0). */
  readonly url: string;
  /** The key generated on this first start, if one was (shown once, never logged). */
  readonly generatedKey: string | undefined;
  /**
   * Stops accepting requests, lets in-flight requests finish, stops the dispatcher (waiting up to
   * `drainMs` for in-flight deliveries), closes the store. Idempotent.
   */
  close(drainMs?: number): Promise<void>;
}

/**
 * In a worker thread with its own connections, the dispatcher and the API never wait for each
 * other's event loop (bench api-overhead and latency, see bench/README.md). An in-memory SQLite
 * database is seen by one connection only, so it keeps the dispatcher in this thread.
 */
function dispatcherInThread(config: Config): boolean {
  if (config.database.dialect === 'sqlite' && config.database.path === ':memory:') return false;
  return config.dispatcherThread;
}

export async function startServer(
  config: Config,
  options: {
    log?: Logger /** Runs just before "herald is ready" is logged (the CLI prints a generated key here). */;
    beforeReady?: (generatedKey: string | undefined) => void;
  } = {},
): Promise<RunningServer> {
  const log = options.log ?? createLogger(config);
  // One server per SQLite file (db/sqlite-lock.ts): a second one is refused before it opens anything.
  const sqliteLock = config.database.dialect === 'sqlite' ? lockSqliteDatabase(config.database.path) : undefined;
  const database = await connectDatabase(config.database, {
    onBackgroundError: (err) => log.warn({ err, module: 'db' }, 'database connection lost; the pool will reconnect'),
  }).catch((error: unknown) => {
    sqliteLock?.release();
    throw error;
  });
  // The SSRF guard's policy, built once for this thread: the hooks `/test` route and the message
  // connector share this sender; the dispatcher has its own (in its worker thread, built there).
  const policy = destinationPolicyOf(config);
  const sender = createSender({ policy });
  // OpenTelemetry (OTEL_*): undefined, and nothing of it loaded, unless tracing is on.
  const tracing = await startTracing(config, 'api');
  /** The dispatcher, once the server listens (see below). */
  let dispatcher: DispatcherHandle | undefined;
  let app: App | undefined;
  try {
    const applied = await migrateToLatest(database.db);
    log.info(
      { module: 'db', dialect: database.dialect, applied },
      applied.length ? 'migrations applied' : 'schema up to date',
    );
    const keys = createKeyService({ db: database.db, dialect: database.dialect, adminKey: config.adminKey });
    const generatedKey = await keys.bootstrapKey();

    // The dispatcher is created once the server listens (below); until then, as until it has
    // started, a wake does nothing and a scrape reads zero counters, and what is committed
    // meanwhile is due work it finds when it starts.
    const wake = () => {
      dispatcher?.notify();
      listeners.notify();
    };
    const emitter = createEmitter({ dialect: database.dialect, wake, tracing });
    // `herald listen`'s streams (/api/listeners): their hooks' deliveries go to the CLI, not the dispatcher.
    const listeners = createListenerStreams({
      db: database.db,
      dialect: database.dialect,
      log,
      requestTimeoutMs: config.requestTimeoutMs,
      retryScheduleMs: config.retryScheduleMs,
      throttledRetryMinMs: config.throttledRetryMinMs,
      autoDisableAfterMs: config.autoDisableAfterMs,
      userAgent: webhookUserAgent(config),
    });
    const queries = createDeliveryQueries({ db: database.db });
    const hookService = createHookService({
      db: database.db,
      sender,
      queries,
      requestTimeoutMs: config.requestTimeoutMs,
      userAgent: webhookUserAgent(config),
      policy,
      // A resumed hook's held deliveries go out now, not at the next poll.
      wake,
    });

    const connector = createConfiguredConnector(config, log, sender);
    const syncHooks = createSyncHooks({
      db: database.db,
      dialect: database.dialect,
      emitter,
      sender,
      budgetMs: config.syncHookBudgetMs,
      retentionDays: config.retentionDays,
      userAgent: webhookUserAgent(config),
      log,
    });
    const identity = createIdentity({ db: database.db, emitter, connector, gate: syncHooks.gate });
    const experience = await createExperience({
      db: database.db,
      dialect: database.dialect,
      config,
      emitter,
      users: identity.users,
      log,
      connector,
      gate: syncHooks.gate,
    });
    const replay = createReplayService({ db: database.db, dialect: database.dialect, wake });
    const stats = async () => (dispatcher ? dispatcher.stats() : emptyStats());
    const metrics = createMetrics({ db: database.db, dialect: database.dialect, stats, extra: syncHooks.metricsLines });
    const readiness = createReadiness({ db: database.db, dispatcher: () => dispatcher });
    const pruner = createPruner({ db: database.db, retentionDays: config.retentionDays, log });
    app = await buildApp({
      config,
      database,
      keys,
      log,
      hooks: { service: hookService, queries, replay, listeners },
      identity,
      experience,
      syncHooks,
      metrics,
      readiness,
      tracing,
    });
    await app.listen({ port: config.port, host: config.host });
    // Only now: the dispatcher's thread loading its modules took CPU the app's start needed (on a
    // busy 2-core host /api/status answered ~170 ms later when it was started before the app was
    // built, and "herald is ready" came no sooner).
    const delivery = dispatcherInThread(config)
      ? await startDispatcherThread(config, log)
      : createDispatcherRuntime({ config, database, log, policy, tracing });
    dispatcher = delivery;
    await delivery.start();
    pruner.start();
    experience.startPruning();
    syncHooks.startPruning();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    options.beforeReady?.(generatedKey);
    log.info({ node: process.version, dialect: database.dialect, port }, 'herald is ready');
    // prom-client (default process metrics, the HTTP histogram) loads now, not on the way to ready.
    metrics.start().catch((err: unknown) => log.warn({ err, module: 'metrics' }, 'could not start the metrics'));

    let closing: Promise<void> | undefined;
    const listening = app;
    return {
      app: listening,
      database,
      keys,
      emitter,
      dispatcher: delivery,
      pruner,
      experience,
      syncHooks,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      generatedKey,
      close: (drainMs = Math.floor(config.shutdownTimeoutMs / 2)) => {
        closing ??= (async () => {
          await listening.close();
          await pruner.stop();
          await delivery.stop(drainMs);
          await tracing?.shutdown();
          await experience.close();
          await syncHooks.close();
          await sender.close();
          await database.close();
          sqliteLock?.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await dispatcher?.stop(0).catch(() => undefined);
    await tracing?.shutdown().catch(() => undefined);
    await sender.close();
    await database.close();
    sqliteLock?.release();
    throw error;
  }
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests and deliveries finish (or hand
 * deliveries back to the queue), close the store, exit 0. If that takes longer than `timeoutMs`,
 * exit 1 anyway so an orchestrator is never left waiting.
 */
export function installShutdownHandlers(server: RunningServer, log: Logger, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    server.close().then(
      () => {
        log.info('stopped');
        log.flush?.();
        process.exitCode = 0;
      },
      (err: unknown) => {
        log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
