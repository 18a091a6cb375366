/**
 * Development mode and the SSRF guard's words: `herald dev` lifts the guard and says so in a banner;
 * `herald start` with the guard lifted logs a warning once; a blocked delivery's error names the
 * setting that would allow it; a hook whose URL the guard will refuse is saved, with
 * `destinationWarning` saying so.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { spawnHerald, type HeraldProcess } from './helpers/process.ts';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually, request, startTestServer } from './helpers/server.ts';
import { createTestDatabase, stores, type StoreName, type TestDatabase } from './helpers/stores.ts';

after(assertNoOpenServers);

const ADMIN_KEY = 'dev-mode-test-admin-key-0123456789';
const GUARD_WARNING = (line: Record<string, any>) =>
  line.level === 40 && line.setting === 'HERALD_ALLOW_PRIVATE_NETWORKS';

for (const store of stores) {
  describe(`herald dev and herald start (${store})`, () => {
    const running: HeraldProcess[] = [];
    const databases: TestDatabase[] = [];
    after(async () => {
      for (const proc of running) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      for (const db of databases) await db.drop();
    });

    async function spawn(command: string, env: Record<string, string> = {}) {
      const db = await createTestDatabase(store as StoreName);
      databases.push(db);
      const proc = spawnHerald([command], {
        DATABASE_URL: db.url,
        PORT: '0',
        HOST: '127.0.0.1',
        HERALD_ADMIN_KEY: ADMIN_KEY,
        ...env,
      });
      running.push(proc);
      return proc;
    }

    async function stop(proc: HeraldProcess) {
      // Serving (its signal handlers are installed just after the ready line): then stopped.
      const ready = await proc.waitForLog((l) => l.msg === 'herald is ready');
      assert.equal((await request(`http://127.0.0.1:${ready.port}`, 'GET', '/api/status')).status, 204);
      proc.child.kill('SIGTERM');
      assert.equal(await proc.exited, 0);
    }

    it('herald dev prints the development-mode banner, lifts the guard (a loopback receiver gets its webhook) and logs no warning', async () => {
      const receiver = await startReceiver();
      const proc = await spawn('dev');
      try {
        const ready = await proc.waitForLog((l) => l.msg === 'herald is ready');
        assert.match(proc.stderr, /Herald is running in DEVELOPMENT MODE \(herald dev\)\. Do not expose this server\./);
        assert.match(proc.stderr, /The SSRF guard is lifted \(HERALD_ALLOW_PRIVATE_NETWORKS=true\)/);
        assert.ok(
          proc.stderr.indexOf('DEVELOPMENT MODE') < proc.stderr.length && !proc.stdout.includes('DEVELOPMENT MODE'),
          'the banner is on standard error, outside the log stream',
        );
        const url = `http://127.0.0.1:${ready.port}`;
        const hook = await request(url, 'POST', '/api/hooks', {
          key: ADMIN_KEY,
          body: { events: ['User.Created'], config: { url: `${receiver.url}/dev` } },
        });
        assert.equal(hook.status, 201, hook.text);
        assert.equal(hook.json.destinationWarning, undefined, 'no warning: the guard is lifted');
        const user = await request(url, 'POST', '/api/users', { key: ADMIN_KEY, body: { username: 'dev_user' } });
        assert.equal(user.status, 200, user.text);
        await receiver.waitFor((rs) => rs.some((r) => r.json?.data?.id === user.json.id));
        const lines = proc.stdout.split('\n').filter((l) => l.startsWith('{'));
        assert.ok(lines.length > 0, 'LOG_FORMAT=json, set explicitly, is kept');
        assert.ok(!lines.some((l) => GUARD_WARNING(JSON.parse(l))), 'dev mode has its banner instead of the warning');
        await stop(proc);
      } finally {
        await receiver.close();
      }
    });

    it('herald dev keeps an explicit HERALD_ALLOW_PRIVATE_NETWORKS=false, and its banner says the guard stays on', async () => {
      const proc = await spawn('dev', { HERALD_ALLOW_PRIVATE_NETWORKS: 'false' });
      await proc.waitForLog((l) => l.msg === 'herald is ready');
      assert.match(proc.stderr, /DEVELOPMENT MODE/);
      assert.match(proc.stderr, /The SSRF guard stays on/);
      assert.doesNotMatch(proc.stderr, /guard is lifted/);
      await stop(proc);
    });

    it('herald start with HERALD_ALLOW_PRIVATE_NETWORKS=true logs one warning at start, and no banner; without it, none', async () => {
      const lifted = await spawn('start', { HERALD_ALLOW_PRIVATE_NETWORKS: 'true' });
      const warning = await lifted.waitForLog(GUARD_WARNING);
      assert.match(warning.msg, /SSRF guard is lifted/);
      assert.match(warning.msg, /herald dev/);
      assert.match(warning.msg, /HERALD_ALLOWED_DESTINATIONS/);
      await lifted.waitForLog((l) => l.msg === 'herald is ready');
      await stop(lifted);
      const warnings = lifted.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .filter((l) => GUARD_WARNING(JSON.parse(l)));
      assert.equal(warnings.length, 1, 'once');
      assert.doesNotMatch(lifted.stderr, /DEVELOPMENT MODE/);

      const guarded = await spawn('start');
      await guarded.waitForLog((l) => l.msg === 'herald is ready');
      await stop(guarded);
      assert.ok(!guarded.stdout.includes('HERALD_ALLOW_PRIVATE_NETWORKS'), 'no warning with the guard on');
    });
  });
}

describe('herald dev logs (store-independent)', () => {
  it('are pretty-printed when LOG_FORMAT is unset', async () => {
    const db = await createTestDatabase('sqlite');
    const proc = spawnHerald(['dev'], {
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      HERALD_ADMIN_KEY: ADMIN_KEY,
      LOG_FORMAT: '',
    });
    try {
      const ansiColour = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
      const port = await eventually(async () => {
        const plain = proc.stdout.replace(ansiColour, '');
        const ready = plain.indexOf('herald is ready');
        return ready < 0 ? undefined : /port: (\d+)/.exec(plain.slice(ready))?.[1];
      });
      assert.ok(!proc.stdout.split('\n').some((l) => l.startsWith('{')), 'no JSON lines');
      assert.match(proc.stderr, /LOG_FORMAT=pretty/);
      assert.equal((await request(`http://127.0.0.1:${port}`, 'GET', '/api/status')).status, 204);
      proc.child.kill('SIGTERM');
      assert.equal(await proc.exited, 0);
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      await db.drop();
    }
  });
});

for (const store of stores) {
  describe(`the SSRF guard's words (${store})`, () => {
    it('a blocked delivery fails with E_BLOCKED_DESTINATION naming the settings that would allow it', async () => {
      const t = await startTestServer(store, { HERALD_ALLOW_PRIVATE_NETWORKS: 'false' });
      const receiver = await startReceiver();
      try {
        const created = await t.request('POST', '/api/hooks', {
          body: { events: ['User.Created'], config: { url: `${receiver.url}/blocked` } },
        });
        assert.equal(created.status, 201, created.text);
        await emitEvent(t, 'User.Created', { data: { id: 'u' } });
        const [delivery] = await eventually(async () => {
          const list = (await t.request('GET', `/api/hooks/${created.json.id}/deliveries?status=failed`)).json.data;
          return list.length === 1 ? list : undefined;
        });
        const detail = (await t.request('GET', `/api/hooks/${created.json.id}/deliveries/${delivery.id}`)).json;
        const error: string = detail.attemptLog[0].error;
        assert.match(error, /^E_BLOCKED_DESTINATION: 127\.0\.0\.1 is a loopback address; refused by the SSRF guard/);
        assert.match(error, /add 127\.0\.0\.1 to HERALD_ALLOWED_DESTINATIONS/);
        assert.match(error, /HERALD_ALLOW_PRIVATE_NETWORKS=true \(herald dev does\)/);
        assert.equal(receiver.requests.length, 0);
      } finally {
        await t.close();
        await receiver.close();
      }
    });

    it('a hook the guard will refuse is saved (201/200) with destinationWarning; a public one has none', async () => {
      const t = await startTestServer(store, { HERALD_ALLOW_PRIVATE_NETWORKS: 'false' });
      try {
        const loopback = await t.request('POST', '/api/hooks', {
          body: { events: ['User.Created'], config: { url: 'http://127.0.0.1/x' } },
        });
        assert.equal(loopback.status, 201, loopback.text);
        assert.match(
          loopback.json.destinationWarning,
          /^Deliveries to this URL will fail: 127\.0\.0\.1 is a loopback address/,
        );
        assert.match(loopback.json.destinationWarning, /HERALD_ALLOWED_DESTINATIONS/);
        assert.match(loopback.json.destinationWarning, /HERALD_ALLOW_PRIVATE_NETWORKS=true/);
        const id = loopback.json.id;
        assert.match((await t.request('GET', `/api/hooks/${id}`)).json.destinationWarning, /loopback/);
        const listed = (await t.request('GET', '/api/hooks')).json.find((h: any) => h.id === id);
        assert.match(listed.destinationWarning, /loopback/);

        const publicHook = await t.request('POST', '/api/hooks', {
          body: { events: ['User.Created'], config: { url: 'https://93.184.215.14/hook' } },
        });
        assert.equal(publicHook.status, 201);
        assert.ok(!('destinationWarning' in publicHook.json), 'an ordinary hook reads as in Logto');
        assert.ok(!('destinationWarning' in (await t.request('GET', `/api/hooks/${publicHook.json.id}`)).json));

        const local = await t.request('PATCH', `/api/hooks/${publicHook.json.id}`, {
          body: { config: { url: 'http://api.localhost:8080/hook' } },
        });
        assert.equal(local.status, 200, local.text);
        assert.match(local.json.destinationWarning, /api\.localhost \(127\.0\.0\.1\) is a loopback address/);
        const metadata = await t.request('PATCH', `/api/hooks/${id}`, {
          body: { config: { url: 'http://169.254.169.254/latest' } },
        });
        assert.match(metadata.json.destinationWarning, /link-local address \(cloud metadata lives here\)/);
        const back = await t.request('PATCH', `/api/hooks/${id}`, {
          body: { config: { url: 'https://example.com/x' } },
        });
        assert.equal(back.status, 200);
        assert.ok(!('destinationWarning' in back.json));
      } finally {
        await t.close();
      }
    });

    it('no destinationWarning where the configuration allows the destination', async () => {
      const allowed = await startTestServer(store, {
        HERALD_ALLOW_PRIVATE_NETWORKS: 'false',
        HERALD_ALLOWED_DESTINATIONS: '127.0.0.1,*.localhost',
      });
      const lifted = await startTestServer(store);
      try {
        for (const t of [allowed, lifted]) {
          for (const url of ['http://127.0.0.1/x', 'http://api.localhost/x']) {
            const res = await t.request('POST', '/api/hooks', { body: { events: ['User.Created'], config: { url } } });
            assert.equal(res.status, 201);
            assert.ok(!('destinationWarning' in res.json), url);
          }
        }
        const stillRefused = await allowed.request('POST', '/api/hooks', {
          body: { events: ['User.Created'], config: { url: 'http://10.0.0.1/x' } },
        });
        assert.match(stillRefused.json.destinationWarning, /10\.0\.0\.1 is a private address/);
      } finally {
        await allowed.close();
        await lifted.close();
      }
    });
  });
}
