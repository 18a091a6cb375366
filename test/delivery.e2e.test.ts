import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { transaction } from '../src/db/tx.ts';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually, startTestServer } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const store of stores) {
  describe(`delivery end to end (${store})`, () => {
    const ctx = useServer(store, { receiver: true });

    async function createHook(body: Record<string, unknown>) {
      const res = await ctx.t.request('POST', '/api/hooks', {
        body: { name: 'e2e', config: { url: ctx.receiver.url }, ...body },
      });
      assert.equal(res.status, 201, res.text);
      return res.json;
    }

    it('delivers a signed POST with Logto’s body, both signatures verifiable, custom headers applied', async () => {
      const hook = await createHook({
        events: ['User.Created'],
        config: { url: `${ctx.receiver.url}?h=1`, headers: { 'X-Tenant': 'acme', 'User-Agent': 'custom-agent/1' } },
      });
      const { eventId } = await emitEvent(ctx.t, 'User.Created', {
        data: { id: 'u1', username: 'ada' },
        path: '/users',
        method: 'POST',
        status: 201,
      });
      const [req] = (await ctx.receiver.waitFor((rs) => rs.some((r) => r.path === '/hook?h=1'))).filter(
        (r) => r.path === '/hook?h=1',
      );
      assert.ok(req);
      assert.equal(req.method, 'POST');
      assert.match(String(req.headers['content-type']), /^application\/json/);
      assert.equal(req.headers['user-agent'], 'custom-agent/1', 'a custom header overrides user-agent');
      assert.equal(req.headers['x-tenant'], 'acme');

      assert.equal(req.json.event, 'User.Created');
      assert.equal(req.json.hookId, hook.id);
      assert.deepEqual(Object.keys(req.json).at(-1), 'hookId', 'hookId comes last, as in Logto');
      assert.match(req.json.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(req.json.data, { id: 'u1', username: 'ada' });

      const expected = createHmac('sha256', hook.signingKey).update(req.body).digest('hex');
      assert.equal(req.headers['logto-signature-sha-256'], expected, 'Logto signature over the raw body');
      const verified = new Webhook(hook.standardSigningKey).verify(req.body, {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      });
      assert.deepEqual(verified, req.json, 'standardwebhooks verifies the request');

      const deliveries = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries`);
      assert.equal(deliveries.status, 200);
      const delivery = deliveries.json.data[0];
      assert.equal(delivery.id, req.headers['webhook-id'], 'webhook-id is the delivery id');
      assert.equal(delivery.eventId, eventId);
    });

    it('sends nothing to disabled or unsubscribed hooks; the legacy `event` subscribes only when `events` is empty', async () => {
      const marker = (name: string) => `${ctx.receiver.url}?m=${name}`;
      await createHook({ events: ['Role.Created'], config: { url: marker('disabled') }, enabled: false });
      await createHook({ events: ['Role.Deleted'], config: { url: marker('other-event') } });
      await createHook({ event: 'Role.Created', events: ['Role.Deleted'], config: { url: marker('legacy-ignored') } });
      await createHook({ event: 'Role.Created', config: { url: marker('legacy') } });
      await createHook({ events: ['Role.Created'], config: { url: marker('subscribed') } });
      await emitEvent(ctx.t, 'Role.Created', { data: { id: 'r1' } });
      await ctx.receiver.waitFor(
        (rs) => rs.some((r) => r.path.endsWith('m=subscribed')) && rs.some((r) => r.path.endsWith('m=legacy')),
      );
      await sleep(400);
      const paths = ctx.receiver.requests.map((r) => r.path);
      for (const silent of ['disabled', 'other-event', 'legacy-ignored'])
        assert.ok(!paths.some((p) => p.endsWith(`m=${silent}`)), silent);
    });

    it('emits nothing when the transaction rolls back', async () => {
      await createHook({ events: ['Scope.Created'], config: { url: `${ctx.receiver.url}?m=rollback` } });
      await assert.rejects(
        transaction(ctx.t.server.database.db, async (tx) => {
          await ctx.t.server.emitter.emit(tx, { event: 'Scope.Created', context: { data: { id: 's1' } } });
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      const events = await ctx.t.server.database.db
        .selectFrom('events')
        .select('id')
        .where('name', '=', 'Scope.Created')
        .execute();
      assert.equal(events.length, 0, 'no event row');
      const deliveries = await ctx.t.server.database.db
        .selectFrom('deliveries')
        .select('id')
        .where('event_name', '=', 'Scope.Created')
        .execute();
      assert.equal(deliveries.length, 0, 'no delivery row');
      await sleep(300);
      assert.ok(!ctx.receiver.requests.some((r) => r.path.endsWith('m=rollback')));
    });

    it('retries 500, timeouts and connection resets on the schedule with a stable webhook-id, then fails with every attempt listed', async () => {
      const scenarios = [
        {
          name: 'status',
          behaviour: { status: 500, body: '{"error":"boom","secret":"s3"}' } as const,
          expect: /endpoint answered 500/,
        },
        { name: 'reset', behaviour: 'reset' as const, expect: /ECONNRESET|socket|closed|terminated/i },
      ];
      for (const scenario of scenarios) {
        const local = await startReceiver(scenario.behaviour);
        try {
          const hook = await createHook({ events: ['Organization.Created'], config: { url: local.url } });
          await emitEvent(ctx.t, 'Organization.Created', { data: { id: 'o1' } });
          const requests = await local.waitFor((rs) => rs.length >= 3);
          const ids = new Set(requests.map((r) => r.headers['webhook-id']));
          assert.equal(ids.size, 1, `${scenario.name}: webhook-id stable across retries`);
          const gaps = [requests[1]!.at - requests[0]!.at, requests[2]!.at - requests[1]!.at];
          for (const gap of gaps) assert.ok(gap >= 140, `${scenario.name}: retry waited ~200 ms ±20 %, got ${gap}`);

          const delivery = await eventually(async () => {
            const list = (await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?status=failed`)).json.data;
            return list.length === 1 ? list[0] : undefined;
          });
          assert.equal(delivery.attempts, 3);
          const detail = (await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries/${delivery.id}`)).json;
          assert.equal(detail.status, 'failed');
          assert.deepEqual(
            detail.attemptLog.map((a: { attempt: number }) => a.attempt),
            [1, 2, 3],
          );
          for (const attempt of detail.attemptLog) {
            assert.equal(attempt.result, 'error');
            assert.match(attempt.error, scenario.expect);
            assert.equal(typeof attempt.durationMs, 'number');
          }
          if (scenario.name === 'status') {
            assert.equal(detail.attemptLog[0].statusCode, 500);
            assert.equal(
              detail.attemptLog[0].responseBody,
              '{"error":"boom","secret":"******"}',
              'sensitive values masked',
            );
            assert.equal(detail.attemptLog[0].responseHeaders['content-type'], 'text/plain');
          }
          await sleep(500);
          assert.equal(local.requests.length, 3, 'no attempt after the schedule is exhausted');
        } finally {
          await local.close();
        }
      }
    });

    it('times out a hanging endpoint per attempt, and succeeds once the endpoint recovers', async () => {
      const local = await startReceiver('hang');
      const t2 = await startTestServer(store, {
        HERALD_REQUEST_TIMEOUT_MS: '300',
        HERALD_RETRY_SCHEDULE: '0.1,0.1,0.1',
      });
      try {
        const hook = (
          await t2.request('POST', '/api/hooks', { body: { events: ['User.Deleted'], config: { url: local.url } } })
        ).json;
        await emitEvent(t2, 'User.Deleted', { data: { id: 'u9' } });
        await local.waitFor((rs) => rs.length >= 2);
        local.respondWith({ status: 204 });
        const delivery = await eventually(async () => {
          const list = (await t2.request('GET', `/api/hooks/${hook.id}/deliveries?status=succeeded`)).json.data;
          return list.length === 1 ? list[0] : undefined;
        });
        const detail = (await t2.request('GET', `/api/hooks/${hook.id}/deliveries/${delivery.id}`)).json;
        const [first, ...rest] = detail.attemptLog;
        assert.match(first.error, /timed out after 300 ms/);
        assert.ok(
          first.durationMs >= 250 && first.durationMs < 2000,
          `attempt bounded by the timeout: ${first.durationMs}`,
        );
        assert.equal(rest.at(-1).statusCode, 204);
        assert.equal(rest.at(-1).result, 'success');
        assert.equal(detail.attempts, detail.attemptLog.length);
      } finally {
        await t2.close();
        await local.close();
      }
    });

    it('keeps only the first 20 KB of a response body in the attempt log', async () => {
      const local = await startReceiver({ status: 200, body: 'x'.repeat(100_000) });
      try {
        const hook = await createHook({ events: ['OrganizationScope.Created'], config: { url: local.url } });
        await emitEvent(ctx.t, 'OrganizationScope.Created', { data: { id: 'os1' } });
        const delivery = await eventually(async () => {
          const list = (await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?status=succeeded`)).json.data;
          return list.length === 1 ? list[0] : undefined;
        });
        const detail = (await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries/${delivery.id}`)).json;
        assert.equal(detail.attemptLog[0].responseBody.length, 20 * 1024);
      } finally {
        await local.close();
      }
    });

    it('does not follow redirects: a 3xx is a failed attempt', async () => {
      const target = await startReceiver();
      const local = await startReceiver({ status: 302, headers: { location: target.url } });
      try {
        const hook = await createHook({ events: ['OrganizationRole.Created'], config: { url: local.url } });
        await emitEvent(ctx.t, 'OrganizationRole.Created', { data: { id: 'or1' } });
        await local.waitFor((rs) => rs.length >= 3);
        const delivery = await eventually(async () => {
          const list = (await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?status=failed`)).json.data;
          return list.length === 1 ? list[0] : undefined;
        });
        assert.equal(delivery.lastStatusCode, 302);
        assert.equal(target.requests.length, 0, 'the redirect target was never called');
      } finally {
        await local.close();
        await target.close();
      }
    });
  });
}
