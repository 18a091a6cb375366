import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  maskJsonBody,
  maskJsonText,
  maskJsonValue,
  MAX_JSON_DEPTH,
  nestsDeeperThan,
  viewJsonText,
} from './json-text.ts';

const RULE = /password|token/i;
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

it('measures nesting without counting brackets inside strings, escaped quotes included', () => {
  assert.equal(nestsDeeperThan('{"a":[1,{"b":[]}]}', 4), false);
  assert.equal(nestsDeeperThan('{"a":[1,{"b":[]}]}', 3), true);
  assert.equal(nestsDeeperThan('["[[[[[[", "\\"[[[[{{{{"]', 1), false);
  assert.equal(nestsDeeperThan('"\\\\"', 0), false);
  assert.equal(nestsDeeperThan(deepArray(1_000_000), 64), true, 'a million levels: one loop, no stack');
  assert.equal(nestsDeeperThan(deepArray(MAX_JSON_DEPTH), MAX_JSON_DEPTH), false);
  assert.equal(nestsDeeperThan(deepArray(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH), true);
});

it('masks member values in the text, whatever the value, and keeps every other byte', () => {
  const text =
    '{ "password" : {"a":[1,"}"]}, "list":[{"accessToken":"t\\"x"}, "token"], "n":{"pass\\u0077ord":12.5e3}, "ok":true }';
  assert.equal(
    maskJsonText(text, RULE, '***'),
    '{ "password" : "***", "list":[{"accessToken":"***"}, "token"], "n":{"pass\\u0077ord":"***"}, "ok":true }',
  );
  assert.deepEqual(
    JSON.parse(maskJsonText(text, RULE, '***')),
    maskJsonValue(JSON.parse(text), RULE, '***'),
    'the same as masking the parsed value',
  );
  const deep = `{"token":"t","a":${'['.repeat(5000)}{"password":"p"}${']'.repeat(5000)}}`;
  const masked = maskJsonText(deep, RULE, '***');
  assert.ok(!masked.includes('"p"') && !masked.includes('"t"') && masked.length === deep.length + 4);
});

it('masks parsed values iteratively, keeping member order, __proto__ included', () => {
  const value = JSON.parse('{"b":1,"token":"t","a":{"__proto__":{"x":1},"password":"p"},"list":[{"token":1},2]}');
  const masked = maskJsonValue(value, RULE, '***') as Record<string, unknown>;
  assert.equal(
    JSON.stringify(masked),
    '{"b":1,"token":"***","a":{"__proto__":{"x":1},"password":"***"},"list":[{"token":"***"},2]}',
  );
  assert.equal(Object.getPrototypeOf(masked.a), Object.prototype);
  let deep: unknown = { password: 'p' };
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.doesNotThrow(() => maskJsonValue(deep, RULE, '***'));
  assert.equal(maskJsonValue('plain', RULE, '***'), 'plain');
  assert.equal(maskJsonValue(null, RULE, '***'), null);
});

it('views JSON parsed up to MAX_JSON_DEPTH, as masked text beyond, and non-JSON as it is', () => {
  assert.deepEqual(viewJsonText('{"token":"t","a":1}', RULE, '***'), { token: '***', a: 1 });
  assert.equal(viewJsonText('not json {"token":"t"}', RULE, '***'), 'not json {"token":"t"}');
  assert.equal(viewJsonText('"just a string"', RULE, '***'), 'just a string');
  const deep = `{"token":"t","d":${deepArray(5000)}}`;
  assert.equal(viewJsonText(deep, RULE, '***'), `{"token":"***","d":${deepArray(5000)}}`);
  assert.equal(maskJsonBody('{"token":"t"}', RULE, '***'), '{"token":"***"}');
  assert.equal(maskJsonBody('token=t', RULE, '***'), 'token=t');
});
