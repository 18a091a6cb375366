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
 * What the tests drive beyond Node: the console's browser tests Debian's Chromium, the receiver
 * examples' tests (test/receivers.examples.test.ts) Go and Python 3. On a machine without Chromium
 * or Go, the test command installs them (as root, through apt-get: a newcomer's
 * `npm install && npm test` needs no step by hand); where it cannot, it says how, and the tests
 * needing them then fail: they are never skipped. Python 3 comes with the machine: when it is
 * missing, the test command says which package to install, and the receiver tests fail.
 */
const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
let aptUpdated = false;
function aptInstall(pkg: string): void {
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'inherit', env: aptEnv })
      .status === 0;
  // A fresh machine's package lists may be missing or stale: update once, then try again.
  if (!install() && !aptUpdated) {
    aptUpdated = true;
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env: aptEnv });
    install();
  }
}

/** Whether `command args` runs and exits 0 (found on PATH and working). */
function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function ensureDebianPackage(wanted: {
  /** What is missing, as the messages name it. */
  what: string;
  pkg: string;
  present: () => boolean;
  /** The tests that need it, as a phrase: "the console's browser tests". */
  tests: string;
  /** false: never install it here, only say how (Python 3, which the machine is expected to have). */
  install?: boolean;
}): void {
  if (wanted.present()) return;
  const Tests = wanted.tests.charAt(0).toUpperCase() + wanted.tests.slice(1);
  const canInstall = wanted.install !== false && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    const who = wanted.install === false ? '' : ' and this user cannot install it';
    process.stderr.write(
      `\n*** ${wanted.what} is missing${who}: run \`apt-get install ${wanted.pkg}\` as root. ${Tests} will fail. ***\n\n`,
    );
    return;
  }
  process.stdout.write(`${wanted.what} is missing: installing Debian's ${wanted.pkg} for ${wanted.tests}\n`);
  aptInstall(wanted.pkg);
  if (!wanted.present())
    process.stderr.write(`\n*** installing ${wanted.pkg} failed; ${wanted.tests} will fail. ***\n\n`);
}

const CHROMIUM = '/usr/bin/chromium';
ensureDebianPackage({
  what: CHROMIUM,
  pkg: 'chromium',
  present: () => existsSync(CHROMIUM),
  tests: "the console's browser tests",
});
ensureDebianPackage({
  what: 'go',
  pkg: 'golang-go',
  present: () => runs('go', ['version']),
  tests: "the receiver examples' tests",
});
ensureDebianPackage({
  what: 'python3',
  pkg: 'python3',
  present: () => runs('python3', ['--version']),
  tests: "the receiver examples' tests",
  install: false,
});

// Once here, before the test files run side by side: two of them building at once would race.
ensureConsoleBuilt();

const patterns = process.argv.slice(2);
const child = spawn(
  process.execPath,
  ['--test', '--test-timeout=120000', ...(patterns.length ? patterns : ['src/**/*.test.ts', 'test/**/*.test.ts'])],
  { stdio: 'inherit', env: { ...process.env, HERALD_TEST_STORES: stores } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
