/**
 * The `herald` command line: `start`, `dev`, `migrate`, `keys create|list|revoke`, `listen`,
 * `trigger`; with no command it prints the help.
 * Exit codes: 0 done, 1 failure, 2 bad usage, 78 bad configuration.
 *
 * Only Node's own modules are imported statically: the module compile cache is enabled first, and
 * Herald's modules (and their dependencies, some 1,500 files) are imported after it, so that a
 * restart reads their type-stripped, compiled code from the cache instead of redoing that work.
 */
import { constants, enableCompileCache, flushCompileCache } from 'node:module';
import { parseArgs } from 'node:util';
import type { Config } from './config.ts';

// Node's default cache directory (under the OS temporary directory) unless NODE_COMPILE_CACHE names
// one; NODE_DISABLE_COMPILE_CACHE=1 turns it off. It never throws: a directory that cannot be written
// only means no cache. The dispatcher's worker thread enables it from the environment variable.
// (Already enabled, by bin/herald.js or NODE_COMPILE_CACHE, the variable is set already.)
const compileCache = enableCompileCache();
if (compileCache.status === constants.compileCacheStatus.ENABLED && compileCache.directory)
  process.env.NODE_COMPILE_CACHE ??= compileCache.directory;

const EXIT_USAGE = 2;
const EXIT_CONFIG = 78;

const usage = (version: string) => `herald ${version}: identity events and webhooks

Usage:
  herald start                    run the server
  herald dev                      run the server for development: webhooks may
                                  reach localhost and private networks (the SSRF
                                  guard is lifted), logs are pretty-printed
  herald migrate                  apply pending database migrations and exit
  herald keys create --name NAME  create an API key; the key is printed once
  herald keys list                list API keys (never their secrets)
  herald keys revoke ID           revoke an API key
  herald listen --forward-to URL [--events A,B] [--url URL] [--key KEY]
                                  stream a running Herald's events to a local URL
                                  (no inbound port); Ctrl-C deletes its hook
  herald trigger EVENT [--hook ID] [--url URL] [--key KEY]
                                  make EVENT happen (or send its sample to --hook)
                                  and print what the deliveries did
  herald --version | --help

listen and trigger talk to a running Herald: --url (default HERALD_URL, else
http://localhost:$PORT) and --key (default HERALD_API_KEY, else HERALD_ADMIN_KEY).
The other commands read the server's configuration from environment variables;
see the README.`;

class UsageError extends Error {}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function withStore<T>(
  config: Config,
  work: (deps: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
): Promise<T> {
  const store = await openStore(config);
  try {
    return await work(store);
  } finally {
    await store.database.close();
  }
}

async function openStore(config: Config) {
  const [{ connectDatabase }, { migrateToLatest }, { createKeyService }] = await Promise.all([
    import('./db/connect.ts'),
    import('./db/migrate.ts'),
    import('./keys/index.ts'),
  ]);
  const database = await connectDatabase(config.database, { poolSize: 2 });
  const applied = await migrateToLatest(database.db);
  const keys = createKeyService({ db: database.db, dialect: database.dialect, adminKey: config.adminKey });
  return { database, keys, applied };
}

/**
 * `herald dev`'s settings where the environment leaves them unset (an explicit value, even
 * HERALD_ALLOW_PRIVATE_NETWORKS=false, wins). Set on the environment itself, before the
 * configuration is read, so every reader of the configuration sees the same.
 */
function applyDevDefaults(): void {
  process.env.HERALD_ALLOW_PRIVATE_NETWORKS ||= 'true';
  process.env.LOG_FORMAT ||= 'pretty';
}

/** `herald dev`'s banner: written to standard error before the server starts. */
function devBanner(config: Pick<Config, 'allowPrivateNetworks' | 'logFormat'>): string {
  const rule = '='.repeat(78);
  const guard = config.allowPrivateNetworks
    ? [
        '  The SSRF guard is lifted (HERALD_ALLOW_PRIVATE_NETWORKS=true): webhooks may reach',
        '  localhost, loopback and private network addresses, and cloud metadata too.',
      ]
    : ['  The SSRF guard stays on: HERALD_ALLOW_PRIVATE_NETWORKS is set to false.'];
  return [
    '',
    rule,
    '  Herald is running in DEVELOPMENT MODE (herald dev). Do not expose this server.',
    ...guard,
    `  Logs: LOG_FORMAT=${config.logFormat}. For production, run \`herald start\` instead.`,
    rule,
    '',
    '',
  ].join('\n');
}

async function start(config: Config, mode: { dev?: boolean } = {}): Promise<void> {
  const [{ createLogger }, { installShutdownHandlers, startServer }] = await Promise.all([
    import('./log.ts'),
    import('./server.ts'),
  ]);
  if (mode.dev) process.stderr.write(devBanner(config));
  const log = createLogger(config);
  // Outside development mode, a lifted guard is said once, at start, in the log.
  if (!mode.dev && config.allowPrivateNetworks)
    log.warn(
      { module: 'ssrf', setting: 'HERALD_ALLOW_PRIVATE_NETWORKS' },
      'HERALD_ALLOW_PRIVATE_NETWORKS=true: the SSRF guard is lifted, webhooks may reach loopback, private and cloud-metadata addresses. For development and tests only (use `herald dev`); in production, allow internal endpoints one by one with HERALD_ALLOWED_DESTINATIONS.',
    );
  const server = await startServer(config, {
    log,
    // Printed once to the terminal, outside the log stream, so it never lands in log storage as a
    // log field; before the ready line, so whoever waits for "ready" has the key by then.
    beforeReady: (generatedKey) => {
      if (!generatedKey) return;
      process.stderr.write(
        `\nNo API key existed, so Herald created one. It is shown only this once; store it now:\n\n  ${generatedKey}\n\n` +
          `Use it as "Authorization: Bearer <key>". Manage keys with: npm run herald -- keys create|list|revoke\n\n`,
      );
    },
  });
  installShutdownHandlers(server, log, config.shutdownTimeoutMs);
  // Node writes the cache at exit; written now too, a restart after a crash finds it.
  flushCompileCache();
}

async function keysCommand(config: Config, args: string[]): Promise<void> {
  const [verb, ...rest] = args;
  if (verb === 'create') {
    const { values } = parseArgs({ args: rest, options: { name: { type: 'string' } }, strict: true });
    if (!values.name) throw new UsageError('keys create needs --name NAME');
    const name = values.name;
    await withStore(config, async ({ keys }) => {
      const { key, info } = await keys.createKey(name);
      process.stderr.write(`Created API key ${info.id} (${info.name}). It is shown only this once:\n`);
      print(key);
    });
    return;
  }
  if (verb === 'list') {
    await withStore(config, async ({ keys }) => {
      const list = await keys.listKeys();
      if (list.length === 0) return print('No API keys.');
      print(['ID'.padEnd(21), 'STATUS  ', 'CREATED'.padEnd(24), 'NAME'].join('  '));
      for (const k of list) {
        const status = k.revokedAt === null ? 'active  ' : 'revoked ';
        print([k.id, status, new Date(k.createdAt).toISOString().padEnd(24), k.name].join('  '));
      }
    });
    return;
  }
  if (verb === 'revoke') {
    const id = rest[0];
    if (!id || rest.length > 1) throw new UsageError('keys revoke needs one key ID (see herald keys list)');
    await withStore(config, async ({ keys }) => {
      const info = await keys.revokeKey(id);
      print(`Revoked API key ${info.id} (${info.name}).`);
    });
    return;
  }
  throw new UsageError(`unknown keys command "${verb ?? ''}"`);
}

const clientOptions = { url: { type: 'string' }, key: { type: 'string' } } as const;

async function listenCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { ...clientOptions, 'forward-to': { type: 'string' }, events: { type: 'string' } },
    strict: true,
  });
  if (!values['forward-to']) throw new UsageError('listen needs --forward-to URL (your local endpoint)');
  const { listen } = await import('./cli/listen.ts');
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let signals = 0;
  const onSignal = () => {
    // A second Ctrl-C leaves at once (the hook stays; the next run resumes it).
    if (++signals > 1) process.exit(130);
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await listen({
    url: values.url,
    key: values.key,
    forwardTo: values['forward-to'],
    events: values.events
      ?.split(',')
      .map((e) => e.trim())
      .filter(Boolean),
    stopped,
  });
}

async function triggerCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...clientOptions, hook: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [event, ...extra] = positionals;
  if (!event || extra.length > 0) throw new UsageError('trigger needs one EVENT, e.g. herald trigger User.Created');
  const { trigger } = await import('./cli/trigger.ts');
  const ok = await trigger({ url: values.url, key: values.key, event, hookId: values.hook });
  if (!ok) process.exitCode = 1;
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { HERALD_VERSION } = await import('./version.ts');
  // No command: the help, not a server (`npm start` runs `herald start` explicitly).
  if (command === undefined || command === '--help' || command === '-h' || command === 'help')
    return print(usage(HERALD_VERSION));
  if (command === '--version' || command === '-v') return print(HERALD_VERSION);

  if (command === 'listen') return listenCommand(rest);
  if (command === 'trigger') return triggerCommand(rest);

  if (command === 'dev') applyDevDefaults();
  const { loadConfig } = await import('./config.ts');
  const config = loadConfig();
  switch (command) {
    case 'start':
      return start(config);
    case 'dev':
      return start(config, { dev: true });
    case 'migrate':
      return withStore(config, async ({ applied, database }) => {
        print(
          applied.length
            ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
            : `Schema is up to date (${database.dialect}).`,
        );
      });
    case 'keys':
      return keysCommand(config, rest);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** The CLI's own error classes; loaded only once something failed (a failed import gives none). */
async function errorClasses() {
  try {
    const [{ ConfigError }, { HeraldError }, { HERALD_VERSION }, { CliError }] = await Promise.all([
      import('./config.ts'),
      import('./http/errors.ts'),
      import('./version.ts'),
      import('./cli/client.ts'),
    ]);
    return { ConfigError, HeraldError, HERALD_VERSION, CliError };
  } catch {
    return undefined;
  }
}

main(process.argv.slice(2)).catch(async (error: unknown) => {
  const known = await errorClasses();
  if (known && error instanceof known.ConfigError) {
    process.stderr.write(`herald: configuration error: ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  if (
    error instanceof UsageError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    process.stderr.write(`herald: ${error.message}\n\n${usage(known?.HERALD_VERSION ?? '')}\n`);
    process.exit(EXIT_USAGE);
  }
  if (known && error instanceof known.CliError) {
    process.stderr.write(`herald: ${error.message}\n`);
    process.exit(1);
  }
  if (known && error instanceof known.HeraldError) {
    process.stderr.write(`herald: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`herald: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
