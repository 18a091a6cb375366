import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { createKeyService } from '../src/keys/index.ts';

/**
 * An unexpected failure in a route (a bug) answers 500 `unknown` with nothing internal in the body,
 * and is logged with the request. The throwing route is added to the real app before it starts.
 */
it('answers an unexpected failure with 500 unknown, logs it, and leaks nothing', async () => {
  const database = await connectDatabase({ dialect: 'sqlite', path: ':memory:' });
  const logged: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
  const adminKey = 'unexpected-error-admin-key';
  const keys = createKeyService({ db: database.db, dialect: 'sqlite', adminKey });
  const app = await buildApp({ config: { bodyLimitBytes: 1024 * 1024 }, database, keys, log });
  after(async () => {
    await app.close();
    await database.close();
  });
  app.get('/api/boom', async () => {
    throw new Error('password=hunter2 at /srv/herald/internal.ts:42');
  });

  const res = await app.inject({ method: 'GET', url: '/api/boom', headers: { authorization: `Bearer ${adminKey}` } });
  assert.equal(res.statusCode, 500);
  assert.deepEqual(res.json(), { code: 'unknown', message: 'An unexpected error occurred.' });
  assert.ok(!res.body.includes('hunter2'));
  assert.ok(
    logged.some((line) => line.includes('unhandled error') && line.includes('/api/boom')),
    'logged with the request',
  );
  assert.ok(!logged.some((line) => line.includes(adminKey)), 'the key is not logged');
});
