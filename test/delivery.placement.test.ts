/**
 * The dispatcher in its worker thread (the default) and in the API's thread
 * (HERALD_DISPATCHER_THREAD=false) delivers the same way; with the thread on SQLite, the API's and
 * the thread's connections share the one write lock, and a burst of concurrent writes while
 * deliveries are recorded loses no request and no event.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, eventually, startTestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

for (const store of stores) {
  describe(`dispatcher placement (${store})`, () => {
    for (const thread of ['true', 'false']) {
      it(`HERALD_DISPATCHER_THREAD=${thread}: 150 concurrent sign-ups all answer 200 and all arrive, counted in /metrics`, async () => {
        const t = await startTestServer(store, { HERALD_DISPATCHER_THREAD: thread });
        const receiver = await startReceiver();
        try {
          const hook = await t.request('POST', '/api/hooks', {
            body: { name: 'burst', events: ['User.Created'], config: { url: receiver.url } },
          });
          assert.equal(hook.status, 201);
          const answers = await Promise.all(
            Array.from({ length: 150 }, (_, i) =>
              t.request('POST', '/api/users', { body: { username: `burst_${thread}_${i}` } }),
            ),
          );
          assert.deepEqual(
            [...new Set(answers.map((a) => a.status))],
            [200],
            answers.find((a) => a.status !== 200)?.text,
          );
          const ids = new Set(answers.map((a) => a.json.id as string));
          const arrived = await receiver.waitFor((rs) => new Set(rs.map((r) => r.json?.data?.id)).size >= 150, 20_000);
          assert.deepEqual(new Set(arrived.map((r) => r.json.data.id)), ids);
          const counted = await eventually(async () => {
            const metrics = await t.request('GET', '/metrics');
            return /herald_delivery_attempts_total\{outcome="delivered"\} (\d+)\n/.exec(metrics.text)?.[1] === '150'
              ? true
              : undefined;
          });
          assert.ok(counted);
        } finally {
          await t.close();
          await receiver.close();
        }
      });
    }
  });
}
