/**
 * Writes, from the event schemas (`src/events/schemas.ts`), the receiver SDK's event types
 * (`packages/webhooks/src/events.ts`) and the event reference (`docs/events.md`), each formatted by
 * Biome as `npx biome ci` expects it.
 *
 *   node scripts/generate-events.ts           writes both files
 *   node scripts/generate-events.ts --check   writes nothing; exits 1 naming each file that differs
 *   --out DIR                                 reads and writes the files under DIR instead of the repository
 *
 * test/events.schemas.test.ts runs `--check`, so a change to the catalog or the schemas without
 * regenerating fails the tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_GROUPS } from '../src/events/catalog.ts';
import { EVENT_OBJECTS, EVENT_REFERENCE, type EventReference } from '../src/events/schemas.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The generated files, relative to the repository (or to `--out`). */
export const GENERATED_FILES = { sdk: 'packages/webhooks/src/events.ts', docs: 'docs/events.md' } as const;

/** The JSON Schema keywords the schemas use. */
interface JsonSchema {
  type?: string;
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: { description?: string; required: string[] }[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  patternProperties?: Record<string, JsonSchema>;
  format?: string;
  title?: string;
  description?: string;
}
const asJson = (schema: unknown) => schema as JsonSchema;

/** `User.Data.Updated` → `UserDataUpdatedEvent`. */
export const interfaceName = (event: string) => `${event.replace(/\./g, '')}Event`;

/** A route (`POST /api/users …`) as code; flows are already written with their code spans. */
function sourceText(source: string): string {
  const route = /^(GET|POST|PUT|PATCH|DELETE) \S+/.exec(source);
  return route ? `\`${route[0]}\`${source.slice(route[0].length)}` : source;
}

// TypeScript

function jsdoc(text: string | undefined): string {
  if (!text) return '';
  return `/** ${text.replace(/\*\//g, '*\\/')} */\n`;
}

function tsType(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map(tsType).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = tsType(schema.items ?? {});
      return schema.items?.anyOf ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return tsObject(schema);
    default:
      return 'unknown';
  }
}

function tsMembers(schema: JsonSchema): string[] {
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(
    ([key, property]) => `${jsdoc(property.description)}${key}${required.has(key) ? '' : '?'}: ${tsType(property)};`,
  );
  if (schema.additionalProperties !== false) members.push('[key: string]: unknown;');
  return members;
}

function tsObject(schema: JsonSchema): string {
  if (!schema.properties || Object.keys(schema.properties).length === 0) {
    const values = Object.values(schema.patternProperties ?? {})[0];
    return `Record<string, ${values ? tsType(values) : 'unknown'}>`;
  }
  return `{\n${tsMembers(schema).join('\n')}\n}`;
}

function renderSdk(events: readonly EventReference[]): string {
  const out: string[] = [
    '/**',
    " * Herald's webhook events: the body of each delivery, `hookId` included, one interface per event",
    ' * a hook may subscribe to, discriminated on `event`.',
    ' *',
    " * Generated from `src/events/schemas.ts` by `node scripts/generate-events.ts` in Herald's repository;",
    ' * do not edit by hand. The reference with examples: docs/events.md.',
    ' */',
    '',
    "/** Every event a hook may subscribe to, in the catalog's order. */",
    `export const EVENT_NAMES = [${events.map((e) => `'${e.name}'`).join(', ')}] as const;`,
    '',
    '/** An event a hook may subscribe to. */',
    'export type EventName = (typeof EVENT_NAMES)[number];',
    '',
  ];
  for (const event of events) {
    const sources =
      event.emittedBy.length > 0
        ? `Emitted by: ${event.emittedBy.map(sourceText).join('; ')}.`
        : 'Herald never emits it.';
    out.push(
      '/**',
      ` * ${event.firesWhen}`,
      ' *',
      ` * ${sources}`,
      ' */',
      `export interface ${interfaceName(event.name)} {`,
      ...tsMembers(asJson(event.schema)),
      '}',
      '',
    );
  }
  out.push(
    '/** Any delivery: narrow it on `event`. */',
    `export type HeraldEvent = ${events.map((e) => interfaceName(e.name)).join(' | ')};`,
    '',
    '/** The delivery of event `N`. */',
    'export type EventOf<N extends EventName> = Extract<HeraldEvent, { event: N }>;',
    '',
  );
  return out.join('\n');
}

// Markdown

/** GitHub's anchor of a heading. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
const objectAnchor = (title: string) => `#${anchor(`${title} object`)}`;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function mdType(schema: JsonSchema): string {
  if (schema.title) return `[${schema.title}](${objectAnchor(schema.title)})`;
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.anyOf) return schema.anyOf.map(mdType).join(' | ');
  if (schema.type === 'array') {
    const items = schema.items ?? {};
    return items.title || items.type === 'object' ? `array of ${mdType(items)}` : `\`${tsType(schema)}\``;
  }
  if (schema.type === 'object') {
    if (schema.properties && Object.keys(schema.properties).length > 0) return '`object`';
    const values = recordValues(schema);
    if (values?.properties) return '`Record<string, object>`';
    return `\`${tsObject(schema)}\``;
  }
  if (schema.type === 'integer') return '`integer`';
  if (schema.format) return `\`${tsType(schema)}\` (${schema.format})`;
  return `\`${tsType(schema)}\``;
}

const recordValues = (schema: JsonSchema) => Object.values(schema.patternProperties ?? {})[0];

/** Table rows of an object's fields; untitled nested objects add their own rows (`a.b`, `a[].b`, `a.*.b`). */
function fieldRows(schema: JsonSchema, prefix = ''): string[] {
  const required = new Set(schema.required ?? []);
  const rows: string[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const name = `${prefix}${key}`;
    rows.push(
      `| \`${name}\` | ${cell(mdType(property))} | ${required.has(key) ? 'yes' : 'no'} | ${cell(property.description ?? '')} |`,
    );
    if (!property.title && property.type === 'object' && property.properties)
      rows.push(...fieldRows(property, `${name}.`));
    const values = recordValues(property);
    if (!property.title && values && !values.title && values.properties) rows.push(...fieldRows(values, `${name}.*.`));
    const items = property.items;
    if (!property.title && property.type === 'array' && items && !items.title && items.properties)
      rows.push(...fieldRows(items, `${name}[].`));
  }
  return rows;
}
const FIELD_TABLE_HEAD = ['| field | type | required | description |', '| --- | --- | --- | --- |'];

/** The titles of every object the schemas reach that has one. */
function titlesReached(events: readonly EventReference[]): Set<string> {
  const found = new Set<string>();
  const visit = (schema: JsonSchema) => {
    if (schema.title) found.add(schema.title);
    for (const child of [
      ...Object.values(schema.properties ?? {}),
      ...Object.values(schema.patternProperties ?? {}),
      ...(schema.anyOf ?? []),
      ...(schema.items ? [schema.items] : []),
    ])
      visit(child);
  };
  for (const event of events) visit(asJson(event.schema));
  return found;
}

/** The shared objects, as `EVENT_OBJECTS` declares them; each title a schema links to must be one. */
function sharedObjects(events: readonly EventReference[]): JsonSchema[] {
  const objects = EVENT_OBJECTS.map(asJson);
  const known = new Set(objects.map((o) => o.title));
  for (const title of titlesReached(events))
    if (!known.has(title)) throw new Error(`the schemas link to object ${title}, which EVENT_OBJECTS lacks`);
  return objects;
}

function renderDocs(events: readonly EventReference[]): string {
  const out: string[] = [
    '# Event reference',
    '',
    'Every event a Herald hook may subscribe to, as its receiver gets it: when it fires, which routes or flows emit',
    'it, each field of the body, and an example. Generated from `src/events/schemas.ts` (the JSON Schemas,',
    '`EVENT_PAYLOAD_SCHEMAS`) by `node scripts/generate-events.ts`, which also writes the TypeScript types',
    '`packages/webhooks/src/events.ts`; do not edit by hand. How hooks are created, retried and replayed: the',
    '[README](../README.md#webhooks).',
    '',
    '## Common fields',
    '',
    "Every delivery is a `POST` of one JSON object: `event` and `createdAt` first, the event's context, and `hookId`",
    'last. The context depends on where the event comes from:',
    '',
    '| source | fields |',
    '| --- | --- |',
    '| every event | `event` (the name), `createdAt` (ISO 8601, UTC), `hookId` (the hook this delivery is for) |',
    '| a Management API route (data events) | `userAgent` (absent when the request sent none), `ip`, `path` and `matchedRoute` (without the `/api` prefix), `method`, `status`, `params`, and `data`: the response body, absent when the response has none |',
    '| an Experience API submit (`PostRegister`, `PostSignIn`, `PostResetPassword`) | `interactionEvent`, `sessionId`, `userAgent`, `userId`, `userIp` (not `ip`), `user`, and `application` when the interaction has one |',
    '| an Experience API flow (`User.Created` at registration, `User.Data.Updated` at submit, `Identifier.Lockout`, `Message.RateLimited`) | `interactionEvent`, `userAgent`, `applicationId` (`""` without an application), `sessionId`, `ip`, `application` when there is one |',
    '| a synchronous hook (`SyncHook.Denied`, `SyncHook.Failed`) | `syncHookId`, `syncHookName`, `callId`, `phase`, `interactionEvent`, `sessionId`, `userAgent`, `userIp`, `application`, `userId`, `user` |',
    '',
    'The schemas list every field Herald sends in a payload (`additionalProperties: false` at the top level), and',
    'leave the entities inside (users, roles, organizations…) open: their fields may grow. A required field is always',
    'present; a field that may be `null` says so. Herald\'s extensions (group "Herald extensions") reach only hooks',
    'that name them: a hook subscribed to every Logto event does not get them.',
    '',
    '## Headers and signatures',
    '',
    "Each request carries `content-type: application/json`, `user-agent: Herald/<version> …` (or Logto's with",
    "`HERALD_WEBHOOK_USER_AGENT=logto`), the hook's custom headers, and two signatures over the exact body bytes:",
    '',
    '| header | value |',
    '| --- | --- |',
    "| `logto-signature-sha-256` | hex HMAC-SHA256 of the body with the hook's `signingKey` (Logto's signature) |",
    '| `webhook-id` | the delivery id, the same on every retry: de-duplicate on it ([Standard Webhooks](https://www.standardwebhooks.com/)) |',
    '| `webhook-timestamp` | seconds since the epoch, per attempt |',
    '| `webhook-signature` | `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with `standardSigningKey`; during a key rotation a second `v1,` entry signed with the previous key |',
    '',
    'Verify one of them before parsing the body (the README shows both in Node).',
    '',
    '## Events',
    '',
  ];
  const groups = EVENT_GROUPS.filter((g) => events.some((e) => e.group === g));
  for (const group of groups)
    out.push(
      `- ${group}: ${events
        .filter((e) => e.group === group)
        .map((e) => `[${e.name}](#${anchor(e.name)})`)
        .join(', ')}`,
    );
  out.push('');
  for (const group of groups) {
    out.push(`## ${group}`, '');
    for (const event of events.filter((e) => e.group === group)) {
      const schema = asJson(event.schema);
      out.push(`### ${event.name}`, '', `**When it fires.** ${event.firesWhen}`, '');
      if (event.emittedBy.length > 0) {
        out.push('**Emitted by:**', '', ...event.emittedBy.map((s) => `- ${sourceText(s)}`), '');
      } else {
        out.push('**Emitted by:** nothing in Herald (a hook may still subscribe to it, as in Logto).', '');
      }
      out.push(`**Payload** (\`${interfaceName(event.name)}\`):`, '', ...FIELD_TABLE_HEAD, ...fieldRows(schema), '');
      if (schema.oneOf) {
        out.push(
          'Which of the optional fields are present depends on the source (exactly one of these sets, the `oneOf`):',
          '',
          ...schema.oneOf.map(
            (v) => `- ${v.description ?? 'or'}: ${v.required.map((key) => `\`${key}\``).join(', ')}, always`,
          ),
          '',
        );
      }
      out.push('**Example:**', '', '```json', JSON.stringify(event.example, null, 2), '```', '');
    }
  }
  out.push('## Shared objects', '');
  for (const schema of sharedObjects(events)) {
    out.push(`### ${schema.title} object`, '');
    if (schema.description) out.push(schema.description, '');
    out.push(...FIELD_TABLE_HEAD, ...fieldRows({ ...schema, title: undefined }), '');
    if (schema.additionalProperties !== false) out.push('Open: more fields may come.', '');
  }
  return out.join('\n');
}

// Formatting and writing

function biomeFormat(path: string, text: string): string {
  const result = spawnSync(join(ROOT, 'node_modules/.bin/biome'), ['format', `--stdin-file-path=${path}`], {
    cwd: ROOT,
    input: text,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`biome format ${path} failed:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** The files' contents as the generator writes them, formatted. */
export function renderGenerated(): Record<keyof typeof GENERATED_FILES, string> {
  return {
    sdk: biomeFormat(GENERATED_FILES.sdk, renderSdk(EVENT_REFERENCE)),
    docs: biomeFormat(GENERATED_FILES.docs, renderDocs(EVENT_REFERENCE)),
  };
}

function main(args: readonly string[]): number {
  const check = args.includes('--check');
  const outAt = args.indexOf('--out');
  const base = outAt >= 0 && args[outAt + 1] ? resolve(args[outAt + 1]!) : ROOT;
  const rendered = renderGenerated();
  let stale = 0;
  for (const key of Object.keys(GENERATED_FILES) as (keyof typeof GENERATED_FILES)[]) {
    const file = join(base, GENERATED_FILES[key]);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === rendered[key]) continue;
    if (check) {
      stale++;
      process.stderr.write(
        `${GENERATED_FILES[key]} ${current === undefined ? 'is missing' : 'differs from what the generator writes'}\n`,
      );
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, rendered[key]);
      process.stdout.write(`wrote ${GENERATED_FILES[key]}\n`);
    }
  }
  if (stale > 0) process.stderr.write('run `node scripts/generate-events.ts` and commit the result\n');
  return stale > 0 ? 1 : 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
