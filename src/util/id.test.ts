import assert from 'node:assert/strict';
import { it } from 'node:test';
import { generateId, isId, randomString } from './id.ts';

it('generates 21-character ids of [0-9a-z]', () => {
  for (let i = 0; i < 1000; i++) {
    const id = generateId();
    assert.match(id, /^[0-9a-z]{21}$/);
    assert.ok(isId(id));
  }
});

it('does not repeat ids', () => {
  const seen = new Set(Array.from({ length: 10_000 }, generateId));
  assert.equal(seen.size, 10_000);
});

it('uses every character of the alphabet roughly evenly', () => {
  const counts = new Map<string, number>();
  for (const ch of randomString(36_000)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  assert.equal(counts.size, 36);
  // Expected 1000 each; a modulo bias would put the first 4 characters near 1100.
  for (const [ch, n] of counts) assert.ok(n > 820 && n < 1180, `${ch}: ${n}`);
});

it('rejects strings that are not ids', () => {
  assert.equal(isId('ABCDEFGHIJKLMNOPQRSTU'), false);
  assert.equal(isId('abc'), false);
  assert.equal(isId('abcdefghijklmnopqrst_'), false);
});
