/** Operations: Prometheus metrics and background retention. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually, startTestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const DAY_MS = 24 * 60 * 60 * 1000;

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

for (const store of stores) {
  describe(`operations (${store})`, () => {
    it('serves Prometheus metrics behind the API key', async () => {
      const t = await startTestServer(store);
      const ok = await startReceiver();
      const failing = await startReceiver({ status: 500 });
      try {
        await t.request('POST', '/api/hooks', {
          body: { name: 'ok', events: ['User.Created'], config: { url: ok.url } },
        });
        const bad = (
          await t.request('POST', '/api/hooks', {
            body: { name: 'bad "one"', events: ['User.Created'], config: { url: failing.url } },
          })
        ).json;
        await emitEvent(t, 'User.Created', {});
        await eventually(async () =>
          (await t.request('GET', `/api/hooks/${bad.id}/deliveries?status=failed`)).json.data.length ? true : undefined,
        );

        assert.equal((await t.request('GET', '/metrics', { key: null })).status, 401);
        const res = await t.request('GET', '/metrics');
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
        const text = res.text;
        assert.equal(sample(text, 'herald_delivery_attempts_total{outcome="delivered"}'), 1);
        assert.equal(sample(text, 'herald_delivery_attempts_total{outcome="retry"}'), 2);
        assert.equal(sample(text, 'herald_delivery_attempts_total{outcome="failed"}'), 1);
        assert.equal(sample(text, 'herald_delivery_attempt_duration_seconds_count'), 4);
        assert.equal(sample(text, 'herald_delivery_attempt_duration_seconds_bucket{le="+Inf"}'), 4);
        assert.equal(sample(text, 'herald_deliveries{status="succeeded"}'), 1);
        assert.equal(sample(text, 'herald_deliveries{status="failed"}'), 1);
        assert.equal(sample(text, 'herald_queue_depth'), 0);
        assert.equal(sample(text, 'herald_oldest_due_delivery_age_seconds'), 0);
        assert.equal(sample(text, 'herald_hooks{state="enabled"}'), 2);
        assert.match(
          text,
          new RegExp(`herald_hook_failure_streak_seconds\\{hook_id="${bad.id}",hook_name="bad \\\\"one\\\\""\\} \\d`),
        );
        assert.match(text, /# TYPE herald_delivery_attempt_duration_seconds histogram/);
      } finally {
        await t.close();
        await ok.close();
        await failing.close();
      }
    });

    it('prunes finished deliveries and their events past the retention, in the background, never pending ones', async () => {
      const t = await startTestServer(store, { HERALD_RETENTION_DAYS: '30' });
      const ok = await startReceiver();
      try {
        const hook = (
          await t.request('POST', '/api/hooks', {
            body: { events: ['User.Created', 'Role.Created'], config: { url: ok.url } },
          })
        ).json;
        for (let i = 0; i < 3; i++) await emitEvent(t, 'User.Created', { data: { i } });
        await eventually(async () =>
          (await t.request('GET', `/api/hooks/${hook.id}/deliveries?status=succeeded`)).json.data.length === 3
            ? true
            : undefined,
        );
        const db = t.server.database.db;
        const old = Date.now() - 31 * DAY_MS;
        // Age two finished deliveries and their events, and one pending delivery.
        const [a, b, c] = await db.selectFrom('deliveries').select(['id', 'event_id']).orderBy('created_at').execute();
        await db.updateTable('deliveries').set({ created_at: old }).where('id', 'in', [a!.id, b!.id]).execute();
        await db.updateTable('events').set({ created_at: old }).where('id', 'in', [a!.event_id, b!.event_id]).execute();
        await db.updateTable('hooks').set({ enabled: false }).where('id', '=', hook.id).execute();
        const { eventId: pendingEvent, deliveryIds } = await emitEvent(t, 'Role.Created', {});
        assert.equal(deliveryIds.length, 0, 'a disabled hook gets no delivery');
        await db.updateTable('hooks').set({ enabled: true }).where('id', '=', hook.id).execute();
        await db
          .updateTable('deliveries')
          .set({ status: 'pending', created_at: old, next_attempt_at: Date.now() + DAY_MS })
          .where('id', '=', c!.id)
          .execute();
        await db
          .updateTable('events')
          .set({ created_at: old })
          .where('id', 'in', [c!.event_id, pendingEvent])
          .execute();

        const pruned = await t.server.pruner.pruneOnce();
        assert.deepEqual(
          pruned,
          { deliveries: 2, events: 3 },
          'two finished deliveries, their events, and the event without deliveries',
        );
        const left = await db.selectFrom('deliveries').select('id').execute();
        assert.deepEqual(
          left.map((r) => r.id),
          [c!.id],
          'the pending delivery stays',
        );
        assert.equal(
          (await db.selectFrom('delivery_attempts').select('id').where('delivery_id', 'in', [a!.id, b!.id]).execute())
            .length,
          0,
          'attempts go with their delivery',
        );
        assert.ok(
          await db.selectFrom('events').select('id').where('id', '=', c!.event_id).executeTakeFirst(),
          'the pending delivery keeps its event',
        );
        assert.deepEqual(await t.server.pruner.pruneOnce(), { deliveries: 0, events: 0 });
      } finally {
        await t.close();
        await ok.close();
      }
    });
  });
}

describe('hook health across one batch of results', () => {
  it('a success then a failure in one batch starts a new streak at the failure, not the old one', async () => {
    const { createTestDatabase } = await import('./helpers/stores.ts');
    const { connectDatabase } = await import('../src/db/connect.ts');
    const { migrateToLatest } = await import('../src/db/migrate.ts');
    const { parseDatabaseUrl } = await import('../src/config.ts');
    const { transaction } = await import('../src/db/tx.ts');
    const { createEmitter } = await import('../src/delivery/outbox.ts');
    const { recordCompletions } = await import('../src/delivery/store.ts');
    const testDb = await createTestDatabase(stores[0]!);
    const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
    try {
      const db = database.db;
      await migrateToLatest(db);
      const old = Date.now() - 6 * DAY_MS;
      const hookId = 'hook00000000000000001';
      await db
        .insertInto('hooks')
        .values({
          id: hookId,
          tenant_id: 'default',
          name: 'h',
          event: null,
          events: '["User.Created"]',
          config: '{"url":"http://127.0.0.1:9/x"}',
          signing_key: 'k',
          enabled: true,
          created_at: old,
          disabled_reason: null,
          disabled_at: null,
          failing_since: old,
          previous_signing_key: null,
          previous_signing_key_expires_at: null,
        })
        .execute();
      const emitter = createEmitter({ dialect: database.dialect, wake: () => undefined });
      const { deliveryIds } = await transaction(db, (tx) => emitter.emit(tx, { event: 'User.Created', context: {} }));
      const id = deliveryIds[0]!;
      await db.updateTable('deliveries').set({ status: 'delivering', leased_by: 'tok' }).where('id', '=', id).execute();
      const attempt = (n: number, ok: boolean) => ({
        id: `att${n}${ok ? 's' : 'f'}`.padEnd(21, '0'),
        attempt: n,
        started_at: Date.now(),
        duration_ms: 1,
        result: ok ? ('success' as const) : ('error' as const),
        status_code: ok ? 200 : 500,
        response_headers: null,
        response_body: null,
        error: ok ? null : 'x',
      });
      const at = Date.now();
      // The same delivery completing twice in one batch stands for two deliveries of one hook.
      const second = (await transaction(db, (tx) => emitter.emit(tx, { event: 'User.Created', context: {} })))
        .deliveryIds[0]!;
      await db
        .updateTable('deliveries')
        .set({ status: 'delivering', leased_by: 'tok' })
        .where('id', '=', second)
        .execute();
      await db.transaction().execute((trx) =>
        recordCompletions(
          trx,
          [
            { kind: 'delivered', id, hookId, leaseToken: 'tok', attempt: attempt(1, true), at },
            { kind: 'failed', id: second, hookId, leaseToken: 'tok', attempt: attempt(1, false), at: at + 1 },
          ],
          { autoDisableAfterMs: 5 * DAY_MS, dialect: database.dialect },
        ),
      );
      const row = await db
        .selectFrom('hooks')
        .select(['enabled', 'failing_since'])
        .where('id', '=', hookId)
        .executeTakeFirstOrThrow();
      assert.equal(Boolean(row.enabled), true, 'not disabled by the stale streak');
      assert.equal(row.failing_since, at + 1, 'the streak restarts at the failure after the success');
    } finally {
      await database.close();
      await testDb.drop();
    }
  });
});
