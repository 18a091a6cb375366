/**
 * herald-webhooks (packages/webhooks), the receiver SDK, as its users get it: imported by its
 * package name (the workspace link to its compiled dist/), and from a packed tarball.
 *
 * - verify/parse against requests signed by Herald's own signer (src/outbound): both schemes, key
 *   rotation's two `v1,` entries, tolerance, tampering, missing headers, raw-body mistakes; and
 *   again where node:crypto is absent, on Web Crypto.
 * - Each adapter (Express, Fastify, Hono on @hono/node-server, a Web Request handler behind
 *   node:http) as a real HTTP server receiving a real Herald's deliveries on every store, and
 *   refusing the same requests once tampered with.
 * - `npm pack`, the tarball installed in a temporary project and imported by plain Node.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { Webhook } from 'standardwebhooks';
import type { EventOf, HeraldEvent } from 'herald-webhooks';
import { prepareRequest } from '../src/outbound/sender.ts';
import { toStandardSecret } from '../src/outbound/sign.ts';
import { assertNoOpenServers, eventually } from './helpers/server.ts';
import { ok, unique, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE_DIR = join(ROOT, 'packages', 'webhooks');

/**
 * `npm install` builds the package (its `prepare`); rebuild it here only when its sources changed
 * since, so this file never tests a stale dist/.
 */
function ensurePackageBuilt(): void {
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
    );
  let built = 0;
  try {
    built = statSync(join(PACKAGE_DIR, 'dist', 'index.js')).mtimeMs;
  } catch {}
  if (built >= newest(join(PACKAGE_DIR, 'src'))) return;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', PACKAGE_DIR], { encoding: 'utf8' });
  assert.equal(result.status, 0, `building packages/webhooks failed:\n${result.stdout}${result.stderr}`);
}
ensurePackageBuilt();
const {
  EVENT_NAMES,
  expressWebhook,
  fastifyWebhook,
  handleWebhook,
  honoWebhook,
  parse,
  verify,
  verifyRequest,
  WebhookVerificationError,
} = await import('herald-webhooks');

const now = () => Math.floor(Date.now() / 1000);
const KEY = 'k3yOfThirtyTwoCharactersAbcdefgh';
const OLD_KEY = 'oldKeyOfThirtyTwoCharactersAbcde';
const OTHER_KEY = 'someOtherKeyOfThirtyTwoCharsXyzw';

const payload = (userId = 'u_1') =>
  JSON.stringify({
    event: 'User.Created',
    createdAt: new Date().toISOString(),
    data: { id: userId, username: 'ada', name: 'Ada Lovelace ✓' },
    path: '/users',
    method: 'POST',
    status: 200,
    hookId: 'hook_1',
  });

/** The headers Herald's own signer (src/outbound/sender.ts) puts on a request. */
function heraldHeaders(
  body: string,
  options: { key?: string; previousKey?: string; timestamp?: number; id?: string } = {},
): Record<string, string> {
  return prepareRequest({
    url: 'http://receiver.test/hook',
    body,
    signingKey: options.key ?? KEY,
    previousSigningKey: options.previousKey,
    webhookId: options.id ?? 'delivery_1',
    timestampSeconds: options.timestamp ?? now(),
  }).headers;
}

/** Without the Standard Webhooks headers: what Logto itself sends. */
function logtoOnly(headers: Record<string, string>): Record<string, string> {
  const { 'webhook-id': _id, 'webhook-timestamp': _ts, 'webhook-signature': _sig, ...rest } = headers;
  return rest;
}

async function refused(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, `a WebhookVerificationError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.name, 'WebhookVerificationError');
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('herald-webhooks: verify and parse', () => {
  it("verifies Herald's Standard Webhooks signature with the signing key or its whsec_ form, whatever the body and headers are given as", async () => {
    const body = payload();
    const headers = heraldHeaders(body, { id: 'delivery_42' });
    const result = await verify(body, headers, KEY);
    assert.equal(result.scheme, 'standard-webhooks');
    assert.equal(result.id, 'delivery_42');
    assert.equal(result.timestamp, Number(headers['webhook-timestamp']));
    assert.equal((await verify(body, headers, toStandardSecret(KEY))).scheme, 'standard-webhooks');

    const bytes = Buffer.from(body, 'utf8');
    const upperCase = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    const arrays = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    for (const [rawBody, given] of [
      [bytes, headers],
      [new Uint8Array(bytes), new Headers(headers)],
      [bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), upperCase],
      [body, arrays],
    ] as const)
      assert.equal((await verify(rawBody, given, KEY)).id, 'delivery_42');

    // A signer other than Herald's: the standardwebhooks package, with the whsec_ form.
    const id = 'msg_from_standardwebhooks';
    const at = new Date();
    const signature = new Webhook(toStandardSecret(KEY)).sign(id, at, body);
    const theirs = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    };
    assert.equal((await verify(body, theirs, KEY)).id, id);
  });

  it("verifies Logto's logto-signature-sha-256 when the Standard Webhooks headers are absent (no timestamp in that scheme)", async () => {
    const body = payload();
    const headers = logtoOnly(heraldHeaders(body, { timestamp: now() - 86_400 }));
    assert.deepEqual(await verify(body, headers, KEY), { scheme: 'logto', id: undefined, timestamp: undefined });
    assert.equal((await verify(body, headers, toStandardSecret(KEY))).scheme, 'logto');
    const upper = { ...headers, 'logto-signature-sha-256': headers['logto-signature-sha-256']!.toUpperCase() };
    assert.equal((await verify(body, upper, KEY)).scheme, 'logto');
    await refused(verify(body, headers, OTHER_KEY), 'bad_signature', /logto-signature-sha-256 does not match/);
    await refused(verify(body.replace('ada', 'eve'), headers, KEY), 'bad_signature');
    await refused(verify(body, { ...headers, 'logto-signature-sha-256': 'not-hex' }, KEY), 'bad_signature');
  });

  it("during a rotation's grace period (two v1 entries) either key verifies, a third does not", async () => {
    const body = payload();
    const headers = heraldHeaders(body, { key: KEY, previousKey: OLD_KEY });
    const entries = headers['webhook-signature']!.split(' ');
    assert.equal(entries.length, 2);
    assert.ok(entries.every((entry) => entry.startsWith('v1,')));
    assert.equal((await verify(body, headers, KEY)).scheme, 'standard-webhooks');
    assert.equal((await verify(body, headers, OLD_KEY)).scheme, 'standard-webhooks');
    assert.equal((await verify(body, headers, toStandardSecret(OLD_KEY))).scheme, 'standard-webhooks');
    await refused(verify(body, headers, OTHER_KEY), 'bad_signature', /2 checked/);
    // A receiver rotating on its side gives both; any one verifying is enough.
    assert.equal((await verify(body, headers, [OTHER_KEY, OLD_KEY])).scheme, 'standard-webhooks');
    await refused(verify(body, headers, [OTHER_KEY, 'yetAnotherKeyOfThirtyTwoCharsXy']), 'bad_signature');
    // Entries joined by ", " (a repeated header, as Node and fetch join them) still count one by one.
    const joined = { ...headers, 'webhook-signature': entries.join(', ') };
    assert.equal((await verify(body, joined, OLD_KEY)).scheme, 'standard-webhooks');
    const asArray = { ...headers, 'webhook-signature': entries };
    assert.equal((await verify(body, asArray, OLD_KEY)).scheme, 'standard-webhooks');
    // Logto's signature is made with the new key only, as in Herald's README.
    await refused(verify(body, logtoOnly(headers), OLD_KEY), 'bad_signature');
    assert.equal((await verify(body, logtoOnly(headers), KEY)).scheme, 'logto');
  });

  it('refuses a timestamp outside the tolerance either way (default 300 s), and one that is not seconds', async () => {
    const body = payload();
    assert.ok(await verify(body, heraldHeaders(body, { timestamp: now() - 290 }), KEY));
    assert.ok(await verify(body, heraldHeaders(body, { timestamp: now() + 290 }), KEY));
    await refused(verify(body, heraldHeaders(body, { timestamp: now() - 400 }), KEY), 'stale_timestamp', /300 s/);
    await refused(verify(body, heraldHeaders(body, { timestamp: now() + 400 }), KEY), 'future_timestamp', /300 s/);
    await refused(
      verify(body, heraldHeaders(body, { timestamp: now() - 30 }), KEY, { toleranceSeconds: 10 }),
      'stale_timestamp',
      /10 s tolerance/,
    );
    await refused(
      verify(body, heraldHeaders(body, { timestamp: now() + 30 }), KEY, { toleranceSeconds: 10 }),
      'future_timestamp',
    );
    assert.ok(await verify(body, heraldHeaders(body, { timestamp: now() - 4000 }), KEY, { toleranceSeconds: 5000 }));
    assert.ok(
      await verify(body, heraldHeaders(body, { timestamp: now() - 10_000_000 }), KEY, { toleranceSeconds: Infinity }),
    );
    const headers = heraldHeaders(body);
    await refused(verify(body, { ...headers, 'webhook-timestamp': 'yesterday' }, KEY), 'invalid_timestamp');
    await refused(verify(body, { ...headers, 'webhook-timestamp': '1.5e9' }, KEY), 'invalid_timestamp');
    await assert.rejects(verify(body, headers, KEY, { toleranceSeconds: -1 }), TypeError);
    // The signature covers the timestamp: moving it back into the window does not help a replay.
    const old = heraldHeaders(body, { timestamp: now() - 3600 });
    await refused(verify(body, { ...old, 'webhook-timestamp': String(now()) }, KEY), 'bad_signature');
  });

  it('refuses a tampered body, webhook-id or signature', async () => {
    const body = payload();
    const headers = heraldHeaders(body);
    await refused(verify(body.replace('u_1', 'u_2'), headers, KEY), 'bad_signature', /matches the secret/);
    await refused(verify(`${body} `, headers, KEY), 'bad_signature');
    await refused(verify(body, { ...headers, 'webhook-id': 'delivery_2' }, KEY), 'bad_signature');
    const [, mac] = headers['webhook-signature']!.split(',');
    const flipped = `v1,${mac!.startsWith('A') ? 'B' : 'A'}${mac!.slice(1)}`;
    await refused(verify(body, { ...headers, 'webhook-signature': flipped }, KEY), 'bad_signature');
    await refused(verify(body, { ...headers, 'webhook-signature': `v2,${mac}` }, KEY), 'bad_signature', /no valid/);
    await refused(verify(body, { ...headers, 'webhook-signature': 'v1,!!!' }, KEY), 'bad_signature');
    await refused(verify(body, headers, OTHER_KEY), 'bad_signature');
  });

  it('names a missing header, and picks Standard Webhooks as soon as one of its headers is there', async () => {
    const body = payload();
    const headers = heraldHeaders(body);
    await refused(verify(body, {}, KEY), 'missing_header', /logto-signature-sha-256/);
    await refused(verify(body, new Headers(), KEY), 'missing_header');
    const { 'webhook-timestamp': _ts, ...noTimestamp } = headers;
    await refused(verify(body, noTimestamp, KEY), 'missing_header', /^webhook-timestamp missing/);
    await refused(
      verify(body, { 'webhook-signature': headers['webhook-signature']! }, KEY),
      'missing_header',
      /webhook-id and webhook-timestamp missing/,
    );
  });

  it('refuses a body that is not the raw one, and a missing or malformed secret, as the receiver’s mistakes (500)', async () => {
    const body = payload();
    const headers = heraldHeaders(body);
    for (const notRaw of [JSON.parse(body), undefined, null, 42]) {
      await assert.rejects(verify(notRaw, headers, KEY), (error: unknown) => {
        assert.ok(error instanceof WebhookVerificationError);
        assert.equal(error.code, 'body_not_raw');
        assert.equal(error.status, 500);
        return true;
      });
    }
    await refused(parse(JSON.parse(body), headers, KEY), 'body_not_raw', /parsed object/);
    for (const secret of ['', undefined, [], [KEY, undefined]] as unknown as string[])
      await refused(verify(body, headers, secret), 'missing_secret');
    await refused(verify(body, headers, 'whsec_***'), 'invalid_secret');
  });

  it('parse resolves with the event typed by its name; verified bodies that are not an event are refused', async () => {
    const body = payload('u_typed');
    const event: HeraldEvent = await parse(body, heraldHeaders(body), KEY);
    assert.equal(event.event, 'User.Created');
    if (event.event !== 'User.Created') throw new Error('not narrowed');
    const created: EventOf<'User.Created'> = event;
    assert.equal(created.data.id, 'u_typed');
    assert.equal(created.hookId, 'hook_1');
    assert.ok(EVENT_NAMES.includes('User.Created'));
    assert.ok(EVENT_NAMES.includes('PostSignIn'));

    await refused(parse('not json', heraldHeaders('not json'), KEY), 'invalid_payload', /not JSON/);
    await refused(parse('[1]', heraldHeaders('[1]'), KEY), 'invalid_payload', /not a JSON object/);
    await refused(parse('{"a":1}', heraldHeaders('{"a":1}'), KEY), 'invalid_payload', /no `event`/);
    const tampered = body.replace('u_typed', 'u_forged');
    await refused(parse(tampered, heraldHeaders(body), KEY), 'bad_signature');
  });

  it('verifyRequest reads a fetch Request once, and refuses one whose body was already read', async () => {
    const body = payload('u_request');
    const request = () =>
      new Request('http://receiver.test/hook', { method: 'POST', headers: heraldHeaders(body), body });
    const event = await verifyRequest(request(), toStandardSecret(KEY));
    assert.equal(event.event, 'User.Created');
    const used = request();
    await used.text();
    await refused(verifyRequest(used, KEY), 'body_not_raw', /already read/);
  });

  it('the Express middleware serves plain node:http too: 204, 401 when tampered, 500 when the handler throws', async () => {
    const handled: string[] = [];
    const middleware = expressWebhook(KEY, (event) => {
      if (event.event !== 'User.Created') return;
      if (event.data.id === 'u_boom') throw new Error('the handler failed');
      handled.push(event.data.id);
    });
    const server = createServer((req, res) => middleware(req, res));
    const base = await listen(server);
    try {
      const body = payload('u_http');
      assert.equal((await post(base, heraldHeaders(body), body)).status, 204);
      const tampered = await post(base, heraldHeaders(body), body.replace('u_http', 'u_evil'));
      assert.equal(tampered.status, 401);
      assert.equal(tampered.json.code, 'bad_signature');
      const boom = payload('u_boom');
      assert.equal((await post(base, heraldHeaders(boom), boom)).status, 500);
      assert.deepEqual(handled, ['u_http']);
    } finally {
      await closeServer(server);
    }
  });

  it('verifies on Web Crypto where node:crypto is absent (process.getBuiltinModule removed)', () => {
    // The child signs with node:crypto, imported before the SDK loses sight of it, and counts the
    // calls to crypto.subtle.verify (the real one runs) to show which path verified.
    const script = `
      import { createHmac } from 'node:crypto';
      delete process.getBuiltinModule;
      const subtle = globalThis.crypto.subtle;
      const realVerify = subtle.verify.bind(subtle);
      let calls = 0;
      subtle.verify = (...args) => { calls++; return realVerify(...args); };
      const { verify, WebhookVerificationError } = await import('herald-webhooks');
      const KEY = ${JSON.stringify(KEY)}, OLD = ${JSON.stringify(OLD_KEY)}, OTHER = ${JSON.stringify(OTHER_KEY)};
      const body = JSON.stringify({ event: 'User.Created', createdAt: new Date().toISOString(), data: { id: 'u_web' } });
      const ts = String(Math.floor(Date.now() / 1000));
      const v1 = (key) => 'v1,' + createHmac('sha256', key).update('d_1.' + ts + '.' + body).digest('base64');
      const standard = { 'webhook-id': 'd_1', 'webhook-timestamp': ts, 'webhook-signature': v1(KEY) + ' ' + v1(OLD) };
      const logto = { 'logto-signature-sha-256': createHmac('sha256', KEY).update(body).digest('hex') };
      const code = (p) => p.then(() => 'ok', (e) => e instanceof WebhookVerificationError ? e.code : String(e));
      const whsec = 'whsec_' + Buffer.from(KEY).toString('base64');
      const out = {
        newKey: await code(verify(body, standard, KEY)),
        oldKey: await code(verify(body, standard, OLD)),
        whsec: await code(verify(new TextEncoder().encode(body), new Headers(standard), whsec)),
        otherKey: await code(verify(body, standard, OTHER)),
        logto: await code(verify(body, logto, KEY)),
        logtoTampered: await code(verify(body + ' ', logto, KEY)),
        movedTimestamp: await code(verify(body, { ...standard, 'webhook-timestamp': String(Number(ts) - 3600) }, KEY)),
      };
      out.subtleCalls = calls;
      console.log(JSON.stringify(out));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.deepEqual(
      { ...out, subtleCalls: undefined },
      {
        newKey: 'ok',
        oldKey: 'ok',
        whsec: 'ok',
        otherKey: 'bad_signature',
        logto: 'ok',
        logtoTampered: 'bad_signature',
        movedTimestamp: 'bad_signature',
        subtleCalls: undefined,
      },
    );
    assert.ok(out.subtleCalls >= 7, `crypto.subtle.verify ran ${out.subtleCalls} time(s)`);
  });
});

// ---- the adapters, as real HTTP servers ----

interface Captured {
  headers: Record<string, string>;
  body: Buffer;
}

interface Adapter {
  readonly name: string;
  /** The server's origin. */
  readonly base: string;
  /** Where Herald's hook points. */
  readonly url: string;
  /** Other routes of the same server taking the same requests another way. */
  readonly otherUrls: string[];
  /** The status the adapter answers an accepted delivery with. */
  readonly acceptedStatus: number;
  /** Events the handler got (typed). */
  readonly accepted: HeraldEvent[];
  /** Requests as they reached the server, before the adapter: headers and raw body. */
  readonly captured: Captured[];
  close(): Promise<void>;
}

/** The headers worth replaying: the signed ones and the content type. */
function replayable(headers: IncomingHttpHeaders | Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [
    'content-type',
    'logto-signature-sha-256',
    'webhook-id',
    'webhook-timestamp',
    'webhook-signature',
  ]) {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Express: express.raw() then the middleware on /hook; the middleware reading the stream itself on /stream. */
async function startExpress(secret: string): Promise<Adapter> {
  const accepted: HeraldEvent[] = [];
  const captured: Captured[] = [];
  const app = express();
  app.post(
    '/hook',
    express.raw({ type: '*/*' }),
    (req, _res, next) => {
      captured.push({ headers: replayable(req.headers), body: Buffer.from(req.body as Buffer) });
      next();
    },
    expressWebhook(secret, (event) => {
      accepted.push(event);
    }),
  );
  app.post(
    '/stream',
    expressWebhook(secret, (event) => {
      accepted.push(event);
    }),
  );
  // Two receivers set up wrong: a JSON parser first, and a body limit below any delivery's size.
  const refuse = (event: HeraldEvent) => {
    throw new Error(`handed on ${event.event}`);
  };
  app.post('/after-json', express.json({ type: '*/*' }), expressWebhook(secret, refuse));
  app.post('/small', expressWebhook(secret, refuse, { maxBodyBytes: 16 }));
  const server = createServer(app);
  const base = await listen(server);
  return {
    name: 'express',
    base,
    url: `${base}/hook`,
    otherUrls: [`${base}/stream`],
    acceptedStatus: 204,
    accepted,
    captured,
    close: () => closeServer(server),
  };
}

/** Fastify: the plugin on /hook; a preParsing hook of the app copies the raw body on its way in. */
async function startFastify(secret: string): Promise<Adapter> {
  const accepted: HeraldEvent[] = [];
  const captured: Captured[] = [];
  const app = Fastify({ logger: false });
  app.addHook('preParsing', async (request, _reply, payload) => {
    const chunks: Buffer[] = [];
    for await (const chunk of payload) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    captured.push({ headers: replayable(request.headers), body });
    return Readable.from([body]);
  });
  // The app's own JSON parser stays in force outside the plugin.
  app.post('/json', async (request) => ({ parsed: typeof request.body }));
  await app.register(fastifyWebhook, {
    prefix: '/fastify',
    path: '/hook',
    secret,
    handler: (event) => {
      accepted.push(event);
      return { received: event.event };
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    name: 'fastify',
    base,
    url: `${base}/fastify/hook`,
    otherUrls: [],
    acceptedStatus: 200,
    accepted,
    captured,
    close: () => app.close(),
  };
}

/** Hono on @hono/node-server: a middleware copies the body from a clone, then the handler. */
async function startHono(secret: string): Promise<Adapter> {
  const accepted: HeraldEvent[] = [];
  const captured: Captured[] = [];
  const app = new Hono();
  app.post(
    '/hook',
    async (c, next) => {
      captured.push({
        headers: replayable(c.req.raw.headers),
        body: Buffer.from(await c.req.raw.clone().arrayBuffer()),
      });
      await next();
    },
    honoWebhook(secret, (event) => {
      accepted.push(event);
      return new Response('accepted', { status: 202 });
    }),
  );
  // Set up wrong: something reads the body before the webhook handler.
  app.post(
    '/after-json',
    async (c, next) => {
      await c.req.json();
      await next();
    },
    honoWebhook(secret, () => new Response('handed on', { status: 200 })),
  );
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  const base = await listen(server);
  return {
    name: 'hono',
    base,
    url: `${base}/hook`,
    otherUrls: [],
    acceptedStatus: 202,
    accepted,
    captured,
    close: () => closeServer(server),
  };
}

/** handleWebhook, a Web `(Request) => Response` handler, served through node:http by a small bridge. */
async function startWeb(secret: string): Promise<Adapter> {
  const accepted: HeraldEvent[] = [];
  const captured: Captured[] = [];
  const handle = handleWebhook(secret, (event) => {
    accepted.push(event);
  });
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method ?? 'POST',
        headers,
        body: Buffer.concat(chunks),
      });
      captured.push({ headers: replayable(request.headers), body: Buffer.from(await request.clone().arrayBuffer()) });
      const response = await handle(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  const base = await listen(server);
  return {
    name: 'web',
    base,
    url: `${base}/hook`,
    otherUrls: [],
    acceptedStatus: 204,
    accepted,
    captured,
    close: () => closeServer(server),
  };
}

async function post(url: string, headers: Record<string, string>, body: Buffer | string) {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: res.status, json, text };
}

const createdIn = (events: HeraldEvent[], userId: string) =>
  events.find((e) => e.event === 'User.Created' && e.data.id === userId);

for (const store of stores) {
  describe(`herald-webhooks adapters receiving Herald's deliveries (${store})`, () => {
    const ctx = useServer(store);
    interface Running {
      adapter: Adapter;
      hook: { id: string; signingKey: string; standardSigningKey: string };
      secret: string;
    }
    const running: Running[] = [];

    before(async () => {
      const starters = [
        { start: startExpress, secretForm: 'signingKey' },
        { start: startFastify, secretForm: 'standardSigningKey' },
        { start: startHono, secretForm: 'signingKey' },
        { start: startWeb, secretForm: 'standardSigningKey' },
      ] as const;
      for (const { start, secretForm } of starters) {
        // The hook first (its key is the adapter's secret), disabled until the adapter listens.
        const created = await ctx.t.request('POST', '/api/hooks', {
          body: {
            name: `sdk-${start.name}`,
            events: ['User.Created'],
            config: { url: 'http://127.0.0.1:9/not-yet' },
            enabled: false,
          },
        });
        assert.equal(created.status, 201, created.text);
        const hook = created.json;
        const secret: string = hook[secretForm];
        const adapter = await start(secret);
        running.push({ adapter, hook, secret });
        const patched = await ctx.t.request('PATCH', `/api/hooks/${hook.id}`, {
          body: { config: { url: adapter.url }, enabled: true },
        });
        assert.equal(patched.status, 200, patched.text);
      }
    });
    after(async () => {
      for (const { adapter } of running) await adapter.close();
    });

    /** Creates a user through Logto's Management API and waits until every adapter accepted its User.Created. */
    async function createUserEverywhere(): Promise<{ id: string }> {
      const user = ok<{ id: string }>(await ctx.api.POST('/api/users', { body: { username: unique('sdk_user') } }));
      for (const { adapter } of running)
        await eventually(async () => createdIn(adapter.accepted, user.id), 15_000).catch(() => {
          throw new Error(`${adapter.name} did not accept User.Created of ${user.id}`);
        });
      return user;
    }

    /** The request Herald sent to `adapter` for the user, as it arrived. */
    function capturedFor(adapter: Adapter, userId: string): Captured {
      const found = adapter.captured.find((c) => JSON.parse(c.body.toString('utf8')).data?.id === userId);
      assert.ok(found, `${adapter.name} captured no request for ${userId}`);
      return found;
    }

    it('each adapter verifies a real delivery, hands on the typed event, and Herald records the success', async () => {
      const user = await createUserEverywhere();
      for (const { adapter, hook } of running) {
        const event = createdIn(adapter.accepted, user.id);
        assert.ok(event, adapter.name);
        assert.equal(event.event, 'User.Created');
        assert.equal(event.data.id, user.id, `${adapter.name}: event.data.id`);
        assert.equal(event.hookId, hook.id, `${adapter.name}: event.hookId`);
        assert.match(event.createdAt, /^\d{4}-\d\d-\d\dT/);
        const sent = capturedFor(adapter, user.id);
        assert.ok(sent.headers['webhook-signature']?.startsWith('v1,'), `${adapter.name}: Standard Webhooks headers`);
        assert.ok(sent.headers['logto-signature-sha-256'], `${adapter.name}: Logto's header`);

        const delivery = await eventually(async () => {
          const res = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries`);
          assert.equal(res.status, 200, res.text);
          return res.json.data.find((d: any) => d.event === 'User.Created' && d.status === 'succeeded');
        });
        assert.equal(delivery.lastStatusCode, adapter.acceptedStatus, `${adapter.name}: the status Herald saw`);
      }
    });

    it('each adapter refuses the same delivery tampered with (401), accepts it replayed intact, on both schemes', async () => {
      const user = await createUserEverywhere();
      for (const { adapter } of running) {
        const genuine = capturedFor(adapter, user.id);
        const tamperedBody = Buffer.from(genuine.body.toString('utf8').replace(user.id, 'forged_user'));
        assert.notDeepEqual(tamperedBody, genuine.body);
        for (const url of [adapter.url, ...adapter.otherUrls]) {
          const where = `${adapter.name} ${new URL(url).pathname}`;
          const before = adapter.accepted.length;

          const intact = await post(url, genuine.headers, genuine.body);
          assert.equal(intact.status, adapter.acceptedStatus, `${where}: intact replay ${intact.text}`);

          const tampered = await post(url, genuine.headers, tamperedBody);
          assert.equal(tampered.status, 401, `${where}: tampered ${tampered.text}`);
          assert.equal(tampered.json?.code, 'bad_signature', where);
          assert.match(tampered.json?.message, /matches the secret/, where);

          const logto = logtoOnly(genuine.headers);
          const logtoIntact = await post(url, logto, genuine.body);
          assert.equal(logtoIntact.status, adapter.acceptedStatus, `${where}: Logto scheme ${logtoIntact.text}`);
          const logtoTampered = await post(url, logto, tamperedBody);
          assert.equal(logtoTampered.status, 401, `${where}: Logto scheme tampered ${logtoTampered.text}`);
          assert.equal(logtoTampered.json?.code, 'bad_signature', where);

          const { 'logto-signature-sha-256': _logto, ...standardOnly } = genuine.headers;
          const { 'webhook-signature': _sig, ...unsigned } = standardOnly;
          const missing = await post(url, unsigned, genuine.body);
          assert.equal(missing.status, 400, `${where}: missing header ${missing.text}`);
          assert.equal(missing.json?.code, 'missing_header', where);

          const moved = await post(
            url,
            { ...genuine.headers, 'webhook-timestamp': String(now() - 3600) },
            genuine.body,
          );
          assert.equal(moved.status, 401, `${where}: moved timestamp ${moved.text}`);

          assert.equal(adapter.accepted.length, before + 2, `${where}: only the intact requests were handed on`);
          assert.ok(!adapter.accepted.some((e) => e.event === 'User.Created' && e.data.id === 'forged_user'), where);
        }
      }
    });

    it('Fastify: the plugin keeps raw bodies in its own context only; the app still parses JSON elsewhere', async () => {
      const fastify = running.find((r) => r.adapter.name === 'fastify')!.adapter;
      const res = await post(`${fastify.base}/json`, { 'content-type': 'application/json' }, '{}');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { parsed: 'object' });
    });

    it('a receiver set up wrong answers 500 body_not_raw (a parser read the body) or 413 (over maxBodyBytes), handing nothing on', async () => {
      const user = await createUserEverywhere();
      for (const [name, path, status, code] of [
        ['express', '/after-json', 500, 'body_not_raw'],
        ['hono', '/after-json', 500, 'body_not_raw'],
        ['express', '/small', 413, 'body_too_large'],
      ] as const) {
        const adapter = running.find((r) => r.adapter.name === name)!.adapter;
        const genuine = capturedFor(adapter, user.id);
        const res = await post(`${adapter.base}${path}`, genuine.headers, genuine.body);
        assert.equal(res.status, status, `${name} ${path}: ${res.text}`);
        assert.equal(res.json?.code, code, `${name} ${path}`);
      }
    });

    it("after a rotation with a grace period, the adapter still holding the old key accepts Herald's two-entry signature", async () => {
      const expressRun = running.find((r) => r.adapter.name === 'express')!;
      const rotated = await ctx.t.request('PATCH', `/api/hooks/${expressRun.hook.id}/signing-key`, {
        body: { gracePeriodSeconds: 600 },
      });
      assert.equal(rotated.status, 200, rotated.text);
      const newKey: string = rotated.json.signingKey;
      assert.notEqual(newKey, expressRun.secret);

      const user = await createUserEverywhere();
      const sent = capturedFor(expressRun.adapter, user.id);
      const entries = sent.headers['webhook-signature']!.split(' ');
      assert.equal(entries.length, 2, 'two v1 entries while the grace period lasts');
      assert.equal((await verify(sent.body, sent.headers, newKey)).scheme, 'standard-webhooks');
      assert.equal((await verify(sent.body, sent.headers, expressRun.secret)).scheme, 'standard-webhooks');
      await refused(verify(sent.body, sent.headers, OTHER_KEY), 'bad_signature');
      assert.equal((await verify(sent.body, logtoOnly(sent.headers), newKey)).scheme, 'logto');
    });
  });
}

describe('herald-webhooks from a packed tarball', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-webhooks-pack-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('npm pack builds a dependency-free tarball that plain Node imports and TypeScript types without @types/node', () => {
    const npm = (args: string[], cwd: string) => {
      const result = spawnSync('npm', args, {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, npm_config_audit: 'false' },
      });
      assert.equal(result.status, 0, `npm ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
      return result.stdout;
    };
    // `npm pack` runs the package's `prepare` (a clean tsc build) as publishing would.
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], PACKAGE_DIR));
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts'), files.join(', '));
    assert.ok(files.includes('README.md'));
    assert.ok(
      files.every((f) => f.startsWith('dist/') || f === 'README.md' || f === 'package.json'),
      files.join(', '),
    );

    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--no-fund', '--no-audit', join(dir, packed.filename)], project);
    const installed = JSON.parse(
      spawnSync(process.execPath, ['-p', 'JSON.stringify(require("./node_modules/herald-webhooks/package.json"))'], {
        cwd: project,
        encoding: 'utf8',
      }).stdout,
    );
    assert.equal(installed.dependencies, undefined, 'no runtime dependencies');

    const script = `
      import { createHmac } from 'node:crypto';
      import { verify, parse, EVENT_NAMES, WebhookVerificationError } from 'herald-webhooks';
      const key = 'tarballKeyOfThirtyTwoCharactersX';
      const body = JSON.stringify({ event: 'User.Created', createdAt: new Date().toISOString(), data: { id: 'u_tar' }, hookId: 'h' });
      const ts = Math.floor(Date.now() / 1000);
      const headers = {
        'webhook-id': 'd_tar', 'webhook-timestamp': String(ts),
        'webhook-signature': 'v1,' + createHmac('sha256', key).update('d_tar.' + ts + '.' + body).digest('base64'),
      };
      const event = await parse(Buffer.from(body), headers, key);
      const logto = await verify(body, { 'logto-signature-sha-256': createHmac('sha256', key).update(body).digest('hex') }, key);
      const refused = await verify(body + ' ', headers, key).catch((e) => e instanceof WebhookVerificationError && e.code);
      console.log(JSON.stringify({ id: event.data.id, logto: logto.scheme, refused, known: EVENT_NAMES.includes('User.Created') }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { id: 'u_tar', logto: 'logto', refused: 'bad_signature', known: true });

    // The typings stand alone: no @types/node, no framework types.
    writeFileSync(
      join(project, 'check.ts'),
      [
        "import { parse, handleWebhook, type HeraldEvent, type EventOf } from 'herald-webhooks';",
        'export async function f(body: string, headers: Headers): Promise<string> {',
        "  const event: HeraldEvent = await parse(body, headers, 'key', { toleranceSeconds: 60 });",
        "  if (event.event === 'User.Created') { const e: EventOf<'User.Created'> = event; return e.data.id; }",
        '  return event.event;',
        '}',
        "export const POST = handleWebhook('key', (event) => new Response(event.event));",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          lib: ['es2022', 'dom'],
          types: [],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['check.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
      encoding: 'utf8',
    });
    assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
  });
});
