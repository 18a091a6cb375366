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
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { GENERATED_FILES, interfaceName } from '../scripts/generate-events.ts';
import { eventCatalog, HOOK_EVENTS, type HookEvent } from '../src/events/index.ts';
import { EVENT_PAYLOAD_SCHEMAS, EVENT_REFERENCE, NEVER_EMITTED_EVENTS } from '../src/events/schemas.ts';
import { interactionBrowser } from './helpers/interaction-browser.ts';
import { startReceiver, type Received, type Receiver } from './helpers/receiver.ts';
import { assertNoOpenServers, eventually } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
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

type Answer = (req: Received, res: ServerResponse) => void;
const answerJson =
  (body: unknown, status = 200): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

const ROUTE = /^(GET|POST|PUT|PATCH|DELETE) (\/api\S+)/;

for (const store of stores) {
  describe(`every event delivered for real, valid against its schema (${store})`, () => {
    const ctx = useServer(store, {
      env: { HERALD_LOCKOUT_MAX_ATTEMPTS: '3', HERALD_MESSAGE_RATE_LIMIT: '2' },
      receiver: true,
      mail: true,
      hook: { name: 'every event', events: HOOK_EVENTS },
    });
    /** The synchronous hooks' endpoint: one server, an answer per path. */
    let endpoint: Receiver;
    const answers = new Map<string, Answer>();
    before(async () => {
      endpoint = await startReceiver((req, res) => {
        const answer = answers.get(req.path);
        if (answer) answer(req, res);
        else answerJson({ error: `no answer for ${req.path}` }, 500)(req, res);
      });
    });
    after(() => endpoint?.close());

    /** What the flows below must have produced, besides the routes the reference lists. */
    const flows: { what: string; matches: (body: Record<string, any>) => boolean }[] = [];

    const browser = (userAgent = 'events-schemas-test/1.0') => interactionBrowser(ctx.t, { 'user-agent': userAgent });
    async function call(method: string, path: string, body?: unknown, status = 200) {
      const res = await ctx.t.request(method, path, body === undefined ? {} : { body });
      assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
      return res.json;
    }
    async function syncHook(path: string, answer: Answer, body: Record<string, unknown>) {
      answers.set(path, answer);
      const origin = endpoint.url.replace(/\/hook$/, '');
      return (await call('POST', '/api/sync-hooks', { name: path, config: { url: `${origin}${path}` }, ...body }, 201))
        .id as string;
    }
    async function step(b: ReturnType<typeof browser>, method: string, path: string, body: unknown, status: number) {
      const res = await b.call(method, path, body);
      assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.json)}`);
      return res.json;
    }
    async function register(username: string, applicationId?: string) {
      const b = browser();
      await step(b, 'PUT', '/api/experience', { interactionEvent: 'Register', applicationId }, 204);
      await step(b, 'POST', '/api/experience/profile', { type: 'username', value: username }, 204);
      await step(b, 'POST', '/api/experience/profile', { type: 'password', value: 'a-long-password-1' }, 204);
      return b;
    }
    async function signIn(username: string, applicationId?: string) {
      const b = browser('Mozilla/5.0 (events-schemas-test)');
      await step(b, 'PUT', '/api/experience', { interactionEvent: 'SignIn', applicationId }, 204);
      const verified = await step(
        b,
        'POST',
        '/api/experience/verification/password',
        { identifier: { type: 'username', value: username }, password: 'a-long-password-1' },
        200,
      );
      await step(b, 'POST', '/api/experience/identification', { verificationId: verified.verificationId }, 204);
      return step(b, 'POST', '/api/experience/submit', undefined, 200);
    }
    async function codeFor(email: string) {
      const [message] = (await ctx.mail.waitFor((rs) => rs.some((r) => r.json?.to === email))).filter(
        (r) => r.json?.to === email,
      );
      return message!.json.payload.code as string;
    }

    it('drives every route and flow that emits an event', async () => {
      // Users.
      const ada = await call('POST', '/api/users', {
        username: 'schema_ada',
        primaryEmail: 'ada@example.com',
        password: 'initial-password-1',
        name: 'Ada',
      });
      await call('PATCH', `/api/users/${ada.id}`, { name: 'Ada L.', customData: { plan: 'pro' } });
      await call('PATCH', `/api/users/${ada.id}/custom-data`, { customData: { seats: 5 } });
      await call('PATCH', `/api/users/${ada.id}/profile`, { profile: { nickname: 'ada', address: { country: 'UK' } } });
      await call('PATCH', `/api/users/${ada.id}/password`, { password: 'another-password-2' });
      await call('PATCH', `/api/users/${ada.id}/is-suspended`, { isSuspended: true });
      await call('PATCH', `/api/users/${ada.id}/is-suspended`, { isSuspended: false });
      const grace = await call('POST', '/api/users', { username: 'schema_grace' });
      const doomed = await call('POST', '/api/users', { primaryEmail: 'doomed@example.com' });
      await call('DELETE', `/api/users/${doomed.id}`, undefined, 204);

      // API resources, permissions, roles, and users' roles.
      const resource = await call(
        'POST',
        '/api/resources',
        { name: 'Articles', indicator: 'https://api.example.com/articles' },
        201,
      );
      const scopes = `/api/resources/${resource.id}/scopes`;
      const read = await call('POST', scopes, { name: 'read:articles', description: 'Read articles' }, 201);
      const write = await call('POST', scopes, { name: 'write:articles' }, 201);
      const gone = await call('POST', scopes, { name: 'delete:articles' }, 201);
      await call('PATCH', `${scopes}/${read.id}`, { description: 'Read every article' });
      await call('DELETE', `${scopes}/${gone.id}`, undefined, 204);
      const editor = await call('POST', '/api/roles', { name: 'editor', description: 'Edits' });
      const reviewer = await call('POST', '/api/roles', {
        name: 'reviewer',
        description: 'Reviews',
        scopeIds: [read.id],
      });
      await call('PATCH', `/api/roles/${editor.id}`, { description: 'Edits articles', isDefault: false });
      await call('POST', `/api/roles/${editor.id}/scopes`, { scopeIds: [write.id] }, 201);
      await call('DELETE', `/api/roles/${editor.id}/scopes/${write.id}`, undefined, 204);
      await call('POST', `/api/users/${ada.id}/roles`, { roleIds: [editor.id] }, 201);
      await call('PUT', `/api/users/${ada.id}/roles`, { roleIds: [reviewer.id] });
      await call('DELETE', `/api/users/${ada.id}/roles/${reviewer.id}`, undefined, 204);
      await call('POST', `/api/roles/${editor.id}/users`, { userIds: [ada.id, grace.id] }, 201);
      await call('DELETE', `/api/roles/${editor.id}/users/${grace.id}`, undefined, 204);
      const temporary = await call('POST', '/api/roles', { name: 'temporary', description: 'Temporary' });
      await call('DELETE', `/api/roles/${temporary.id}`, undefined, 204);

      // Organizations, their permissions, roles, members and invitations.
      const org = await call(
        'POST',
        '/api/organizations',
        { name: 'Acme', description: 'Acme Corp', customData: { tier: 'gold' } },
        201,
      );
      await call('PATCH', `/api/organizations/${org.id}`, { isMfaRequired: true, color: { primaryColor: '#336699' } });
      const invite = await call('POST', '/api/organization-scopes', { name: 'invite:members', description: 'd' }, 201);
      const remove = await call('POST', '/api/organization-scopes', { name: 'remove:members' }, 201);
      await call('PATCH', `/api/organization-scopes/${invite.id}`, { description: 'Invite members' });
      const admin = await call('POST', '/api/organization-roles', { name: 'admin', description: 'Admin' }, 201);
      const member = await call(
        'POST',
        '/api/organization-roles',
        { name: 'member', organizationScopeIds: [invite.id] },
        201,
      );
      await call('PATCH', `/api/organization-roles/${admin.id}`, { description: 'Administers' });
      await call('POST', `/api/organization-roles/${admin.id}/scopes`, { organizationScopeIds: [invite.id] }, 201);
      await call(
        'PUT',
        `/api/organization-roles/${admin.id}/scopes`,
        { organizationScopeIds: [invite.id, remove.id] },
        204,
      );
      await call('DELETE', `/api/organization-roles/${admin.id}/scopes/${remove.id}`, undefined, 204);
      const users = `/api/organizations/${org.id}/users`;
      await call('POST', users, { userIds: [ada.id] }, 201);
      await call('PUT', users, { userIds: [ada.id, grace.id] }, 204);
      await call('POST', `${users}/${ada.id}/roles`, { organizationRoleIds: [admin.id] }, 201);
      await call('PUT', `${users}/${ada.id}/roles`, { organizationRoleIds: [member.id] }, 204);
      await call('DELETE', `${users}/${ada.id}/roles/${member.id}`, undefined, 204);
      await call('POST', `${users}/roles`, { userIds: [ada.id, grace.id], organizationRoleIds: [admin.id] }, 201);
      await call('DELETE', `${users}/${grace.id}`, undefined, 204);
      const backend = await call('POST', '/api/applications', { name: 'Backend', type: 'MachineToMachine' });
      const apps = `/api/organizations/${org.id}/applications`;
      await call('POST', apps, { applicationIds: [backend.id] }, 201);
      await call('PUT', apps, { applicationIds: [backend.id] }, 204);
      await call('DELETE', `${apps}/${backend.id}`, undefined, 204);
      const invitee = await call('POST', '/api/users', {
        username: 'schema_invitee',
        primaryEmail: 'invitee@example.com',
      });
      const invitation = await call(
        'POST',
        '/api/organization-invitations',
        {
          invitee: 'invitee@example.com',
          organizationId: org.id,
          expiresAt: Date.now() + 3_600_000,
          organizationRoleIds: [member.id],
        },
        201,
      );
      await call('PUT', `/api/organization-invitations/${invitation.id}/status`, {
        status: 'Accepted',
        acceptedUserId: invitee.id,
      });
      await call('DELETE', `/api/organization-roles/${member.id}`, undefined, 204);
      await call('DELETE', `/api/organization-scopes/${remove.id}`, undefined, 204);
      const closing = await call('POST', '/api/organizations', { name: 'Closing' }, 201);
      await call('DELETE', `/api/organizations/${closing.id}`, undefined, 204);

      // The Experience API: sign-up (User.Created, PostRegister) through an application.
      const portal = await call('POST', '/api/applications', {
        name: 'Portal',
        type: 'SPA',
        description: 'the portal',
      });
      const signUp = await register('schema_lin', portal.id);
      await step(signUp, 'POST', '/api/experience/identification', {}, 201);
      await step(signUp, 'POST', '/api/experience/submit', undefined, 200);
      flows.push({
        what: 'User.Created from an Experience API registration, with its application',
        matches: (b) =>
          b.event === 'User.Created' && b.interactionEvent === 'Register' && b.application?.id === portal.id,
      });
      await signIn('schema_lin');
      flows.push({
        what: 'PostSignIn without an application',
        matches: (b) => b.event === 'PostSignIn' && b.user?.username === 'schema_lin' && !('application' in b),
      });

      // Sign-in with a PreSignIn hook that patches (User.Data.Updated from the flow) and one that fails.
      const patcher = await syncHook(
        '/patch',
        answerJson({ action: 'allow', patch: { customData: { risk: 'low' } } }),
        {
          phase: 'PreSignIn',
          order: 1,
        },
      );
      const broken = await syncHook('/broken', answerJson({ oops: true }, 500), { phase: 'PreSignIn', order: 2 });
      await signIn('schema_lin', portal.id);
      await call('DELETE', `/api/sync-hooks/${patcher}`, undefined, 204);
      await call('DELETE', `/api/sync-hooks/${broken}`, undefined, 204);
      flows.push(
        {
          what: 'User.Data.Updated from a sign-in that changed the user',
          matches: (b) => b.event === 'User.Data.Updated' && b.interactionEvent === 'SignIn',
        },
        {
          what: 'SyncHook.Failed at PreSignIn with the endpoint status',
          matches: (b) => b.event === 'SyncHook.Failed' && b.phase === 'PreSignIn' && b.statusCode === 500,
        },
      );

      // Password reset through a code (PostResetPassword, User.Data.Updated) with a PrePasswordReset hook
      // whose answer is not JSON (SyncHook.Failed, allowed).
      const garbled = await syncHook('/garbled', answerJson('not json'), { phase: 'PrePasswordReset' });
      const reset = browser();
      await step(reset, 'PUT', '/api/experience', { interactionEvent: 'ForgotPassword' }, 204);
      const sent = await step(
        reset,
        'POST',
        '/api/experience/verification/verification-code',
        { identifier: { type: 'email', value: 'ada@example.com' }, interactionEvent: 'ForgotPassword' },
        200,
      );
      await step(
        reset,
        'POST',
        '/api/experience/verification/verification-code/verify',
        {
          identifier: { type: 'email', value: 'ada@example.com' },
          verificationId: sent.verificationId,
          code: await codeFor('ada@example.com'),
        },
        200,
      );
      await step(reset, 'POST', '/api/experience/identification', { verificationId: sent.verificationId }, 204);
      await step(reset, 'PUT', '/api/experience/profile/password', { password: 'brand-new-password-3' }, 204);
      await step(reset, 'POST', '/api/experience/submit', undefined, 200);
      await call('DELETE', `/api/sync-hooks/${garbled}`, undefined, 204);
      flows.push(
        {
          what: 'User.Data.Updated from a password reset',
          matches: (b) => b.event === 'User.Data.Updated' && b.interactionEvent === 'ForgotPassword',
        },
        {
          what: 'SyncHook.Failed at PrePasswordReset',
          matches: (b) => b.event === 'SyncHook.Failed' && b.phase === 'PrePasswordReset' && b.outcome === 'allowed',
        },
      );

      // A PreRegister hook that denies: POST /api/users and an Experience API registration (SyncHook.Denied).
      const denier = await syncHook('/deny', answerJson({ action: 'deny', code: 'closed_beta' }), {
        phase: 'PreRegister',
      });
      await call('POST', '/api/users', { username: 'schema_denied' }, 403);
      const deniedSignUp = await register('schema_denied_too', portal.id);
      await step(deniedSignUp, 'POST', '/api/experience/identification', {}, 403);
      await call('DELETE', `/api/sync-hooks/${denier}`, undefined, 204);
      flows.push(
        {
          what: 'SyncHook.Denied from POST /api/users (no interaction)',
          matches: (b) => b.event === 'SyncHook.Denied' && b.interactionEvent === null && b.sessionId === null,
        },
        {
          what: 'SyncHook.Denied from an Experience API registration',
          matches: (b) =>
            b.event === 'SyncHook.Denied' && b.interactionEvent === 'Register' && b.user?.createdAt === null,
        },
      );

      // Identifier.Lockout: three wrong passwords, and three wrong codes (HERALD_LOCKOUT_MAX_ATTEMPTS=3).
      const guesser = browser();
      await step(guesser, 'PUT', '/api/experience', { interactionEvent: 'SignIn', applicationId: portal.id }, 204);
      for (const [i, status] of [422, 422, 400].entries())
        await step(
          guesser,
          'POST',
          '/api/experience/verification/password',
          { identifier: { type: 'username', value: 'schema_lin' }, password: `wrong-password-${i}` },
          status,
        );
      const coder = browser();
      await step(coder, 'PUT', '/api/experience', { interactionEvent: 'Register' }, 204);
      const codeSent = await step(
        coder,
        'POST',
        '/api/experience/verification/verification-code',
        { identifier: { type: 'email', value: 'guess@example.com' }, interactionEvent: 'Register' },
        200,
      );
      const code = await codeFor('guess@example.com');
      for (const status of [400, 400, 400])
        await step(
          coder,
          'POST',
          '/api/experience/verification/verification-code/verify',
          {
            identifier: { type: 'email', value: 'guess@example.com' },
            verificationId: codeSent.verificationId,
            code: code === '000000' ? '111111' : '000000',
          },
          status,
        );
      flows.push(
        {
          what: 'Identifier.Lockout of a username, with the application',
          matches: (b) => b.event === 'Identifier.Lockout' && b.type === 'username' && b.application?.id === portal.id,
        },
        {
          what: 'Identifier.Lockout of an email through wrong codes',
          matches: (b) => b.event === 'Identifier.Lockout' && b.type === 'email' && b.applicationId === '',
        },
      );

      // Message.RateLimited: the third code to one address (HERALD_MESSAGE_RATE_LIMIT=2).
      const sender = browser();
      await step(sender, 'PUT', '/api/experience', { interactionEvent: 'Register' }, 204);
      for (const status of [200, 200, 429])
        await step(
          sender,
          'POST',
          '/api/experience/verification/verification-code',
          { identifier: { type: 'email', value: 'busy@example.com' }, interactionEvent: 'Register' },
          status,
        );
    });

    it('delivers every event Herald emits, from every route its reference lists, each valid against its schema', async () => {
      const { db } = ctx.t.server.database;
      const expected = await eventually(async () => {
        const row = await db
          .selectFrom('deliveries')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('hook_id', '=', ctx.hook.id)
          .executeTakeFirstOrThrow();
        const n = Number(row.n);
        return ctx.receiver.requests.length >= n ? n : undefined;
      }, 30_000);
      const bodies = ctx.receiver.requests.map((r) => r.json as Record<string, any>);
      assert.equal(bodies.length, expected, 'each delivery once');

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
