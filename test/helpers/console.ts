/**
 * The built console for tests: `npm ci` builds it (prepare); a test run after editing its sources,
 * or on an install that skipped scripts, builds it again first so no test sees a stale app.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const CONSOLE_DIST = join(root, 'console', 'dist');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Test files run in parallel: one build at a time (a lock file), the others wait and then see it fresh. */
const BUILD_LOCK = join(root, 'console', '.build.lock');
const LOCK_STALE_MS = 120_000;

function withBuildLock(build: () => void): void {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      writeFileSync(BUILD_LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      // A lock left by a killed run: older than any build takes.
      if (existsSync(BUILD_LOCK) && Date.now() - statSync(BUILD_LOCK).mtimeMs > LOCK_STALE_MS)
        rmSync(BUILD_LOCK, { force: true });
      if (Date.now() > deadline) throw new Error(`${BUILD_LOCK} is held; remove it if no build runs`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    build();
  } finally {
    rmSync(BUILD_LOCK, { force: true });
  }
}

export function ensureConsoleBuilt(): void {
  withBuildLock(buildIfStale);
}

function buildIfStale(): void {
  const index = join(CONSOLE_DIST, 'index.html');
  // The console imports a few dependency-free server modules (the config rules, the catalog): src/ counts too.
  const sources = Math.max(
    ...['console/src', 'console/index.html', 'console/vite.config.ts', 'src'].map((p) => newest(join(root, p))),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-console.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (built.status !== 0 || !existsSync(index))
    throw new Error(`building the console failed:\n${built.stdout}\n${built.stderr}`);
}
