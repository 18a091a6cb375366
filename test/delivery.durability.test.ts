/**
 * Durability across crashes: the server runs as a separate process, is SIGKILLed with deliveries in
 * flight and pending, and is restarted; every committed event must still arrive.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseDatabaseUrl } from '../src/config.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { transaction } from '../src/db/tx.ts';
import { createEmitter } from '../src/delivery/outbox.ts';
import { spawnHerald } from './helpers/process.ts';
import { startReceiver, type Received } from './helpers/receiver.ts';
import { eventually, request } from './helpers/server.ts';
import { createTestDatabase, stores } from './helpers/stores.ts';

const ADMIN_KEY = 'durability-admin-key-0123456789';

const eventIdsOf = (requests: Received[]) =>
  new Set(requests.filter((r) => r.json).map((r) => r.json.data.n as number));

for (const store of stores) {
  describe(`durability (${store})`, () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const fn of cleanup.reverse()) await fn();
    });

    async function setUp(overrides: Record<string, string> = {}) {
      const testDb = await createTestDatabase(store);
      cleanup.push(() => testDb.drop());
      const receiver = await startReceiver('hang');
      cleanup.push(() => receiver.close());
      const env = {
        DATABASE_URL: testDb.url,
        PORT: '0',
        HOST: '127.0.0.1',
        HERALD_ADMIN_KEY: ADMIN_KEY,
        HERALD_REQUEST_TIMEOUT_MS: '1000',
        HERALD_RETRY_SCHEDULE: '0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2',
        HERALD_SHUTDOWN_TIMEOUT_MS: '2000',
        HERALD_THROTTLED_RETRY_MIN_SECONDS: '0',
        HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
        ...overrides,
      };
      const start = async () => {
        const proc = spawnHerald(['start'], env);
        cleanup.push(async () => {
          if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
        });
        const ready = await proc.waitForLog((l) => l.msg === 'herald is ready');
        return { proc, url: `http://127.0.0.1:${ready.port}` };
      };
      // The test emits through its own connection, as an identity route in another instance would.
      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      cleanup.push(() => database.close());
      const emitter = createEmitter({ dialect: database.dialect, wake: () => undefined });
      const emit = (n: number) =>
        transaction(database.db, (tx) => emitter.emit(tx, { event: 'User.Created', context: { data: { n } } }));
      return { receiver, start, emit, database };
    }

    it('delivers every committed event after SIGKILL with deliveries in flight and pending', async () => {
      const { receiver, start, emit } = await setUp();
      const first = await start();
      const hook = (
        await request(first.url, 'POST', '/api/hooks', {
          key: ADMIN_KEY,
          body: { events: ['User.Created'], config: { url: receiver.url } },
        })
      ).json;

      const EMITTED_BEFORE = 20;
      for (let n = 0; n < EMITTED_BEFORE; n++) await emit(n);
      // The receiver hangs: these are in flight when the process dies.
      await receiver.waitFor((rs) => eventIdsOf(rs).size === EMITTED_BEFORE);
      first.proc.child.kill('SIGKILL');
      assert.equal(await first.proc.exited, 'SIGKILL');

      // Committed while no instance runs: pending, with nobody to send them.
      const EMITTED_WHILE_DOWN = 5;
      for (let n = EMITTED_BEFORE; n < EMITTED_BEFORE + EMITTED_WHILE_DOWN; n++) await emit(n);

      const switchedAt = receiver.requests.length;
      receiver.respondWith({ status: 200, body: 'ok' });
      const second = await start();
      const total = EMITTED_BEFORE + EMITTED_WHILE_DOWN;
      await receiver.waitFor((rs) => eventIdsOf(rs.slice(switchedAt)).size === total, 30_000);
      const answered = receiver.requests.slice(switchedAt);
      assert.equal(eventIdsOf(answered).size, total, 'lost: 0');
      for (const r of answered) assert.equal(r.json.hookId, hook.id);

      // The receiver has answered; the results are recorded a moment later.
      await eventually(async () => {
        const succeeded = await request(
          second.url,
          'GET',
          `/api/hooks/${hook.id}/deliveries?status=succeeded&limit=100`,
          { key: ADMIN_KEY },
        );
        return succeeded.json.data.length === total ? true : undefined;
      });
      // A retried delivery keeps its webhook-id: receivers de-duplicate with it.
      const idsByEvent = new Map<number, Set<string>>();
      for (const r of receiver.requests) {
        const set = idsByEvent.get(r.json.data.n) ?? new Set();
        set.add(String(r.headers['webhook-id']));
        idsByEvent.set(r.json.data.n, set);
      }
      for (const [n, ids] of idsByEvent) assert.equal(ids.size, 1, `event ${n}: one webhook-id across the crash`);

      second.proc.child.kill('SIGTERM');
      assert.equal(await second.proc.exited, 0);
    });

    it('on SIGTERM hands in-flight deliveries back to the queue without counting an attempt, and exits 0', async () => {
      // Attempts would take 10 s to time out; shutdown gives them 1 s (half of 2 s), then aborts.
      const { receiver, start, emit } = await setUp({ HERALD_REQUEST_TIMEOUT_MS: '10000' });
      const first = await start();
      const hook = (
        await request(first.url, 'POST', '/api/hooks', {
          key: ADMIN_KEY,
          body: { events: ['User.Created'], config: { url: receiver.url } },
        })
      ).json;
      for (let n = 0; n < 3; n++) await emit(n);
      await receiver.waitFor((rs) => eventIdsOf(rs).size === 3);
      first.proc.child.kill('SIGTERM');
      assert.equal(await first.proc.exited, 0, first.proc.stderr);
      assert.match(first.proc.stdout, /aborting in-flight deliveries/);

      receiver.respondWith({ status: 200, body: 'ok' });
      const second = await start();
      const switchedAt = 3;
      await receiver.waitFor((rs) => eventIdsOf(rs.slice(switchedAt)).size === 3);
      const list = await eventually(async () => {
        const res = await request(second.url, 'GET', `/api/hooks/${hook.id}/deliveries?status=succeeded`, {
          key: ADMIN_KEY,
        });
        return res.json.data.length === 3 ? res : undefined;
      });
      for (const d of list.json.data) assert.equal(d.attempts, 1, 'the aborted attempt was not counted');
      second.proc.child.kill('SIGTERM');
      assert.equal(await second.proc.exited, 0);
    });
  });
}
