/**
 * db-restart (PostgreSQL) — PostgreSQL is stopped for a few seconds under load and started again
 * (`pg_ctlcluster`, so this needs the machine's own cluster and the right to run it). While it is
 * gone the API must answer 503 with a code, not hang and not 500; afterwards Herald carries on by
 * itself and every event answered 200 is delivered.
 */
import { execFileSync } from 'node:child_process';
import { createBenchDatabase } from '../../bench/lib/store.ts';
import { startServer } from '../../bench/lib/processes.ts';
import { figure, percentile, progress, sleep, startChaosReceiver } from '../lib.ts';
import { CHAOS_ENV } from './crash.ts';

const CLUSTER = (process.env.CHAOS_PG_CLUSTER ?? '15 main').split(' ');

function pg(action: 'stop' | 'start'): void {
  execFileSync('pg_ctlcluster', [...CLUSTER, action, ...(action === 'stop' ? ['-m', 'fast'] : [])], { stdio: 'ignore' });
}

export async function dbRestart(options: { downSeconds: number }) {
  const db = await createBenchDatabase('postgres');
  const receiver = await startChaosReceiver();
  const server = await startServer(db.url, CHAOS_ENV);
  const statuses = new Map<string, number>();
  const slowest: number[] = [];
  const emitted = new Set<string>();
  let running = true;
  let n = 0;
  try {
    const hook = await server.api('POST', '/api/hooks', { name: 'db-restart', events: ['User.Created'], config: { url: receiver.url } });
    if (hook.status !== 201) throw new Error(`hook: ${hook.status}`);
    const worker = async () => {
      while (running) {
        const started = Date.now();
        try {
          const res = await server.api('POST', '/api/users', { username: `dbr_${n++}` });
          const key = res.status === 200 ? '200' : `${res.status} ${res.json?.code ?? 'no code'}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (res.status === 200) emitted.add(res.json.id as string);
        } catch (error) {
          statuses.set('no answer', (statuses.get('no answer') ?? 0) + 1);
        }
        slowest.push(Date.now() - started);
        if (Date.now() - started < 5) await sleep(5);
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    await sleep(4000);
    progress(`postgres: stopping PostgreSQL (${emitted.size} emitted so far)`);
    pg('stop');
    await sleep(options.downSeconds * 1000);
    pg('start');
    const startedAt = Date.now();
    progress('postgres: PostgreSQL started again');
    let recoveredAfter = -1;
    while (recoveredAfter < 0 && Date.now() - startedAt < 30_000) {
      const before = emitted.size;
      await sleep(100);
      if (emitted.size > before) recoveredAfter = Date.now() - startedAt;
    }
    await sleep(4000);
    running = false;
    await Promise.all(workers);
    const deadline = Date.now() + 60_000;
    let delivered = 0;
    for (;;) {
      const ids = receiver.deliveredDataIds();
      delivered = [...emitted].filter((id) => ids.has(id)).length;
      if (delivered === emitted.size || Date.now() > deadline) break;
      await sleep(250);
    }
    progress(`postgres: answers ${JSON.stringify(Object.fromEntries(statuses))}`);
    const bad = [...statuses].filter(([k]) => !(k === '200' || k.startsWith('503 '))).reduce((a, [, v]) => a + v, 0);
    figure('db-restart', 'postgres', 'emitted', emitted.size, 'events');
    figure('db-restart', 'postgres', 'delivered', delivered, 'events');
    figure('db-restart', 'postgres', 'lost', emitted.size - delivered, 'events');
    figure('db-restart', 'postgres', 'answers_503', [...statuses].filter(([k]) => k.startsWith('503 ')).reduce((a, [, v]) => a + v, 0), 'requests');
    figure('db-restart', 'postgres', 'answers_other_errors', bad, 'requests');
    figure('db-restart', 'postgres', 'p99_request_ms', percentile(slowest, 99), 'ms');
    figure('db-restart', 'postgres', 'recovery_ms', recoveredAfter, 'ms');
    return emitted.size - delivered + bad;
  } finally {
    running = false;
    try {
      pg('start');
    } catch {
      // already running
    }
    await server.stop();
    await receiver.close();
    await db.drop();
  }
}
