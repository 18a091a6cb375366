/**
 * experience-put — `PUT /api/experience` (start an interaction, public) and `/api/status` while 16
 * clients start interactions, first against an empty sentinel table, then with 1 000 000 sentinel
 * rows stored. The ratio (with rows / without) is what a request pays for the table's size: 1.0
 * when nothing in the request scans it. Before the background prune, every PUT ran
 * `DELETE … WHERE created_at < ?` without an index (106–310 ms a PUT with 1 M rows).
 */
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/config.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import { percentile } from '../lib/stats.ts';
import { startServer, type ServerProcess } from '../lib/processes.ts';
import { progress, report } from '../lib/report.ts';
import { createBenchDatabase, type Store } from '../lib/store.ts';

const CLIENTS = 16;

/** Each of CLIENTS clients starts `perClient` interactions in a row; /api/status is polled meanwhile. */
async function measure(server: ServerProcess, perClient: number): Promise<{ put: number[]; status: number[] }> {
  const put: number[] = [];
  const status: number[] = [];
  let done = false;
  const poll = (async () => {
    while (!done) {
      const started = performance.now();
      await fetch(`${server.url}/api/status`).then((r) => r.arrayBuffer());
      status.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < perClient; i++) {
        const started = performance.now();
        const res = await fetch(`${server.url}/api/experience`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ interactionEvent: 'SignIn' }),
        });
        await res.arrayBuffer();
        if (res.status !== 204) throw new Error(`PUT /api/experience answered ${res.status}`);
        put.push(performance.now() - started);
      }
    }),
  );
  done = true;
  await poll;
  return { put, status };
}

/** Stores `rows` sentinel records of the last minute (none prunable: the worst case for a scan). */
async function fillSentinel(url: string, rows: number): Promise<void> {
  const database = await connectDatabase(parseDatabaseUrl(url, 'DATABASE_URL'));
  try {
    const at = Date.now();
    const hash = 'e'.repeat(64);
    if (database.dialect === 'postgres') {
      await sql`insert into sentinel_activities (id, target_hash, action, result, decision, decision_expires_at, refused, created_at)
        select 'bench' || g, ${hash}, 'Password', 'Failed', 'Allowed', null, 0, ${at} from generate_series(1, ${rows}) g`.execute(
        database.db,
      );
    } else {
      await sql`insert into sentinel_activities (id, target_hash, action, result, decision, decision_expires_at, refused, created_at)
        with recursive g(n) as (select 1 union all select n + 1 from g where n < ${rows})
        select 'bench' || n, ${hash}, 'Password', 'Failed', 'Allowed', null, 0, ${at} from g`.execute(database.db);
    }
  } finally {
    await database.close();
  }
}

export async function experiencePut(store: Store, options: { rows: number; perClient: number }) {
  const db = await createBenchDatabase(store);
  // The per-client limit would stop one bench client; it is not what is measured here.
  const server = await startServer(db.url, { HERALD_PUBLIC_RATE_LIMIT: '1000000' });
  try {
    await measure(server, 20); // warm-up
    const empty = await measure(server, options.perClient);
    progress(`${store}: storing ${options.rows} sentinel rows`);
    await fillSentinel(db.url, options.rows);
    const full = await measure(server, options.perClient);
    const p50 = (xs: number[]) => percentile(xs, 50);
    report({
      scenario: 'experience-put',
      store,
      metric: 'put_p50_1m_rows',
      value: p50(full.put),
      unit: 'ms',
      baseline: p50(empty.put),
    });
    report({
      scenario: 'experience-put',
      store,
      metric: 'put_p99_1m_rows',
      value: percentile(full.put, 99),
      unit: 'ms',
      baseline: percentile(empty.put, 99),
    });
    report({
      scenario: 'experience-put',
      store,
      metric: 'status_p50_1m_rows',
      value: p50(full.status),
      unit: 'ms',
      baseline: p50(empty.status),
    });
  } finally {
    await server.stop();
    await db.drop();
  }
}
