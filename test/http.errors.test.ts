import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { assertNoOpenServers } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const BODY_LIMIT_BYTES = 4096;

function assertErrorShape(body: Record<string, unknown>): void {
  assert.equal(typeof body.code, 'string');
  assert.equal(typeof body.message, 'string');
  for (const key of Object.keys(body))
    assert.ok(['code', 'message', 'data', 'details'].includes(key), `unexpected key ${key}`);
  assert.ok(!JSON.stringify(body).includes('    at '), 'no stack trace');
}

for (const store of stores) {
  describe(`error model (${store})`, () => {
    const ctx = useServer(store, { env: { HERALD_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) } });

    it('answers malformed JSON with 400 request.invalid_json', async () => {
      const res = await ctx.t.request('POST', '/api/keys', {
        rawBody: '{"name": "x",',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, 'request.invalid_json');
      assertErrorShape(res.json);
    });

    it('answers a body over the limit with 413 request.payload_too_large and stores nothing', async () => {
      const before = (await ctx.t.request('GET', '/api/keys')).json.length;
      const res = await ctx.t.request('POST', '/api/keys', { body: { name: 'x'.repeat(BODY_LIMIT_BYTES * 2) } });
      assert.equal(res.status, 413);
      assert.equal(res.json.code, 'request.payload_too_large');
      assertErrorShape(res.json);
      assert.equal((await ctx.t.request('GET', '/api/keys')).json.length, before);
    });

    it('answers a schema violation with 400 guard.invalid_input naming the field', async () => {
      const wrongType = await ctx.t.request('POST', '/api/keys', { body: { name: 42 } });
      assert.equal(wrongType.status, 400);
      assert.equal(wrongType.json.code, 'guard.invalid_input');
      assert.equal(wrongType.json.data.field, 'body.name');
      assert.match(wrongType.json.message, /body\.name/);
      assertErrorShape(wrongType.json);

      const missing = await ctx.t.request('POST', '/api/keys', { body: {} });
      assert.equal(missing.status, 400);
      assert.equal(missing.json.data.field, 'body.name');
      assert.match(missing.json.message, /required/);

      const extra = await ctx.t.request('POST', '/api/keys', { body: { name: 'ok', admin: true } });
      assert.equal(extra.status, 400);
      assert.equal(extra.json.data.field, 'body.admin');
    });

    it('answers an unsupported content type with 415', async () => {
      const res = await ctx.t.request('POST', '/api/keys', {
        rawBody: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 415);
      assert.equal(res.json.code, 'request.unsupported_media_type');
    });

    it('answers unknown routes with 404 JSON', async () => {
      const api = await ctx.t.request('GET', '/api/no-such-thing');
      assert.equal(api.status, 404);
      assert.equal(api.json.code, 'request.route_not_found');
      assert.match(api.headers.get('content-type') ?? '', /application\/json/);
      assertErrorShape(api.json);

      const outside = await ctx.t.request('GET', '/no-such-page', { key: null });
      assert.equal(outside.status, 404);
      assert.equal(outside.json.code, 'request.route_not_found');
    });

    if (store === 'sqlite')
      it('answers 503 database.busy, not 500, when another process holds the write lock past the busy wait', async () => {
        // Another process's connection (a backup, a script) in a write transaction that does not end.
        const other = new DatabaseSync(ctx.t.database.url.replace(/^sqlite:/, ''));
        other.exec('begin immediate');
        try {
          const res = await ctx.t.request('POST', '/api/users', { body: { username: 'locked_out' } });
          assert.equal(res.status, 503, res.text);
          assert.equal(res.json.code, 'database.busy');
          assertErrorShape(res.json);
        } finally {
          other.exec('rollback');
          other.close();
        }
        const after = await ctx.t.request('POST', '/api/users', { body: { username: 'locked_out' } });
        assert.equal(after.status, 200, 'nothing half-written: the same user is created once the lock is gone');
      });
  });
}
