import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { logtoSignature, standardSignature, toStandardSecret, verifyLogtoSignature } from './sign.ts';

it("matches Logto's published signature vector", () => {
  assert.equal(
    logtoSignature('foo', '{"bar":"bar","foo":"foo"}'),
    '436958f1dbfefab37712fb3927760490fbf7757da8c0b2306ee7b485f0360eee',
  );
  assert.equal(
    verifyLogtoSignature(
      'foo',
      '{"bar":"bar","foo":"foo"}',
      '436958f1dbfefab37712fb3927760490fbf7757da8c0b2306ee7b485f0360eee',
    ),
    true,
  );
  assert.equal(
    verifyLogtoSignature(
      'foo',
      '{"bar":"bar","foo":"fo0"}',
      '436958f1dbfefab37712fb3927760490fbf7757da8c0b2306ee7b485f0360eee',
    ),
    false,
  );
});

it('produces Standard Webhooks signatures that the standardwebhooks package accepts', () => {
  const key = 'k3y0123456789abcdefghijklmnopqrs';
  const body = '{"event":"User.Created","hookId":"h"}';
  const id = 'msg0123456789abcdefghi';
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardSignature(key, id, timestamp, body),
  };
  const verified = new Webhook(toStandardSecret(key)).verify(body, headers);
  assert.deepEqual(verified, JSON.parse(body));
  assert.throws(() => new Webhook(toStandardSecret(key)).verify(`${body} `, headers));
});
