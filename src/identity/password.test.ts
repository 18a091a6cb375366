import assert from 'node:assert/strict';
import { it } from 'node:test';
import { hashPassword, verifyPassword } from './password.ts';

it('hashes with argon2id in PHC form and verifies only the right password', async () => {
  const stored = await hashPassword('correct horse battery staple');
  assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.equal(await verifyPassword('correct horse battery staple', stored), true);
  assert.equal(await verifyPassword('correct horse battery stapl', stored), false);
  assert.notEqual(await hashPassword('same'), await hashPassword('same'), 'salted');
  assert.equal(await verifyPassword('x', 'not-a-hash'), false);
  // Unusable parameters are refused without computing anything (no crash, no hour-long hash).
  assert.equal(
    await verifyPassword('x', '$argon2id$v=19$m=19456,t=2,p=0$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'),
    false,
  );
  assert.equal(
    await verifyPassword('x', '$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'),
    false,
  );
  assert.equal(await verifyPassword('x', '$argon2id$v=19$m=19456,t=2,p=1$c2E$aA'), false);
});
