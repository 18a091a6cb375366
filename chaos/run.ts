/**
 * `npm run chaos -- <scenario|all> [--store sqlite|postgres]`: runs Herald through faults and prints
 * one JSON line per figure (also appended to chaos/results/<date>.jsonl). Every scenario talks to
 * loopback only, is bounded in time, and removes its databases. Exit code 1 when something was
 * lost or an unexpected answer came back.
 */
import { parseArgs } from 'node:util';
import type { Store } from '../bench/lib/store.ts';
import { progress } from './lib.ts';
import { auth } from './scenarios/auth.ts';
import { crash, instances } from './scenarios/crash.ts';
import { dbRestart } from './scenarios/db-restart.ts';
import { diskFull } from './scenarios/disk-full.ts';
import { receiverFaults } from './scenarios/faults.ts';
import { hostile } from './scenarios/hostile.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { store: { type: 'string' } } });
const scenario = positionals[0] ?? 'all';
const stores: Store[] =
  values.store === 'sqlite' || values.store === 'postgres' ? [values.store] : ['sqlite', 'postgres'];

const scenarios: Record<string, (store: Store) => Promise<number>> = {
  crash: (store) => crash(store, { seconds: 20, kills: 5 }),
  instances: async (store) => (store === 'postgres' ? instances({ seconds: 16 }) : 0),
  'receiver-faults': (store) => receiverFaults(store, { events: 300 }),
  'db-restart': async (store) => (store === 'postgres' ? dbRestart({ downSeconds: 5 }) : 0),
  'disk-full': async (store) => (store === 'sqlite' ? diskFull({ fullSeconds: 4 }) : 0),
  hostile: (store) => hostile(store, { perRoute: 60 }),
  auth: (store) => auth(store, { timingRounds: 300 }),
};

const names = scenario === 'all' ? Object.keys(scenarios) : [scenario];
let problems = 0;
for (const name of names) {
  const run = scenarios[name];
  if (!run) {
    process.stderr.write(`unknown scenario "${name}"; one of: ${Object.keys(scenarios).join(', ')}, all\n`);
    process.exit(2);
  }
  for (const store of stores) {
    progress(`${name} on ${store}`);
    problems += await run(store);
  }
}
process.exit(problems > 0 ? 1 : 0);
