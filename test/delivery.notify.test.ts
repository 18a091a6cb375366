/** PostgreSQL: a commit that queues deliveries wakes every instance's dispatcher through LISTEN/NOTIFY. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { parseDatabaseUrl } from '../src/config.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { transaction } from '../src/db/tx.ts';
import { createPostgresWaker } from '../src/delivery/index.ts';
import { createEmitter } from '../src/delivery/outbox.ts';
import { eventually } from './helpers/server.ts';
import { createTestDatabase, stores } from './helpers/stores.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (stores.includes('postgres')) {
  describe('LISTEN/NOTIFY wake-up (postgres)', () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const fn of cleanup.reverse()) await fn();
    });

    it('wakes a listener when deliveries commit, and not when the transaction rolls back or has no deliveries', async () => {
      const testDb = await createTestDatabase('postgres');
      cleanup.push(() => testDb.drop());
      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      cleanup.push(() => database.close());
      await migrateToLatest(database.db);
      await database.db
        .insertInto('hooks')
        .values({
          id: 'hook00000000000000001',
          tenant_id: 'default',
          name: 'n',
          event: null,
          events: '["User.Created"]',
          config: '{"url":"http://127.0.0.1:9/x"}',
          signing_key: 'k',
          enabled: true,
          created_at: Date.now(),
        })
        .execute();

      let wakes = 0;
      const waker = createPostgresWaker({ url: testDb.url, log: pino({ level: 'silent' }), onWake: () => wakes++ });
      cleanup.push(() => waker.stop());
      await waker.start();
      await sleep(100);
      const afterConnect = wakes;

      const emitter = createEmitter({ dialect: 'postgres', wake: () => undefined });
      await assert.rejects(
        transaction(database.db, async (tx) => {
          await emitter.emit(tx, { event: 'User.Created', context: {} });
          throw new Error('rolled back');
        }),
      );
      await transaction(database.db, (tx) => emitter.emit(tx, { event: 'Role.Created', context: {} }));
      await sleep(300);
      assert.equal(wakes, afterConnect, 'no wake for a rollback, nor for an event no hook subscribes to');

      await transaction(database.db, (tx) => emitter.emit(tx, { event: 'User.Created', context: {} }));
      await eventually(async () => (wakes > afterConnect ? true : undefined), 5000);
    });
  });
}
