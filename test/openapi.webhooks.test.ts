/**
 * The OpenAPI document's `webhooks` section (src/http/openapi.ts) against the truth: one entry per
 * event a hook may take, each a `post` whose body schema comes from src/events/schemas.ts, with the
 * signature headers and the delivery's answers. Then, on both stores, a real Herald delivers every
 * event it emits (test/helpers/every-event.ts) and every delivery, body and headers, is validated
 * against the schemas taken from the served document, `$ref`s resolved, with a JSON Schema 2020-12
 * validator (OpenAPI 3.1's dialect). Last, Swagger UI at /api/docs renders the webhooks.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { chromium } from 'playwright-core';
import { HOOK_EVENTS } from '../src/events/index.ts';
import { EVENT_OBJECTS, EVENT_REFERENCE, NEVER_EMITTED_EVENTS } from '../src/events/schemas.ts';
import { EVENT_COMPONENT_PREFIX } from '../src/http/openapi.ts';
import { useEveryEvent } from './helpers/every-event.ts';
import { assertNoOpenServers, startTestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

type Json = any;

/** The value `ref` (`#/a/b`) points to in `doc`. */
function pointer(doc: Json, ref: string): Json {
  assert.ok(ref.startsWith('#/'), `only local references: ${ref}`);
  let node = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    assert.ok(node && typeof node === 'object' && key in node, `${ref} does not resolve`);
    node = node[key];
  }
  return node;
}

/**
 * `schema` with every `$ref` replaced by what it points to in `doc` (a `$ref` with siblings, which
 * JSON Schema 2020-12 applies alongside them, becomes `allOf`). Counts the references it resolved.
 */
function resolveRefs(schema: Json, doc: Json, counter: { refs: number }, seen: readonly string[] = []): Json {
  if (Array.isArray(schema)) return schema.map((s) => resolveRefs(s, doc, counter, seen));
  if (schema === null || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') {
    const { $ref: ref, ...siblings } = schema;
    assert.ok(!seen.includes(ref), `reference cycle through ${ref}`);
    counter.refs++;
    const target = resolveRefs(pointer(doc, ref), doc, counter, [...seen, ref]);
    return Object.keys(siblings).length === 0
      ? target
      : { ...resolveRefs(siblings, doc, counter, seen), allOf: [target] };
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolveRefs(v, doc, counter, seen)]));
}

interface Webhook {
  body: ValidateFunction;
  headers: { name: string; required: boolean; validate: ValidateFunction }[];
}

/** Validators for each webhook of the served document, from its schemas alone. */
function compileWebhooks(doc: Json): { webhooks: Record<string, Webhook>; refs: number } {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats.default(ajv);
  const counter = { refs: 0 };
  const webhooks: Record<string, Webhook> = {};
  for (const [name, item] of Object.entries<Json>(doc.webhooks)) {
    const operation = item.post;
    const schema = resolveRefs(operation.requestBody.content['application/json'].schema, doc, counter);
    webhooks[name] = {
      body: ajv.compile(schema),
      headers: operation.parameters.map((p: Json) => {
        const parameter = resolveRefs(p, doc, counter);
        assert.equal(parameter.in, 'header', `${name}: ${parameter.name} is a header`);
        return { name: parameter.name, required: parameter.required === true, validate: ajv.compile(parameter.schema) };
      }),
    };
  }
  return { webhooks, refs: counter.refs };
}

for (const store of stores) {
  describe(`the OpenAPI document's webhooks, against real deliveries (${store})`, () => {
    const every = useEveryEvent(store);
    let doc: Json;
    before(async () => {
      const res = await every.ctx.t.request('GET', '/api/swagger.json', { key: null });
      assert.equal(res.status, 200);
      doc = res.json;
    });

    it('is a valid OpenAPI 3.1 document with one webhook per event a hook may take', async () => {
      const validator = new Validator();
      const result = await validator.validate(doc);
      assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
      assert.equal(validator.version, '3.1');
      assert.match(doc.openapi, /^3\.1\./);
      assert.deepEqual(
        Object.keys(doc.webhooks),
        EVENT_REFERENCE.map((e) => e.name),
        'every event of the reference, in its order',
      );
      assert.deepEqual(Object.keys(doc.webhooks).sort(), [...HOOK_EVENTS].sort());
      for (const e of EVENT_REFERENCE) {
        const item = doc.webhooks[e.name];
        assert.deepEqual(Object.keys(item), ['post'], `${e.name}: a POST`);
        const operation = item.post;
        assert.equal(operation.summary, e.description);
        assert.ok(operation.description.startsWith(e.firesWhen), `${e.name}: says when it fires`);
        assert.deepEqual(operation.security, [], `${e.name}: signed, not bearer-authenticated`);
        assert.equal(operation.requestBody.required, true);
        assert.deepEqual(Object.keys(operation.requestBody.content), ['application/json']);
        assert.deepEqual(operation.requestBody.content['application/json'].example, e.example);
        assert.ok(operation.responses['2XX'], `${e.name}: 2XX means accepted`);
        assert.deepEqual(
          operation.parameters.map((p: Json) => p.name),
          ['user-agent', 'logto-signature-sha-256', 'webhook-id', 'webhook-timestamp', 'webhook-signature'],
        );
      }
      // The entities are named components, each referenced from the payloads.
      const text = JSON.stringify(doc.webhooks);
      for (const object of EVENT_OBJECTS) {
        const name = `${EVENT_COMPONENT_PREFIX}${(object as { title?: string }).title}`;
        assert.ok(doc.components.schemas[name], `${name} is a component`);
        assert.ok(text.includes(`"#/components/schemas/${name}"`), `${name} is referenced`);
      }
    });

    it("each webhook's example is valid against its schema from the document, and the schemas are not vacuous", () => {
      const { webhooks, refs } = compileWebhooks(doc);
      assert.ok(refs > EVENT_OBJECTS.length, `the payloads reference the entities (${refs} references resolved)`);
      for (const e of EVENT_REFERENCE) {
        const validate = webhooks[e.name]!.body;
        assert.ok(validate(e.example), `${e.name}: ${JSON.stringify(validate.errors)}`);
        assert.equal(validate({ ...e.example, surprise: true }), false, `${e.name}: closed at the top level`);
        assert.equal(validate({ ...e.example, event: 'Something.Else' }), false, `${e.name}: \`event\` is its name`);
      }
      // A referenced entity is checked too: a user without its id is refused.
      const signIn = EVENT_REFERENCE.find((e) => e.name === 'PostSignIn')!;
      const { id: _id, ...user } = signIn.example.user as Record<string, unknown>;
      assert.equal(webhooks.PostSignIn!.body({ ...signIn.example, user }), false, 'the $ref to Event.User is applied');
    });

    it('every event Herald emits is delivered, each body and its headers valid against the served document', async () => {
      await every.produce();
      const received = await every.deliveries();
      const { webhooks } = compileWebhooks(doc);

      const events = new Set(received.map((r) => r.json?.event as string));
      const missing = HOOK_EVENTS.filter((e) => !NEVER_EMITTED_EVENTS.includes(e) && !events.has(e));
      assert.deepEqual(missing, [], `events never received: ${missing.join(', ')}`);

      const invalid: string[] = [];
      for (const request of received) {
        const body = request.json as Record<string, any>;
        assert.equal(request.method, 'POST', 'a webhook is a POST');
        assert.equal(body.hookId, every.ctx.hook.id);
        const webhook = webhooks[body.event as string];
        if (!webhook) {
          invalid.push(`no webhook in the document for ${body.event}`);
          continue;
        }
        if (!webhook.body(body as unknown))
          invalid.push(
            `${body.event} (${body.matchedRoute ?? body.interactionEvent ?? body.phase}): ${JSON.stringify(webhook.body.errors)}\n${request.body}`,
          );
        for (const header of webhook.headers) {
          const value = request.headers[header.name];
          if (value === undefined) {
            if (header.required) invalid.push(`${body.event}: header ${header.name} missing`);
          } else if (!header.validate(value))
            invalid.push(`${body.event}: header ${header.name}: ${value}: ${JSON.stringify(header.validate.errors)}`);
        }
      }
      assert.deepEqual(invalid, [], `${invalid.length} of ${received.length} deliveries do not match the document`);
      const flowsUnseen = every.flows.filter((f) => !received.some((r) => f.matches(r.json))).map((f) => f.what);
      assert.deepEqual(flowsUnseen, [], 'flows not seen');
      assert.ok(every.flows.length >= 10, 'the flows ran');
    });
  });
}

describe('the API reference at /api/docs', () => {
  const CHROMIUM = '/usr/bin/chromium';
  it('renders every webhook beside the routes, without a page error', async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (npm test does, as root)`);
    const t = await startTestServer(stores[0]!);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(`${t.url}/api/docs`);
      await page.locator('.webhooks .opblock').first().waitFor({ timeout: 60_000 });
      assert.equal(await page.locator('.webhooks .opblock').count(), EVENT_REFERENCE.length);
      assert.ok((await page.locator('.opblock').count()) > EVENT_REFERENCE.length, 'the routes are there too');
      assert.match(await page.locator('.info').innerText(), /OAS 3\.1/);
      // One webhook opened: its parameters and body schema render.
      const webhook = page.locator('.webhooks .opblock').filter({ hasText: 'PostSignIn' }).first();
      await webhook.locator('.opblock-summary').click();
      await webhook.getByText('logto-signature-sha-256').first().waitFor({ timeout: 30_000 });
      await webhook.getByText('Example Value').first().waitFor({ timeout: 30_000 });
      // Herald's reference: its name and mark, and a current example.
      assert.equal(await page.title(), 'Herald API reference');
      const mark = (await page.locator('.topbar img').first().getAttribute('src')) ?? '';
      assert.match(Buffer.from(mark.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString(), /Herald API/);
      const create = page.locator('#operations-Hooks-post_api_hooks');
      await create.locator('.opblock-summary').click();
      const example = await create.locator('.body-param__example, .microlight').first().innerText({ timeout: 30_000 });
      assert.match(example, /"events"/);
      assert.match(example, /"url": "https:\/\/example\.com\/webhooks\/herald"/);
      assert.doesNotMatch(example, /retries/, 'no deprecated field in the example');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await t.close();
    }
  });
});
