/**
 * The global delivery log (`GET /api/deliveries`) and its bulk recovery (`POST /api/deliveries/recover`):
 * every filter narrows, `q` finds deliveries by delivery id, event id, a user's id and email in the
 * payload, paging sets Total-Number, bad input is a 400 naming the problem, and a key is required.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually } from './helpers/server.ts';
import { expectError, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

interface Entry {
  id: string;
  hookId: string;
  hookName: string;
  eventId: string;
  event: string;
  status: string;
  attempts: number;
  createdAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const store of stores) {
  describe(`global delivery log (${store})`, () => {
    const ctx = useServer(store, { receiver: true });
    let failing: Receiver;
    const hooks = { ok: '', bad: '' };
    const users: { alice: { id: string; email: string }; bob: { id: string; email: string } } = {
      alice: { id: '', email: `alice.${store}@example.com` },
      bob: { id: '', email: `bob.${store}@example.com` },
    };
    let mid = 0;

    const log = async (query = ''): Promise<{ entries: Entry[]; total: number; link: string }> => {
      const res = await ctx.t.request('GET', `/api/deliveries${query}`);
      assert.equal(res.status, 200, res.text);
      return {
        entries: res.json,
        total: Number(res.headers.get('total-number')),
        link: res.headers.get('link') ?? '',
      };
    };

    before(async () => {
      failing = await startReceiver({ status: 500, body: 'broken' });
      const create = async (name: string, url: string, events: string[]) => {
        const res = await ctx.t.request('POST', '/api/hooks', { body: { name, events, config: { url } } });
        assert.equal(res.status, 201, res.text);
        return res.json.id as string;
      };
      hooks.ok = await create('Good receiver', ctx.receiver.url, ['User.Created', 'Role.Created']);
      hooks.bad = await create('Broken receiver', failing.url, ['User.Created']);
      const alice = await ctx.t.request('POST', '/api/users', {
        body: { username: `alice_${store}`, primaryEmail: users.alice.email },
      });
      assert.equal(alice.status, 200, alice.text);
      users.alice.id = alice.json.id;
      await sleep(20);
      mid = Date.now();
      await sleep(20);
      const bob = await ctx.t.request('POST', '/api/users', {
        body: { username: `bob_${store}`, primaryEmail: users.bob.email },
      });
      assert.equal(bob.status, 200, bob.text);
      users.bob.id = bob.json.id;
      await sleep(5);
      await emitEvent(ctx.t, 'Role.Created', { data: { id: 'role-1', name: 'editors' } });
      // Every delivery finished: the good ones succeeded, the broken hook's failed after its retries.
      await eventually(async () => {
        const { entries } = await log('?page_size=100');
        return entries.length === 5 && entries.every((e) => e.status === 'succeeded' || e.status === 'failed')
          ? true
          : undefined;
      }, 20_000);
    });
    after(() => failing?.close());

    it('requires an API key', async () => {
      const res = await ctx.t.request('GET', '/api/deliveries', { key: null });
      assert.equal(res.status, 401);
      const recover = await ctx.t.request('POST', '/api/deliveries/recover', { key: null, body: {} });
      assert.equal(recover.status, 401);
    });

    it("lists every hook's deliveries, newest first, with the hook's name", async () => {
      const { entries, total } = await log();
      assert.equal(total, 5);
      assert.equal(entries.length, 5);
      for (let i = 1; i < entries.length; i++)
        assert.ok((entries[i - 1]?.createdAt ?? 0) >= (entries[i]?.createdAt ?? 0), 'newest first');
      assert.equal(entries[0]?.event, 'Role.Created');
      const names = new Map(entries.map((e) => [e.hookId, e.hookName]));
      assert.equal(names.get(hooks.ok), 'Good receiver');
      assert.equal(names.get(hooks.bad), 'Broken receiver');
      assert.ok(entries.every((e) => e.attempts >= 1));
    });

    it('narrows by hook, event, status and time', async () => {
      const byHook = await log(`?hookId=${hooks.bad}`);
      assert.equal(byHook.total, 2);
      assert.ok(byHook.entries.every((e) => e.hookId === hooks.bad));

      const byEvent = await log('?event=Role.Created');
      assert.deepEqual(
        byEvent.entries.map((e) => [e.event, e.hookId]),
        [['Role.Created', hooks.ok]],
      );
      const byEventAndHook = await log(`?event=User.Created&hookId=${hooks.ok}`);
      assert.equal(byEventAndHook.total, 2);

      const failed = await log('?status=failed');
      assert.equal(failed.total, 2);
      assert.ok(failed.entries.every((e) => e.status === 'failed' && e.hookId === hooks.bad && e.attempts === 3));
      const succeeded = await log('?status=succeeded');
      assert.equal(succeeded.total, 3);
      assert.equal((await log('?status=pending')).total, 0);

      const since = await log(`?since=${mid}&event=User.Created`);
      assert.equal(since.total, 2, 'only bob');
      const until = await log(`?until=${new Date(mid).toISOString()}`);
      assert.equal(until.total, 2, 'only alice');
      assert.equal((await log(`?since=${Date.now() + 60_000}`)).total, 0);
    });

    it('finds deliveries by delivery id, event id, user id and email', async () => {
      const all = (await log()).entries;
      const one = all.find((e) => e.hookId === hooks.bad);
      assert.ok(one);
      const byId = await log(`?q=${one.id}`);
      assert.deepEqual(
        byId.entries.map((e) => e.id),
        [one.id],
      );
      const byEvent = await log(`?q=${one.eventId}`);
      assert.equal(byEvent.total, 2, 'both hooks got the event');
      assert.ok(byEvent.entries.every((e) => e.eventId === one.eventId));

      const byUser = await log(`?q=${users.alice.id}`);
      assert.equal(byUser.total, 2);
      const aliceEvent = byUser.entries[0]?.eventId;
      assert.ok(byUser.entries.every((e) => e.eventId === aliceEvent && e.event === 'User.Created'));
      const first = byUser.entries[0];
      const detail = await ctx.t.request('GET', `/api/hooks/${first?.hookId}/deliveries/${first?.id}`);
      assert.ok(detail.text.includes(users.alice.id), detail.text);

      const byEmail = await log(`?q=${encodeURIComponent(users.bob.email.toUpperCase())}`);
      assert.equal(byEmail.total, 2, 'the email matches whatever its case');
      assert.ok(byEmail.entries.every((e) => e.eventId !== aliceEvent));
      const bobFailed = await log(`?q=${encodeURIComponent(users.bob.email)}&status=failed`);
      assert.equal(bobFailed.total, 1);
      assert.equal(bobFailed.entries[0]?.hookId, hooks.bad);

      assert.equal((await log('?q=alice')).total, 0, 'a whole value, not a fragment');
      assert.equal((await log('?q=%25')).total, 0, 'LIKE wildcards are literal');
      assert.equal((await log(`?q=${users.alice.id}&since=${mid}`)).total, 0, 'within the window only');
    });

    it('pages with page and page_size, setting Total-Number and Link', async () => {
      const first = await log('?page=1&page_size=2');
      const second = await log('?page=2&page_size=2');
      const third = await log('?page=3&page_size=2');
      assert.equal(first.total, 5);
      assert.equal(first.entries.length, 2);
      assert.equal(second.entries.length, 2);
      assert.equal(third.entries.length, 1);
      const ids = [...first.entries, ...second.entries, ...third.entries].map((e) => e.id);
      assert.equal(new Set(ids).size, 5);
      assert.match(first.link, /rel="next"/);
      assert.match(second.link, /page=3/);
      const filtered = await log('?status=failed&page_size=1');
      assert.equal(filtered.total, 2);
      assert.equal(filtered.entries.length, 1);
      assert.match(filtered.link, /status=failed/);
    });

    it('answers 400 naming the problem for bad filters', async () => {
      // Schema failures name `querystring.x`, the route's own checks `query.x`: the parameter either way.
      const bad = async (query: string, code: string, name: string) => {
        const body = await expectError(ctx.t, 'GET', `/api/deliveries${query}`, 400, code);
        assert.match(
          body.data?.field ?? '',
          new RegExp(`^query(string)?\\.${name}$`),
          `${query}: ${JSON.stringify(body)}`,
        );
      };
      await bad('?status=lost', 'guard.invalid_input', 'status');
      await bad('?event=User.Crated', 'guard.invalid_input', 'event');
      await bad('?since=yesterday', 'guard.invalid_input', 'since');
      await bad('?until=2026-12-03T10:00', 'guard.invalid_input', 'until');
      await bad('?since=2026-12-03&until=2026-12-02', 'guard.invalid_input', 'until');
      await bad('?hookId=nosuchhook', 'guard.invalid_input', 'hookId');
      await bad(`?q=${'x'.repeat(300)}`, 'guard.invalid_input', 'q');
      await bad('?page=0', 'guard.invalid_pagination', 'page');
      await bad('?page_size=1000', 'guard.invalid_pagination', 'page_size');
      const recover = async (body: unknown, field: string) => {
        const res = await expectError(ctx.t, 'POST', '/api/deliveries/recover', 400, 'guard.invalid_input', body);
        assert.equal(res.data?.field, field, JSON.stringify(res));
      };
      await recover({ since: Date.now() - 20 * 24 * 60 * 60 * 1000 }, 'body.since');
      await recover({ since: 'soon' }, 'body.since');
      await recover({ hookId: 'nosuchhook' }, 'body.hookId');
      await recover({ event: 'Nope' }, 'body.event');
      assert.equal(failing.requests.length, 6, 'nothing re-queued');
    });

    it('re-queues the failed deliveries the filter matches', async () => {
      const none = await ctx.t.request('POST', '/api/deliveries/recover', { body: { hookId: hooks.ok } });
      assert.equal(none.status, 202, none.text);
      assert.deepEqual(none.json, { queued: 0 });

      const before = failing.requests.length;
      const res = await ctx.t.request('POST', '/api/deliveries/recover', { body: { q: users.alice.email } });
      assert.equal(res.status, 202, res.text);
      assert.deepEqual(res.json, { queued: 1 });
      await failing.waitFor((rs) => rs.length > before);
      const alice = await eventually(async () => {
        const { entries } = await log(`?q=${users.alice.id}&status=failed`);
        return (entries[0]?.attempts ?? 0) > 3 ? entries[0] : undefined;
      });
      assert.equal(alice.hookId, hooks.bad);
      const bob = (await log(`?q=${users.bob.id}&status=failed`)).entries[0];
      assert.equal(bob?.attempts, 3, "bob's delivery was not touched");

      const all = await ctx.t.request('POST', '/api/deliveries/recover', { body: { hookId: hooks.bad } });
      assert.deepEqual(all.json, { queued: 2 });
    });
  });
}
