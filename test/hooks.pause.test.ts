/**
 * Pausing a hook (a Herald extension, `paused` on PATCH /api/hooks/:id): deliveries are created and
 * held, none is sent; resuming sends them oldest first at the hook's concurrency; paused time does
 * not count towards auto-disable. Real server, real receivers, both stores.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { hookResponseGuard } from '@logto/schemas';
import { startReceiver, type Received, type Receiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually, startTestServer, type TestServer } from './helpers/server.ts';
import { expectError, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const EVENTS = 100;

async function createHook(t: TestServer, url: string, extra: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/api/hooks', {
    body: { name: 'paused', events: ['User.Created'], config: { url }, ...extra },
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function patch(t: TestServer, id: string, body: Record<string, unknown>) {
  const res = await t.request('PATCH', `/api/hooks/${id}`, { body });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** The hook's deliveries as stored: id, status, attempts, creation time, oldest first. */
async function deliveriesOf(t: TestServer, hookId: string) {
  const rows = await t.server.database.db
    .selectFrom('deliveries')
    .select(['id', 'status', 'attempts', 'created_at'])
    .where('hook_id', '=', hookId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts), created_at: Number(r.created_at) }));
}

async function hookRow(t: TestServer, id: string) {
  return t.server.database.db
    .selectFrom('hooks')
    .select(['enabled', 'paused', 'paused_at', 'failing_since'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Emits `count` User.Created events one after another, each its own transaction; `data.i` numbers them. */
async function emitMany(t: TestServer, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await emitEvent(t, 'User.Created', { data: { id: `u${i}`, i } });
}

/** Pauses `hookId`, emits 100 events, and checks that none is sent for 1.5 s (many dispatcher cycles). */
async function holdHundred(t: TestServer, receiver: Receiver, hookId: string) {
  const paused = await patch(t, hookId, { paused: true });
  assert.equal(paused.paused, true);
  assert.equal(paused.enabled, true, 'pausing is not disabling');
  await emitMany(t, EVENTS);
  await sleep(1500);
  assert.equal(receiver.requests.length, 0, 'nothing is sent while paused');
  const held = await deliveriesOf(t, hookId);
  assert.equal(held.length, EVENTS, 'deliveries are still created while paused');
  assert.ok(
    held.every((d) => d.status === 'pending' && d.attempts === 0),
    'every delivery is pending, never attempted',
  );
  return held;
}

/** Each delivery arrived exactly once; answers the arrivals' positions in creation order. */
function arrivalRanks(requests: readonly Received[], created: readonly { id: string }[]): number[] {
  const rank = new Map(created.map((d, i) => [d.id, i]));
  const ids = requests.map((r) => String(r.headers['webhook-id']));
  assert.equal(new Set(ids).size, ids.length, 'no delivery arrives twice');
  assert.equal(ids.length, created.length);
  return ids.map((id) => {
    const r = rank.get(id);
    assert.ok(r !== undefined, `unknown delivery ${id}`);
    return r;
  });
}

for (const store of stores) {
  describe(`pausing a hook (${store})`, () => {
    const ctx = useServer(store, { receiver: true });

    it('shows `paused` and `pausedAt` only while paused; create takes `paused`; bad input is 400', async () => {
      const hook = await createHook(ctx.t, ctx.receiver.url);
      assert.equal('paused' in hook, false, 'an ordinary hook reads as in Logto');
      assert.equal('pausedAt' in hook, false);

      const before = Date.now();
      const paused = await patch(ctx.t, hook.id, { paused: true });
      assert.equal(paused.paused, true);
      assert.ok(paused.pausedAt >= before && paused.pausedAt <= Date.now(), `pausedAt ${paused.pausedAt}`);
      const read = (await ctx.t.request('GET', `/api/hooks/${hook.id}?includeExecutionStats=true`)).json;
      assert.equal(read.paused, true);
      assert.equal(read.pausedAt, paused.pausedAt);
      hookResponseGuard.parse(read); // Logto's own guard takes a paused hook
      const listed = (await ctx.t.request('GET', '/api/hooks')).json.find((h: { id: string }) => h.id === hook.id);
      assert.equal(listed.paused, true);

      await sleep(5);
      const again = await patch(ctx.t, hook.id, { paused: true, name: 'renamed' });
      assert.equal(again.pausedAt, paused.pausedAt, 'pausing a paused hook keeps when the pause began');
      assert.equal(again.name, 'renamed');

      const resumed = await patch(ctx.t, hook.id, { paused: false });
      assert.equal('paused' in resumed, false);
      assert.equal('pausedAt' in resumed, false);
      const row = await hookRow(ctx.t, hook.id);
      assert.equal(Boolean(row.paused), false);
      assert.equal(row.paused_at, null);
      assert.equal('paused' in (await patch(ctx.t, hook.id, { paused: false })), false, 'resuming twice is harmless');

      const created = await createHook(ctx.t, ctx.receiver.url, { paused: true });
      assert.equal(created.paused, true);
      assert.equal(created.pausedAt, created.createdAt);
      assert.equal((await ctx.t.request('GET', `/api/hooks/${created.id}`)).json.paused, true);
      const notPaused = await createHook(ctx.t, ctx.receiver.url, { paused: false });
      assert.equal('paused' in notPaused, false);

      for (const bad of ['yes', null, 1]) {
        const error = await expectError(ctx.t, 'PATCH', `/api/hooks/${hook.id}`, 400, 'guard.invalid_input', {
          paused: bad,
        });
        assert.match(JSON.stringify(error), /paused/);
      }
      await expectError(ctx.t, 'POST', '/api/hooks', 400, 'guard.invalid_input', {
        events: ['User.Created'],
        config: { url: ctx.receiver.url },
        paused: 'no',
      });
      await expectError(ctx.t, 'PATCH', '/api/hooks/nohookwiththisid0000', 404, 'entity.not_exists', { paused: true });
      for (const id of [hook.id, created.id, notPaused.id])
        assert.equal((await ctx.t.request('DELETE', `/api/hooks/${id}`)).status, 204);
    });

    it('creates deliveries for a paused hook but none for a disabled one', async () => {
      const paused = await createHook(ctx.t, ctx.receiver.url, { events: ['Role.Created'], paused: true });
      const disabled = await createHook(ctx.t, ctx.receiver.url, { events: ['Role.Created'], enabled: false });
      await emitEvent(ctx.t, 'Role.Created', { data: { id: 'r1' } });
      assert.equal((await deliveriesOf(ctx.t, disabled.id)).length, 0, 'enabled:false creates nothing, as in Logto');
      const held = await deliveriesOf(ctx.t, paused.id);
      assert.equal(held.length, 1);
      await sleep(1200);
      assert.equal((await deliveriesOf(ctx.t, paused.id))[0]?.status, 'pending');
      assert.equal(ctx.receiver.requests.filter((r) => r.json?.event === 'Role.Created').length, 0);
      await patch(ctx.t, paused.id, { paused: false });
      await ctx.receiver.waitFor((rs) => rs.some((r) => r.headers['webhook-id'] === held[0]?.id));
      for (const id of [paused.id, disabled.id])
        assert.equal((await ctx.t.request('DELETE', `/api/hooks/${id}`)).status, 204);
    });

    it('holds 100 events while paused and sends each once, strictly oldest first, at concurrency 1', async () => {
      const t = await startTestServer(store, { HERALD_HOOK_CONCURRENCY: '1' });
      const receiver = await startReceiver();
      try {
        const hook = await createHook(t, receiver.url);
        const held = await holdHundred(t, receiver, hook.id);
        await patch(t, hook.id, { paused: false });
        await receiver.waitFor((rs) => rs.length >= EVENTS);
        await sleep(200);
        const ranks = arrivalRanks(receiver.requests, held);
        // Creation order is to the millisecond (ids within one millisecond are random): arrivals
        // never go back in creation time, and the numbering of events created apart follows.
        const createdAt = ranks.map((r) => held[r]!.created_at);
        for (let i = 1; i < createdAt.length; i++)
          assert.ok(createdAt[i]! >= createdAt[i - 1]!, `arrival ${i} was created before arrival ${i - 1}`);
        const numbers = receiver.requests.map((r) => r.json.data.i as number);
        for (let i = 1; i < numbers.length; i++)
          if (createdAt[i]! > createdAt[i - 1]!) assert.ok(numbers[i]! > numbers[i - 1]!, `event ${numbers[i]} early`);
        await eventually(async () =>
          (await deliveriesOf(t, hook.id)).every((d) => d.status === 'succeeded') ? true : undefined,
        );
      } finally {
        await t.close();
        await receiver.close();
      }
    });

    it('a pause during a backlog stops what was already claimed: only the requests in flight finish', async () => {
      // Concurrency 2 and a slow endpoint: the dispatcher claims ahead (its ready queue holds up
      // to 2 rounds of the cap), so without a check those would still be sent after the pause.
      const t = await startTestServer(store, { HERALD_HOOK_CONCURRENCY: '2' });
      const receiver = await startReceiver((_req, res) => setTimeout(() => res.writeHead(200).end('ok'), 300));
      try {
        const hook = await createHook(t, receiver.url);
        await emitMany(t, 30);
        await receiver.waitFor((rs) => rs.length >= 2);
        await patch(t, hook.id, { paused: true });
        const atPause = receiver.requests.length;
        await sleep(1500);
        // The two in flight at the pause had arrived already; at most one round more may start
        // before the dispatcher's check (every 250 ms) hands the claimed ones back. Without the
        // check, the whole ready queue (2 rounds) followed.
        assert.ok(
          receiver.requests.length <= atPause + 2,
          `${receiver.requests.length - atPause} requests after the pause`,
        );
        const rows = await deliveriesOf(t, hook.id);
        assert.equal(rows.filter((d) => d.status === 'delivering').length, 0, 'nothing stays leased');
        await patch(t, hook.id, { paused: false });
        await eventually(
          async () => ((await deliveriesOf(t, hook.id)).every((d) => d.status === 'succeeded') ? true : undefined),
          30_000,
        );
        const ids = receiver.requests.map((r) => r.json.data.id as string);
        assert.equal(new Set(ids).size, 30, 'each delivered');
      } finally {
        await t.close();
        await receiver.close();
      }
    });

    it('sends the held 100 at the hook concurrency of 16, the oldest first', async () => {
      const t = await startTestServer(store);
      let inFlight = 0;
      let most = 0;
      const receiver = await startReceiver((_req: Received, res: ServerResponse) => {
        inFlight++;
        most = Math.max(most, inFlight);
        setTimeout(() => {
          inFlight--;
          res.writeHead(200).end('ok');
        }, 30);
      });
      try {
        const hook = await createHook(t, receiver.url);
        const held = await holdHundred(t, receiver, hook.id);
        await patch(t, hook.id, { paused: false });
        await receiver.waitFor((rs) => rs.length >= EVENTS);
        await sleep(200);
        const ranks = arrivalRanks(receiver.requests, held);
        const first = ranks.slice(0, 16);
        assert.ok(
          first.every((r) => r < 32),
          `the first 16 to arrive are among the first 32 created: ${first.join(',')}`,
        );
        assert.ok(most <= 16, `at most 16 at once, saw ${most}`);
        assert.ok(most > 1, `sent in parallel, saw ${most}`);
      } finally {
        await t.close();
        await receiver.close();
      }
    });

    it('does not count paused time towards auto-disable, and the streak goes on after resume', async () => {
      const windowMs = 3000;
      const t = await startTestServer(store, {
        HERALD_AUTO_DISABLE_AFTER_SECONDS: String(windowMs / 1000),
        HERALD_RETRY_SCHEDULE: Array.from({ length: 20 }, () => '0.15').join(','),
      });
      const failing = await startReceiver({ status: 500, body: 'down' });
      try {
        const hook = await createHook(t, failing.url);
        await emitEvent(t, 'User.Created', { data: { id: 'u1' } });
        const streakStart = await eventually(async () => {
          const row = await hookRow(t, hook.id);
          return row.failing_since === null ? undefined : Number(row.failing_since);
        });
        const paused = await patch(t, hook.id, { paused: true });
        const before = paused.pausedAt - streakStart;
        // A request already under way when the pause began may still finish.
        await sleep(400);
        const attemptsWhenPaused = failing.requests.length;
        await sleep(windowMs + 100);
        assert.equal(failing.requests.length, attemptsWhenPaused, 'no attempts while paused');
        const whilePaused = await hookRow(t, hook.id);
        assert.equal(Boolean(whilePaused.enabled), true, 'not disabled while paused');
        assert.equal(Number(whilePaused.failing_since), streakStart);

        const resumedAt = Date.now();
        const resumed = await patch(t, hook.id, { paused: false });
        assert.equal(resumed.enabled, true, 'not disabled at resume');
        const row = await hookRow(t, hook.id);
        const shift = Number(row.failing_since) - streakStart;
        assert.ok(
          shift >= resumedAt - paused.pausedAt && shift <= Date.now() - paused.pausedAt,
          `the streak moved forward by the paused time: ${shift} ms`,
        );
        // The first failure after resume is judged on the streak without the pause (it would
        // disable the hook at once if the pause counted).
        const [delivery] = await deliveriesOf(t, hook.id);
        const attempts = delivery!.attempts;
        await eventually(async () => ((await deliveriesOf(t, hook.id))[0]!.attempts > attempts ? true : undefined));
        const afterFirst = (await t.request('GET', `/api/hooks/${hook.id}`)).json;
        assert.ok(Date.now() < resumedAt + windowMs - before, 'checked before the streak could reach the window');
        assert.equal(afterFirst.enabled, true, 'the first failure after resume does not disable it');
        // …and it is disabled once failing has lasted the window outside the pause.
        const disabled = await eventually(async () => {
          const h = (await t.request('GET', `/api/hooks/${hook.id}`)).json;
          return h.enabled === false ? h : undefined;
        });
        assert.match(disabled.disabledReason, /failed since/);
        assert.ok(
          disabled.disabledAt >= resumedAt + windowMs - before - 50,
          `disabled ${disabled.disabledAt - resumedAt} ms after resume, streak before the pause ${before} ms`,
        );
      } finally {
        await t.close();
        await failing.close();
      }
    });

    it("holds a paused listener hook's stream (herald listen) and streams what was held on resume", async () => {
      const opened = await ctx.t.request('POST', '/api/listeners', {
        body: { forwardTo: 'http://127.0.0.1:9/local', events: ['Organization.Created'] },
      });
      assert.equal(opened.status, 201, opened.text);
      const id = opened.json.hook.id as string;
      await patch(ctx.t, id, { paused: true });
      const abort = new AbortController();
      const response = await fetch(`${ctx.t.url}/api/listeners/${id}/stream`, {
        headers: { authorization: `Bearer ${ctx.t.adminKey}` },
        signal: abort.signal,
      });
      assert.equal(response.status, 200);
      let text = '';
      const reading = (async () => {
        const decoder = new TextDecoder();
        try {
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
            text += decoder.decode(chunk, { stream: true });
        } catch {
          // aborted
        }
      })();
      const deliveries = () => text.split('event: delivery\n').length - 1;
      try {
        for (let i = 0; i < 3; i++) await emitEvent(ctx.t, 'Organization.Created', { data: { id: `o${i}` } });
        await sleep(1500);
        assert.match(text, /event: ready/);
        assert.equal(deliveries(), 0, 'a paused listener streams nothing');
        assert.equal((await deliveriesOf(ctx.t, id)).length, 3);
        await patch(ctx.t, id, { paused: false });
        await eventually(async () => (deliveries() === 3 ? true : undefined));
      } finally {
        abort.abort();
        await reading;
        assert.equal((await ctx.t.request('DELETE', `/api/hooks/${id}`)).status, 204);
      }
    });
  });
}
