import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SENSITIVE_KEY } from '../events/payloads.ts';
import { maskHeaders, maskResponseBody, maskUrl, scrubError, SECRET_NAME, viewResponseBody } from './redact.ts';

it('masks the values of headers named like credentials, and no others', () => {
  const masked = maskHeaders({
    cookie: 'c',
    'set-cookie': 'sc',
    'x-auth': 'a',
    'x-signature': 's',
    'x-jwt': 'j',
    'x-api-key': 'k',
    'x-csrf-token': 't',
    'x-session-id': 'sid',
    authorization: 'Bearer b',
    'content-type': 'application/json',
    'user-agent': 'ua',
    'x-tenant': 'acme',
    'webhook-id': 'w',
  });
  assert.deepEqual(
    Object.entries(masked)
      .filter(([, v]) => v !== '******')
      .map(([k]) => k),
    ['content-type', 'user-agent', 'x-tenant', 'webhook-id'],
  );
});

it('covers every name Logto’s rule masks', () => {
  for (const name of [
    'password',
    'userPassword',
    'secret',
    'accessToken',
    'api_key',
    'apiKey',
    'authorization',
    'signingKey',
    'signing-key',
  ]) {
    assert.ok(SENSITIVE_KEY.test(name) && SECRET_NAME.test(name), name);
  }
});

it('masks URL credentials, query values and fragments, and leaves other URLs untouched', () => {
  assert.equal(
    maskUrl('http://user:pass@127.0.0.1:8080/hook?token=abc&x=1&flag#frag'),
    'http://******:******@127.0.0.1:8080/hook?token=******&x=******&******#******',
  );
  assert.equal(maskUrl('https://u@example.com/p'), 'https://******@example.com/p');
  assert.equal(maskUrl('https://example.com'), 'https://example.com', 'nothing to mask: the text as stored');
  assert.equal(maskUrl('https://example.com/a?'), 'https://example.com/a?');
  assert.equal(maskUrl('not a url ?secret=1'), 'not a url ?secret=******');
});

it('scrubs URLs quoted in error messages', () => {
  assert.equal(
    scrubError('request to https://bob:hunter2@hooks.example/x?key=k1 failed, see http://docs.example/e'),
    'request to https://******:******@hooks.example/x?key=****** failed, see http://docs.example/e',
  );
  assert.equal(
    scrubError('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9'),
    'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9',
  );
});

it('masks receivers’ JSON bodies by the broad rule, at any depth', () => {
  assert.equal(maskResponseBody('{"cookie":"c","jwt":"j","ok":true}'), '{"cookie":"******","jwt":"******","ok":true}');
  assert.equal(maskResponseBody('cookie=c'), 'cookie=c');
  assert.deepEqual(viewResponseBody('{"session":{"id":1},"n":2}'), { session: '******', n: 2 });
  assert.equal(typeof viewResponseBody(`${'['.repeat(5000)}${']'.repeat(5000)}`), 'string');
});
