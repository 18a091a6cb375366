/**
 * Request log lines name the endpoint (method and route pattern) and the status, never the URL as
 * sent: search terms and emails in query strings and identifiers in paths stay out of the logs.
 * The real `herald start` process, at LOG_LEVEL=info, its JSON lines read from stdout.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { spawnHerald, type HeraldProcess } from './helpers/process.ts';
import { eventually, request } from './helpers/server.ts';
import { createTestDatabase, stores, type TestDatabase } from './helpers/stores.ts';

const ADMIN_KEY = 'request-logs-admin-key-0123456789';

for (const store of stores) {
  describe(`request logs (${store})`, () => {
    let proc: HeraldProcess | undefined;
    let database: TestDatabase | undefined;
    after(async () => {
      if (proc?.child.exitCode === null) {
        proc.child.kill('SIGTERM');
        await proc.exited;
      }
      await database?.drop();
    });

    it('log the method, the route pattern and the status, not the query string or the path as sent', async () => {
      database = await createTestDatabase(store);
      proc = spawnHerald(['start'], {
        DATABASE_URL: database.url,
        PORT: '0',
        HOST: '127.0.0.1',
        HERALD_ADMIN_KEY: ADMIN_KEY,
        LOG_LEVEL: 'info',
      });
      const ready = await proc.waitForLog((l) => l.msg === 'herald is ready');
      const url = `http://127.0.0.1:${ready.port}`;
      const calls: [string, number][] = [
        ['/api/users?search=kate@example.com&page=1', 200],
        ['/api/organization-invitations?invitee=kate%40example.com', 200],
        ['/api/users/kate@example.com', 404],
        ['/api/nowhere/kate@example.com?q=kate@example.com', 404],
      ];
      for (const [path, status] of calls)
        assert.equal((await request(url, 'GET', path, { key: ADMIN_KEY })).status, status, path);
      const lines = () =>
        proc!.stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, any>);
      await eventually(async () =>
        lines().filter((l) => l.msg === 'request completed').length >= calls.length ? true : undefined,
      );
      proc.child.kill('SIGTERM');
      assert.equal(await proc.exited, 0);

      const logged = proc.stdout + proc.stderr;
      for (const personal of ['kate', 'example.com', 'search=', 'invitee='])
        assert.ok(!logged.includes(personal), `the logs hold ${personal}`);
      assert.deepEqual(
        lines()
          .filter((l) => l.msg === 'request completed')
          .map((l) => l.res),
        [
          { method: 'GET', route: '/api/users', statusCode: 200 },
          { method: 'GET', route: '/api/organization-invitations', statusCode: 200 },
          { method: 'GET', route: '/api/users/:userId', statusCode: 404 },
          { method: 'GET', route: '(no route)', statusCode: 404 },
        ],
      );
      assert.deepEqual(
        lines()
          .filter((l) => l.msg === 'incoming request')
          .map((l) => l.req),
        calls.map((_, i) => ({
          method: 'GET',
          route: ['/api/users', '/api/organization-invitations', '/api/users/:userId', '(no route)'][i],
        })),
      );
    });
  });
}
