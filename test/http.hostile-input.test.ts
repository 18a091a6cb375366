/**
 * Every documented route, fed malformed input: it must answer with a 4xx and an error code, never a
 * 500, on both stores. Routes and their body schemas come from the OpenAPI document itself, so a new
 * route is covered the day it is added.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoOpenServers } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const WEIRD_IDS = ['aaaaaaaaaaaaaaaaaaaaa', 'x'.repeat(300), '%00nul', "' or 1=1 --", '..%2F..%2Fetc'];
const WEIRD_VALUES: unknown[] = [
  null,
  12345678901234567890,
  -1,
  1.5,
  true,
  '',
  'x'.repeat(5000),
  '\u0000',
  [],
  {},
  [{}],
  { $gt: '' },
  'a\u0000b',
];
const WEIRD_BODIES = [
  '[]',
  '"text"',
  '42',
  'null',
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"x": 1}}}',
];

interface Operation {
  method: string;
  path: string;
  properties: string[];
}

for (const store of stores) {
  describe(`hostile input (${store})`, () => {
    const ctx = useServer(store);
    let operations: Operation[] = [];
    before(async () => {
      const doc = (await ctx.t.request('GET', '/api/swagger.json', { key: null })).json;
      operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          properties: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
        })),
      );
    });

    it('refuses a body nested deeper than 64 levels (400), and a user stored 64 deep reads back', async () => {
      const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      for (const depth of [65, 3_500, 100_000]) {
        const res = await ctx.t.request('POST', '/api/users', {
          rawBody: `{"username":"deep${depth}","customData":${nested(depth - 1)}}`,
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(res.status, 400, `${depth}: ${res.text.slice(0, 200)}`);
        assert.equal(res.json.code, 'guard.invalid_input');
      }
      const ok = await ctx.t.request('POST', '/api/users', {
        rawBody: `{"username":"deep64","customData":${nested(63)}}`,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(ok.status, 200, ok.text.slice(0, 200));
      const read = await ctx.t.request('GET', `/api/users/${ok.json.id}`);
      assert.equal(read.status, 200);
      assert.equal(JSON.stringify(read.json.customData), nested(63));
    });

    it('answers every route’s malformed input with a 4xx and a code, never a 500', async () => {
      assert.ok(operations.length > 40, `${operations.length} operations`);
      let requests = 0;
      for (const op of operations) {
        if (op.path === '/api/docs' || op.path.startsWith('/api/docs/')) continue;
        for (const id of WEIRD_IDS) {
          const path = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id).replace(/%25/g, '%'));
          const bodies: (string | undefined)[] = ['POST', 'PUT', 'PATCH'].includes(op.method)
            ? [...WEIRD_BODIES]
            : [undefined];
          if (['POST', 'PUT', 'PATCH'].includes(op.method)) {
            for (const property of op.properties)
              for (const value of WEIRD_VALUES) bodies.push(JSON.stringify({ [property]: value }));
          }
          for (const body of bodies) {
            const res = await ctx.t.request(
              op.method,
              path,
              body === undefined ? {} : { rawBody: body, headers: { 'content-type': 'application/json' } },
            );
            requests++;
            assert.ok(res.status < 500, `${op.method} ${path} ${body ?? ''} → ${res.status} ${res.text}`);
            if (res.status >= 400) assert.equal(typeof res.json?.code, 'string', `${op.method} ${path} → ${res.text}`);
          }
          if (!op.path.includes('{')) break;
        }
      }
      assert.ok(requests > 500, `${requests} requests`);
    });
  });
}
