import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { Kysely, sql } from 'kysely';
import { openSqlite } from './sqlite-dialect.ts';

it('a transaction SQLite rolled back by itself (disk full) fails with the real error, not "no transaction is active"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-sqlite-full-'));
  const { dialect, raw } = openSqlite(join(dir, 'full.db'));
  const db = new Kysely<{ blobs: { data: string } }>({ dialect });
  try {
    await sql`create table blobs (data text)`.execute(db);
    // A database that may not grow: the next big insert is SQLITE_FULL, which rolls the transaction back.
    raw.exec('PRAGMA max_page_count = 20');
    const failure = await db
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < 50; i++)
          await trx
            .insertInto('blobs')
            .values({ data: 'x'.repeat(8192) })
            .execute();
      })
      .then(
        () => undefined,
        (error: unknown) => error as { errcode?: number; message: string },
      );
    assert.ok(failure, 'the transaction fails');
    assert.equal((failure.errcode ?? 0) & 0xff, 13, `SQLITE_FULL, got: ${failure.message}`);
    assert.equal(raw.isTransaction, false);
    assert.equal(
      Number((await sql<{ n: number }>`select count(*) as n from blobs`.execute(db)).rows[0]?.n),
      0,
      'nothing half-done',
    );
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
