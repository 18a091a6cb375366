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
    const { rows } = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
      database.db,
    );
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name`.execute(
    database.db,
  );
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

    it("0019 gives every existing attempt its delivery's hook", async () => {
      const testDb = await createTestDatabase(store);
      cleanup.push(() => testDb.drop());
      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      cleanup.push(() => database.close());
      await migrateToLatest(database.db);
      const db = database.db;
      const hook = (id: string) => ({
        id,
        tenant_id: 'default',
        name: id,
        event: null,
        events: '["User.Created"]',
        config: '{"url":"https://example.com"}',
        signing_key: 'k',
        enabled: true,
        created_at: 1,
        disabled_reason: null,
        disabled_at: null,
        failing_since: null,
        previous_signing_key: null,
        previous_signing_key_expires_at: null,
      });
      await db
        .insertInto('hooks')
        .values([hook('hooka'), hook('hookb')])
        .execute();
      await db.insertInto('events').values({ id: 'ev1', name: 'User.Created', payload: '{}', created_at: 1 }).execute();
      const delivery = (id: string, hookId: string) => ({
        id,
        hook_id: hookId,
        event_id: 'ev1',
        event_name: 'User.Created',
        status: 'succeeded' as const,
        attempts: 1,
        next_attempt_at: 1,
        created_at: 1,
        updated_at: 1,
      });
      await db
        .insertInto('deliveries')
        .values([delivery('da', 'hooka'), delivery('db', 'hookb')])
        .execute();
      const attempt = (id: string, deliveryId: string, hookId: string) => ({
        id,
        delivery_id: deliveryId,
        hook_id: hookId,
        attempt: 1,
        started_at: 1,
        duration_ms: 1,
        result: 'success' as const,
        status_code: 200,
        response_headers: null,
        response_body: null,
        error: null,
      });
      await db
        .insertInto('delivery_attempts')
        .values([attempt('a1', 'da', 'hooka'), attempt('a2', 'db', 'hookb'), attempt('a3', 'db', 'hookb')])
        .execute();

      // As a database from before 0019: no column; then 0019 adds and fills it.
      const m0019 = migrations['0019-attempts-by-hook']!;
      assert.ok(m0019.down);
      await m0019.down(db as never);
      await m0019.up(db as never);
      const rows = await db.selectFrom('delivery_attempts').select(['id', 'hook_id']).orderBy('id').execute();
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        [
          { id: 'a1', hook_id: 'hooka' },
          { id: 'a2', hook_id: 'hookb' },
          { id: 'a3', hook_id: 'hookb' },
        ],
      );
    });

    it('0020 gives existing users canonical identifiers; of two look-alikes the older keeps its own', async () => {
      const testDb = await createTestDatabase(store);
      cleanup.push(() => testDb.drop());
      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      cleanup.push(() => database.close());
      await migrateToLatest(database.db);
      const db = database.db;
      // As a database from before 0020 (and 0021, which follows it).
      await migrations['0021-sentinel-bounded']!.down!(db as never);
      const m0020 = migrations['0020-users-canonical-identifiers']!;
      await m0020.down!(db as never);
      const user = (id: string, email: string | null, phone: string | null, at: number) => ({
        id,
        username: null,
        primary_email: email,
        primary_phone: phone,
        password_encrypted: null,
        password_encryption_method: null,
        name: null,
        avatar: null,
        custom_data: '{}',
        identities: '{}',
        profile: '{}',
        application_id: null,
        is_suspended: false,
        last_sign_in_at: null,
        created_at: at,
        updated_at: at,
      });
      await (db as any)
        .insertInto('users')
        .values([
          user('kate', 'kate@Example.com', '0014155550100', 1),
          user('kelvin', '\u212Aate@example.com.', null, 2),
          user('plain', null, '8613800000000', 3),
        ])
        .execute();
      await m0020.up(db as never);
      await migrations['0021-sentinel-bounded']!.up(db as never);
      const rows = await db
        .selectFrom('users')
        .select(['id', 'primary_email_canonical', 'primary_phone_canonical'])
        .orderBy('created_at')
        .execute();
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        [
          { id: 'kate', primary_email_canonical: 'kate@example.com', primary_phone_canonical: '14155550100' },
          { id: 'kelvin', primary_email_canonical: null, primary_phone_canonical: null },
          { id: 'plain', primary_email_canonical: null, primary_phone_canonical: '8613800000000' },
        ],
      );
      await assert.rejects(
        db
          .updateTable('users')
          .set({ primary_email_canonical: 'kate@example.com' })
          .where('id', '=', 'plain')
          .execute(),
        'the canonical email is unique',
      );
    });

    it('serialises two `herald migrate` processes started at once: each migration applied exactly once', async () => {
      const testDb = await createTestDatabase(store);
      cleanup.push(() => testDb.drop());
      const env = { DATABASE_URL: testDb.url };
      const results = await Promise.all([
        runHerald(['migrate'], env),
        runHerald(['migrate'], env),
        runHerald(['migrate'], env),
      ]);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const applied = results.flatMap((r) => /Applied \d+ migration\(s\): (.*)/.exec(r.stdout)?.[1]?.split(', ') ?? []);
      assert.deepEqual(applied.sort(), Object.keys(migrations).sort());

      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      cleanup.push(() => database.close());
      const recorded = await database.db
        .selectFrom(MIGRATION_TABLE as never)
        .select('name' as never)
        .execute();
      assert.equal(recorded.length, Object.keys(migrations).length);
    });
  });
}
