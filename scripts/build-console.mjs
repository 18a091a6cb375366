/**
 * `npm run build:console` (also run by `npm ci` / `npm install` through `prepare`): builds the
 * admin console (console/) into console/dist, which the server serves at /console. An install
 * without dev dependencies has no Vite: it says so and leaves the console unbuilt instead of
 * failing the install (the server then answers /console with how to build it).
 *
 * Plain JavaScript, not TypeScript like the rest: `prepare` runs on whatever Node starts npm, and
 * an install without dev dependencies has no Node 24 to strip types.
 */
import { fileURLToPath } from 'node:url';

const configFile = fileURLToPath(new URL('../console/vite.config.ts', import.meta.url));

let vite;
try {
  vite = await import('vite');
} catch {
  process.stdout.write('herald: Vite is not installed (dev dependencies omitted); the console is not built.\n');
  process.exit(0);
}
await vite.build({ configFile, logLevel: 'warn' });
process.stdout.write('herald: console built into console/dist\n');
