import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { assertNoOpenServers } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

for (const store of stores) {
  describe(`auth (${store})`, () => {
    const ctx = useServer(store);

    it('answers /api/status with 204 without a key', async () => {
      const res = await ctx.t.request('GET', '/api/status', { key: null });
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
    });

    it('refuses a protected route without a key, with a wrong key and with another scheme', async () => {
      const missing = await ctx.t.request('GET', '/api/keys', { key: null });
      assert.equal(missing.status, 401);
      assert.equal(missing.json.code, 'auth.unauthorized');
      assert.equal(typeof missing.json.message, 'string');

      const wrong = await ctx.t.request('GET', '/api/keys', { key: `${ctx.t.adminKey}x` });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json.code, 'auth.unauthorized');

      const forged = await ctx.t.request('GET', '/api/keys', {
        key: 'hk_aaaaaaaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      });
      assert.equal(forged.status, 401);

      const basic = await ctx.t.request('GET', '/api/keys', {
        key: null,
        headers: { authorization: `Basic ${ctx.t.adminKey}` },
      });
      assert.equal(basic.status, 401);
      assert.equal(basic.json.code, 'auth.unauthorized');
    });

    it('refuses protected routes however the path is spelled', async () => {
      for (const path of [
        '/%61pi/keys',
        '/api/keys/',
        '/API/keys',
        '/api//keys',
        '/metrics/',
        '/%6detrics',
        '/api/%6beys',
      ]) {
        const res = await ctx.t.request('GET', path, { key: null });
        assert.ok(res.status === 401 || res.status === 404, `${path}: ${res.status}`);
        assert.notEqual(res.status, 200, path);
      }
    });

    it('refuses unknown /api routes without a key before saying they do not exist', async () => {
      const res = await ctx.t.request('GET', '/api/does-not-exist', { key: null });
      assert.equal(res.status, 401);
    });

    it('accepts HERALD_ADMIN_KEY, a created key, and refuses that key once revoked', async () => {
      const created = await ctx.t.request('POST', '/api/keys', { body: { name: 'ci' } });
      assert.equal(created.status, 201);
      const { key, apiKey } = created.json;
      assert.match(key, /^hk_[0-9a-z]{21}_[0-9A-Za-z]{32}$/);
      assert.match(apiKey.id, /^[0-9a-z]{21}$/);
      assert.equal(apiKey.name, 'ci');
      assert.equal(apiKey.revokedAt, null);

      const withKey = await ctx.t.request('GET', '/api/keys', { key });
      assert.equal(withKey.status, 200);
      const listed = withKey.json.find((k: { id: string }) => k.id === apiKey.id);
      assert.deepEqual(Object.keys(listed).sort(), ['createdAt', 'id', 'name', 'revokedAt']);
      assert.ok(!withKey.text.includes(key.slice(25)), 'a listing never shows a secret');

      const revoked = await ctx.t.request('DELETE', `/api/keys/${apiKey.id}`);
      assert.equal(revoked.status, 200);
      assert.equal(typeof revoked.json.revokedAt, 'number');

      const after = await ctx.t.request('GET', '/api/keys', { key });
      assert.equal(after.status, 401);
      assert.equal(after.json.code, 'auth.unauthorized');
    });

    it('stores only a hash of each key', async () => {
      const created = await ctx.t.request('POST', '/api/keys', { body: { name: 'hash-check' } });
      const { key, apiKey } = created.json;
      const row = await ctx.t.server.database.db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', apiKey.id)
        .executeTakeFirstOrThrow();
      assert.match(row.key_hash, /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(row).includes(key.slice(25)), 'the secret is not stored');
    });

    it('answers 404 entity.not_exists_with_id when revoking an unknown key', async () => {
      const res = await ctx.t.request('DELETE', '/api/keys/aaaaaaaaaaaaaaaaaaaaa');
      assert.equal(res.status, 404);
      assert.equal(res.json.code, 'entity.not_exists_with_id');
    });
  });
}
