/**
 * Where Herald answers as Logto's current source does (logto-io/logto, packages/core/src/routes/
 * hook.ts and libraries/hook/utils.ts), on both stores: not-found codes of the hook routes,
 * recent-logs of an unknown hook, development-only events refused, the test payload field by
 * field, unknown paths under a public prefix, and Logto's user agent on request.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { devFeatureHookEvents, userInfoSelectFields } from '@logto/schemas';
import { interactionBrowser } from './helpers/interaction-browser.ts';
import { assertNoOpenServers, emitEvent, eventually, startTestServer } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

/** The sample user of Logto's generateHookTestPayload, keys in its order. */
const LOGTO_TEST_USER_KEYS = [
  'id',
  'username',
  'primaryEmail',
  'primaryPhone',
  'name',
  'avatar',
  'customData',
  'identities',
  'profile',
  'applicationId',
  'cimdClientId',
  'isSuspended',
  'lastSignInAt',
  'createdAt',
  'updatedAt',
];

for (const store of stores) {
  describe(`Logto's contract (${store})`, () => {
    const ctx = useServer(store, { receiver: true });

    it("refuses Logto's development-only events (TrustedDevice.*) on create, update and test, with 400 guard.invalid_input", async () => {
      for (const event of devFeatureHookEvents) {
        const created = await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'td', events: [event], config: { url: ctx.receiver.url } },
        });
        assert.equal(created.status, 400, created.text);
        assert.equal(created.json.code, 'guard.invalid_input');
        const legacy = await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'td', event, config: { url: ctx.receiver.url } },
        });
        assert.equal(legacy.status, 400);
      }
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'ok', events: ['User.Created'], config: { url: ctx.receiver.url } },
        })
      ).json;
      const patched = await ctx.t.request('PATCH', `/api/hooks/${hook.id}`, {
        body: { events: ['TrustedDevice.Created'] },
      });
      assert.equal(patched.status, 400);
      assert.equal(patched.json.code, 'guard.invalid_input');
      const tested = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        body: { events: ['TrustedDevice.Deleted'], config: { url: ctx.receiver.url } },
      });
      assert.equal(tested.status, 400);
      assert.deepEqual((await ctx.t.request('GET', `/api/hooks/${hook.id}`)).json.events, ['User.Created']);
      // OpenAPI: event names are strings of the events a hook may take.
      const doc = (await ctx.t.request('GET', '/api/swagger.json', { key: null })).json;
      const names = doc.components.schemas.Hook.properties.events.items;
      assert.equal(names.type, 'string');
      assert.ok(names.enum.includes('User.Created'));
      assert.ok(!names.enum.includes('TrustedDevice.Created'));
    });

    it("takes a hook URL as Logto does: not_work_url is stored, its delivery fails at once with Logto's error, /test answers 422", async () => {
      const payload = { event: 'PostRegister', config: { url: 'not_work_url', retries: 2 } };
      const created = await ctx.t.request('POST', '/api/hooks', { body: payload });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.json.event, 'PostRegister');
      assert.deepEqual(created.json.config, payload.config);
      assert.ok((await ctx.t.request('GET', '/api/hooks')).json.some((h: { id: string }) => h.id === created.json.id));
      assert.deepEqual((await ctx.t.request('GET', `/api/hooks/${created.json.id}`)).json, created.json);
      const patched = await ctx.t.request('PATCH', `/api/hooks/${created.json.id}`, { body: { event: 'PostSignIn' } });
      assert.equal(patched.json.event, 'PostSignIn');

      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'invalid', events: ['User.Created'], config: { url: 'not_work_url' } },
        })
      ).json;
      await emitEvent(ctx.t, 'User.Created', { data: { id: 'nw' } });
      const [delivery] = await eventually(async () => {
        const list = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?status=failed`);
        return list.json.data.length ? list.json.data : undefined;
      });
      assert.equal(delivery.attempts, 1, 'not retried');
      assert.equal(delivery.lastError, 'Failed to parse URL from not_work_url');
      const detail = (await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries/${delivery.id}`)).json;
      assert.equal(detail.attemptLog[0].error, 'Failed to parse URL from not_work_url');
      const logs = (await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs`)).json;
      assert.equal(logs[0].payload.result, 'Error');
      assert.match(logs[0].payload.error, /Failed to parse URL from not_work_url/);
      const health = (await ctx.t.request('GET', `/api/hooks/${hook.id}/health`)).json;
      assert.equal(JSON.stringify(health).includes('"failed":1'), true, 'counted as a failure');
      const stats = (await ctx.t.request('GET', `/api/hooks/${hook.id}?includeExecutionStats=true`)).json
        .executionStats;
      assert.deepEqual(stats, { requestCount: 1, successCount: 0 });

      const test = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        body: { events: ['PostSignIn'], config: { url: 'not_work_url' } },
      });
      assert.equal(test.status, 422);
      assert.equal(test.json.code, 'hook.send_test_payload_failed');
      assert.equal(test.json.message, 'Failed to send test payload: Failed to parse URL from not_work_url');
      for (const id of [created.json.id, hook.id])
        assert.equal((await ctx.t.request('DELETE', `/api/hooks/${id}`)).status, 204);
      const gone = await ctx.t.request('GET', `/api/hooks/${created.json.id}`);
      assert.deepEqual([gone.status, gone.json.code], [404, 'entity.not_exists_with_id']);
    });

    it('answers not-found as Logto: GET and /test entity.not_exists_with_id, PATCH entity.not_exists, DELETE entity.not_found, recent-logs 200 []', async () => {
      const id = 'aaaaaaaaaaaaaaaaaaaaa';
      const get = await ctx.t.request('GET', `/api/hooks/${id}`);
      assert.deepEqual([get.status, get.json.code], [404, 'entity.not_exists_with_id']);
      const test = await ctx.t.request('POST', `/api/hooks/${id}/test`, {
        body: { events: ['User.Created'], config: { url: ctx.receiver.url } },
      });
      assert.deepEqual([test.status, test.json.code], [404, 'entity.not_exists_with_id']);
      for (const path of [`/api/hooks/${id}`, `/api/hooks/${id}/signing-key`]) {
        const patch = await ctx.t.request('PATCH', path, { body: { name: 'x' } });
        assert.deepEqual(
          [patch.status, patch.json.code, patch.json.message],
          [404, 'entity.not_exists', 'The hook does not exist.'],
          path,
        );
      }
      const del = await ctx.t.request('DELETE', `/api/hooks/${id}`);
      assert.deepEqual([del.status, del.json.code], [404, 'entity.not_found']);
      const logs = await ctx.t.request('GET', `/api/hooks/${id}/recent-logs`);
      assert.equal(logs.status, 200);
      assert.deepEqual(logs.json, []);
      assert.equal(logs.headers.get('total-number'), '0');
    });

    it('answers 404 request.route_not_found for an unknown path under a public prefix, without a key; other /api paths still want one', async () => {
      for (const path of ['/api/experience/whatever', '/api/experience/verification/nothing', '/api/status/x']) {
        const res = await ctx.t.request('POST', path, { key: null, body: {} });
        assert.equal(res.status, 404, path);
        assert.equal(res.json.code, 'request.route_not_found');
      }
      const other = await ctx.t.request('GET', '/api/whatever', { key: null });
      assert.equal(other.status, 401);
      assert.equal(other.json.code, 'auth.unauthorized');
    });

    it("registers through new-password-identity as Logto's sign-up helpers do, then signs in; taken usernames and weak passwords answer Logto's codes", async () => {
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: {
            name: 'reg',
            events: ['User.Created', 'PostRegister', 'PostSignIn'],
            config: { url: `${ctx.receiver.url}/reg` },
          },
        })
      ).json;
      const username = `npi_${store}_${Date.now() % 100_000}`;
      const b = interactionBrowser(ctx.t);
      assert.equal((await b.call('PUT', '/api/experience', { interactionEvent: 'Register' })).status, 204);
      const weak = await b.call('POST', '/api/experience/verification/new-password-identity', {
        identifier: { type: 'username', value: username },
        password: 'short',
      });
      assert.equal(weak.status, 422);
      assert.equal(weak.json.code, 'password.rejected');
      const verified = await b.call('POST', '/api/experience/verification/new-password-identity', {
        identifier: { type: 'username', value: username },
        password: 'a-good-password-1',
      });
      assert.equal(verified.status, 200, JSON.stringify(verified.json));
      assert.equal(typeof verified.json.verificationId, 'string');
      assert.equal(
        (await b.call('POST', '/api/experience/identification', { verificationId: verified.json.verificationId }))
          .status,
        201,
      );
      const submitted = await b.call('POST', '/api/experience/submit');
      assert.equal(submitted.status, 200);
      const user = (await ctx.t.request('GET', `/api/users/${submitted.json.userId}`)).json;
      assert.equal(user.username, username);
      assert.equal(user.hasPassword, true);
      const events = await ctx.receiver.waitFor((rs) => rs.filter((r) => r.path.endsWith('/reg')).length >= 2);
      assert.deepEqual(
        events
          .filter((r) => r.path.endsWith('/reg'))
          .map((r) => r.json.event)
          .sort(),
        ['PostRegister', 'User.Created'],
      );

      const taken = interactionBrowser(ctx.t);
      await taken.call('PUT', '/api/experience', { interactionEvent: 'Register' });
      const again = await taken.call('POST', '/api/experience/verification/new-password-identity', {
        identifier: { type: 'username', value: username },
        password: 'another-password-1',
      });
      assert.equal(again.status, 422);
      assert.equal(again.json.code, 'user.username_already_in_use');
      const badName = await taken.call('POST', '/api/experience/verification/new-password-identity', {
        identifier: { type: 'username', value: '1bad name' },
        password: 'another-password-1',
      });
      assert.equal(badName.status, 400);

      const signIn = interactionBrowser(ctx.t);
      await signIn.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const password = await signIn.call('POST', '/api/experience/verification/password', {
        identifier: { type: 'username', value: username },
        password: 'a-good-password-1',
      });
      assert.equal(password.status, 200);
      assert.equal(
        (await signIn.call('POST', '/api/experience/identification', { verificationId: password.json.verificationId }))
          .status,
        204,
      );
      assert.equal((await signIn.call('POST', '/api/experience/submit')).json.userId, submitted.json.userId);
      await ctx.t.request('DELETE', `/api/hooks/${hook.id}`);
    });

    it("sends Logto's test payload: the sample user field by field (cimdClientId: null included)", async () => {
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'payload', events: ['PostSignIn'], config: { url: ctx.receiver.url } },
        })
      ).json;
      const res = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        body: { events: ['PostSignIn', 'Role.Created'], config: { url: `${ctx.receiver.url}/payload` } },
      });
      assert.equal(res.status, 204);
      const got = await ctx.receiver.waitFor((rs) => rs.filter((r) => r.path.endsWith('/payload')).length >= 2);
      const signIn = got.find((r) => r.path.endsWith('/payload') && r.json?.event === 'PostSignIn')!.json;
      assert.deepEqual(Object.keys(signIn), [
        'event',
        'hookId',
        'createdAt',
        'userAgent',
        'sessionId',
        'userIp',
        'userId',
        'user',
        'application',
      ]);
      assert.deepEqual(Object.keys(signIn.user), LOGTO_TEST_USER_KEYS);
      assert.deepEqual([...Object.keys(signIn.user)].sort(), [...userInfoSelectFields].sort());
      assert.equal(signIn.user.cimdClientId, null);
      assert.deepEqual(signIn.application, {
        id: 'fake-spa-application-id',
        type: 'SPA',
        name: 'Fake Application',
        description: 'Fake application data for testing',
      });
      const role = got.find((r) => r.path.endsWith('/payload') && r.json?.event === 'Role.Created')!.json;
      assert.deepEqual(role, {
        event: 'Role.Created',
        hookId: hook.id,
        createdAt: role.createdAt,
        userAgent: 'fake-user-agent',
        path: '/fake-path/:id',
        method: 'POST',
        status: 200,
        params: { id: 'fake-id' },
        data: { result: 'success' },
      });
    });

    it("sends Herald's user agent by default, Logto's with HERALD_WEBHOOK_USER_AGENT=logto (a custom header still wins)", async () => {
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'ua', events: ['User.Created'], config: { url: `${ctx.receiver.url}/ua-herald` } },
        })
      ).json;
      await emitEvent(ctx.t, 'User.Created', { data: { id: 'ua' } });
      const herald = (await ctx.receiver.waitFor((rs) => rs.some((r) => r.path.endsWith('/ua-herald')))).find((r) =>
        r.path.endsWith('/ua-herald'),
      )!;
      assert.match(String(herald.headers['user-agent']), /^Herald\//);
      await ctx.t.request('DELETE', `/api/hooks/${hook.id}`);

      const logto = await startTestServer(store, { HERALD_WEBHOOK_USER_AGENT: 'logto' });
      try {
        const h = (
          await logto.request('POST', '/api/hooks', {
            body: { name: 'ua', events: ['User.Created'], config: { url: `${ctx.receiver.url}/ua-logto` } },
          })
        ).json;
        await emitEvent(logto, 'User.Created', { data: { id: 'ua' } });
        const sent = (await ctx.receiver.waitFor((rs) => rs.some((r) => r.path.endsWith('/ua-logto')))).find((r) =>
          r.path.endsWith('/ua-logto'),
        )!;
        assert.equal(sent.headers['user-agent'], 'Logto (https://logto.io/)');
        await logto.request('POST', `/api/hooks/${h.id}/test`, {
          body: { events: ['User.Created'], config: { url: `${ctx.receiver.url}/ua-logto-test` } },
        });
        const tested = (await ctx.receiver.waitFor((rs) => rs.some((r) => r.path.endsWith('/ua-logto-test')))).find(
          (r) => r.path.endsWith('/ua-logto-test'),
        )!;
        assert.equal(tested.headers['user-agent'], 'Logto (https://logto.io/)');
        const [delivery] = await eventually(async () => {
          const list = await logto.request('GET', `/api/hooks/${h.id}/deliveries`);
          return list.json.data.length ? list.json.data : undefined;
        });
        const detail = await logto.request('GET', `/api/hooks/${h.id}/deliveries/${delivery.id}`);
        assert.equal(detail.json.request.headers['user-agent'], 'Logto (https://logto.io/)');
        await logto.request('POST', `/api/hooks/${h.id}/test`, {
          body: {
            events: ['User.Created'],
            config: { url: `${ctx.receiver.url}/ua-custom`, headers: { 'User-Agent': 'mine/1' } },
          },
        });
        const custom = (await ctx.receiver.waitFor((rs) => rs.some((r) => r.path.endsWith('/ua-custom')))).find((r) =>
          r.path.endsWith('/ua-custom'),
        )!;
        assert.equal(custom.headers['user-agent'], 'mine/1');
      } finally {
        await logto.close();
      }
    });
  });
}
