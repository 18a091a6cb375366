import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { CONSOLE_DIST, ensureConsoleBuilt } from './helpers/console.ts';
import { assertNoOpenServers, startTestServer } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

describe('the console at /console', () => {
  before(() => ensureConsoleBuilt());
  const ctx = useServer(stores[0]!);

  it('answers the app without a key, with a CSP that allows only its own files and no framing', async () => {
    for (const path of ['/console', '/console/', '/console/hooks/abc/deliveries']) {
      const res = await ctx.t.request('GET', path, { key: null });
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(res.text, /<div id="root"><\/div>/);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'.*frame-ancestors 'none'/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('cache-control'), 'no-cache');
    }
  });

  it('serves each built asset with its type and a long cache; an unknown asset is 404, not the app', async () => {
    const assets = readdirSync(join(CONSOLE_DIST, 'assets'));
    const script = assets.find((a) => a.endsWith('.js'));
    const style = assets.find((a) => a.endsWith('.css'));
    const js = await ctx.t.request('GET', `/console/assets/${script}`, { key: null });
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    const css = await ctx.t.request('GET', `/console/assets/${style}`, { key: null });
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal((await ctx.t.request('GET', '/console/assets/index-old.js', { key: null })).status, 404);
    assert.equal((await ctx.t.request('GET', '/console/assets/../../package.json', { key: null })).status, 404);
    const traversal = await ctx.t.request('GET', '/console/..%2f..%2fpackage.json', { key: null });
    assert.ok(!traversal.text.includes('"devDependencies"'), 'no file outside the build is ever answered');
  });

  it('sends the files gzipped to a client that accepts gzip, and as they are otherwise', async () => {
    const script = readdirSync(join(CONSOLE_DIST, 'assets')).find((a) => a.endsWith('.js'))!;
    const original = readFileSync(join(CONSOLE_DIST, 'assets', script));
    const raw = (path: string, acceptEncoding?: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const req = httpGet(
          `${ctx.t.url}${path}`,
          { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
      });
    const zipped = await raw(`/console/assets/${script}`, 'gzip, deflate, br');
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'accept-encoding');
    assert.ok(zipped.body.length < original.length / 2, `${zipped.body.length} of ${original.length} bytes`);
    assert.deepEqual(gunzipSync(zipped.body), original);
    for (const accept of [undefined, 'identity', 'gzip;q=0, identity']) {
      const plain = await raw(`/console/assets/${script}`, accept);
      assert.equal(plain.headers['content-encoding'], undefined, String(accept));
      assert.deepEqual(plain.body, original);
    }
    const page = await raw('/console/hooks', 'gzip');
    assert.equal(page.headers['content-encoding'], 'gzip');
    assert.match(gunzipSync(page.body).toString('utf8'), /<div id="root">/);
  });

  it('is not part of the API document', async () => {
    const doc = (await ctx.t.request('GET', '/api/swagger.json', { key: null })).json;
    assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/console')));
  });
});

describe('HERALD_CONSOLE_DIR', () => {
  it('an unbuilt console answers 503 with how to build it; off serves none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'herald-console-'));
    const unbuilt = await startTestServer(stores[0]!, { HERALD_CONSOLE_DIR: empty });
    try {
      const res = await unbuilt.request('GET', '/console', { key: null });
      assert.equal(res.status, 503);
      assert.match(res.text, /npm run build:console/);
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
    const off = await startTestServer(stores[0]!, { HERALD_CONSOLE_DIR: 'off' });
    try {
      assert.equal((await off.request('GET', '/console', { key: null })).status, 404);
    } finally {
      await off.close();
    }
  });
});
