/**
 * `npm run build`, and `prepare` (so `npm install` at Herald's root and `npm pack` run it): compiles
 * src/ into a fresh dist/ (JavaScript and .d.ts) with TypeScript, Herald's dev dependency.
 *
 * An install without dev dependencies has no TypeScript: it says so and leaves the package unbuilt
 * instead of failing the install, as Herald's console build does; `npm pack` and `npm publish`
 * fail instead, since the tarball would hold no code. Plain JavaScript: it runs on whatever Node
 * starts npm.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  const packing = ['pack', 'publish'].includes(process.env.npm_command ?? '');
  process.stderr.write(
    `herald-webhooks: TypeScript is not installed (dev dependencies omitted); the package is not built.\n`,
  );
  process.exit(packing ? 1 : 0);
}

rmSync(join(packageDir, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', packageDir], { stdio: 'inherit' });
if (result.status !== 0) process.stderr.write('herald-webhooks: the TypeScript build failed\n');
process.exit(result.status ?? 1);
