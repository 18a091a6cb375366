/**
 * The built console for tests: `npm ci` builds it (prepare); a test run after editing its sources,
 * or on an install that skipped scripts, builds it again first so no test sees a stale app.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const CONSOLE_DIST = join(root, 'console', 'dist');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function ensureConsoleBuilt(): void {
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
