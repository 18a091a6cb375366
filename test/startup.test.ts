/**
 * What start-up does quickly must still be right: migrateToLatest skips the migrator only when the
 * store records exactly this build's migrations, and the CLI, which loads its modules on demand,
 * still answers every command.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { parseDatabaseUrl } from '../src/config.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, migrateToLatest } from '../src/db/migrate.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { HERALD_VERSION } from '../src/version.ts';
import { runHerald } from './helpers/process.ts';
import { createTestDatabase, stores } from './helpers/stores.ts';

const names = Object.keys(migrations);

for (const store of stores) {
  describe(`start-up migrations (${store})`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    after(async () => {
      for (const fn of cleanup.reverse()) await fn();
    });

    async function freshStore() {
      const testDb = await createTestDatabase(store);
      cleanup.push(() => testDb.drop());
      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      cleanup.push(() => database.close());
      return database;
    }

    it('applies the migrations a store is missing, even when only the last one is', async () => {
      const database = await freshStore();
      const migrator = new Migrator({
        db: database.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: MIGRATION_TABLE,
        migrationLockTableName: MIGRATION_LOCK_TABLE,
      });
      const upTo = names.at(-2) as string;
      const { error } = await migrator.migrateTo(upTo);
      assert.equal(error, undefined);

      assert.deepEqual(await migrateToLatest(database.db), [names.at(-1)]);
      assert.deepEqual(await migrateToLatest(database.db), []);
    });

    it('still refuses a store that records a migration this build does not have', async () => {
      const database = await freshStore();
      await migrateToLatest(database.db);
      await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values (${'9999-from-a-newer-build'}, ${new Date().toISOString()})`.execute(
        database.db,
      );
      await assert.rejects(migrateToLatest(database.db), /9999-from-a-newer-build/);
    });
  });
}

describe('the CLI, loading its modules on demand', () => {
  it('answers --version and --help without configuration', async () => {
    const version = await runHerald(['--version'], {});
    assert.equal(version.code, 0);
    assert.equal(version.stdout.trim(), HERALD_VERSION);
    const help = await runHerald(['--help'], {});
    assert.equal(help.code, 0);
    assert.match(help.stdout, new RegExp(`^herald ${HERALD_VERSION.replaceAll('.', '\\.')}: `));
    assert.match(help.stdout, /herald keys create --name NAME/);
  });

  it('explains a bad command with the usage and exit code 2', async () => {
    const result = await runHerald(['frobnicate'], {});
    assert.equal(result.code, 2);
    assert.match(result.stderr, /herald: unknown command "frobnicate"/);
    assert.match(result.stderr, new RegExp(`herald ${HERALD_VERSION.replaceAll('.', '\\.')}: identity events`));
  });
});
