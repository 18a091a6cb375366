/**
 * The two signatures every request carries, both over the exact body bytes sent:
 * - Logto's `logto-signature-sha-256`: lower-case hex HMAC-SHA256 of the body, keyed with the
 *   signing key's UTF-8 bytes.
 * - Standard Webhooks' `webhook-signature`: `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`.
 *   The Standard Webhooks secret is `whsec_` + base64(key bytes), so the same key signs both and the
 *   `standardwebhooks` package verifies Herald's requests with the `whsec_` form of the hook's key.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export const LOGTO_SIGNATURE_HEADER = 'logto-signature-sha-256';

/**
 * KeyObjects by signing key: building one from a string on every HMAC cost a sixth of a busy
 * dispatcher's CPU (bench throughput profile). A deployment has tens of keys; the cache is bounded.
 */
const KEY_CACHE_MAX = 1024;
const keyCache = new Map<string, KeyObject>();
function keyObject(signingKey: string): KeyObject {
  let key = keyCache.get(signingKey);
  if (!key) {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    key = createSecretKey(Buffer.from(signingKey, 'utf8'));
    keyCache.set(signingKey, key);
  }
  return key;
}

export function logtoSignature(signingKey: string, body: string | Buffer): string {
  return createHmac('sha256', keyObject(signingKey)).update(body).digest('hex');
}

export function standardSignature(
  signingKey: string,
  webhookId: string,
  timestampSeconds: number,
  body: string,
): string {
  const mac = createHmac('sha256', keyObject(signingKey))
    .update(`${webhookId}.${timestampSeconds}.`)
    .update(body)
    .digest('base64');
  return `v1,${mac}`;
}

/** The hook's signing key in the Standard Webhooks secret format. */
export function toStandardSecret(signingKey: string): string {
  return `whsec_${Buffer.from(signingKey, 'utf8').toString('base64')}`;
}

/** Constant-time check of a Logto signature, for receivers and tests written against Herald. */
export function verifyLogtoSignature(signingKey: string, body: string | Buffer, signature: string): boolean {
  const expected = Buffer.from(logtoSignature(signingKey, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
