import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { hookResponseGuard } from '@logto/schemas';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

for (const store of stores) {
  describe(`test payloads, recent logs and stats (${store})`, () => {
    const ctx = useServer(store, {
      receiver: { status: 200, body: '{"ok":true,"token":"t0p"}', headers: { 'content-type': 'application/json' } },
    });

    const createHook = async (events: string[], url = ctx.receiver.url) =>
      (await ctx.t.request('POST', '/api/hooks', { body: { name: 'logs', events, config: { url } } })).json;

    it('sends one signed test payload per event to the given config and records nothing (204)', async () => {
      const hook = await createHook(['User.Created'], 'https://stored.example/never-called');
      const before = ctx.receiver.requests.length;
      const res = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        body: {
          events: ['PostSignIn', 'Role.Created'],
          config: { url: `${ctx.receiver.url}?test=1`, headers: { 'x-test': 'yes' } },
        },
      });
      assert.equal(res.status, 204, res.text);
      const sent = ctx.receiver.requests.slice(before);
      assert.equal(sent.length, 2);
      const byEvent = new Map(sent.map((r) => [r.json.event, r]));
      const signIn = byEvent.get('PostSignIn');
      assert.equal(signIn?.json.user.id, 'fake-id');
      assert.equal(signIn?.json.hookId, hook.id);
      assert.equal(signIn?.headers['x-test'], 'yes');
      assert.deepEqual(byEvent.get('Role.Created')?.json.data, { result: 'success' });
      const { createHmac } = await import('node:crypto');
      for (const r of sent)
        assert.equal(
          r.headers['logto-signature-sha-256'],
          createHmac('sha256', hook.signingKey).update(r.body).digest('hex'),
        );

      const logs = await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs`);
      assert.deepEqual(logs.json, [], 'test sends are not logged');
      const deliveries = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries`);
      assert.deepEqual(deliveries.json.data, []);
    });

    it('answers 422 hook.endpoint_responded_with_error with the status and body, and 422 hook.send_test_payload_failed when nothing answers', async () => {
      const hook = await createHook(['User.Created']);
      const failing = await startReceiver({ status: 503, body: 'down for maintenance' });
      const closedPort = failing.url;
      try {
        const res = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
          body: { events: ['User.Created'], config: { url: failing.url } },
        });
        assert.equal(res.status, 422);
        assert.equal(res.json.code, 'hook.endpoint_responded_with_error');
        assert.deepEqual(res.json.data, { responseStatus: 503, responseBody: 'down for maintenance' });
      } finally {
        await failing.close();
      }
      const refused = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        body: { events: ['User.Created'], config: { url: closedPort } },
      });
      assert.equal(refused.status, 422);
      assert.equal(refused.json.code, 'hook.send_test_payload_failed');
      assert.match(refused.json.message, /^Failed to send test payload: .*ECONNREFUSED/);

      const unknown = await ctx.t.request('POST', '/api/hooks/aaaaaaaaaaaaaaaaaaaaa/test', {
        body: { events: ['User.Created'], config: { url: ctx.receiver.url } },
      });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.code, 'entity.not_exists_with_id');
      const noEvents = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        body: { events: [], config: { url: ctx.receiver.url } },
      });
      assert.equal(noEvents.status, 400);
      assert.equal(noEvents.json.code, 'guard.invalid_input');
    });

    it('with Prefer: return=representation answers 200 with what each event got: status and body, or the error', async () => {
      const hook = await createHook(['User.Created']);
      const prefer = { prefer: 'return=representation' };
      const ok = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        headers: prefer,
        body: { events: ['User.Created', 'PostSignIn'], config: { url: ctx.receiver.url } },
      });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.headers.get('preference-applied'), 'return=representation');
      assert.deepEqual(
        ok.json.results.map((r: Record<string, unknown>) => [
          r.event,
          r.ok,
          r.statusCode,
          r.responseBody,
          r.error,
          r.blocked,
        ]),
        [
          ['User.Created', true, 200, '{"ok":true,"token":"******"}', null, false],
          ['PostSignIn', true, 200, '{"ok":true,"token":"******"}', null, false],
        ],
      );
      assert.ok(
        ok.json.results.every((r: { durationMs: number }) => Number.isInteger(r.durationMs) && r.durationMs >= 0),
      );

      const failing = await startReceiver({ status: 503, body: 'down for maintenance' });
      const closedPort = failing.url;
      try {
        const bad = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
          headers: prefer,
          body: { events: ['User.Created'], config: { url: failing.url } },
        });
        assert.equal(bad.status, 200);
        assert.deepEqual(
          bad.json.results.map((r: Record<string, unknown>) => [r.ok, r.statusCode, r.responseBody, r.error]),
          [[false, 503, 'down for maintenance', 'endpoint answered 503']],
        );
      } finally {
        await failing.close();
      }
      const refused = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        headers: prefer,
        body: { events: ['User.Created'], config: { url: closedPort } },
      });
      assert.equal(refused.status, 200);
      assert.equal(refused.json.results[0].ok, false);
      assert.equal(refused.json.results[0].statusCode, null);
      assert.match(refused.json.results[0].error, /ECONNREFUSED/);
      // Other preferences keep Logto's answer.
      const plain = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        headers: { prefer: 'return=minimal' },
        body: { events: ['User.Created'], config: { url: ctx.receiver.url } },
      });
      assert.equal(plain.status, 204);
      const missing = await ctx.t.request('POST', '/api/hooks/aaaaaaaaaaaaaaaaaaaaa/test', {
        headers: prefer,
        body: { events: ['User.Created'], config: { url: ctx.receiver.url } },
      });
      assert.equal(missing.status, 404);
    });

    it('lists recent logs in Logto’s shape, newest first, masked, filtered by logKey and paged; counts executionStats', async () => {
      const hook = await createHook(['User.Created', 'User.Deleted']);
      const failing = await startReceiver({ status: 500, body: 'nope' });
      const failingHook = await createHook(['User.Created'], failing.url);
      try {
        // A few milliseconds apart: entries are ordered by time (ties by id), newest first.
        await emitEvent(ctx.t, 'User.Created', { data: { id: 'u1', password: 'hunter2' } });
        await new Promise((r) => setTimeout(r, 5));
        await emitEvent(ctx.t, 'User.Created', { data: { id: 'u2' } });
        await new Promise((r) => setTimeout(r, 5));
        await emitEvent(ctx.t, 'User.Deleted', { data: { id: 'u1' } });
        const logs = await eventually(async () => {
          const res = await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs`);
          return res.json.length === 3 ? res : undefined;
        });
        assert.equal(logs.headers.get('total-number'), '3');
        assert.match(logs.headers.get('link') ?? '', /rel="first"/);
        const [newest] = logs.json;
        assert.equal(newest.key, 'TriggerHook.User.Deleted');
        const createdAts = logs.json.map((l: { createdAt: number }) => l.createdAt);
        assert.deepEqual(
          createdAts,
          [...createdAts].sort((a, b) => b - a),
        );
        for (const log of logs.json) {
          assert.deepEqual(Object.keys(log).sort(), ['createdAt', 'id', 'key', 'payload']);
          assert.equal(log.payload.key, log.key);
          assert.equal(log.payload.result, 'Success');
          assert.equal(log.payload.hookId, hook.id);
          assert.equal(log.payload.hookRequest.body.hookId, hook.id);
          assert.equal(log.payload.response.statusCode, 200);
          assert.deepEqual(log.payload.response.body, { ok: true, token: '******' });
        }
        const withPassword = logs.json.find(
          (l: any) => l.payload.hookRequest.body.data.id === 'u1' && l.key === 'TriggerHook.User.Created',
        );
        assert.equal(
          withPassword.payload.hookRequest.body.data.password,
          '******',
          'the password is masked in the log',
        );

        const filtered = await ctx.t.request(
          'GET',
          `/api/hooks/${hook.id}/recent-logs?logKey=TriggerHook.User.Created&page_size=1`,
        );
        assert.equal(filtered.json.length, 1);
        assert.equal(filtered.headers.get('total-number'), '2');
        const next = /<([^>]+)>; rel="next"/.exec(filtered.headers.get('link') ?? '')?.[1] ?? '';
        assert.equal(new URL(next).searchParams.get('page'), '2');
        assert.equal(
          new URL(next).searchParams.get('logKey'),
          'TriggerHook.User.Created',
          'other query parameters are kept',
        );
        const second = await ctx.t.request('GET', new URL(next).pathname + new URL(next).search);
        assert.equal(second.json.length, 1);
        assert.notEqual(second.json[0].id, filtered.json[0].id);

        const future = Date.now() + 60_000;
        const windowed = await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs?start_time=${future}`);
        assert.deepEqual(windowed.json, []);
        const badWindow = await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs?start_time=10&end_time=5`);
        assert.equal(badWindow.status, 400);
        assert.equal(badWindow.json.code, 'guard.invalid_input');
        const badTime = await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs?end_time=soon`);
        assert.equal(badTime.status, 400);

        await eventually(async () => {
          const res = await ctx.t.request('GET', `/api/hooks/${failingHook.id}/deliveries?status=failed`);
          return res.json.data.length === 2 ? true : undefined;
        });
        const errorLogs = (await ctx.t.request('GET', `/api/hooks/${failingHook.id}/recent-logs`)).json;
        assert.equal(errorLogs.length, 2);
        assert.equal(errorLogs[0].payload.result, 'Error');
        assert.equal(errorLogs[0].payload.response.statusCode, 500);
        assert.equal(errorLogs[0].payload.response.body, 'nope');
        assert.match(errorLogs[0].payload.error, /500/);

        const stats = (await ctx.t.request('GET', `/api/hooks?includeExecutionStats=true`)).json;
        const ok = hookResponseGuard.parse(stats.find((h: { id: string }) => h.id === hook.id));
        assert.deepEqual(ok.executionStats, { requestCount: 3, successCount: 3 });
        const bad = hookResponseGuard.parse(stats.find((h: { id: string }) => h.id === failingHook.id));
        assert.deepEqual(bad.executionStats, { requestCount: 2, successCount: 0 });
      } finally {
        await failing.close();
      }
    });

    it('pages deliveries with a cursor and filters by status and event', async () => {
      const hook = await createHook(['Organization.Deleted', 'Organization.Data.Updated']);
      for (let i = 0; i < 5; i++) await emitEvent(ctx.t, 'Organization.Deleted', { data: { id: `o${i}` } });
      await emitEvent(ctx.t, 'Organization.Data.Updated', { data: { id: 'o0' } });
      await eventually(async () => {
        const res = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?status=succeeded&limit=100`);
        return res.json.data.length === 6 ? true : undefined;
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `limit=2&event=Organization.Deleted${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?${query}`)).json;
        assert.ok(page.data.length <= 2);
        seen.push(...page.data.map((d: { id: string }) => d.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(seen.length, 5);
      assert.equal(new Set(seen).size, 5, 'no delivery twice across pages');
      const bad = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?cursor=garbage`);
      assert.equal(bad.status, 400);
      assert.equal(bad.json.code, 'guard.invalid_input');
      const badStatus = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?status=lost`);
      assert.equal(badStatus.status, 400);
      const missing = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries/aaaaaaaaaaaaaaaaaaaaa`);
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, 'entity.not_exists_with_id');
    });
  });
}
