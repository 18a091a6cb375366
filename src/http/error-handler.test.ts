import assert from 'node:assert/strict';
import { it } from 'node:test';
import { toHeraldError } from './error-handler.ts';

it('answers an exhausted PostgreSQL pool with 503 server.busy, not 500 (bench latency found it)', () => {
  const error = toHeraldError(new Error('timeout exceeded when trying to connect'));
  assert.equal(error?.code, 'server.busy');
  assert.equal(error?.status, 503);
});

it('leaves unknown errors unknown', () => {
  assert.equal(toHeraldError(new Error('something else')), undefined);
});
