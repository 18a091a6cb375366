/**
 * GET /metrics: Node's default process and event-loop metrics (prom-client), the HTTP request
 * duration histogram by route pattern, delivery attempts and their durations by hook and outcome,
 * the queue; and a scrape reads the deliveries table only through bounded statements.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { CompiledQuery, Kysely } from 'kysely';
import type { DB } from '../src/db/types.ts';
import { createMetrics, SCRAPE_SQL } from '../src/delivery/metrics.ts';
import { emptyStats } from '../src/delivery/stats.ts';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually, startTestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const store of stores) {
  describe(`metrics (${store})`, () => {
    it('serves the default process metrics, HTTP durations by route, attempts by hook, the queue', async () => {
      const t = await startTestServer(store);
      const ok = await startReceiver();
      const failing = await startReceiver({ status: 500 });
      try {
        const good = (
          await t.request('POST', '/api/hooks', { body: { events: ['User.Created'], config: { url: ok.url } } })
        ).json;
        const bad = (
          await t.request('POST', '/api/hooks', { body: { events: ['User.Created'], config: { url: failing.url } } })
        ).json;
        const user = await t.request('POST', '/api/users', { body: { username: `metrics_${store}` } });
        assert.equal(user.status, 200);
        assert.equal((await t.request('GET', `/api/users/${user.json.id}`)).status, 200);
        await eventually(async () =>
          (await t.request('GET', `/api/hooks/${bad.id}/deliveries?status=failed`)).json.data.length ? true : undefined,
        );
        await ok.waitFor((r) => r.length === 1);

        assert.equal((await t.request('GET', '/metrics', { key: null })).status, 401);
        const text = (await t.request('GET', '/metrics')).text;

        for (const name of [
          'process_cpu_user_seconds_total',
          'process_resident_memory_bytes',
          'process_start_time_seconds',
          'nodejs_eventloop_lag_seconds',
          'nodejs_heap_size_used_bytes',
          'nodejs_gc_duration_seconds',
        ])
          assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is exposed`);

        assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
        const http = text.split('\n').filter((l) => l.startsWith('http_request_duration_seconds_count{'));
        const count = (method: string, route: string, status: number) =>
          http
            .filter(
              (l) =>
                l.includes(`method="${method}"`) &&
                l.includes(`route="${route}"`) &&
                l.includes(`status_code="${status}"`),
            )
            .map((l) => Number(l.split(' ').at(-1)));
        assert.deepEqual(count('POST', '/api/users', 200), [1]);
        assert.deepEqual(count('GET', '/api/users/:userId', 200), [1], 'the route pattern, not the URL');
        assert.deepEqual(count('GET', '/metrics', 401), [1]);
        assert.ok(!http.some((l) => l.includes(user.json.id)), 'no raw URL in a label');

        assert.equal(sample(text, `herald_hook_delivery_attempts_total{hook_id="${good.id}",outcome="delivered"}`), 1);
        assert.equal(sample(text, `herald_hook_delivery_attempts_total{hook_id="${bad.id}",outcome="retry"}`), 2);
        assert.equal(sample(text, `herald_hook_delivery_attempts_total{hook_id="${bad.id}",outcome="failed"}`), 1);
        assert.match(text, /^# TYPE herald_hook_delivery_attempt_duration_seconds histogram$/m);
        assert.equal(
          sample(text, `herald_hook_delivery_attempt_duration_seconds_count{hook_id="${good.id}",outcome="delivered"}`),
          1,
        );
        assert.equal(
          sample(
            text,
            `herald_hook_delivery_attempt_duration_seconds_bucket{hook_id="${bad.id}",outcome="retry",le="+Inf"}`,
          ),
          2,
        );
        // The instance-wide series keep their names.
        assert.equal(sample(text, 'herald_delivery_attempts_total{outcome="delivered"}'), 1);
        assert.equal(sample(text, 'herald_queue_depth'), 0);
        assert.equal(sample(text, 'herald_deliveries{status="succeeded"}'), 1);
        assert.equal(sample(text, 'herald_deliveries{status="failed"}'), 1);
        assert.equal(sample(text, 'herald_deliveries{status="pending"}'), 0);
        // One family each: prom-client's output and Herald's do not repeat a name.
        const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
        assert.equal(new Set(types.map((l) => l.split(' ')[2])).size, types.length);
      } finally {
        await t.close();
        await ok.close();
        await failing.close();
      }
    });

    it('reads the deliveries table only through statements bounded by LIMIT, and caps its counts', async () => {
      const t = await startTestServer(store);
      try {
        await t.request('POST', '/api/hooks', { body: { events: ['User.Created'], config: { url: 'http://x/' } } });
        // No dispatcher: the five deliveries stay pending and due.
        await t.server.dispatcher.stop(0);
        for (let i = 0; i < 5; i++) await emitEvent(t, 'User.Created', { i });

        const seen: string[] = [];
        const db = t.server.database.db;
        const recording = new Proxy(db, {
          get(target, prop, receiver) {
            if (prop === 'executeQuery')
              return (query: CompiledQuery) => {
                seen.push(query.sql);
                return target.executeQuery(query);
              };
            return Reflect.get(target, prop, receiver);
          },
        }) as Kysely<DB>;
        const scrape = (rowCap: number) =>
          createMetrics({
            db: recording,
            dialect: t.server.database.dialect,
            stats: async () => emptyStats(),
            rowCap,
          }).render();

        const capped = await scrape(3);
        assert.equal(sample(capped, 'herald_deliveries{status="pending"}'), 3);
        assert.equal(sample(capped, 'herald_queue_depth'), 3);
        const whole = await scrape(100);
        assert.equal(sample(whole, 'herald_deliveries{status="pending"}'), 5);
        assert.equal(sample(whole, 'herald_queue_depth'), 5);
        assert.ok((sample(whole, 'herald_oldest_due_delivery_age_seconds') ?? -1) >= 0);

        const onDeliveries = seen.filter((q) => /\bdeliveries\b/.test(q));
        assert.ok(onDeliveries.length >= 3);
        for (const q of onDeliveries) assert.match(q, /\blimit\b/i, `bounded: ${q}`);
        assert.ok(
          seen.every((q) => Object.values<string>(SCRAPE_SQL).includes(q.replace(/\$\d+/g, '?'))),
          'a scrape runs only the statements SCRAPE_SQL lists',
        );
      } finally {
        await t.close();
      }
    });
  });
}
