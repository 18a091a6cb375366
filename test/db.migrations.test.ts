import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../src/config.ts';
import { connectDatabase, type Database } from '../src/db/connect.ts';
import { MIGRATION_TABLE, migrateToLatest } from '../src/db/migrate.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { runHerald } from './helpers/process.ts';
import { createTestDatabase, stores } from './helpers/stores.ts';

async function tableNames(database: Database): Promise<string[]> {
  if (database.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(database.db);
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name`.execute(database.db);
  return rows.map((r) => r.name);
}

for (const store of stores) {
  describe(`migrations (${store})`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    after(async () => {
      for (const fn of cleanup.reverse()) await fn();
    });

    it('applies every migration once, and a second run changes nothing', async () => {
      const testDb = await createTestDatabase(store);
      cleanup.push(() => testDb.drop());
      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      cleanup.push(() => database.close());

      const first = await migrateToLatest(database.db);
      assert.deepEqual(first, Object.keys(migrations));
      const tablesAfterFirst = await tableNames(database);
      assert.ok(tablesAfterFirst.includes('api_keys'));
      assert.ok(tablesAfterFirst.includes('herald_migration'));

      const second = await migrateToLatest(database.db);
      assert.deepEqual(second, []);
      assert.deepEqual(await tableNames(database), tablesAfterFirst);
    });

    it('serialises two `herald migrate` processes started at once: each migration applied exactly once', async () => {
      const testDb = await createTestDatabase(store);
      cleanup.push(() => testDb.drop());
      const env = { DATABASE_URL: testDb.url };
      const results = await Promise.all([runHerald(['migrate'], env), runHerald(['migrate'], env), runHerald(['migrate'], env)]);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const applied = results.flatMap((r) => /Applied \d+ migration\(s\): (.*)/.exec(r.stdout)?.[1]?.split(', ') ?? []);
      assert.deepEqual(applied.sort(), Object.keys(migrations).sort());

      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      cleanup.push(() => database.close());
      const recorded = await database.db.selectFrom(MIGRATION_TABLE as never).select('name' as never).execute();
      assert.equal(recorded.length, Object.keys(migrations).length);
    });
  });
}
