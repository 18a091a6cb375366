import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { assertNoOpenServers } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

for (const store of stores) {
  describe(`OpenAPI (${store})`, () => {
    const ctx = useServer(store);

    it('serves a valid OpenAPI 3.1 document at /api/swagger.json without a key', async () => {
      const res = await ctx.t.request('GET', '/api/swagger.json', { key: null });
      assert.equal(res.status, 200);
      const validator = new Validator();
      const result = await validator.validate(res.json);
      assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
      assert.equal(validator.version, '3.1');
    });

    it('documents every route with a response schema and marks the public ones', async () => {
      const doc = (await ctx.t.request('GET', '/api/swagger.json', { key: null })).json;
      const paths = doc.paths as Record<
        string,
        Record<string, { responses?: Record<string, unknown>; security?: unknown[] }>
      >;
      for (const path of [
        '/api/status',
        '/api/keys',
        '/api/keys/{id}',
        '/api/sync-hooks',
        '/api/sync-hooks/{id}',
        '/api/sync-hooks/{id}/signing-key',
        '/api/sync-hooks/{id}/test',
        '/api/sync-hooks/{id}/calls',
        '/api/listeners',
        '/api/listeners/{id}/stream',
        '/api/listeners/{id}/results',
        '/api/deliveries',
        '/api/deliveries/recover',
      ])
        assert.ok(paths[path], `${path} documented`);
      assert.ok(doc.components.schemas.SyncHook && doc.components.schemas.SyncHookCall, 'sync hook shapes are named');
      // A synchronous hook's deny (403) and failure (503) are documented where they can happen.
      for (const [path, method] of [
        ['/api/experience/identification', 'post'],
        ['/api/experience/submit', 'post'],
        ['/api/users', 'post'],
      ] as const) {
        const codes = Object.keys(paths[path]?.[method]?.responses ?? {});
        assert.ok(codes.includes('403') && codes.includes('503'), `${method} ${path}: ${codes}`);
      }
      for (const [path, operations] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const codes = Object.keys(operation.responses ?? {});
          assert.ok(
            codes.some((c) => c.startsWith('2')),
            `${method} ${path} has a success response schema`,
          );
        }
      }
      assert.deepEqual(paths['/api/status']?.get?.security, []);
      assert.equal(
        paths['/api/keys']?.get?.security,
        undefined,
        'protected routes inherit the global bearer requirement',
      );
      assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
      assert.ok(doc.components.schemas.ErrorBody, 'the error body is a named component');
    });

    it('renders the API reference at /api/docs without a key', async () => {
      const res = await fetch(`${ctx.t.url}/api/docs`, { redirect: 'follow' });
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /swagger-ui/i);
    });
  });
}
