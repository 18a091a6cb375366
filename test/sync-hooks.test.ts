/**
 * Synchronous hooks end to end, on both stores: the `/api/sync-hooks` resource, and the gate
 * through the real Experience API and `POST /api/users` against a real endpoint on loopback that
 * answers allow, deny, patch, hangs, errs or redirects; the calls log, the events
 * (`SyncHook.Denied`, `SyncHook.Failed`) at a real webhook receiver, the metrics.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { interactionBrowser } from './helpers/interaction-browser.ts';
import { startReceiver, type Received, type Receiver } from './helpers/receiver.ts';
import { assertNoOpenServers, startTestServer, type TestServer } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

type Answer = (req: Received, res: ServerResponse) => void;
const json =
  (body: unknown, status = 200): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
const allow = json({ action: 'allow' });
const BUDGET_MS = 1000;

for (const store of stores) {
  describe(`synchronous hooks (${store})`, () => {
    const ctx = useServer(store, {
      env: { HERALD_SYNC_HOOK_BUDGET_MS: String(BUDGET_MS) },
      receiver: true,
      mail: true,
      hook: {
        name: 'audit',
        events: [
          'SyncHook.Denied',
          'SyncHook.Failed',
          'User.Created',
          'PostRegister',
          'PostSignIn',
          'PostResetPassword',
        ],
      },
    });
    /** The synchronous endpoints: one server, an answer per path (`/a`, `/b`…). */
    let endpoint: Receiver;
    const answers = new Map<string, Answer>();
    before(async () => {
      endpoint = await startReceiver((req, res) => {
        const answer = answers.get(req.path.split('?')[0] ?? '');
        if (answer) answer(req, res);
        else json({ error: `no answer for ${req.path}` }, 500)(req, res);
      });
    });
    after(() => endpoint.close());
    const origin = () => endpoint.url.replace(/\/hook$/, '');
    const created: string[] = [];
    /** A sync hook answering at `path` with `answer`; deleted after the test. */
    async function syncHook(path: string, answer: Answer, body: Record<string, unknown>) {
      answers.set(path, answer);
      const res = await ctx.t.request('POST', '/api/sync-hooks', {
        body: { name: path, config: { url: `${origin()}${path}` }, ...body },
      });
      assert.equal(res.status, 201, res.text);
      created.push(res.json.id);
      return res.json as { id: string; signingKey: string; standardSigningKey: string };
    }
    afterEach(async () => {
      for (const id of created.splice(0)) await ctx.t.request('DELETE', `/api/sync-hooks/${id}`);
      answers.clear();
    });
    const callsTo = (path: string) => endpoint.requests.filter((r) => r.path === path);

    let counter = 0;
    const unique = (prefix: string) => `${prefix}_${store}_${++counter}`;
    const browser = () => interactionBrowser(ctx.t, { 'user-agent': 'sync-hooks-test/1.0' });
    async function stored(event: string, where: (p: Record<string, any>) => boolean) {
      const rows = await ctx.t.server.database.db
        .selectFrom('events')
        .select('payload')
        .where('name', '=', event)
        .execute();
      return rows.map((r) => JSON.parse(r.payload) as Record<string, any>).filter(where);
    }
    async function received(event: string, where: (p: Record<string, any>) => boolean) {
      const matches = (r: Received) => r.json?.event === event && where(r.json);
      return (await ctx.receiver.waitFor((rs) => rs.some(matches))).find(matches)!.json as Record<string, any>;
    }
    async function usersNamed(username: string) {
      return ctx.t.server.database.db.selectFrom('users').selectAll().where('username', '=', username).execute();
    }
    /** Register with a username and password; answers the identification step's response. */
    async function register(username: string, b = browser()) {
      assert.equal((await b.call('PUT', '/api/experience', { interactionEvent: 'Register' })).status, 204);
      assert.equal(
        (await b.call('POST', '/api/experience/profile', { type: 'username', value: username })).status,
        204,
      );
      assert.equal(
        (await b.call('POST', '/api/experience/profile', { type: 'password', value: 'a-long-password-1' })).status,
        204,
      );
      const identified = await b.call('POST', '/api/experience/identification', {});
      return { identified, b };
    }
    async function registered(username: string) {
      const { identified, b } = await register(username);
      assert.equal(identified.status, 201, JSON.stringify(identified.json));
      const submitted = await b.call('POST', '/api/experience/submit');
      assert.equal(submitted.status, 200, JSON.stringify(submitted.json));
      return submitted.json.userId as string;
    }
    async function signIn(username: string) {
      const b = browser();
      assert.equal((await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' })).status, 204);
      const verified = await b.call('POST', '/api/experience/verification/password', {
        identifier: { type: 'username', value: username },
        password: 'a-long-password-1',
      });
      assert.equal(verified.status, 200, JSON.stringify(verified.json));
      const identified = await b.call('POST', '/api/experience/identification', {
        verificationId: verified.json.verificationId,
      });
      assert.equal(identified.status, 204);
      return b.call('POST', '/api/experience/submit');
    }
    async function calls(hookId: string, query = '') {
      const res = await ctx.t.request('GET', `/api/sync-hooks/${hookId}/calls${query}`);
      assert.equal(res.status, 200, res.text);
      return res.json as any[];
    }

    it('is a resource of its own: create with defaults, list, get, update, regenerate the key, delete', async () => {
      const res = await ctx.t.request('POST', '/api/sync-hooks', {
        body: { phase: 'PreSignIn', config: { url: 'https://example.com/check', headers: { 'x-tenant': 'acme' } } },
      });
      assert.equal(res.status, 201, res.text);
      const hook = res.json;
      assert.match(hook.id, /^[0-9a-z]{21}$/);
      assert.equal(hook.name, '');
      assert.equal(hook.phase, 'PreSignIn');
      assert.deepEqual(hook.config, { url: 'https://example.com/check', headers: { 'x-tenant': 'acme' } });
      assert.equal(hook.enabled, true);
      assert.equal(hook.timeoutMs, 2000);
      assert.equal(hook.failurePolicy, 'open');
      assert.equal(hook.order, 0);
      assert.match(hook.signingKey, /^[0-9A-Za-z]{32}$/);
      assert.equal(hook.standardSigningKey, `whsec_${Buffer.from(hook.signingKey).toString('base64')}`);
      assert.equal(typeof hook.createdAt, 'number');

      const listed = await ctx.t.request('GET', '/api/sync-hooks');
      assert.ok(listed.json.some((h: { id: string }) => h.id === hook.id));
      const logto = await ctx.t.request('GET', '/api/hooks');
      assert.ok(!logto.json.some((h: { id: string }) => h.id === hook.id), "Logto's /api/hooks lists no sync hook");
      assert.deepEqual((await ctx.t.request('GET', `/api/sync-hooks/${hook.id}`)).json, hook);

      const patched = await ctx.t.request('PATCH', `/api/sync-hooks/${hook.id}`, {
        body: {
          name: 'risk',
          timeoutMs: 10_000,
          failurePolicy: 'closed',
          order: -5,
          enabled: false,
          phase: 'PreRegister',
        },
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.json.name, 'risk');
      assert.equal(patched.json.timeoutMs, 10_000);
      assert.equal(patched.json.failurePolicy, 'closed');
      assert.equal(patched.json.order, -5);
      assert.equal(patched.json.enabled, false);
      assert.equal(patched.json.phase, 'PreRegister');
      assert.equal(patched.json.signingKey, hook.signingKey);

      const rotated = await ctx.t.request('PATCH', `/api/sync-hooks/${hook.id}/signing-key`);
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.json.signingKey, hook.signingKey);

      for (const [body, field] of [
        [{ phase: 'PostSignIn', config: { url: 'https://example.com' } }, 'phase'],
        [{ phase: 'PreSignIn', config: { url: 'https://example.com' }, timeoutMs: 10_001 }, 'timeoutMs'],
        [{ phase: 'PreSignIn', config: { url: 'https://example.com' }, timeoutMs: 0 }, 'timeoutMs'],
        [{ phase: 'PreSignIn', config: { url: 'https://example.com' }, failurePolicy: 'maybe' }, 'failurePolicy'],
        [{ phase: 'PreSignIn', config: { url: 'not a url' } }, 'url'],
        [{ phase: 'PreSignIn', config: { url: 'ftp://example.com' } }, 'url'],
        [{ phase: 'PreSignIn', config: { url: 'https://example.com', headers: { 'webhook-id': 'x' } } }, 'headers'],
        [{ phase: 'PreSignIn', config: { url: 'https://example.com' }, surprise: true }, 'surprise'],
      ] as const) {
        const bad = await ctx.t.request('POST', '/api/sync-hooks', { body });
        assert.equal(bad.status, 400, `${field}: ${bad.text}`);
        assert.equal(bad.json.code, 'guard.invalid_input', field);
      }
      assert.equal((await ctx.t.request('GET', '/api/sync-hooks/nope')).status, 404);
      assert.equal((await ctx.t.request('PATCH', '/api/sync-hooks/nope', { body: { name: 'x' } })).status, 404);
      assert.equal((await ctx.t.request('GET', '/api/sync-hooks/nope/calls')).status, 404);
      assert.equal((await ctx.t.request('GET', '/api/sync-hooks', { key: null })).status, 401);

      assert.equal((await ctx.t.request('DELETE', `/api/sync-hooks/${hook.id}`)).status, 204);
      assert.equal((await ctx.t.request('GET', `/api/sync-hooks/${hook.id}`)).status, 404);
      assert.equal((await ctx.t.request('DELETE', `/api/sync-hooks/${hook.id}`)).status, 404);
    });

    it('allow: the endpoint gets a signed PreRegister call with the candidate, never a password; the user is created', async () => {
      const hook = await syncHook('/allow', allow, { phase: 'PreRegister' });
      const username = unique('allowed');
      const userId = await registered(username);
      const [call] = callsTo('/allow').filter((r) => r.json?.user?.username === username);
      assert.ok(call, 'the endpoint was called');
      assert.equal(call.json.phase, 'PreRegister');
      assert.equal(call.json.interactionEvent, 'Register');
      assert.equal(typeof call.json.sessionId, 'string');
      assert.equal(call.json.userAgent, 'sync-hooks-test/1.0');
      assert.equal(typeof call.json.userIp, 'string');
      assert.match(call.json.createdAt, /^\d{4}-\d\d-\d\dT/);
      assert.deepEqual(call.json.identifier, { type: 'username', value: username });
      assert.equal(call.json.user.id, userId, 'the candidate carries the id the user gets');
      assert.equal(call.json.user.createdAt, null);
      assert.ok(!/password/i.test(call.body.replace(/"hasPassword"/g, '')), `no password in ${call.body}`);
      assert.equal(
        call.headers['logto-signature-sha-256'],
        createHmac('sha256', hook.signingKey).update(call.body).digest('hex'),
      );
      const verified = new Webhook(hook.standardSigningKey).verify(call.body, {
        'webhook-id': String(call.headers['webhook-id']),
        'webhook-timestamp': String(call.headers['webhook-timestamp']),
        'webhook-signature': String(call.headers['webhook-signature']),
      });
      assert.deepEqual(verified, call.json);
      await received('PostRegister', (p) => p.userId === userId);

      const [log] = await calls(hook.id);
      assert.equal(log.id, call.headers['webhook-id'], 'the call id is its webhook-id');
      assert.equal(log.decision, 'allow');
      assert.equal(log.effect, 'allowed');
      assert.equal(log.patched, false);
      assert.equal(log.statusCode, 200);
      assert.equal(log.userId, userId);
      assert.equal(log.interactionEvent, 'Register');
      assert.equal(log.request.user.username, username);
      assert.equal(typeof log.durationMs, 'number');

      // A second sign-up is a second call, with a fresh webhook-id.
      await registered(unique('allowed'));
      const ids = callsTo('/allow').map((r) => r.headers['webhook-id']);
      assert.equal(new Set(ids).size, ids.length);
    });

    it('deny: 403 hook.denied with the message, no user, no User.Created or PostRegister; SyncHook.Denied is delivered', async () => {
      const hook = await syncHook(
        '/deny',
        json({ action: 'deny', code: 'disposable_email', message: 'Use a work address, please.' }),
        { phase: 'PreRegister', name: 'no disposable' },
      );
      const username = unique('denied');
      const { identified, b } = await register(username);
      assert.equal(identified.status, 403, JSON.stringify(identified.json));
      assert.deepEqual(identified.json, {
        code: 'hook.denied',
        message: 'Use a work address, please.',
        data: { hookCode: 'disposable_email' },
      });
      assert.equal((await usersNamed(username)).length, 0, 'no user created');
      assert.equal((await b.call('POST', '/api/experience/submit')).status, 404, 'nothing to submit');
      const denied = await received('SyncHook.Denied', (p) => p.user?.username === username);
      assert.equal(denied.syncHookId, hook.id);
      assert.equal(denied.syncHookName, 'no disposable');
      assert.equal(denied.phase, 'PreRegister');
      assert.equal(denied.code, 'disposable_email');
      assert.equal(denied.message, 'Use a work address, please.');
      assert.equal(denied.interactionEvent, 'Register');
      assert.equal((await stored('User.Created', (p) => p.data?.username === username)).length, 0);
      assert.equal((await stored('PostRegister', (p) => p.user?.username === username)).length, 0);
      const [log] = await calls(hook.id, '?decision=deny');
      assert.equal(log.denyCode, 'disposable_email');
      assert.equal(log.denyMessage, 'Use a work address, please.');
      assert.equal(log.effect, 'denied');
    });

    it('patch: the user, User.Created and PostRegister carry the patched custom data and profile', async () => {
      const hook = await syncHook(
        '/patch',
        json({
          action: 'allow',
          patch: { customData: { plan: 'pro', seats: 5 }, profile: { nickname: 'Ace' }, name: 'Ada L.' },
        }),
        { phase: 'PreRegister' },
      );
      const username = unique('patched');
      const userId = await registered(username);
      const user = (await ctx.t.request('GET', `/api/users/${userId}`)).json;
      assert.deepEqual(user.customData, { plan: 'pro', seats: 5 });
      assert.deepEqual(user.profile, { nickname: 'Ace' });
      assert.equal(user.name, 'Ada L.');
      const createdEvent = await received('User.Created', (p) => p.data?.id === userId);
      assert.deepEqual(createdEvent.data.customData, { plan: 'pro', seats: 5 });
      const post = await received('PostRegister', (p) => p.userId === userId);
      assert.deepEqual(post.user.customData, { plan: 'pro', seats: 5 });
      assert.equal(post.user.name, 'Ada L.');
      assert.equal((await calls(hook.id))[0]!.patched, true);

      // At sign-in, a patch merges into what the user has, and the events carry it.
      answers.set('/patch', json({ action: 'allow', patch: { customData: { lastRisk: 'low' } } }));
      await ctx.t.request('PATCH', `/api/sync-hooks/${hook.id}`, { body: { phase: 'PreSignIn' } });
      const signedIn = await signIn(username);
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.json));
      const after = (await ctx.t.request('GET', `/api/users/${userId}`)).json;
      assert.deepEqual(after.customData, { plan: 'pro', seats: 5, lastRisk: 'low' });
      const postSignIn = await received('PostSignIn', (p) => p.userId === userId);
      assert.deepEqual(postSignIn.user.customData, { plan: 'pro', seats: 5, lastRisk: 'low' });
    });

    it('a hanging endpoint: open allows after timeoutMs (SyncHook.Failed, outcome allowed); closed answers 503', async () => {
      const username = unique('slow');
      await registered(username);
      const hook = await syncHook('/hang', () => undefined, { phase: 'PreSignIn', timeoutMs: 200 });
      const started = Date.now();
      const open = await signIn(username);
      assert.equal(open.status, 200, JSON.stringify(open.json));
      assert.ok(Date.now() - started >= 190, 'the call waited its timeout');
      const [openLog] = await calls(hook.id);
      assert.equal(openLog.decision, 'failed');
      assert.equal(openLog.effect, 'allowed');
      assert.match(openLog.error, /timed out after 200 ms/);
      const failed = await received('SyncHook.Failed', (p) => p.callId === openLog.id);
      assert.equal(failed.outcome, 'allowed');
      assert.equal(failed.failurePolicy, 'open');
      assert.match(failed.error, /timed out/);

      await ctx.t.request('PATCH', `/api/sync-hooks/${hook.id}`, { body: { failurePolicy: 'closed' } });
      const closed = await signIn(username);
      assert.equal(closed.status, 503, JSON.stringify(closed.json));
      assert.equal(closed.json.code, 'hook.sync_unavailable');
      const [closedLog] = await calls(hook.id);
      assert.equal(closedLog.effect, 'denied');
      assert.equal((await received('SyncHook.Failed', (p) => p.callId === closedLog.id)).outcome, 'denied');
      assert.equal(
        (await stored('PostSignIn', (p) => p.user?.username === username)).length,
        1,
        'only the open sign-in was submitted',
      );
    });

    it('bad answers are failures: invalid JSON, unknown action, extra fields, a bad deny code, 5xx, a redirect, an oversized answer', async () => {
      const username = unique('picky');
      await registered(username);
      const cases: [Answer, RegExp][] = [
        [json('{"action": "allow"'), /not JSON/],
        [json({ action: 'maybe' }), /not one Herald takes/],
        [json({ action: 'allow', patch: { password: 'x' } }), /not one Herald takes/],
        [json({ action: 'allow', extra: 1 }), /not one Herald takes/],
        [json({ action: 'deny', code: 'Not Allowed!' }), /not one Herald takes/],
        [json({ action: 'deny', code: 'x', message: 'm'.repeat(257) }), /not one Herald takes/],
        [json({ action: 'allow' }, 500), /endpoint answered 500/],
        [
          (_req, res) => {
            res.writeHead(302, { location: `${origin()}/redirected` });
            res.end();
          },
          /302; redirects are not followed/,
        ],
        [json({ action: 'allow', patch: { customData: { blob: 'x'.repeat(20_000) } } }), /larger than 16384 bytes/],
      ];
      const hook = await syncHook('/picky', allow, { phase: 'PreSignIn', failurePolicy: 'closed' });
      answers.set('/redirected', allow);
      for (const [answer, error] of cases) {
        answers.set('/picky', answer);
        const res = await signIn(username);
        assert.equal(res.status, 503, `${error}: ${JSON.stringify(res.json)}`);
        assert.equal(res.json.code, 'hook.sync_unavailable');
        const [log] = await calls(hook.id);
        assert.equal(log.decision, 'failed');
        assert.match(log.error, error);
      }
      assert.equal(callsTo('/redirected').length, 0, 'the redirect was not followed');
      assert.equal((await calls(hook.id, '?decision=failed&page_size=100')).length, cases.length);
    });

    it('hooks run in order: patches merge, a later hook sees the earlier patch; the first deny wins and the rest are not called', async () => {
      const first = await syncHook('/first', json({ action: 'allow', patch: { customData: { a: 1, plan: 'free' } } }), {
        phase: 'PreRegister',
        order: 1,
      });
      await syncHook('/second', json({ action: 'allow', patch: { customData: { plan: 'pro' } } }), {
        phase: 'PreRegister',
        order: 2,
      });
      const username = unique('ordered');
      const userId = await registered(username);
      assert.deepEqual((await ctx.t.request('GET', `/api/users/${userId}`)).json.customData, { a: 1, plan: 'pro' });
      const [second] = callsTo('/second').filter((r) => r.json.user.username === username);
      assert.deepEqual(second!.json.user.customData, { a: 1, plan: 'free' }, 'the second hook sees the first patch');

      answers.set('/first', json({ action: 'deny', code: 'embargo', message: 'Not from there.' }));
      const before = callsTo('/second').length;
      const other = unique('ordered');
      const { identified } = await register(other);
      assert.equal(identified.status, 403);
      assert.equal(identified.json.data.hookCode, 'embargo');
      assert.equal(callsTo('/second').length, before, 'the second hook was not called');
      assert.equal((await calls(first.id, '?decision=deny')).length, 1);
    });

    it('a hook deleted while it is being called: the sign-up still goes through', async () => {
      let hookId = '';
      const hook = await syncHook(
        '/vanishing',
        (_req, res) => {
          void ctx.t.request('DELETE', `/api/sync-hooks/${hookId}`).then(() => allow(_req, res));
        },
        { phase: 'PreRegister' },
      );
      hookId = hook.id;
      const userId = await registered(unique('vanished'));
      assert.equal((await ctx.t.request('GET', `/api/users/${userId}`)).status, 200);
      assert.equal((await ctx.t.request('GET', `/api/sync-hooks/${hook.id}`)).status, 404);
      assert.equal((await ctx.t.request('GET', `/api/sync-hooks/${hook.id}/calls`)).status, 404);
    });

    it('deleting a hook deletes its calls', async () => {
      const hook = await syncHook('/deleted', allow, { phase: 'PreRegister' });
      await registered(unique('before_delete'));
      const count = () =>
        ctx.t.server.database.db.selectFrom('sync_hook_calls').select('id').where('hook_id', '=', hook.id).execute();
      assert.equal((await count()).length, 1);
      assert.equal((await ctx.t.request('DELETE', `/api/sync-hooks/${hook.id}`)).status, 204);
      assert.equal((await count()).length, 0);
    });

    it('a change that fails after the hooks allowed it still leaves the calls on record', async () => {
      const username = unique('raced');
      // The endpoint takes the username itself before it allows: the creation then fails with 422.
      let taken = false;
      const hook = await syncHook(
        '/racing',
        (req, res) => {
          if (req.json.user.username !== username || taken) return allow(req, res);
          taken = true;
          void ctx.t
            .request('POST', '/api/users', { body: { username, customData: { first: true } } })
            .then(() => allow(req, res));
        },
        { phase: 'PreRegister' },
      );
      const raced = await ctx.t.request('POST', '/api/users', { body: { username } });
      assert.equal(raced.status, 422, raced.text);
      assert.equal(raced.json.code, 'user.username_already_in_use');
      const log = await calls(hook.id);
      assert.equal(log.filter((c) => c.request.user.username === username).length, 2, 'both calls are recorded');
    });

    it('the phase budget: a hook the budget does not reach fails by its policy, without a call', async () => {
      const username = unique('budget');
      await registered(username);
      await syncHook('/slow', () => undefined, { phase: 'PreSignIn', order: 1, timeoutMs: 5000 });
      const late = await syncHook('/late', allow, { phase: 'PreSignIn', order: 2, failurePolicy: 'closed' });
      const started = Date.now();
      const res = await signIn(username);
      const took = Date.now() - started;
      assert.equal(res.status, 503, JSON.stringify(res.json));
      assert.ok(took >= BUDGET_MS - 20 && took < 4000, `the budget (${BUDGET_MS} ms) bounded the wait: ${took} ms`);
      assert.equal(callsTo('/late').length, 0);
      const [log] = await calls(late.id);
      assert.match(log.error, /budget of 1000 ms was spent/);
      assert.equal(log.effect, 'denied');
    });

    it('POST /api/users goes through PreRegister: a deny is 403 and creates nothing; a patch lands on the user and User.Created', async () => {
      const hook = await syncHook('/mgmt', json({ action: 'deny', code: 'blocked', message: 'No.' }), {
        phase: 'PreRegister',
      });
      const username = unique('managed');
      const refused = await ctx.t.request('POST', '/api/users', { body: { username, password: 'a-long-password-1' } });
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.json.code, 'hook.denied');
      assert.equal((await usersNamed(username)).length, 0);
      assert.equal((await stored('User.Created', (p) => p.data?.username === username)).length, 0);
      const [call] = callsTo('/mgmt').filter((r) => r.json.user.username === username);
      assert.equal(call!.json.interactionEvent, null);
      assert.equal(call!.json.sessionId, null);
      assert.equal(call!.json.user.hasPassword, undefined);

      answers.set('/mgmt', json({ action: 'allow', patch: { customData: { tenant: 't1' } } }));
      const created = await ctx.t.request('POST', '/api/users', {
        body: { username, customData: { source: 'import' } },
      });
      assert.equal(created.status, 200, created.text);
      assert.deepEqual(created.json.customData, { source: 'import', tenant: 't1' });
      const event = await received('User.Created', (p) => p.data?.id === created.json.id);
      assert.deepEqual(event.data.customData, { source: 'import', tenant: 't1' });
      assert.equal((await calls(hook.id, `?userId=${created.json.id}`)).length, 1);

      // A held identifier answers 422 before any hook is asked.
      const before = callsTo('/mgmt').length;
      assert.equal((await ctx.t.request('POST', '/api/users', { body: { username } })).status, 422);
      assert.equal(callsTo('/mgmt').length, before);
    });

    it('a password reset denied: 403, the password unchanged, no PostResetPassword', async () => {
      const email = `${unique('reset')}@example.com`;
      const user = await ctx.t.request('POST', '/api/users', {
        body: { username: unique('resetter'), primaryEmail: email, password: 'old-password-1' },
      });
      assert.equal(user.status, 200);
      const hook = await syncHook('/reset', json({ action: 'deny', code: 'reset_locked', message: 'Call support.' }), {
        phase: 'PrePasswordReset',
      });
      const b = browser();
      await b.call('PUT', '/api/experience', { interactionEvent: 'ForgotPassword' });
      const sent = await b.call('POST', '/api/experience/verification/verification-code', {
        identifier: { type: 'email', value: email },
        interactionEvent: 'ForgotPassword',
      });
      const message = (await ctx.mail.waitFor((rs) => rs.some((r) => r.json?.to === email))).find(
        (r) => r.json?.to === email,
      )!;
      const verified = await b.call('POST', '/api/experience/verification/verification-code/verify', {
        identifier: { type: 'email', value: email },
        verificationId: sent.json.verificationId,
        code: message.json.payload.code,
      });
      assert.equal(verified.status, 200);
      await b.call('POST', '/api/experience/identification', { verificationId: sent.json.verificationId });
      assert.equal(
        (await b.call('PUT', '/api/experience/profile/password', { password: 'new-password-22' })).status,
        204,
      );
      const done = await b.call('POST', '/api/experience/submit');
      assert.equal(done.status, 403, JSON.stringify(done.json));
      assert.equal(done.json.message, 'Call support.');
      const check = await ctx.t.request('POST', `/api/users/${user.json.id}/password/verify`, {
        body: { password: 'old-password-1' },
      });
      assert.equal(check.status, 204, 'the old password still works');
      assert.equal((await stored('PostResetPassword', (p) => p.userId === user.json.id)).length, 0);
      const [call] = callsTo('/reset');
      assert.equal(call!.json.phase, 'PrePasswordReset');
      assert.equal(call!.json.user.id, user.json.id);
      assert.deepEqual(call!.json.identifier, { type: 'email', value: email });
      assert.equal((await calls(hook.id))[0]!.userId, user.json.id);
    });

    it('test sends a sample of the phase and reports the decision, recording nothing; disabled hooks are not called', async () => {
      const hook = await syncHook('/sample', json({ action: 'deny', code: 'test_only', message: 'Sample.' }), {
        phase: 'PrePasswordReset',
        enabled: false,
      });
      const res = await ctx.t.request('POST', `/api/sync-hooks/${hook.id}/test`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.decision, 'deny');
      assert.equal(res.json.effect, 'denied');
      assert.equal(res.json.denyCode, 'test_only');
      assert.equal(res.json.statusCode, 200);
      assert.equal(res.json.request.phase, 'PrePasswordReset');
      assert.equal(res.json.request.interactionEvent, 'ForgotPassword');
      const [sent] = callsTo('/sample');
      assert.equal(
        sent!.headers['logto-signature-sha-256'],
        createHmac('sha256', hook.signingKey).update(sent!.body).digest('hex'),
      );
      const other = await ctx.t.request('POST', `/api/sync-hooks/${hook.id}/test`, {
        body: { config: { url: `${origin()}/nowhere` } },
      });
      assert.equal(other.json.decision, 'failed');
      assert.match(other.json.error, /endpoint answered 500/);
      assert.equal((await calls(hook.id)).length, 0, 'a test is not recorded');

      // Disabled: a real reset is not asked.
      const username = unique('quiet');
      await registered(username);
      assert.equal(callsTo('/sample').length, 1);
    });

    it('the calls log pages and filters, metrics count by hook and decision, and retention prunes old calls', async () => {
      const hook = await syncHook('/count', allow, { phase: 'PreRegister', name: 'counted "hook"' });
      for (let i = 0; i < 3; i++) await registered(unique('counted'));
      const page = await ctx.t.request('GET', `/api/sync-hooks/${hook.id}/calls?page=1&page_size=2`);
      assert.equal(page.json.length, 2);
      assert.equal(page.headers.get('total-number'), '3');
      assert.equal((await calls(hook.id, '?decision=deny')).length, 0);
      assert.equal((await calls(hook.id, `?since=${Date.now() + 60_000}`)).length, 0);
      assert.equal((await calls(hook.id, '?until=0')).length, 0);
      assert.equal((await ctx.t.request('GET', `/api/sync-hooks/${hook.id}/calls?decision=maybe`)).status, 400);

      const metrics = (await ctx.t.request('GET', '/metrics')).text;
      assert.match(
        metrics,
        new RegExp(
          `herald_sync_hook_calls_total\\{hook_id="${hook.id}",hook_name="counted \\\\"hook\\\\"",phase="PreRegister",decision="allow"\\} 3`,
        ),
      );
      assert.match(metrics, /herald_sync_hook_call_duration_seconds_count\{phase="PreRegister"\} \d+/);

      const db = ctx.t.server.database.db;
      await db
        .updateTable('sync_hook_calls')
        .set({ created_at: Date.now() - 400 * 24 * 60 * 60 * 1000 })
        .where('hook_id', '=', hook.id)
        .execute();
      await ctx.t.server.syncHooks.prune();
      assert.equal((await calls(hook.id)).length, 0, 'calls older than the retention are pruned');
    });
  });

  describe(`synchronous hooks and the SSRF guard (${store})`, () => {
    let t: TestServer;
    let endpoint: Receiver;
    before(async () => {
      endpoint = await startReceiver({ status: 200, body: '{"action":"allow"}' });
      t = await startTestServer(store, { HERALD_ALLOW_PRIVATE_NETWORKS: 'false' });
    });
    after(async () => {
      await t?.close();
      await endpoint?.close();
    });

    it('a refused internal address is a failure: closed answers 503 and nothing reaches the address', async () => {
      const hook = await t.request('POST', '/api/sync-hooks', {
        body: { phase: 'PreRegister', config: { url: endpoint.url }, failurePolicy: 'closed' },
      });
      assert.equal(hook.status, 201, 'stored, as a webhook would be');
      const refused = await t.request('POST', '/api/users', { body: { username: 'guarded' } });
      assert.equal(refused.status, 503, refused.text);
      assert.equal(refused.json.code, 'hook.sync_unavailable');
      const log = (await t.request('GET', `/api/sync-hooks/${hook.json.id}/calls`)).json;
      assert.match(log[0].error, /E_BLOCKED_DESTINATION/);
      const tested = await t.request('POST', `/api/sync-hooks/${hook.json.id}/test`);
      assert.equal(tested.json.blocked, true);
      assert.equal(endpoint.requests.length, 0);
    });
  });
}
