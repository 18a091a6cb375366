/**
 * Several Herald processes on one PostgreSQL: under steady emission one is SIGKILLed; every event
 * is delivered, and duplicates come only from the killed process's in-flight claims.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseDatabaseUrl } from '../src/config.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { transaction } from '../src/db/tx.ts';
import { createEmitter } from '../src/delivery/outbox.ts';
import { spawnHerald, type HeraldProcess } from './helpers/process.ts';
import { startReceiver } from './helpers/receiver.ts';
import { eventually, request } from './helpers/server.ts';
import { createTestDatabase, stores } from './helpers/stores.ts';

const ADMIN_KEY = 'instances-admin-key-0123456789';
const EVENTS = 300;

if (stores.includes('postgres')) {
  describe('many instances (postgres)', () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const fn of cleanup.reverse()) await fn();
    });

    it('delivers every event across a SIGKILL, with duplicates only from the killed instance’s claims', async () => {
      const testDb = await createTestDatabase('postgres');
      cleanup.push(() => testDb.drop());
      // The receiver answers after a short delay, so the victim has requests in flight when it dies.
      const arrivals = new Map<string, number[]>();
      const receiver = await startReceiver((req, res) => {
        const id = String(req.headers['webhook-id']);
        arrivals.set(id, [...(arrivals.get(id) ?? []), req.at]);
        setTimeout(() => res.writeHead(200).end('ok'), 100);
      });
      cleanup.push(() => receiver.close());
      const env = {
        DATABASE_URL: testDb.url,
        PORT: '0',
        HOST: '127.0.0.1',
        HERALD_ADMIN_KEY: ADMIN_KEY,
        HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
        HERALD_REQUEST_TIMEOUT_MS: '1000',
        HERALD_RETRY_SCHEDULE: '0.2,0.2,0.2,0.2,0.2',
        HERALD_THROTTLED_RETRY_MIN_SECONDS: '0',
        LOG_LEVEL: 'warn',
      };
      const instances: { proc: HeraldProcess; url: string }[] = [];
      for (let i = 0; i < 3; i++) {
        const proc = spawnHerald(['start'], { ...env, LOG_LEVEL: 'info' });
        cleanup.push(async () => {
          if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
        });
        const ready = await proc.waitForLog((l) => l.msg === 'herald is ready');
        instances.push({ proc, url: `http://127.0.0.1:${ready.port}` });
      }
      const [a, b, victim] = instances as [(typeof instances)[0], (typeof instances)[0], (typeof instances)[0]];
      const hook = (
        await request(a.url, 'POST', '/api/hooks', {
          key: ADMIN_KEY,
          body: { events: ['User.Created'], config: { url: `${receiver.url}?v=1` } },
        })
      ).json;

      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      cleanup.push(() => database.close());
      const emitter = createEmitter({ dialect: 'postgres', wake: () => undefined });
      const emitted: string[] = [];
      let killedAt = 0;
      let victimClaims = 0;
      for (let n = 0; n < EVENTS; n++) {
        const { deliveryIds } = await transaction(database.db, (tx) =>
          emitter.emit(tx, { event: 'User.Created', context: { data: { n } } }),
        );
        emitted.push(...deliveryIds);
        if (n === EVENTS / 2) {
          // Kill the victim while it holds claims, so the lease takeover really happens.
          const victimLeases = () =>
            database.db
              .selectFrom('deliveries')
              .select('id')
              .where('status', '=', 'delivering')
              .where('leased_by', 'like', `${victim.proc.child.pid}-%`)
              .execute();
          for (let tries = 0; tries < 200 && (await victimLeases()).length === 0; tries++) {
            const { deliveryIds } = await transaction(database.db, (tx) =>
              emitter.emit(tx, { event: 'User.Created', context: { data: { n: `burst-${tries}` } } }),
            );
            emitted.push(...deliveryIds);
          }
          victim.proc.child.kill('SIGKILL');
          killedAt = Date.now();
          victimClaims = (await victimLeases()).length;
          // A hook change made through one instance reaches every dispatcher: later events go to v=2.
          await request(b.url, 'PATCH', `/api/hooks/${hook.id}`, {
            key: ADMIN_KEY,
            body: { config: { url: `${receiver.url}?v=2` } },
          });
        }
        if (n % 10 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal(await victim.proc.exited, 'SIGKILL');
      const patchedAt = Date.now();

      await eventually(async () => (emitted.every((id) => arrivals.has(id)) ? true : undefined), 60_000, 200);
      const lost = emitted.filter((id) => !arrivals.has(id)).length;
      const duplicates = [...arrivals.values()].filter((times) => times.length > 1);
      process.stdout.write(
        `# many instances: emitted ${emitted.length}, delivered ${arrivals.size}, killed instance's claims ${victimClaims}, duplicates ${duplicates.length}, lost ${lost}\n`,
      );
      assert.ok(victimClaims > 0, 'the killed instance held claims when it died');
      assert.ok(duplicates.length <= victimClaims, 'no more duplicates than the killed instance had claims');
      assert.equal(lost, 0);
      for (const times of duplicates)
        assert.ok(
          times[0]! <= killedAt + 50,
          'a duplicate was first sent before the kill, i.e. by the killed instance',
        );

      const late = receiver.requests.filter((r) => r.at > patchedAt + 1000);
      assert.ok(
        late.every((r) => r.path === '/hook?v=2'),
        'every instance sends to the changed URL',
      );
      const succeeded = await eventually(
        async () => {
          const res = await request(a.url, 'GET', '/metrics', { key: ADMIN_KEY });
          const line = res.text.split('\n').find((l) => l.startsWith('herald_deliveries{status="succeeded"}'));
          return Number(line?.split(' ')[1]) === emitted.length ? true : undefined;
        },
        20_000,
        200,
      );
      assert.ok(succeeded);
      for (const i of [a, b]) {
        i.proc.child.kill('SIGTERM');
        assert.equal(await i.proc.exited, 0);
      }
    });
  });
}
