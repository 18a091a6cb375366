import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { eventually, request } from './helpers/server.ts';
import { runHerald, spawnHerald, type HeraldProcess } from './helpers/process.ts';
import { createTestDatabase, stores, type TestDatabase } from './helpers/stores.ts';

const KEY_PATTERN = /hk_[0-9a-z]{21}_[0-9A-Za-z]{32}/;

for (const store of stores) {
  describe(`herald process (${store})`, () => {
    const running: HeraldProcess[] = [];
    const databases: TestDatabase[] = [];
    after(async () => {
      for (const proc of running) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      for (const db of databases) await db.drop();
    });

    async function freshEnv(): Promise<Record<string, string>> {
      const db = await createTestDatabase(store);
      databases.push(db);
      return { DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1' };
    }

    async function start(env: Record<string, string>) {
      const proc = spawnHerald(['start'], env);
      running.push(proc);
      const ready = await proc.waitForLog((l) => l.msg === 'herald is ready');
      return { proc, ready, url: `http://127.0.0.1:${ready.port}` };
    }

    it('starts on Node 24, prints a generated key once, serves it, and exits 0 on SIGTERM', async () => {
      const env = await freshEnv();
      const { proc, ready, url } = await start(env);
      assert.match(ready.node, /^v2[4-9]\.|^v[3-9]\d\./, 'runs on Node 24 or later');
      assert.equal(ready.dialect, store);

      // Written before the ready line, but stdout and stderr are separate pipes: give stderr a moment.
      const key = await eventually(async () => KEY_PATTERN.exec(proc.stderr)?.[0], 5000);
      assert.ok(key, 'a key is printed on first start');
      assert.ok(!proc.stdout.includes(key), 'the key is not in the log stream');

      assert.equal((await request(url, 'GET', '/api/status')).status, 204);
      assert.equal((await request(url, 'GET', '/api/keys', { key })).status, 200);

      proc.child.kill('SIGTERM');
      assert.equal(await proc.exited, 0);
      assert.ok(proc.stdout.includes('"msg":"stopped"'));
      if (store === 'sqlite') {
        const file = env.DATABASE_URL?.slice('sqlite:'.length) ?? '';
        assert.ok(existsSync(file), 'the database file is kept');
        assert.ok(!existsSync(`${file}-wal`), 'the store was closed cleanly (WAL checkpointed and removed)');
      }

      // A second start finds the stored key and generates none.
      const again = await start(env);
      assert.ok(!KEY_PATTERN.test(again.proc.stderr), 'no key is generated when one exists');
      assert.equal((await request(again.url, 'GET', '/api/keys', { key })).status, 200);
      again.proc.child.kill('SIGINT');
      assert.equal(await again.proc.exited, 0);
    });

    it('manages keys from the CLI against a running server: create, list, revoke', async () => {
      const env = { ...(await freshEnv()), HERALD_ADMIN_KEY: 'cli-test-admin-key-0123456789' };
      const { proc, url } = await start(env);
      assert.ok(!KEY_PATTERN.test(proc.stderr), 'no key is generated when HERALD_ADMIN_KEY is set');

      const created = await runHerald(['keys', 'create', '--name', 'deploy bot'], env);
      assert.equal(created.code, 0, created.stderr);
      const key = created.stdout.trim();
      assert.match(key, new RegExp(`^${KEY_PATTERN.source}$`));
      assert.equal((await request(url, 'GET', '/api/keys', { key })).status, 200);

      const listed = await runHerald(['keys', 'list'], env);
      assert.equal(listed.code, 0);
      assert.match(listed.stdout, /deploy bot/);
      assert.ok(!listed.stdout.includes(key.slice(25)), 'list never shows a secret');
      const id = key.slice(3, 24);
      assert.match(listed.stdout, new RegExp(`${id}\\s+active`));

      const revoked = await runHerald(['keys', 'revoke', id], env);
      assert.equal(revoked.code, 0, revoked.stderr);
      const refused = await request(url, 'GET', '/api/keys', { key });
      assert.equal(refused.status, 401);
      assert.equal(refused.json.code, 'auth.unauthorized');

      const unknown = await runHerald(['keys', 'revoke', 'aaaaaaaaaaaaaaaaaaaaa'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /No API key/);

      proc.child.kill('SIGTERM');
      assert.equal(await proc.exited, 0);
    });

    it('applies migrations with `herald migrate`, and again without change', async () => {
      const env = await freshEnv();
      const first = await runHerald(['migrate'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Applied \d+ migration/);
      const second = await runHerald(['migrate'], env);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /up to date/);
    });
  });
}

describe('herald process: configuration and usage', () => {
  it('stops with a message naming the variable when a value is bad', async () => {
    for (const [name, value] of [
      ['PORT', 'eighty'],
      ['DATABASE_URL', 'mysql://x'],
      ['LOG_LEVEL', 'loud'],
      ['HERALD_ADMIN_KEY', 'short'],
    ] as const) {
      const result = await runHerald(['start'], { DATABASE_URL: 'sqlite::memory:', [name]: value });
      assert.equal(result.code, 78, `${name}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`configuration error: ${name}:`));
    }
  });

  it('explains bad usage with exit code 2', async () => {
    const result = await runHerald(['keys', 'create'], { DATABASE_URL: 'sqlite::memory:' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--name/);
    const unknown = await runHerald(['frobnicate'], {});
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Usage:/);
  });
});
