/**
 * db-restart (PostgreSQL) — PostgreSQL is stopped for a few seconds under load and started again
 * (`pg_ctlcluster`, so this needs the machine's own cluster and the right to run it). While it is
 * gone the API must answer 503 with a code, not hang and not 500; afterwards Herald carries on by
 * itself and every event answered 200 is delivered.
 */
import { execFileSync } from 'node:child_process';
import { createBenchDatabase } from '../../bench/lib/store.ts';
import { startServer } from '../../bench/lib/processes.ts';
import { figure, percentile, progress, reportLoadUnderFault, signUpLoad, sleep, startChaosReceiver } from '../lib.ts';
import { CHAOS_ENV } from './crash.ts';

const CLUSTER = (process.env.CHAOS_PG_CLUSTER ?? '15 main').split(' ');

function pg(action: 'stop' | 'start'): void {
  execFileSync('pg_ctlcluster', [...CLUSTER, action, ...(action === 'stop' ? ['-m', 'fast'] : [])], {
    stdio: 'ignore',
  });
}

export async function dbRestart(options: { downSeconds: number }) {
  const db = await createBenchDatabase('postgres');
  const receiver = await startChaosReceiver();
  const server = await startServer(db.url, CHAOS_ENV);
  const slowest: number[] = [];
  /** The server, with each API call's time kept (a hang while PostgreSQL is away would show here). */
  const timed = {
    async api(method: string, path: string, body?: unknown) {
      const started = Date.now();
      try {
        return await server.api(method, path, body);
      } finally {
        slowest.push(Date.now() - started);
      }
    },
  };
  let load: ReturnType<typeof signUpLoad> | undefined;
  try {
    const hook = await server.api('POST', '/api/hooks', {
      name: 'db-restart',
      events: ['User.Created'],
      config: { url: receiver.url },
    });
    if (hook.status !== 201) throw new Error(`hook: ${hook.status}`);
    load = signUpLoad(() => timed, 4);
    const emitted = load.emitted;
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
    const problems = await reportLoadUnderFault('db-restart', 'postgres', load, receiver);
    figure('db-restart', 'postgres', 'p99_request_ms', percentile(slowest, 99), 'ms');
    figure('db-restart', 'postgres', 'recovery_ms', recoveredAfter, 'ms');
    return problems;
  } finally {
    await load?.stop();
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
