import assert from 'node:assert/strict';
import { it } from 'node:test';
import { deliveryBody, maskSensitive, testPayload } from './payloads.ts';

it('appends hookId last, keeping the payload bytes', () => {
  assert.equal(deliveryBody('{"event":"User.Created","a":1}', 'h1'), '{"event":"User.Created","a":1,"hookId":"h1"}');
  assert.equal(deliveryBody('{}', 'h1'), '{"hookId":"h1"}');
  assert.deepEqual(Object.keys(JSON.parse(deliveryBody(JSON.stringify({ event: 'x', nested: { b: [1, 2] } }), 'h'))), [
    'event',
    'nested',
    'hookId',
  ]);
});

it('masks sensitive keys at any depth, and nothing else', () => {
  const masked = maskSensitive({
    password: 'p',
    user: { name: 'n', secret: 's', list: [{ accessToken: 't' }] },
    count: 2,
  });
  assert.deepEqual(masked, {
    password: '******',
    user: { name: 'n', secret: '******', list: [{ accessToken: '******' }] },
    count: 2,
  });
});

it('builds Logto-shaped test payloads per category', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');
  const signIn = testPayload('PostSignIn', 'h', now);
  assert.equal(signIn.event, 'PostSignIn');
  assert.equal(signIn.createdAt, '2026-01-01T00:00:00.000Z');
  assert.equal((signIn.user as { id: string }).id, 'fake-id');
  assert.equal(signIn.sessionId, 'fake-session-id');
  const created = testPayload('Role.Created', 'h', now);
  assert.deepEqual(created.data, { result: 'success' });
  assert.equal(created.path, '/fake-path/:id');
  assert.equal(testPayload('Identifier.Lockout', 'h', now).method, 'POST');
});
