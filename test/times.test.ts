/**
 * Times as people write them: `since`/`until` (deliveries, recover, sync-hook calls) and
 * `start_time`/`end_time` (recent logs) take epoch milliseconds or ISO 8601, through one parser
 * (src/http/time.ts); a bad one is 400 `guard.invalid_input` naming the field. And a mistyped
 * event name is 400 with the nearest valid names.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseTime } from '../src/http/time.ts';
import { assertNoOpenServers, emitEvent, eventually } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

describe('parseTime', () => {
  it('reads epoch ms (number or digits), ISO 8601 with Z or an offset, and a date alone as midnight UTC', () => {
    const at = Date.UTC(2026, 11, 3, 10, 0, 0);
    assert.equal(parseTime(at, 'query.since'), at);
    assert.equal(parseTime(String(at), 'query.since'), at);
    assert.equal(parseTime('2026-12-03T10:00:00Z', 'query.since'), at);
    assert.equal(parseTime('2026-12-03T11:00:00+01:00', 'query.since'), at);
    assert.equal(parseTime('2026-12-03T05:30:00-0430', 'query.since'), at);
    assert.equal(parseTime('2026-12-03 10:00Z', 'query.since'), at);
    assert.equal(parseTime('2026-12-03T10:00:00.250Z', 'query.since'), at + 250);
    assert.equal(parseTime('2026-12-03', 'query.since'), Date.UTC(2026, 11, 3));
    assert.equal(parseTime(undefined, 'query.since'), undefined);
  });

  it('refuses what is not a time, naming the field: no zone, impossible dates, negative, fractions, words', () => {
    for (const bad of [
      '2026-12-03T10:00:00',
      '2026-02-30',
      '2026-13-01',
      '2026-12-03T24:00Z',
      'yesterday',
      '',
      '1.5',
    ]) {
      assert.throws(
        () => parseTime(bad, 'query.until'),
        (error: any) =>
          error.code === 'guard.invalid_input' && error.data.field === 'query.until' && /^until /.test(error.message),
        bad,
      );
    }
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 2])
      assert.throws(
        () => parseTime(bad, 'body.since'),
        (error: any) => error.data.field === 'body.since',
        String(bad),
      );
    assert.throws(() => parseTime('2026-12-03T10:00:00', 'query.since'), /no time zone/);
  });
});

for (const store of stores) {
  describe(`times as people write them (${store})`, () => {
    const ctx = useServer(store, { receiver: { status: 500, body: 'down' }, hook: { events: ['User.Created'] } });

    it('GET …/deliveries: ISO 8601 (Z, offset, date) and epoch `since`/`until` give the same deliveries', async () => {
      const before = Date.now() - 1;
      await emitEvent(ctx.t, 'User.Created', { data: { id: 'u1' } });
      await emitEvent(ctx.t, 'User.Created', { data: { id: 'u2' } });
      const list = async (query: string) => {
        const res = await ctx.t.request('GET', `/api/hooks/${ctx.hook.id}/deliveries?${query}`);
        assert.equal(res.status, 200, res.text);
        return res.json.data.map((d: { id: string }) => d.id).sort();
      };
      const byEpoch = await list(`since=${before}`);
      assert.equal(byEpoch.length, 2);
      const iso = new Date(before).toISOString();
      assert.deepEqual(await list(`since=${encodeURIComponent(iso)}`), byEpoch);
      // The same instant one hour east of UTC.
      const plusOne = new Date(before + 3_600_000).toISOString().replace('Z', '+01:00');
      assert.deepEqual(await list(`since=${encodeURIComponent(plusOne)}`), byEpoch);
      assert.deepEqual(await list('since=1970-01-02&until=2999-01-01'), byEpoch);
      assert.deepEqual(await list(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`), []);
      assert.deepEqual(await list('until=2000-01-01T00:00:00Z'), []);
    });

    it('a bad time answers 400 guard.invalid_input naming the field, on every route that takes one', async () => {
      const sync = await ctx.t.request('POST', '/api/sync-hooks', {
        body: { phase: 'PreRegister', config: { url: 'https://example.com/gate' } },
      });
      assert.equal(sync.status, 201, sync.text);
      const cases: [string, string, unknown, string][] = [
        ['GET', `/api/hooks/${ctx.hook.id}/deliveries?since=yesterday`, undefined, 'query.since'],
        ['GET', `/api/hooks/${ctx.hook.id}/deliveries?until=2026-12-03T10:00:00`, undefined, 'query.until'],
        ['GET', `/api/hooks/${ctx.hook.id}/recent-logs?start_time=2026-02-30`, undefined, 'query.start_time'],
        ['GET', `/api/hooks/${ctx.hook.id}/recent-logs?end_time=soon`, undefined, 'query.end_time'],
        ['GET', `/api/sync-hooks/${sync.json.id}/calls?since=last%20week`, undefined, 'query.since'],
        ['GET', `/api/sync-hooks/${sync.json.id}/calls?until=-5`, undefined, 'query.until'],
        ['POST', `/api/hooks/${ctx.hook.id}/recover`, { since: 'an hour ago' }, 'body.since'],
        ['POST', `/api/hooks/${ctx.hook.id}/recover`, { since: Date.now() - 1000, until: '12/03/2026' }, 'body.until'],
      ];
      for (const [method, path, body, field] of cases) {
        const res = await ctx.t.request(method, path, body === undefined ? {} : { body });
        assert.equal(res.status, 400, `${method} ${path}: ${res.text}`);
        assert.equal(res.json.code, 'guard.invalid_input', path);
        assert.equal(res.json.data.field, field, path);
        assert.match(res.json.message, new RegExp(field.split('.')[1] as string), path);
      }
    });

    it('POST …/recover, GET …/recent-logs and GET /api/sync-hooks/:id/calls take ISO 8601 too', async () => {
      const failed = await eventually(async () => {
        const res = await ctx.t.request('GET', `/api/hooks/${ctx.hook.id}/deliveries?status=failed`);
        return res.json.data.length > 0 ? res.json.data : undefined;
      });
      const since = new Date(Date.now() - 3_600_000).toISOString();
      const recovered = await ctx.t.request('POST', `/api/hooks/${ctx.hook.id}/recover`, {
        body: { since, until: new Date(Date.now() + 1000).toISOString() },
      });
      assert.equal(recovered.status, 202, recovered.text);
      assert.equal(recovered.json.queued, failed.length);
      const tooOld = await ctx.t.request('POST', `/api/hooks/${ctx.hook.id}/recover`, {
        body: { since: '2020-01-01' },
      });
      assert.equal(tooOld.status, 400);
      assert.equal(tooOld.json.data.field, 'body.since');

      const logs = await ctx.t.request(
        'GET',
        `/api/hooks/${ctx.hook.id}/recent-logs?start_time=${encodeURIComponent(since)}&end_time=2999-01-01`,
      );
      assert.equal(logs.status, 200, logs.text);
      assert.ok(logs.json.length > 0, 'the attempts of the last hour are listed');
      const none = await ctx.t.request('GET', `/api/hooks/${ctx.hook.id}/recent-logs?end_time=2000-01-01`);
      assert.deepEqual(none.json, []);

      const sync = await ctx.t.request('POST', '/api/sync-hooks', {
        body: { phase: 'PreSignIn', config: { url: 'https://example.com/gate2' } },
      });
      const calls = await ctx.t.request(
        'GET',
        `/api/sync-hooks/${sync.json.id}/calls?since=2026-01-01&until=${Date.now()}`,
      );
      assert.equal(calls.status, 200, calls.text);
    });

    it('the OpenAPI document says both forms for since/until and start_time/end_time', async () => {
      const doc = (await ctx.t.request('GET', '/api/swagger.json')).json;
      const params = (path: string, method: string) =>
        Object.fromEntries(
          doc.paths[path][method].parameters.map((p: any) => [p.name, { ...p.schema, description: p.description }]),
        );
      const deliveries = params('/api/hooks/{id}/deliveries', 'get');
      const logs = params('/api/hooks/{id}/recent-logs', 'get');
      const calls = params('/api/sync-hooks/{id}/calls', 'get');
      for (const schema of [deliveries.since, deliveries.until, logs.start_time, logs.end_time, calls.since]) {
        assert.deepEqual(
          schema.anyOf.map((s: any) => s.type),
          ['integer', 'string'],
        );
        assert.match(schema.description, /epoch milliseconds.*ISO 8601/);
      }
      const recover = doc.paths['/api/hooks/{id}/recover'].post.requestBody.content['application/json'].schema;
      assert.deepEqual(
        recover.properties.since.anyOf.map((s: any) => s.type),
        ['integer', 'string'],
      );
      assert.match(recover.properties.since.description, /epoch milliseconds.*ISO 8601/);
    });
  });

  describe(`event names, with suggestions (${store})`, () => {
    const ctx = useServer(store);

    it('a mistyped event is 400 guard.invalid_input naming the field and the nearest valid names', async () => {
      const res = await ctx.t.request('POST', '/api/hooks', {
        body: { events: ['User.Crated'], config: { url: 'https://example.com/hook' } },
      });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, 'guard.invalid_input');
      assert.equal(res.json.data.field, 'body.events[0]');
      assert.match(res.json.message, /did you mean User\.Created\?/);

      const created = await ctx.t.request('POST', '/api/hooks', {
        body: { events: ['User.Created'], config: { url: 'https://example.com/hook' } },
      });
      const patched = await ctx.t.request('PATCH', `/api/hooks/${created.json.id}`, {
        body: { events: ['User.Created', 'user.deleted'] },
      });
      assert.equal(patched.status, 400);
      assert.equal(patched.json.data.field, 'body.events[1]');
      assert.match(patched.json.message, /did you mean User\.Deleted\?/);

      const legacy = await ctx.t.request('POST', '/api/hooks', {
        body: { event: 'PostSignIm', config: { url: 'https://example.com/hook' } },
      });
      assert.equal(legacy.status, 400);
      assert.match(legacy.json.message, /did you mean PostSignIn\?/);

      const query = await ctx.t.request('GET', `/api/hooks/${created.json.id}/deliveries?event=Role.Craeted`);
      assert.equal(query.status, 400);
      assert.equal(query.json.data.field, 'querystring.event');
      assert.match(query.json.message, /did you mean Role\.Created\?/);

      const far = await ctx.t.request('POST', '/api/hooks', {
        body: { events: ['Nothing.Like.This.At.All'], config: { url: 'https://example.com/hook' } },
      });
      assert.equal(far.status, 400);
      assert.equal(far.json.code, 'guard.invalid_input');
      assert.doesNotMatch(far.json.message, /did you mean/);
    });
  });
}
