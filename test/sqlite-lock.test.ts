/**
 * One server per SQLite file: a second `herald start` on the same file is refused, naming the file
 * and the running server's pid, while the first keeps serving and the CLI's own commands still open
 * the file; once the first stops (or is killed), a new one starts. PostgreSQL takes any number.
 * And `herald` with no command prints the help instead of starting.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { runHerald, spawnHerald, type HeraldProcess } from './helpers/process.ts';
import { request } from './helpers/server.ts';
import { createTestDatabase, stores, type TestDatabase } from './helpers/stores.ts';

const ADMIN_KEY = 'sqlite-lock-test-admin-key-0123456789';

describe('one server per SQLite file', () => {
  const running: HeraldProcess[] = [];
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const proc of running) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    for (const db of databases) await db.drop();
  });

  async function freshEnv(): Promise<Record<string, string>> {
    const db = await createTestDatabase('sqlite');
    databases.push(db);
    return { DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', HERALD_ADMIN_KEY: ADMIN_KEY };
  }

  async function start(env: Record<string, string>) {
    const proc = spawnHerald(['start'], env);
    running.push(proc);
    const ready = await proc.waitForLog((l) => l.msg === 'herald is ready');
    const url = `http://127.0.0.1:${ready.port}`;
    assert.equal((await request(url, 'GET', '/api/status')).status, 204);
    return { proc, url };
  }

  it('a second herald start on the same file exits 1 naming the file and the first pid; the first keeps serving; then a new one starts', async () => {
    const env = await freshEnv();
    const file = env.DATABASE_URL?.slice('sqlite:'.length) ?? '';
    const first = await start(env);

    const second = spawnHerald(['start'], env);
    running.push(second);
    const code = await second.exited;
    assert.equal(code, 1, second.stderr);
    assert.ok(second.stderr.includes(`the SQLite database ${file} is in use`), second.stderr);
    assert.match(second.stderr, new RegExp(`another Herald server \\(pid ${first.proc.child.pid}\\)`));
    assert.ok(second.stderr.includes(`${file}.lock`), 'names the lock file');
    assert.match(second.stderr, /PostgreSQL/);
    assert.ok(!second.stdout.includes('herald is ready'));

    // The first is untouched, and the CLI's commands still open the file while it runs.
    const created = await request(first.url, 'POST', '/api/hooks', {
      key: ADMIN_KEY,
      body: { events: ['User.Created'], config: { url: 'https://example.com/hook' } },
    });
    assert.equal(created.status, 201, created.text);
    const migrated = await runHerald(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /Schema is up to date/);
    const keys = await runHerald(['keys', 'create', '--name', 'while running'], env);
    assert.equal(keys.code, 0, keys.stderr);
    assert.equal((await request(first.url, 'GET', '/api/hooks', { key: ADMIN_KEY })).json.length, 1);

    first.proc.child.kill('SIGTERM');
    assert.equal(await first.proc.exited, 0);
    const third = await start(env);
    assert.equal((await request(third.url, 'GET', '/api/hooks', { key: ADMIN_KEY })).json.length, 1);
    third.proc.child.kill('SIGTERM');
    assert.equal(await third.proc.exited, 0);
  });

  it('a killed server (SIGKILL) leaves no stale lock: the next one starts at once', async () => {
    const env = await freshEnv();
    const first = await start(env);
    first.proc.child.kill('SIGKILL');
    await first.proc.exited;
    const next = await start(env);
    next.proc.child.kill('SIGTERM');
    assert.equal(await next.proc.exited, 0);
  });

  it('in one process too: a second startServer on the file is refused until the first is closed; other files are not', async () => {
    const env = await freshEnv();
    const other = await freshEnv();
    const config = (e: Record<string, string>) => loadConfig({ ...e, LOG_LEVEL: 'silent', LOG_FORMAT: 'json' });
    const first = await startServer(config(env));
    try {
      await assert.rejects(startServer(config(env)), (error: Error) => {
        assert.equal(error.name, 'SqliteLockedError');
        assert.match(error.message, new RegExp(`another Herald server in this process \\(pid ${process.pid}\\)`));
        return true;
      });
      const beside = await startServer(config(other));
      await beside.close();
      assert.equal((await request(first.url, 'GET', '/api/status')).status, 204, 'the first still serves');
    } finally {
      await first.close();
    }
    const again = await startServer(config(env));
    await again.close();
  });
});

if (stores.includes('postgres')) {
  describe('PostgreSQL takes no lock', () => {
    it('two servers on one PostgreSQL database both start', async () => {
      const db = await createTestDatabase('postgres');
      const config = loadConfig({
        DATABASE_URL: db.url,
        PORT: '0',
        HOST: '127.0.0.1',
        HERALD_ADMIN_KEY: ADMIN_KEY,
        LOG_LEVEL: 'silent',
        LOG_FORMAT: 'json',
      });
      const a = await startServer(config);
      try {
        const b = await startServer(config);
        assert.equal((await request(b.url, 'GET', '/api/status')).status, 204);
        await b.close();
      } finally {
        await a.close();
        await db.drop();
      }
    });
  });
}

describe('herald with no command', () => {
  it('prints the help and exits 0 instead of starting a server', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      const result = await runHerald([], { DATABASE_URL: db.url, PORT: '0' });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^herald .*: identity events and webhooks/);
      assert.match(result.stdout, /Usage:/);
      assert.match(result.stdout, /herald start {2,}run the server/);
      assert.match(result.stdout, /herald dev {2,}run the server for development/);
      assert.ok(!result.stdout.includes('herald is ready'));
      assert.equal(result.stderr, '');
    } finally {
      await db.drop();
    }
  });
});
