/**
 * `herald listen` and `herald trigger` as a developer runs them: the real CLI as a child process,
 * a real Herald, a real local receiver on loopback.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { verifyLogtoSignature } from '../src/outbound/sign.ts';
import { freePort, runHerald, spawnHerald, type HeraldProcess } from './helpers/process.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { assertNoOpenServers, eventually, startTestServer, type TestServer } from './helpers/server.ts';
import { createTestDatabase, stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the process has printed `text` on stdout. */
async function printed(proc: HeraldProcess, text: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const found = () => (typeof text === 'string' ? proc.stdout.includes(text) : text.test(proc.stdout));
  const deadline = Date.now() + timeoutMs;
  while (!found()) {
    if (Date.now() > deadline) throw new Error(`not printed: ${text}\nstdout: ${proc.stdout}\nstderr: ${proc.stderr}`);
    await sleep(25);
  }
  return proc.stdout;
}

function startListen(t: TestServer, receiver: Receiver, extra: string[] = []): HeraldProcess {
  return spawnHerald(['listen', '--forward-to', receiver.url, '--url', t.url, '--events', 'User.Created', ...extra], {
    HERALD_API_KEY: t.adminKey,
  });
}

async function createUser(t: TestServer, username: string): Promise<string> {
  const res = await t.request('POST', '/api/users', { body: { username } });
  assert.equal(res.status, 200, res.text);
  return res.json.id as string;
}

for (const store of stores) {
  describe(`herald listen (${store})`, () => {
    it('streams events to a local URL over one outbound connection, records the local answers, and loses nothing when killed', async () => {
      // A short request timeout proves the stream is not cut by it: it is a long response, not a slow request.
      const t = await startTestServer(store, {
        HERALD_HTTP_REQUEST_TIMEOUT_SECONDS: '1',
        HERALD_HTTP_HEADERS_TIMEOUT_SECONDS: '1',
      });
      const receiver = await startReceiver({ status: 202, body: 'accepted locally' });
      const procs: HeraldProcess[] = [];
      try {
        const first = startListen(t, receiver);
        procs.push(first);
        const banner = await printed(first, 'Ready.');
        const key = /signing key: (\S+)/.exec(banner)?.[1];
        const hookId = /listener hook (\S+)/.exec(banner)?.[1];
        assert.ok(key && hookId, banner);
        const hook = await t.request('GET', `/api/hooks/${hookId}`);
        assert.equal(hook.status, 200);
        assert.equal(hook.json.listener, true);
        assert.deepEqual(hook.json.events, ['User.Created']);
        assert.equal(hook.json.config.url, receiver.url);

        await sleep(2500); // past the 1 s request timeout, with the stream open
        const ids = [await createUser(t, 'listen_a'), await createUser(t, 'listen_b'), await createUser(t, 'listen_c')];
        const got = await receiver.waitFor((rs) => ids.every((id) => rs.some((r) => r.json?.data?.id === id)));
        for (const id of ids) {
          const requests = got.filter((r) => r.json?.data?.id === id);
          // Exactly once: the dispatcher does not POST a listener's deliveries itself.
          assert.equal(requests.length, 1, `user ${id} arrived ${requests.length} times`);
          const [req] = requests;
          assert.ok(req);
          assert.equal(req.json.event, 'User.Created');
          assert.equal(req.json.hookId, hookId);
          assert.ok(
            verifyLogtoSignature(key, req.body, String(req.headers['logto-signature-sha-256'])),
            'signed with the printed key',
          );
          assert.ok(String(req.headers['webhook-signature']).startsWith('v1,'));
        }
        // Herald recorded the local answer as the attempt.
        const deliveries = await eventually(async () => {
          const res = await t.request('GET', `/api/hooks/${hookId}/deliveries?status=succeeded`);
          return res.json.data.length === 3 ? res.json.data : undefined;
        });
        for (const d of deliveries) assert.equal(d.lastStatusCode, 202);
        const detail = await t.request('GET', `/api/hooks/${hookId}/deliveries/${deliveries[0].id}`);
        assert.equal(detail.status, 200);
        assert.equal(detail.json.attemptLog[0].statusCode, 202);
        assert.equal(detail.json.attemptLog[0].responseBody, 'accepted locally');
        await printed(first, new RegExp(`${deliveries[0].id} {2}→ 202`));

        // Kill the CLI while deliveries are out at the local endpoint (it answers after 1.5 s).
        receiver.respondWith((_req, res) => setTimeout(() => res.writeHead(202).end('late'), 1500));
        const before = receiver.requests.length;
        const more: string[] = [];
        for (let i = 0; i < 5; i++) more.push(await createUser(t, `listen_kill_${i}`));
        await receiver.waitFor((rs) => rs.length > before);
        first.child.kill('SIGKILL');
        await first.exited;
        receiver.respondWith({ status: 200, body: 'ok' });
        for (let i = 0; i < 3; i++) more.push(await createUser(t, `listen_down_${i}`));

        // Started again for the same local URL: the same hook, and everything arrives.
        const second = startListen(t, receiver);
        procs.push(second);
        const again = await printed(second, 'Ready.');
        assert.match(again, new RegExp(`listener hook ${hookId} \\(resumed`));
        await receiver.waitFor((rs) => more.every((id) => rs.some((r) => r.json?.data?.id === id)));
        await eventually(async () => {
          const res = await t.request('GET', `/api/hooks/${hookId}/deliveries?status=succeeded&limit=100`);
          return res.json.data.length === 11 ? true : undefined;
        }, 30_000);
        const open = await t.request('GET', `/api/hooks/${hookId}/deliveries?status=pending`);
        assert.equal(open.json.data.length, 0);

        // Ctrl-C deletes the hook and exits 0.
        second.child.kill('SIGINT');
        assert.equal(await second.exited, 0);
        assert.match(second.stdout, new RegExp(`Deleted listener hook ${hookId}`));
        assert.equal((await t.request('GET', `/api/hooks/${hookId}`)).status, 404);
      } finally {
        for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
        await receiver.close();
        await t.close();
      }
    });

    it('reconnects by itself when the server restarts, and what happens meanwhile arrives', async () => {
      const db = await createTestDatabase(store);
      const port = await freePort();
      const key = 'listen-restart-key-0123456789abcdef';
      const env = {
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        HERALD_ADMIN_KEY: key,
        LOG_LEVEL: 'warn',
      };
      const url = `http://127.0.0.1:${port}`;
      const receiver = await startReceiver({ status: 200, body: 'ok' });
      const procs: HeraldProcess[] = [];
      const startServer = async () => {
        const server = spawnHerald(['start'], env);
        procs.push(server);
        await eventually(() =>
          fetch(`${url}/api/status`).then(
            (r) => (r.status === 204 ? true : undefined),
            () => undefined,
          ),
        );
        return server;
      };
      const post = (username: string) =>
        fetch(`${url}/api/users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ username }),
        }).then(async (r) => {
          assert.equal(r.status, 200);
          return ((await r.json()) as { id: string }).id;
        });
      try {
        const first = await startServer();
        const cli = spawnHerald(['listen', '--forward-to', receiver.url, '--url', url, '--events', 'User.Created'], {
          HERALD_API_KEY: key,
        });
        procs.push(cli);
        await printed(cli, 'Ready.');
        const before = await post('before_restart');
        await receiver.waitFor((rs) => rs.some((r) => r.json?.data?.id === before));

        first.child.kill('SIGTERM');
        await first.exited;
        await printed(cli, 'connection lost');
        await startServer();
        const afterRestart = await post('after_restart');
        await printed(cli, 'connected again', 30_000);
        await receiver.waitFor((rs) => rs.some((r) => r.json?.data?.id === afterRestart), 30_000);
        cli.child.kill('SIGINT');
        assert.equal(await cli.exited, 0);
      } finally {
        for (const p of procs.reverse()) {
          if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
          await p.exited;
        }
        await receiver.close();
        await db.drop();
      }
    });

    it('guards the listener routes: API key, listener hooks only, stale and bad reports', async () => {
      const t = await startTestServer(store);
      try {
        const anonymous = await t.request('POST', '/api/listeners', {
          key: null,
          body: { forwardTo: 'http://localhost:3000/webhooks' },
        });
        assert.equal(anonymous.status, 401);
        const bad = await t.request('POST', '/api/listeners', { body: { forwardTo: 'ftp://x' } });
        assert.equal(bad.status, 400);
        const badEvent = await t.request('POST', '/api/listeners', {
          body: { forwardTo: 'http://localhost:3000/w', events: ['No.Such'] },
        });
        assert.equal(badEvent.status, 400);

        const opened = await t.request('POST', '/api/listeners', { body: { forwardTo: 'http://localhost:3000/w' } });
        assert.equal(opened.status, 201, opened.text);
        assert.equal(opened.json.resumed, false);
        assert.ok(opened.json.hook.events.includes('PostSignIn'), 'every event by default');
        const reopened = await t.request('POST', '/api/listeners', {
          body: { forwardTo: 'http://localhost:3000/w', events: ['User.Deleted'] },
        });
        assert.equal(reopened.status, 200);
        assert.equal(reopened.json.resumed, true);
        assert.equal(reopened.json.hook.id, opened.json.hook.id);
        assert.deepEqual(reopened.json.hook.events, ['User.Deleted']);

        const ordinary = await t.request('POST', '/api/hooks', {
          body: { name: 'plain', events: ['User.Created'], config: { url: 'http://127.0.0.1:9/x' } },
        });
        assert.equal(ordinary.json.listener, undefined, 'ordinary hooks look as in Logto');
        const notListener = await t.request('GET', `/api/listeners/${ordinary.json.id}/stream`);
        assert.equal(notListener.status, 400);
        assert.equal(notListener.json.code, 'listener.not_a_listener');
        assert.equal((await t.request('GET', '/api/listeners/nope/stream')).status, 404);
        assert.equal(
          (await t.request('GET', `/api/listeners/${opened.json.hook.id}/stream`, { key: null })).status,
          401,
        );

        const report = {
          deliveryId: 'd1',
          leaseToken: 'not-a-lease',
          attempt: 1,
          statusCode: 200,
          durationMs: 3,
        };
        const stale = await t.request('POST', `/api/listeners/${opened.json.hook.id}/results`, { body: report });
        assert.equal(stale.status, 200, stale.text);
        assert.equal(stale.json.recorded, false);
        const invalid = await t.request('POST', `/api/listeners/${opened.json.hook.id}/results`, {
          body: { ...report, statusCode: 1000 },
        });
        assert.equal(invalid.status, 400);
        const wrongHook = await t.request('POST', `/api/listeners/${ordinary.json.id}/results`, { body: report });
        assert.equal(wrongHook.status, 400);
      } finally {
        await t.close();
      }
    });
  });

  describe(`herald trigger (${store})`, () => {
    it('makes a real event and prints each delivery; sends samples to --hook; names bad input', async () => {
      const t = await startTestServer(store);
      const receiver = await startReceiver({ status: 200, body: 'ok' });
      try {
        const created = await t.request('POST', '/api/hooks', {
          body: { name: 'trigger-target', events: ['User.Created', 'PostSignIn'], config: { url: receiver.url } },
        });
        assert.equal(created.status, 201);
        const env = { HERALD_URL: t.url, HERALD_API_KEY: t.adminKey };

        const real = await runHerald(['trigger', 'User.Created'], env);
        assert.equal(real.code, 0, real.stderr + real.stdout);
        const userId = /made user (\S+)/.exec(real.stdout)?.[1];
        assert.ok(userId, real.stdout);
        assert.match(real.stdout, /trigger-target .*: succeeded, 200/);
        assert.ok(receiver.requests.some((r) => r.json?.event === 'User.Created' && r.json?.data?.id === userId));

        const sample = await runHerald(['trigger', 'PostSignIn', '--hook', created.json.id], env);
        assert.equal(sample.code, 0, sample.stderr + sample.stdout);
        assert.match(sample.stdout, /PostSignIn sample → trigger-target .*: 200/);
        assert.ok(receiver.requests.some((r) => r.json?.event === 'PostSignIn'));

        receiver.respondWith({ status: 500, body: 'down' });
        const failing = await runHerald(['trigger', 'PostSignIn', '--hook', created.json.id], env);
        assert.equal(failing.code, 1);
        assert.match(failing.stdout, /: 500/);

        const unknown = await runHerald(['trigger', 'No.Such'], env);
        assert.equal(unknown.code, 1);
        assert.match(unknown.stderr, /"No.Such" is not an event a hook can take/);
        const needsHook = await runHerald(['trigger', 'PostSignIn'], env);
        assert.equal(needsHook.code, 1);
        assert.match(needsHook.stderr, /--hook ID/);
        const noKey = await runHerald(['trigger', 'User.Created'], { HERALD_URL: t.url });
        assert.equal(noKey.code, 1);
        assert.match(noKey.stderr, /API key is needed/);
        const usage = await runHerald(['trigger'], env);
        assert.equal(usage.code, 2);
      } finally {
        await receiver.close();
        await t.close();
      }
    });
  });
}
