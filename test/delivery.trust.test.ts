/** Issue 5's delivery guarantees: SSRF guard, isolation, Retry-After, 410, auto-disable, replay, key rotation. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually, startTestServer, type TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const store of stores) {
  describe(`delivery you can trust (${store})`, () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const fn of cleanup.reverse()) await fn();
    });
    async function server(env: Record<string, string> = {}) {
      const t = await startTestServer(store, env);
      cleanup.push(() => t.close());
      return t;
    }
    async function receiver(...args: Parameters<typeof startReceiver>) {
      const r = await startReceiver(...args);
      cleanup.push(() => r.close());
      return r;
    }
    const createHook = async (t: TestServer, url: string, events = ['User.Created']) => {
      const res = await t.request('POST', '/api/hooks', { body: { events, config: { url } } });
      assert.equal(res.status, 201, res.text);
      return res.json;
    };
    const deliveriesOf = async (t: TestServer, hookId: string, query = '') =>
      (await t.request('GET', `/api/hooks/${hookId}/deliveries?limit=100${query}`)).json.data;
    const detailOf = async (t: TestServer, hookId: string, id: string) =>
      (await t.request('GET', `/api/hooks/${hookId}/deliveries/${id}`)).json;

    it('refuses internal destinations at connect time, once, with E_BLOCKED_DESTINATION; /test reflects nothing', async () => {
      const t = await server({ HERALD_ALLOW_PRIVATE_NETWORKS: 'false' });
      const target = await receiver();
      const port = new URL(target.url).port;
      const urls = [
        `http://127.0.0.1:${port}/hook`,
        `http://localhost:${port}/hook`,
        `http://2130706433:${port}/hook`,
        `http://0x7f.0.0.1:${port}/hook`,
        `http://0177.0.0.1:${port}/hook`,
        `http://[::ffff:127.0.0.1]:${port}/hook`,
        `http://[::1]:${port}/hook`,
        `http://169.254.169.254/latest/meta-data/`,
      ];
      const hooks = [];
      for (const url of urls) hooks.push(await createHook(t, url));
      await emitEvent(t, 'User.Created', { data: { id: 'u' } });
      for (const [i, hook] of hooks.entries()) {
        const [delivery] = await eventually(async () => {
          const list = await deliveriesOf(t, hook.id, '&status=failed');
          return list.length === 1 ? list : undefined;
        });
        assert.equal(delivery.attempts, 1, `${urls[i]}: not retried`);
        const detail = await detailOf(t, hook.id, delivery.id);
        assert.match(detail.attemptLog[0].error, /E_BLOCKED_DESTINATION/, urls[i]);
        assert.equal(detail.attemptLog[0].statusCode, null);
      }
      assert.equal(target.requests.length, 0, 'nothing reached the receiver');

      const test = await t.request('POST', `/api/hooks/${hooks[0].id}/test`, {
        body: { events: ['User.Created'], config: { url: urls[0] } },
      });
      assert.equal(test.status, 422);
      assert.equal(test.json.code, 'hook.endpoint_not_allowed');
      assert.equal(test.json.data, undefined, 'no response to reflect');
      assert.equal(target.requests.length, 0);
    });

    it('lets the allow-list through: CIDRs and host names', async () => {
      const target = await receiver();
      const port = new URL(target.url).port;
      const byCidr = await server({
        HERALD_ALLOW_PRIVATE_NETWORKS: 'false',
        HERALD_ALLOWED_DESTINATIONS: '127.0.0.0/8',
      });
      await createHook(byCidr, `http://127.0.0.1:${port}/cidr`);
      await emitEvent(byCidr, 'User.Created', {});
      await target.waitFor((rs) => rs.some((r) => r.path === '/cidr'));

      const byName = await server({ HERALD_ALLOW_PRIVATE_NETWORKS: 'false', HERALD_ALLOWED_DESTINATIONS: 'localhost' });
      const named = await createHook(byName, `http://localhost:${port}/named`);
      const literal = await createHook(byName, `http://127.0.0.1:${port}/literal`);
      await emitEvent(byName, 'User.Created', {});
      await target.waitFor((rs) => rs.some((r) => r.path === '/named'));
      const [refused] = await eventually(async () => {
        const list = await deliveriesOf(byName, literal.id, '&status=failed');
        return list.length ? list : undefined;
      });
      assert.match(refused.lastError, /E_BLOCKED_DESTINATION/);
      // The receiver has it; the result is recorded a moment later.
      await eventually(async () =>
        (await deliveriesOf(byName, named.id, '&status=succeeded')).length === 1 ? true : undefined,
      );
    });

    it('keeps a healthy hook at full speed while another hook hangs until its timeout', async () => {
      const t = await server({
        HERALD_HOOK_CONCURRENCY: '4',
        HERALD_DELIVERY_CONCURRENCY: '16',
        HERALD_REQUEST_TIMEOUT_MS: '10000',
        HERALD_SHUTDOWN_TIMEOUT_MS: '1000',
      });
      const hanging = await receiver('hang');
      const healthy = await receiver();
      await createHook(t, hanging.url, ['Role.Created']);
      const good = await createHook(t, healthy.url, ['Role.Deleted']);
      for (let i = 0; i < 40; i++) await emitEvent(t, 'Role.Created', { data: { i } });
      await hanging.waitFor((rs) => rs.length >= 4);
      for (let i = 0; i < 20; i++) await emitEvent(t, 'Role.Deleted', { data: { i } });
      await healthy.waitFor((rs) => rs.length === 20);
      assert.equal(hanging.requests.length, 4, 'the hanging endpoint holds exactly its own cap of slots');
      const succeeded = await eventually(async () => {
        const list = await deliveriesOf(t, good.id, '&status=succeeded');
        return list.length === 20 ? list : undefined;
      });
      assert.equal(
        succeeded.length,
        20,
        'every healthy delivery arrived while the hanging ones were still in their first attempt',
      );
    });

    it('honours Retry-After, waits at least the minimum after a 429, and disables the hook on 410', async () => {
      const t = await server({ HERALD_THROTTLED_RETRY_MIN_SECONDS: '60' });
      const slow = await receiver({ status: 503, headers: { 'retry-after': '30' } });
      const throttled = await receiver({ status: 429, headers: { 'retry-after': '1' } });
      const gone = await receiver({ status: 410 });
      const hSlow = await createHook(t, slow.url);
      const hThrottled = await createHook(t, throttled.url);
      const hGone = await createHook(t, gone.url);
      await emitEvent(t, 'User.Created', {});
      for (const [hook, minWait, maxWait] of [
        [hSlow, 30_000, 31_000],
        [hThrottled, 60_000, 61_000],
      ] as const) {
        const [delivery] = await eventually(async () => {
          const list = await deliveriesOf(t, hook.id);
          return list[0]?.attempts === 1 && list[0].status === 'pending' ? list : undefined;
        });
        const detail = await detailOf(t, hook.id, delivery.id);
        const wait = delivery.nextAttemptAt - detail.attemptLog[0].startedAt;
        assert.ok(wait >= minWait - 1000 && wait <= maxWait + 1000, `next attempt in ${wait} ms`);
      }
      const disabled = await eventually(async () => {
        const hook = (await t.request('GET', `/api/hooks/${hGone.id}`)).json;
        return hook.enabled === false ? hook : undefined;
      });
      assert.match(disabled.disabledReason, /410 Gone/);
      assert.equal(typeof disabled.disabledAt, 'number');
      const [goneDelivery] = await deliveriesOf(t, hGone.id);
      assert.equal(goneDelivery.status, 'failed');
      assert.equal(goneDelivery.attempts, 1);
      await emitEvent(t, 'User.Created', {});
      await sleep(300);
      assert.equal(gone.requests.length, 1, 'a disabled hook gets nothing new');
      const reenabled = (await t.request('PATCH', `/api/hooks/${hGone.id}`, { body: { enabled: true } })).json;
      assert.equal(reenabled.enabled, true);
      assert.equal(reenabled.disabledReason, null);
    });

    it('disables a hook failing continuously past the window, and resumes what is pending when re-enabled', async () => {
      const t = await server({
        HERALD_AUTO_DISABLE_AFTER_SECONDS: '0.5',
        HERALD_RETRY_SCHEDULE: '0.3,0.3,0.3,0.3,0.3,0.3',
      });
      const failing = await receiver({ status: 500 });
      const hook = await createHook(t, failing.url);
      await emitEvent(t, 'User.Created', {});
      const disabled = await eventually(async () => {
        const h = (await t.request('GET', `/api/hooks/${hook.id}`)).json;
        return h.enabled === false ? h : undefined;
      });
      assert.match(disabled.disabledReason, /failed since/);
      const [pending] = await deliveriesOf(t, hook.id);
      assert.equal(pending.status, 'pending', 'the delivery waits while the hook is disabled');
      const attemptsWhenDisabled = failing.requests.length;
      await sleep(700);
      assert.equal(failing.requests.length, attemptsWhenDisabled, 'no attempts while disabled');

      failing.respondWith({ status: 200 });
      await t.request('PATCH', `/api/hooks/${hook.id}`, { body: { enabled: true } });
      await eventually(async () =>
        (await deliveriesOf(t, hook.id, '&status=succeeded')).length === 1 ? true : undefined,
      );
    });

    it('retries one delivery now (a succeeded one too) with the same webhook-id, and recovers failed ones', async () => {
      const t = await server({ HERALD_REQUEST_TIMEOUT_MS: '10000', HERALD_SHUTDOWN_TIMEOUT_MS: '1000' });
      const target = await receiver();
      const hook = await createHook(t, target.url);
      await emitEvent(t, 'User.Created', {});
      const [done] = await eventually(async () => {
        const list = await deliveriesOf(t, hook.id, '&status=succeeded');
        return list.length ? list : undefined;
      });
      const retried = await t.request('POST', `/api/hooks/${hook.id}/deliveries/${done.id}/retry`);
      assert.equal(retried.status, 202);
      await target.waitFor((rs) => rs.length === 2);
      assert.equal(target.requests[1]?.headers['webhook-id'], target.requests[0]?.headers['webhook-id']);
      const detail = await eventually(async () => {
        const d = await detailOf(t, hook.id, done.id);
        return d.attemptLog.length === 2 && d.status === 'succeeded' ? d : undefined;
      });
      assert.deepEqual(
        detail.attemptLog.map((a: { attempt: number }) => a.attempt),
        [1, 2],
      );
      assert.equal(
        (await t.request('POST', `/api/hooks/${hook.id}/deliveries/aaaaaaaaaaaaaaaaaaaaa/retry`)).status,
        404,
      );

      target.respondWith({ status: 500 });
      for (let i = 0; i < 3; i++) await emitEvent(t, 'User.Created', { data: { i } });
      await eventually(async () =>
        (await deliveriesOf(t, hook.id, '&status=failed')).length === 3 ? true : undefined,
      );
      target.respondWith({ status: 200 });
      const before = target.requests.length;
      const recovered = await t.request('POST', `/api/hooks/${hook.id}/recover`, {
        body: { since: Date.now() - 60 * 60 * 1000 },
      });
      assert.equal(recovered.status, 202);
      assert.deepEqual(recovered.json, { queued: 3 });
      await target.waitFor((rs) => rs.length === before + 3);
      await eventually(async () =>
        (await deliveriesOf(t, hook.id, '&status=succeeded')).length === 4 ? true : undefined,
      );
      const tooOld = await t.request('POST', `/api/hooks/${hook.id}/recover`, {
        body: { since: Date.now() - 15 * 24 * 60 * 60 * 1000 },
      });
      assert.equal(tooOld.status, 400);
      assert.equal(tooOld.json.code, 'guard.invalid_input');

      target.respondWith('hang');
      await emitEvent(t, 'User.Created', {});
      await target.waitFor((rs) => rs.length === before + 4);
      const [inFlight] = await deliveriesOf(t, hook.id, '&status=delivering');
      const busy = await t.request('POST', `/api/hooks/${hook.id}/deliveries/${inFlight.id}/retry`);
      assert.equal(busy.status, 409);
      assert.equal(busy.json.code, 'delivery.in_progress');
    });

    it('rotates the signing key with a grace period: the old key keeps verifying until it ends', async () => {
      const t = await server();
      const target = await receiver();
      const hook = await createHook(t, target.url);
      const oldKey = hook.standardSigningKey;
      const rotated = (
        await t.request('PATCH', `/api/hooks/${hook.id}/signing-key`, { body: { gracePeriodSeconds: 2 } })
      ).json;
      assert.notEqual(rotated.signingKey, hook.signingKey);
      assert.equal(typeof rotated.previousSigningKeyExpiresAt, 'number');
      const headersOf = (i: number) => {
        const r = target.requests[i]!;
        return {
          'webhook-id': String(r.headers['webhook-id']),
          'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        };
      };
      await emitEvent(t, 'User.Created', {});
      await target.waitFor((rs) => rs.length === 1);
      const during = target.requests[0]!;
      assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);
      new Webhook(oldKey).verify(during.body, headersOf(0));
      new Webhook(rotated.standardSigningKey).verify(during.body, headersOf(0));
      assert.equal(
        during.headers['logto-signature-sha-256'],
        createHmac('sha256', rotated.signingKey).update(during.body).digest('hex'),
        'Logto signature uses the new key',
      );

      await sleep(Math.max(0, rotated.previousSigningKeyExpiresAt - Date.now()) + 50);
      await emitEvent(t, 'User.Created', {});
      await target.waitFor((rs) => rs.length === 2);
      assert.throws(
        () => new Webhook(oldKey).verify(target.requests[1]!.body, headersOf(1)),
        'the old key no longer verifies',
      );
      new Webhook(rotated.standardSigningKey).verify(target.requests[1]!.body, headersOf(1));
      assert.equal((await t.request('GET', `/api/hooks/${hook.id}`)).json.previousSigningKeyExpiresAt, null);

      const bad = await t.request('PATCH', `/api/hooks/${hook.id}/signing-key`, {
        body: { gracePeriodSeconds: 8 * 24 * 3600 },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.code, 'guard.invalid_input');
    });
  });
}
