/**
 * SQLite's WAL checkpoints run in their own thread (src/db/checkpointer.ts): the server's
 * connections never checkpoint in a commit, yet what they commit reaches the database file while
 * the server runs (without the checkpointer it would stay in the WAL until the server stopped).
 * SQLite only: PostgreSQL's WAL is the server's own business.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { eventually, startTestServer, type TestServer } from './helpers/server.ts';

describe('SQLite checkpoints off the serving threads', () => {
  let t: TestServer;
  after(() => t?.close());

  it('commits reach the database file while the server runs, with no checkpoint in any commit', async () => {
    t = await startTestServer('sqlite');
    const path = t.database.url.replace(/^sqlite:/, '');
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(t.server.database.db);
    assert.equal(rows[0]?.wal_autocheckpoint, 0, 'the server connection must not checkpoint in its commits');

    // Let the checkpointer copy the migrations' pages, then measure from there.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const before = statSync(path).size;
    const filler = 'x'.repeat(4000);
    for (let i = 0; i < 150; i++) {
      const res = await t.request('POST', '/api/users', { body: { username: `ckpt_${i}`, customData: { filler } } });
      assert.equal(res.status, 200, res.text);
    }
    // ~600 KB committed: far below SQLite's own threshold (1 000 pages, ~4 MB), so only the
    // checkpointer can have copied it into the file.
    const grown = await eventually(async () => {
      const size = statSync(path).size;
      return size >= before + 500_000 ? size : undefined;
    }, 5000);
    assert.ok(grown >= before + 500_000);
  });
});
