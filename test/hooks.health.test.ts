import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { assertNoOpenServers, emitEvent, eventually } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const HOUR_MS = 60 * 60 * 1000;

for (const store of stores) {
  describe(`hook health per hour and a delivery's request (${store})`, () => {
    const ctx = useServer(store, { receiver: { status: 200, body: 'ok' } });

    const settled = (hookId: string, count: number) =>
      eventually(async () => {
        const list = (await ctx.t.request('GET', `/api/hooks/${hookId}/deliveries?limit=100`)).json.data as {
          id: string;
          status: string;
        }[];
        return list.length === count && list.every((d) => d.status === 'succeeded' || d.status === 'failed')
          ? list
          : undefined;
      });

    it('counts delivered and failed attempts per hour, every hour of 24 h or 7 d present, an hour moved back lands in its bucket', async () => {
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'health', events: ['User.Created'], config: { url: ctx.receiver.url } },
        })
      ).json;
      const other = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'other', events: ['User.Created'], config: { url: ctx.receiver.url } },
        })
      ).json;
      await emitEvent(ctx.t, 'User.Created', { data: { id: 'u1' } });
      await emitEvent(ctx.t, 'User.Created', { data: { id: 'u2' } });
      await settled(hook.id, 2);
      await settled(other.id, 2);
      ctx.receiver.respondWith({ status: 500, body: 'no' });
      await emitEvent(ctx.t, 'User.Created', { data: { id: 'u3' } });
      // The test schedule is two retries: a failing delivery makes three attempts.
      await settled(hook.id, 3);
      await settled(other.id, 3);

      const day = await ctx.t.request('GET', `/api/hooks/${hook.id}/health`);
      assert.equal(day.status, 200, day.text);
      assert.equal(day.json.period, '24h');
      assert.equal(day.json.bucketMs, HOUR_MS);
      assert.equal(day.json.buckets.length, 24);
      for (let i = 1; i < 24; i++) assert.equal(day.json.buckets[i].start - day.json.buckets[i - 1].start, HOUR_MS);
      const last = day.json.buckets.at(-1);
      assert.ok(last.start <= Date.now() && Date.now() < last.start + HOUR_MS, 'the last bucket is the current hour');
      type Bucket = { start: number; delivered: number; failed: number };
      const total = (buckets: Bucket[]) =>
        buckets.reduce((n, b) => ({ delivered: n.delivered + b.delivered, failed: n.failed + b.failed }), {
          delivered: 0,
          failed: 0,
        });
      assert.deepEqual(total(day.json.buckets), { delivered: 2, failed: 3 });
      // Read in the hour the attempts were made (the clock may have turned an hour since).
      const db = ctx.t.server.database.db;
      const ids = (await db.selectFrom('deliveries').select('id').where('hook_id', '=', hook.id).execute()).map(
        (r) => r.id,
      );
      const startedAt = (
        await db.selectFrom('delivery_attempts').select('started_at').where('delivery_id', 'in', ids).execute()
      ).map((r) => Number(r.started_at));
      const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
      if (new Set(startedAt.map(hourOf)).size === 1) {
        const bucket = day.json.buckets.find((b: Bucket) => b.start === hourOf(startedAt[0]!));
        assert.deepEqual({ delivered: bucket.delivered, failed: bucket.failed }, { delivered: 2, failed: 3 });
      }

      // Move this hook's successful attempts to five hours before this hour, its failed ones three days before.
      const success = { started_at: last.start - 5 * HOUR_MS + 1000 };
      const failure = { started_at: last.start - 72 * HOUR_MS + 1000 };
      await db
        .updateTable('delivery_attempts')
        .set(success)
        .where('delivery_id', 'in', ids)
        .where('result', '=', 'success')
        .execute();
      await db
        .updateTable('delivery_attempts')
        .set(failure)
        .where('delivery_id', 'in', ids)
        .where('result', '=', 'error')
        .execute();

      const moved = (await ctx.t.request('GET', `/api/hooks/${hook.id}/health?period=24h`)).json.buckets;
      assert.deepEqual(total(moved.filter((b: Bucket) => b.start >= last.start)), { delivered: 0, failed: 0 });
      assert.deepEqual(
        moved.find((b: Bucket) => b.start === last.start - 5 * HOUR_MS),
        { start: last.start - 5 * HOUR_MS, delivered: 2, failed: 0 },
      );
      assert.equal(
        moved.reduce((n: number, b: { failed: number }) => n + b.failed, 0),
        0,
        'three days back is outside 24 h',
      );

      const week = (await ctx.t.request('GET', `/api/hooks/${hook.id}/health?period=7d`)).json;
      assert.equal(week.period, '7d');
      assert.equal(week.buckets.length, 168);
      assert.deepEqual(
        week.buckets.find((b: Bucket) => b.start === last.start - 72 * HOUR_MS),
        { start: last.start - 72 * HOUR_MS, delivered: 0, failed: 3 },
      );
      assert.deepEqual(
        week.buckets.find((b: Bucket) => b.start === last.start - 5 * HOUR_MS),
        { start: last.start - 5 * HOUR_MS, delivered: 2, failed: 0 },
      );

      const untouched = (await ctx.t.request('GET', `/api/hooks/${other.id}/health`)).json.buckets;
      assert.deepEqual(total(untouched), { delivered: 2, failed: 3 }, 'another hook counts only its own');
      ctx.receiver.respondWith({ status: 200, body: 'ok' });
    });

    it('answers 400 for an unknown period, 404 for an unknown hook, 401 without a key', async () => {
      const hook = (await ctx.t.request('GET', '/api/hooks')).json[0];
      const bad = await ctx.t.request('GET', `/api/hooks/${hook.id}/health?period=1y`);
      assert.equal(bad.status, 400);
      assert.equal(bad.json.code, 'guard.invalid_input');
      const missing = await ctx.t.request('GET', '/api/hooks/nohookwiththisid0000/health');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, 'entity.not_exists_with_id');
      assert.equal((await ctx.t.request('GET', `/api/hooks/${hook.id}/health`, { key: null })).status, 401);
    });

    it("shows a delivery's request: endpoint, the headers every attempt sends with secrets masked, and which are per attempt", async () => {
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: {
            name: 'headers',
            events: ['Role.Created'],
            config: {
              url: `${ctx.receiver.url}/in`,
              headers: { 'X-Tenant': 'acme', Authorization: 'Bearer receiver-secret', 'User-Agent': 'custom/1' },
            },
          },
        })
      ).json;
      await emitEvent(ctx.t, 'Role.Created', { data: { id: 'r1' } });
      const [delivery] = await settled(hook.id, 1);
      const detail = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries/${delivery!.id}`);
      assert.equal(detail.status, 200, detail.text);
      assert.equal(detail.json.request.url, `${ctx.receiver.url}/in`);
      assert.deepEqual(detail.json.request.headers, {
        'content-type': 'application/json',
        'user-agent': 'custom/1',
        'x-tenant': 'acme',
        authorization: '******',
        'webhook-id': delivery!.id,
      });
      assert.deepEqual(detail.json.request.perAttemptHeaders, [
        'logto-signature-sha-256',
        'webhook-timestamp',
        'webhook-signature',
      ]);
      assert.equal(detail.json.request.body.event, 'Role.Created');
      assert.ok(!detail.text.includes('receiver-secret'));
      const sent = ctx.receiver.requests.find((r) => r.headers['webhook-id'] === delivery!.id);
      assert.equal(sent?.headers.authorization, 'Bearer receiver-secret', 'masked in the API only, sent as configured');
      assert.equal(sent?.headers['x-tenant'], 'acme');
    });
  });
}
