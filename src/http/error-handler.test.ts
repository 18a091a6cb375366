import assert from 'node:assert/strict';
import { it } from 'node:test';
import { toHeraldError } from './error-handler.ts';

it('answers an exhausted PostgreSQL pool with 503 server.busy, not 500 (bench latency found it)', () => {
  const error = toHeraldError(new Error('timeout exceeded when trying to connect'));
  assert.equal(error?.code, 'server.busy');
  assert.equal(error?.status, 503);
});

it('answers SQLite refusing writes (disk full, read-only, I/O) with 503 codes, not 500 (chaos disk-full found it)', () => {
  const sqlite = (errcode: number) =>
    Object.assign(new Error('database or disk is full'), { code: 'ERR_SQLITE_ERROR', errcode });
  assert.equal(toHeraldError(sqlite(13))?.code, 'database.full');
  assert.equal(toHeraldError(sqlite(8))?.code, 'database.read_only');
  assert.equal(toHeraldError(sqlite(8 | (3 << 8)))?.code, 'database.read_only', 'extended codes too');
  assert.equal(toHeraldError(sqlite(10 | (3 << 8)))?.code, 'database.unavailable');
  for (const code of [13, 8]) assert.equal(toHeraldError(sqlite(code))?.status, 503);
});

it('leaves unknown errors unknown', () => {
  assert.equal(toHeraldError(new Error('something else')), undefined);
});
