/**
 * startup — `node bin/herald.js start` (what `npm start` runs) until `/api/status` answers 204,
 * polled every 10 ms: with a fresh database (migrations included) and restarting on the same,
 * already migrated one (a restart after a crash: the case that is an outage). Each start is killed
 * once it answered; the figure is the median of `runs`. The module compile cache is warm after the
 * first start, as it is on any machine that started Herald before.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, serverEnvironment } from '../lib/processes.ts';
import { progress, report } from '../lib/report.ts';
import { median } from '../lib/stats.ts';
import { createBenchDatabase, type Store } from '../lib/store.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POLL_MS = 10;

/** Milliseconds from spawn to the first 204 of /api/status. */
async function timeToReady(databaseUrl: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/herald.js', 'start'], {
    cwd: ROOT,
    env: serverEnvironment(databaseUrl, port),
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      const up = await fetch(`http://127.0.0.1:${port}/api/status`).then(
        (r) => r.status === 204,
        () => false,
      );
      if (up) return performance.now() - started;
      if (performance.now() - started > 30_000) throw new Error('server did not start in 30 s');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

export async function startup(store: Store, options: { runs: number }) {
  const fresh: number[] = [];
  const restart: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const db = await createBenchDatabase(store);
    try {
      fresh.push(await timeToReady(db.url));
      restart.push(await timeToReady(db.url));
    } finally {
      await db.drop();
    }
  }
  progress(
    `${store}: start to ready, fresh ${fresh.map((v) => v.toFixed(0)).join(' ')} ms; restart ${restart.map((v) => v.toFixed(0)).join(' ')} ms`,
  );
  report({ scenario: 'startup', store, metric: 'fresh_ms', value: median(fresh), unit: 'ms', baseline: 1000 });
  report({ scenario: 'startup', store, metric: 'restart_ms', value: median(restart), unit: 'ms', baseline: 1000 });
}
