/**
 * GET /api/health/ready: the readiness check (database, migrations, dispatcher), public, cached for
 * a second. /api/status stays the liveness check.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { readTestEnvironment } from '../src/config.ts';
import { CACHE_MS } from '../src/telemetry/readiness.ts';
import { assertNoOpenServers, eventually, startTestServer, type TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const ready = (t: TestServer) => t.request('GET', '/api/health/ready', { key: null });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** On PostgreSQL: refuse new connections to the test database and end the ones it has. */
async function cutPostgres(t: TestServer, allow: boolean): Promise<void> {
  const name = new URL(t.database.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: readTestEnvironment().testDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${allow}`);
    if (!allow)
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
  } finally {
    await admin.end();
  }
}

for (const store of stores) {
  describe(`readiness (${store})`, () => {
    it('answers 200 with every check ok, without an API key, and /api/status stays 204', async () => {
      const t = await startTestServer(store);
      try {
        const res = await ready(t);
        assert.equal(res.status, 200);
        assert.deepEqual(res.json, { status: 'ready', checks: { database: 'ok', migrations: 'ok', dispatcher: 'ok' } });
        assert.equal((await t.request('GET', '/api/status', { key: null })).status, 204);
        // A flood shares one check: every answer is the same report.
        const flood = await Promise.all(Array.from({ length: 50 }, () => ready(t)));
        assert.ok(flood.every((r) => r.status === 200));
      } finally {
        await t.close();
      }
    });

    it('answers 503 naming the database while it does not answer, and 200 again once it does', async () => {
      const t = await startTestServer(store);
      try {
        assert.equal((await ready(t)).status, 200);
        await pause(CACHE_MS + 50);
        if (store === 'postgres') {
          await cutPostgres(t, false);
          try {
            const res = await eventually(async () => {
              const r = await ready(t);
              return r.status === 503 ? r : undefined;
            }, 10_000);
            assert.equal(res.json.status, 'unavailable');
            assert.equal(res.json.checks.database, 'failed');
          } finally {
            await cutPostgres(t, true);
          }
        } else {
          // SQLite's one connection held by something else for longer than the check's 2 s timeout.
          let release = () => {};
          const held = t.server.database.db.connection().execute(() => new Promise<void>((r) => (release = r)));
          try {
            const started = Date.now();
            const res = await ready(t);
            assert.equal(res.status, 503);
            assert.equal(res.json.checks.database, 'failed');
            assert.ok(Date.now() - started < 4000, 'the check gives up after its timeout');
          } finally {
            release();
            await held;
          }
        }
        const back = await eventually(
          async () => {
            const r = await ready(t);
            return r.status === 200 ? r : undefined;
          },
          15_000,
          200,
        );
        assert.equal(back.json.checks.database, 'ok');
      } finally {
        await t.close();
      }
    });

    it('answers 503 naming the dispatcher once it has stopped', async () => {
      const t = await startTestServer(store);
      try {
        assert.equal((await ready(t)).status, 200);
        await t.server.dispatcher.stop(0);
        await pause(CACHE_MS + 50);
        const res = await ready(t);
        assert.equal(res.status, 503);
        assert.deepEqual(res.json, {
          status: 'unavailable',
          checks: { database: 'ok', migrations: 'ok', dispatcher: 'failed' },
        });
      } finally {
        await t.close();
      }
    });
  });
}
