import assert from 'node:assert/strict';
import { it } from 'node:test';
import { generateId, generateRecordId, isId, randomString } from './id.ts';

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

it('gives records ids of the same form, ordered by their time', () => {
  const at = Date.UTC(2026, 11, 3, 16, 0, 0);
  const ids = [at, at + 1, at + 1000, at + 86_400_000, Date.UTC(5000, 0, 1)].map((t) => generateRecordId(t));
  for (const id of ids) assert.ok(isId(id), id);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(generateRecordId(at).slice(0, 9), ids[0]?.slice(0, 9));
  // Within one millisecond the random part keeps them apart.
  assert.equal(new Set(Array.from({ length: 10_000 }, () => generateRecordId(at))).size, 10_000);
  // A clock at the epoch (tests' fake clocks) still gives a valid id.
  assert.ok(isId(generateRecordId(0)));
});
