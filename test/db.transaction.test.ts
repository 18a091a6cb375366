import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDatabaseUrl } from '../src/config.ts';
import { connectDatabase, type Database } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { transaction } from '../src/db/tx.ts';
import { generateId } from '../src/util/id.ts';
import { createTestDatabase, stores, type TestDatabase } from './helpers/stores.ts';

const row = (name: string) => ({
  id: generateId(),
  name,
  key_hash: '0'.repeat(64),
  created_at: Date.now(),
  revoked_at: null,
  last_used_at: null,
});

for (const store of stores) {
  describe(`transaction helper (${store})`, () => {
    let testDb: TestDatabase;
    let database: Database;
    before(async () => {
      testDb = await createTestDatabase(store);
      database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      await migrateToLatest(database.db);
    });
    after(async () => {
      await database.close();
      await testDb.drop();
    });

    const count = async (name: string) =>
      (await database.db.selectFrom('api_keys').select('id').where('name', '=', name).execute()).length;

    it('leaves no rows behind when the work throws, and skips afterCommit', async () => {
      let committed = false;
      await assert.rejects(
        transaction(database.db, async (tx) => {
          await tx.db.insertInto('api_keys').values(row('rolled-back')).execute();
          await tx.db.insertInto('api_keys').values(row('rolled-back')).execute();
          tx.afterCommit(() => (committed = true));
          assert.equal(
            (await tx.db.selectFrom('api_keys').select('id').where('name', '=', 'rolled-back').execute()).length,
            2,
          );
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await count('rolled-back'), 0);
      assert.equal(committed, false);
    });

    it('leaves no rows behind when a later statement fails in the database', async () => {
      const duplicate = row('constraint');
      await assert.rejects(
        transaction(database.db, async (tx) => {
          await tx.db.insertInto('api_keys').values(duplicate).execute();
          await tx.db.insertInto('api_keys').values(duplicate).execute();
        }),
      );
      assert.equal(await count('constraint'), 0);
    });

    it('commits all rows and then runs afterCommit callbacks in order', async () => {
      const calls: string[] = [];
      const result = await transaction(database.db, async (tx) => {
        await tx.db.insertInto('api_keys').values(row('committed')).execute();
        tx.afterCommit(() => calls.push('first'));
        await tx.db.insertInto('api_keys').values(row('committed')).execute();
        tx.afterCommit(() => calls.push('second'));
        assert.deepEqual(calls, [], 'callbacks wait for the commit');
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal(await count('committed'), 2);
      assert.deepEqual(calls, ['first', 'second']);
    });
  });
}
