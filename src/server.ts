import type { App } from './http/types.ts';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { connectDatabase, type Database } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createKeyService, type KeyService } from './keys/index.ts';
import { createLogger } from './log.ts';

export interface RunningServer {
  readonly app: App;
  readonly database: Database;
  readonly keys: KeyService;
  /** http://host:port as bound (the real port when PORT=0). */
  readonly url: string;
  /** The key generated on this first start, if one was (shown once, never logged). */
  readonly generatedKey: string | undefined;
  /** Stops accepting, finishes in-flight requests, closes the store. Idempotent. */
  close(): Promise<void>;
}

export async function startServer(config: Config, options: { log?: Logger } = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config);
  const database = await connectDatabase(config.database, {
    onBackgroundError: (err) => log.warn({ err, module: 'db' }, 'database connection lost; the pool will reconnect'),
  });
  try {
    const applied = await migrateToLatest(database.db);
    log.info({ module: 'db', dialect: database.dialect, applied }, applied.length ? 'migrations applied' : 'schema up to date');
    const keys = createKeyService({ db: database.db, dialect: database.dialect, adminKey: config.adminKey });
    const generatedKey = await keys.bootstrapKey();
    const app = await buildApp({ config, database, keys, log });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    log.info({ node: process.version, dialect: database.dialect, port }, 'herald is ready');

    let closing: Promise<void> | undefined;
    return {
      app,
      database,
      keys,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      generatedKey,
      close: () => {
        closing ??= (async () => {
          await app.close();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, close the store, exit 0.
 * If that takes longer than `timeoutMs`, exit 1 anyway so an orchestrator is never left waiting.
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
