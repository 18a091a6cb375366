/**
 * The event schemas (src/events/schemas.ts) against the truth. The generated files
 * (`packages/webhooks/src/events.ts`, `docs/events.md`) match what the generator writes from the
 * catalog and the schemas; each example validates and type-checks. Then, on both stores, a real
 * Herald with one hook subscribed to every event is driven through the Management API, the
 * Experience API and synchronous hooks until every event Herald emits has been delivered to a real
 * receiver, from every route each event's reference lists, and every delivery body is validated
 * against its event's schema.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { GENERATED_FILES, interfaceName } from '../scripts/generate-events.ts';
import { eventCatalog, HOOK_EVENTS, type HookEvent } from '../src/events/index.ts';
import { EVENT_PAYLOAD_SCHEMAS, EVENT_REFERENCE, NEVER_EMITTED_EVENTS } from '../src/events/schemas.ts';
import { useEveryEvent } from './helpers/every-event.ts';
import { assertNoOpenServers } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GENERATOR = join(ROOT, 'scripts/generate-events.ts');

function compileSchemas(): Record<HookEvent, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true });
  addFormats.default(ajv);
  return Object.fromEntries(HOOK_EVENTS.map((name) => [name, ajv.compile(EVENT_PAYLOAD_SCHEMAS[name])])) as Record<
    HookEvent,
    ValidateFunction
  >;
}

const run = (command: string, args: readonly string[]) =>
  spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

describe('event schemas and the files generated from them', () => {
  it('every event a hook may take has a schema, and every schema is such an event', () => {
    const available = eventCatalog.filter((e) => e.available).map((e) => e.name);
    assert.deepEqual(
      EVENT_REFERENCE.map((e) => e.name),
      available,
      'the reference follows the catalog',
    );
    assert.deepEqual(Object.keys(EVENT_PAYLOAD_SCHEMAS).sort(), [...HOOK_EVENTS].sort());
    for (const unavailable of eventCatalog.filter((e) => !e.available))
      assert.ok(!(unavailable.name in EVENT_PAYLOAD_SCHEMAS), `${unavailable.name} is refused in hooks: no schema`);
    for (const e of EVENT_REFERENCE) {
      const schema = EVENT_PAYLOAD_SCHEMAS[e.name] as unknown as {
        properties: Record<string, { const?: unknown }>;
        required: string[];
      };
      assert.equal(schema.properties.event?.const, e.name, `${e.name}: \`event\` is its name`);
      for (const field of ['event', 'createdAt', 'hookId'])
        assert.ok(schema.required.includes(field), `${e.name}: ${field} is required`);
      assert.deepEqual(Object.keys(schema.properties).at(-1), 'hookId', `${e.name}: hookId comes last`);
      assert.ok(e.firesWhen.length > 0, `${e.name}: says when it fires`);
    }
    assert.deepEqual(
      [...NEVER_EMITTED_EVENTS],
      ['PostSignInAdaptiveMfaTriggered', 'Grant.LimitExceeded'],
      'only the two Logto events Herald has no source for are documented as never emitted',
    );
  });

  it('each example is valid against its schema', () => {
    const validators = compileSchemas();
    for (const e of EVENT_REFERENCE) {
      const validate = validators[e.name];
      assert.ok(validate(e.example), `${e.name}: ${JSON.stringify(validate.errors)}`);
      assert.equal(e.example.event, e.name);
    }
    // The schemas are closed at the top level: an unknown field is refused.
    const signIn = EVENT_REFERENCE.find((e) => e.name === 'PostSignIn')!;
    assert.equal(validators.PostSignIn({ ...signIn.example, surprise: true }), false);
    // ...and required fields are required.
    const { userIp: _userIp, ...withoutIp } = signIn.example;
    assert.equal(validators.PostSignIn(withoutIp), false);
  });

  it('--check passes: the generated files are what the catalog and the schemas give', () => {
    const result = run(process.execPath, [GENERATOR, '--check']);
    assert.equal(
      result.status,
      0,
      `generated files are stale; run \`node scripts/generate-events.ts\`:\n${result.stderr}`,
    );
  });

  it('--check fails, naming the file, when a generated file differs or is missing', (t) => {
    const out = mkdtempSync(join(tmpdir(), 'herald-events-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    mkdirSync(join(out, 'docs'));
    cpSync(join(ROOT, GENERATED_FILES.docs), join(out, GENERATED_FILES.docs));
    writeFileSync(
      join(out, GENERATED_FILES.docs),
      `${readFileSync(join(out, GENERATED_FILES.docs), 'utf8')}\nedited\n`,
    );
    const result = run(process.execPath, [GENERATOR, '--check', '--out', out]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /docs\/events\.md differs/);
    assert.match(result.stderr, /packages\/webhooks\/src\/events\.ts is missing/);
  });

  it('the generated files pass biome ci', () => {
    const result = run(join(ROOT, 'node_modules/.bin/biome'), [
      'ci',
      '--colors=off',
      '--error-on-warnings',
      GENERATED_FILES.sdk,
      GENERATED_FILES.docs,
    ]);
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });

  it('the SDK types type-check under strict TypeScript, list every event, and accept each example', async (t) => {
    const sdk = join(ROOT, GENERATED_FILES.sdk);
    const module = (await import(pathToFileURL(sdk).href)) as { EVENT_NAMES: readonly string[] };
    assert.deepEqual([...module.EVENT_NAMES], [...HOOK_EVENTS]);
    const source = readFileSync(sdk, 'utf8');
    assert.doesNotMatch(source, /^import /m, 'the SDK types import nothing');
    const exported = [...source.matchAll(/^export (?:const|type|interface) (\w+)/gm)].map((m) => m[1]);
    assert.deepEqual(exported.sort(), [
      ...[
        'EVENT_NAMES',
        'EventName',
        'EventOf',
        'HeraldEvent',
        ...EVENT_REFERENCE.map((e) => interfaceName(e.name)),
      ].sort(),
    ]);

    const dir = mkdtempSync(join(tmpdir(), 'herald-sdk-types-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const lines = [`import type { EventOf, HeraldEvent } from ${JSON.stringify(sdk)};`];
    for (const [i, e] of EVENT_REFERENCE.entries())
      lines.push(`export const example${i}: EventOf<${JSON.stringify(e.name)}> = ${JSON.stringify(e.example)};`);
    lines.push(`export const all: HeraldEvent[] = [${EVENT_REFERENCE.map((_, i) => `example${i}`).join(', ')}];`);
    // A wrong field fails to compile: the check below is not vacuous.
    lines.push(
      `// @ts-expect-error an unknown field\nexport const wrong: EventOf<'Role.Deleted'> = { ...example${EVENT_REFERENCE.findIndex((e) => e.name === 'Role.Deleted')}, surprise: 1 };`,
    );
    writeFileSync(join(dir, 'examples.mts'), lines.join('\n'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          target: 'es2022',
          lib: ['es2022'],
          types: [],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          erasableSyntaxOnly: true,
        },
        files: ['examples.mts'],
      }),
    );
    const result = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir]);
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });
});

const ROUTE = /^(GET|POST|PUT|PATCH|DELETE) (\/api\S+)/;

for (const store of stores) {
  describe(`every event delivered for real, valid against its schema (${store})`, () => {
    // The driving (every route and flow that emits an event) is shared with
    // test/openapi.webhooks.test.ts, which validates the same deliveries against the OpenAPI document.
    const every = useEveryEvent(store);
    const ctx = every.ctx;
    const flows = every.flows;

    it('drives every route and flow that emits an event', async () => {
      await every.produce();
    });

    it('delivers every event Herald emits, from every route its reference lists, each valid against its schema', async () => {
      const bodies = (await every.deliveries(30_000)).map((r) => r.json as Record<string, any>);

      const received = new Set(bodies.map((b) => b.event as string));
      const missing = HOOK_EVENTS.filter((e) => !NEVER_EMITTED_EVENTS.includes(e) && !received.has(e));
      assert.deepEqual(missing, [], `events never received: ${missing.join(', ')}`);
      assert.deepEqual(
        NEVER_EMITTED_EVENTS.filter((e) => received.has(e)),
        [],
        'an event the reference says Herald never emits was delivered',
      );

      const validators = compileSchemas();
      const invalid: string[] = [];
      for (const body of bodies) {
        assert.equal(body.hookId, ctx.hook.id);
        const validate = validators[body.event as HookEvent];
        if (!validate) {
          invalid.push(`unknown event ${body.event}`);
          continue;
        }
        if (!validate(body as unknown))
          invalid.push(
            `${body.event} (${body.matchedRoute ?? body.interactionEvent ?? body.phase}): ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`,
          );
      }
      assert.deepEqual(invalid, [], `${invalid.length} of ${bodies.length} deliveries do not match their schema`);

      // The reference's routes are true: each one listed was seen emitting the event.
      const unseen: string[] = [];
      for (const e of EVENT_REFERENCE)
        for (const source of e.emittedBy) {
          const route = ROUTE.exec(source);
          if (!route) continue;
          const [, method, path] = route;
          const matchedRoute = path!.replace(/^\/api/, '');
          if (!bodies.some((b) => b.event === e.name && b.method === method && b.matchedRoute === matchedRoute))
            unseen.push(`${e.name} from ${method} ${path}`);
        }
      assert.deepEqual(unseen, [], 'listed as emitting, not seen');
      const flowsUnseen = flows.filter((f) => !bodies.some(f.matches)).map((f) => f.what);
      assert.deepEqual(flowsUnseen, [], 'flows not seen');
      assert.ok(flows.length >= 10, 'the flows ran');
    });
  });
}
