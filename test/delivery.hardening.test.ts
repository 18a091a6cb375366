/** Inputs and answers that once broke the pipeline on one store or the other. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

for (const store of stores) {
  describe(`delivery hardening (${store})`, () => {
    const ctx = useServer(store, { receiver: true });

    it('records a response body holding NUL bytes, and keeps delivering to other hooks', async () => {
      const nul = await startReceiver({ status: 500, body: 'oops\u0000bad' });
      try {
        const bad = (
          await ctx.t.request('POST', '/api/hooks', { body: { events: ['Role.Deleted'], config: { url: nul.url } } })
        ).json;
        const good = (
          await ctx.t.request('POST', '/api/hooks', {
            body: { events: ['Role.Deleted'], config: { url: ctx.receiver.url } },
          })
        ).json;
        await emitEvent(ctx.t, 'Role.Deleted', { data: { id: 'r' } });
        const failed = await eventually(async () => {
          const list = (await ctx.t.request('GET', `/api/hooks/${bad.id}/deliveries?status=failed`)).json.data;
          return list.length === 1 ? list[0] : undefined;
        });
        const detail = (await ctx.t.request('GET', `/api/hooks/${bad.id}/deliveries/${failed.id}`)).json;
        assert.equal(detail.attemptLog[0].responseBody, 'oops\uFFFDbad');
        await eventually(async () => {
          const list = (await ctx.t.request('GET', `/api/hooks/${good.id}/deliveries?status=succeeded`)).json.data;
          return list.length === 1 ? true : undefined;
        });
      } finally {
        await nul.close();
      }
    });

    it('answers 400, never 500, to values the store cannot take', async () => {
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { events: ['Role.Deleted'], config: { url: ctx.receiver.url } },
        })
      ).json;
      const cases: [string, string, unknown?][] = [
        ['GET', `/api/hooks/${hook.id}/deliveries?since=10000000000000000000`],
        ['GET', `/api/hooks/${hook.id}/deliveries?until=99999999999999999999`],
        ['GET', `/api/hooks/${hook.id}/deliveries?cursor=${Buffer.from('[1.5,"x"]').toString('base64url')}`],
        ['GET', `/api/hooks/${hook.id}/recent-logs?start_time=1.5`],
        ['GET', `/api/hooks/${hook.id}/recent-logs?start_time=1e20`],
        ['GET', '/api/hooks/%00abc'],
        ['POST', '/api/hooks', { name: 'a\u0000b', events: ['Role.Deleted'], config: { url: ctx.receiver.url } }],
      ];
      for (const [method, path, body] of cases) {
        const res = await ctx.t.request(method, path, body === undefined ? {} : { body });
        assert.ok(
          res.status === 400 || res.status === 404 || (store === 'sqlite' && res.status < 300),
          `${method} ${path}: ${res.status} ${res.text}`,
        );
        assert.notEqual(res.status, 500);
      }
    });

    it('refuses header values that cannot be sent', async () => {
      const res = await ctx.t.request('POST', '/api/hooks', {
        body: { events: ['Role.Deleted'], config: { url: ctx.receiver.url, headers: { 'x-note': 'price €5' } } },
      });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, 'guard.invalid_input');
      assert.match(res.json.message, /x-note/);
    });
  });
}
