/**
 * hostile — fast-check drives every documented route (Management and Experience API) with
 * malformed JSON, wrong types, huge strings and arrays, deep nesting, prototype-pollution keys,
 * invalid UTF-8 and odd ids; then header injection through hook custom headers and hooks aimed at
 * internal addresses. No 500, no crash, every list still readable afterwards, no injected header
 * reaching a receiver, no request reaching an internal address.
 */
import fc from 'fast-check';
import { createBenchDatabase, type Store } from '../../bench/lib/store.ts';
import { BENCH_ADMIN_KEY, startServer } from '../../bench/lib/processes.ts';
import { figure, progress, sleep, startChaosReceiver } from '../lib.ts';
import { CHAOS_ENV } from './crash.ts';

const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

function deep(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** Raw bodies: JSON text, or bytes that are not UTF-8, or not JSON at all. */
function bodies(properties: string[]): fc.Arbitrary<string | Buffer> {
  const key = fc.oneof(fc.constantFrom(...properties, ...SPECIAL_KEYS), fc.string({ maxLength: 20 }));
  const value = fc.oneof(
    fc.anything({ maxDepth: 4, withNullPrototype: true }),
    fc.string({ minLength: 5000, maxLength: 70_000 }),
    fc.array(fc.string({ maxLength: 30 }), { minLength: 1000, maxLength: 12_000 }),
    fc.constantFrom(
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/',
      'a\r\nInjected: yes',
      '\u0000',
      '\ud800',
    ),
  );
  return fc.oneof(
    fc.dictionary(key, value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
    fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
    fc.integer({ min: 100, max: 3000 }).map((d) => deep(d)),
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((bytes) =>
        Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes.map((b) => b | 0x80)), Buffer.from('"}')]),
      ),
    fc.string({ maxLength: 40 }),
  );
}

/** A nasty string: unicode, NUL, lone surrogates, CRLF, SQL and LIKE metacharacters, long runs. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '%_\\',
    "' or 1=1 --",
    'a\r\nb',
    'Ö@x.com',
    'user@example.com',
    '#fff',
    'http://127.0.0.1/',
  ),
  fc.string({ minLength: 200, maxLength: 3000 }),
);

/**
 * Bodies that pass the schema's shape often enough to reach the services and the store: each
 * property gets a value of its declared type, drawn from nasty ends of that type.
 */
function fromSchema(schema: any, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.constant(null);
  if (schema.anyOf || schema.oneOf)
    return fc.oneof(...(schema.anyOf ?? schema.oneOf).map((s: any) => fromSchema(s, depth + 1)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case 'string':
      return nastyString;
    case 'integer':
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e300));
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0.5, 1e308));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 30 });
    case 'object': {
      const props = Object.entries(schema.properties ?? {}) as [string, any][];
      if (props.length === 0)
        return fc.dictionary(
          fc.oneof(fc.constantFrom(...SPECIAL_KEYS), fc.string({ maxLength: 10 })),
          fc.anything({ maxDepth: 2 }),
          { maxKeys: 5 },
        );
      return fc.record(Object.fromEntries(props.map(([k, v]) => [k, fromSchema(v, depth + 1)])), {
        requiredKeys: schema.required ?? [],
      });
    }
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

const ids = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', '..', '%00', 'x'.repeat(400), "' or 1=1 --", '__proto__'),
);

export async function hostile(store: Store, options: { perRoute: number }) {
  const db = await createBenchDatabase(store);
  const receiver = await startChaosReceiver();
  // The SSRF guard on, the loopback receiver allowed by name: internal addresses stay refused.
  const server = await startServer(db.url, {
    ...CHAOS_ENV,
    HERALD_ALLOW_PRIVATE_NETWORKS: 'false',
    HERALD_ALLOWED_DESTINATIONS: '127.0.0.1/32',
  });
  let requests = 0;
  const failures: string[] = [];
  try {
    const doc = (await fetch(`${server.url}/api/swagger.json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, any>>;
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (path.startsWith('/api/docs')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        const properties = Object.keys(schema?.properties ?? {});
        const shaped = fromSchema(schema ?? { type: 'object' }).map((v) => JSON.stringify(v) ?? 'null');
        const samples = fc.sample(
          fc.tuple(
            ids,
            fc.oneof(
              { arbitrary: shaped, weight: 3 },
              { arbitrary: bodies(properties.length ? properties : ['name']), weight: 1 },
            ),
          ),
          options.perRoute,
        );
        for (const [id, body] of samples) {
          const url = `${server.url}${path.replace(/\{[^}]+\}/g, encodeURIComponent(id) || 'x')}`;
          const hasBody = ['post', 'put', 'patch'].includes(method);
          let res: Response;
          try {
            res = await fetch(url, {
              method: method.toUpperCase(),
              headers: {
                authorization: `Bearer ${BENCH_ADMIN_KEY}`,
                ...(hasBody ? { 'content-type': 'application/json' } : {}),
              },
              body: hasBody ? body : undefined,
            });
          } catch (error) {
            failures.push(`${method.toUpperCase()} ${path}: no answer (${String(error)})`);
            continue;
          }
          requests++;
          const text = await res.text();
          if (res.status >= 500 && res.status !== 501 && res.status !== 503)
            failures.push(`${method.toUpperCase()} ${path} → ${res.status} ${text.slice(0, 200)}`);
        }
      }
      process.stderr.write('.');
    }
    process.stderr.write('\n');
    if (!(await fetch(`${server.url}/api/status`)).ok) failures.push('the server stopped answering');

    // Every list still reads back (no stored row breaks a later read).
    for (const path of [
      '/api/hooks',
      '/api/users',
      '/api/roles',
      '/api/applications',
      '/api/resources',
      '/api/organizations',
      '/api/organization-roles',
      '/api/organization-scopes',
      '/api/organization-invitations',
      '/api/keys',
    ]) {
      const res = await server.api('GET', path);
      requests++;
      if (res.status !== 200) failures.push(`GET ${path} after the fuzzing → ${res.status}`);
    }

    // Header injection through custom headers: refused, and nothing injected reaches a receiver.
    for (const headers of [
      { 'X-Evil': 'a\r\nInjected: yes' },
      { 'X-Evil\r\nInjected': 'yes' },
      { 'X-Ok': 'fine', 'x-ok': 'twice' },
    ]) {
      const res = await server.api('POST', '/api/hooks', {
        name: 'inject',
        events: ['User.Created'],
        config: { url: receiver.url, headers },
      });
      requests++;
      if (res.status !== 400) failures.push(`custom headers ${JSON.stringify(headers)} → ${res.status}`);
    }
    const honest = await server.api('POST', '/api/hooks', {
      name: 'honest',
      events: ['User.Created'],
      config: { url: receiver.url, headers: { 'X-Tenant': 'acme' } },
    });
    // Hooks aimed at internal addresses: their deliveries fail as blocked, nothing is sent.
    const internal = [];
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.1/',
      'http://[::ffff:169.254.169.254]/',
      'http://0x7f000002/',
    ]) {
      const res = await server.api('POST', '/api/hooks', {
        name: 'internal',
        events: ['User.Created'],
        config: { url },
      });
      requests++;
      if (res.status === 201) internal.push(res.json.id as string);
    }
    await server.api('POST', '/api/users', { username: 'hostile_probe' });
    await sleep(3000);
    if (!receiver.arrivals.some(() => true)) failures.push('the honest hook received nothing');
    for (const hookId of internal) {
      const list = (await server.api('GET', `/api/hooks/${hookId}/deliveries`)).json.data as {
        status: string;
        lastError: string | null;
      }[];
      for (const d of list)
        if (d.status !== 'failed' || !String(d.lastError).includes('E_BLOCKED_DESTINATION'))
          failures.push(`internal hook delivery ${d.status} ${d.lastError}`);
    }
    if (honest.status !== 201) failures.push(`honest hook → ${honest.status}`);

    for (const f of failures.slice(0, 15)) progress(`${store}: ${f}`);
    figure('hostile', store, 'requests', requests, 'requests');
    figure('hostile', store, 'failures', failures.length, 'requests');
    return failures.length;
  } finally {
    await server.stop();
    await receiver.close();
    await db.drop();
  }
}
