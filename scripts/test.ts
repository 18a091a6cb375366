/**
 * `npm test` after the type check: runs every *.test.ts with Node's test runner, on SQLite always
 * and on PostgreSQL when TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) answers.
 * Under CI=true an unreachable PostgreSQL fails the run instead of narrowing it to SQLite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { readTestEnvironment } from '../src/config.ts';
import { ensureConsoleBuilt } from '../test/helpers/console.ts';

const env = readTestEnvironment();
process.stdout.write(`herald tests on Node ${process.version}\n`);

async function postgresReachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await postgresReachable(env.testDatabaseUrl);
const safeUrl = env.testDatabaseUrl.replace(/\/\/[^@/]*@/, '//***@');
let stores = 'sqlite,postgres';
if (problem) {
  if (env.ci) {
    process.stderr.write(`PostgreSQL at ${safeUrl} is required under CI but not reachable: ${problem}\n`);
    process.exit(1);
  }
  process.stderr.write(`\n*** PostgreSQL at ${safeUrl} is not reachable (${problem}); running on SQLite only. ***\n\n`);
  stores = 'sqlite';
}
process.stdout.write(`stores: ${stores}\n`);

/**
 * The console's browser tests drive Debian's Chromium. On a machine without it, the test command
 * installs it (as root, through apt-get: a newcomer's `npm install && npm test` needs no step by
 * hand); where it cannot, it says how, and the browser tests then fail: they are never skipped.
 */
const CHROMIUM = '/usr/bin/chromium';
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    process.stderr.write(
      `\n*** ${CHROMIUM} is missing and this user cannot install it: run \`apt-get install chromium\` as root. The console's browser tests will fail. ***\n\n`,
    );
    return;
  }
  process.stdout.write(`${CHROMIUM} is missing: installing Debian's chromium for the console's browser tests\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env }).status ===
    0;
  // A fresh machine's package lists may be missing or stale: update once, then try again.
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    install();
  }
  if (!existsSync(CHROMIUM))
    process.stderr.write(`\n*** installing chromium failed; the console's browser tests will fail. ***\n\n`);
}
ensureChromium();

// Once here, before the test files run side by side: two of them building at once would race.
ensureConsoleBuilt();

const patterns = process.argv.slice(2);
const child = spawn(
  process.execPath,
  ['--test', '--test-timeout=120000', ...(patterns.length ? patterns : ['src/**/*.test.ts', 'test/**/*.test.ts'])],
  { stdio: 'inherit', env: { ...process.env, HERALD_TEST_STORES: stores } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
