/**
 * Receiver- and user-controlled nesting depth never breaks a view: a receiver answering JSON 5 000
 * levels deep, and an event payload holding customData 3 500 levels deep, are shown as text (masked
 * in place) by the delivery detail and recent logs, which answer 200.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const deepText = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Arrays nested `depth` deep, built without recursion. */
function deepValue(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

for (const store of stores) {
  describe(`deeply nested JSON in delivery views (${store})`, () => {
    const answer = deepText(5000);
    const ctx = useServer(store, {
      receiver: { status: 200, body: answer, headers: { 'content-type': 'application/json' } },
    });

    it('answers 200 with a 5 000-deep receiver body and a 3 500-deep customData, both shown as text, sensitive values still masked', async () => {
      assert.ok(answer.length >= 10_000);
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'deep', events: ['User.Created'], config: { url: ctx.receiver.url } },
        })
      ).json;
      // Written through the emitter, as an identity route would: an API body limit on depth cannot stop stored data being deep.
      await emitEvent(ctx.t, 'User.Created', {
        data: { id: 'u-deep', password: 'hunter2', customData: { nested: deepValue(3500), apiKey: 'k-123' } },
      });
      const [delivery] = await eventually(async () => {
        const list = (await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?status=succeeded`)).json.data;
        return list.length === 1 ? list : undefined;
      });

      const detail = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries/${delivery.id}`);
      assert.equal(detail.status, 200, detail.text.slice(0, 500));
      const body = detail.json.request.body;
      assert.equal(typeof body, 'string', 'the payload is shown as text');
      assert.ok(body.startsWith('{"event":"User.Created"') && body.endsWith(`"hookId":"${hook.id}"}`));
      assert.ok(
        body.includes('"password":"******"') && body.includes('"apiKey":"******"'),
        'masked as Logto masks, in place',
      );
      assert.ok(!detail.text.includes('hunter2') && !detail.text.includes('k-123'));
      assert.ok(body.includes(deepText(3500)));
      assert.equal(detail.json.attemptLog[0].responseBody, answer, 'the receiver body as text');

      const logs = await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs`);
      assert.equal(logs.status, 200, logs.text.slice(0, 500));
      const [log] = logs.json;
      assert.equal(log.payload.hookRequest.body, body);
      assert.equal(log.payload.response.body, answer);
      assert.ok(!logs.text.includes('hunter2') && !logs.text.includes('k-123'));

      // The receiver got the payload exactly as stored: the bound is on views, not on deliveries.
      assert.ok(ctx.receiver.requests[0]!.body.includes(`"nested":${deepText(3500)}`));
    });

    it('still shows shallow JSON parsed', async () => {
      const shallow = await startReceiver({
        status: 200,
        body: '{"ok":true,"secret":"s"}',
        headers: { 'content-type': 'application/json' },
      });
      try {
        const hook = (
          await ctx.t.request('POST', '/api/hooks', {
            body: { name: 'shallow', events: ['Role.Created'], config: { url: shallow.url } },
          })
        ).json;
        await emitEvent(ctx.t, 'Role.Created', { data: { id: 'r1', customData: { nested: deepValue(60) } } });
        const [log] = await eventually(async () => {
          const res = await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs`);
          return res.json.length === 1 ? res.json : undefined;
        });
        assert.deepEqual(log.payload.hookRequest.body.data.customData.nested, deepValue(60));
        assert.deepEqual(log.payload.response.body, { ok: true, secret: '******' });
      } finally {
        await shallow.close();
      }
    });
  });
}
