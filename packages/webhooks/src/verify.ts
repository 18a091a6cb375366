/**
 * Verifying a Herald delivery: Standard Webhooks' `webhook-signature` when its headers are present,
 * otherwise Logto's `logto-signature-sha-256`. The HMACs come from node:crypto where
 * `process.getBuiltinModule` finds it (compared with timingSafeEqual), and from Web Crypto
 * elsewhere (`crypto.subtle.verify`, which compares in constant time itself).
 */
import { WebhookVerificationError } from './errors.ts';
import type { HeraldEvent } from './events.ts';

/** The body exactly as received: the text, or its bytes (a Node Buffer is a Uint8Array). */
export type RawBody = string | Uint8Array | ArrayBuffer;

/**
 * The hook's signing key as Herald shows it (`signingKey`), or its Standard Webhooks form
 * (`whsec_…`, Herald's `standardSigningKey`); several while you rotate keys on your side: a request
 * passes when any of them verifies it.
 */
export type Secret = string | readonly string[];

/** A `Headers` instance, or anything else with `get(name)`. */
export interface HeadersGetter {
  get(name: string): string | null | undefined;
}
/** A plain object in any case, such as Node's `IncomingHttpHeaders`. */
export interface HeadersRecord {
  readonly [name: string]: string | readonly string[] | number | undefined;
}
export type HeadersInput = HeadersGetter | HeadersRecord;

export interface VerifyOptions {
  /**
   * How far `webhook-timestamp` may be from now, in seconds, either way (Standard Webhooks only:
   * Logto's scheme has no timestamp). Default 300. `Infinity` turns the check off.
   */
  toleranceSeconds?: number;
}

export type WebhookScheme = 'standard-webhooks' | 'logto';

/** What `verify` found. */
export interface VerifiedWebhook {
  scheme: WebhookScheme;
  /** `webhook-id`: the delivery's id, the same on every retry, for de-duplication (Standard Webhooks only). */
  id: string | undefined;
  /** `webhook-timestamp`, seconds since the epoch (Standard Webhooks only). */
  timestamp: number | undefined;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;
export const LOGTO_SIGNATURE_HEADER = 'logto-signature-sha-256';
export const STANDARD_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

const encoder = new TextEncoder();

/**
 * Checks that `rawBody` was signed by Herald with `secret`; resolves with what it found, rejects
 * with a WebhookVerificationError saying why not.
 */
export async function verify(
  rawBody: RawBody,
  headers: HeadersInput,
  secret: Secret,
  options: VerifyOptions = {},
): Promise<VerifiedWebhook> {
  const body = bodyBytes(rawBody);
  const keys = secretKeys(secret);
  const tolerance = toleranceOf(options);
  const header = headerReader(headers);

  const standard = STANDARD_HEADERS.map((name) => header(name));
  if (standard.some((value) => value !== undefined)) {
    const missing = STANDARD_HEADERS.filter((_, i) => standard[i] === undefined);
    if (missing.length > 0)
      throw new WebhookVerificationError(
        'missing_header',
        `${missing.join(' and ')} missing: Standard Webhooks needs webhook-id, webhook-timestamp and webhook-signature`,
      );
    const [id, timestampText, signatureHeader] = standard as [string, string, string];
    if (!/^\d{1,15}$/.test(timestampText.trim()))
      throw new WebhookVerificationError(
        'invalid_timestamp',
        `webhook-timestamp must be whole seconds since the epoch, got ${JSON.stringify(timestampText.slice(0, 40))}`,
      );
    const signatures = v1Signatures(signatureHeader);
    if (signatures.length === 0)
      throw new WebhookVerificationError('bad_signature', 'webhook-signature has no valid `v1,<base64>` entry');
    const signed = concat(encoder.encode(`${id}.${timestampText}.`), body);
    if (!(await anyMacMatches(keys, signed, signatures)))
      throw new WebhookVerificationError(
        'bad_signature',
        `no webhook-signature entry (${signatures.length} checked) matches the secret: wrong secret, or the body or headers were changed`,
      );
    const timestamp = Number(timestampText.trim());
    const now = Math.floor(Date.now() / 1000);
    if (timestamp < now - tolerance)
      throw new WebhookVerificationError(
        'stale_timestamp',
        `webhook-timestamp is ${now - timestamp} s old, more than the ${tolerance} s tolerance`,
      );
    if (timestamp > now + tolerance)
      throw new WebhookVerificationError(
        'future_timestamp',
        `webhook-timestamp is ${timestamp - now} s ahead, more than the ${tolerance} s tolerance`,
      );
    return { scheme: 'standard-webhooks', id, timestamp };
  }

  const logto = header(LOGTO_SIGNATURE_HEADER);
  if (logto === undefined)
    throw new WebhookVerificationError(
      'missing_header',
      `no signature headers: expected webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks) or ${LOGTO_SIGNATURE_HEADER}`,
    );
  const given = hexBytes(logto.trim());
  if (!given || !(await anyMacMatches(keys, body, [given])))
    throw new WebhookVerificationError(
      'bad_signature',
      `${LOGTO_SIGNATURE_HEADER} does not match the secret: wrong secret, or the body was changed`,
    );
  return { scheme: 'logto', id: undefined, timestamp: undefined };
}

/**
 * Verifies like `verify`, then parses the body: the event, typed by its `event` name. An event this
 * version of the package does not know passes through with its payload as sent.
 */
export async function parse(
  rawBody: RawBody,
  headers: HeadersInput,
  secret: Secret,
  options: VerifyOptions = {},
): Promise<HeraldEvent> {
  await verify(rawBody, headers, secret, options);
  return parsePayload(rawBody);
}

function parsePayload(rawBody: RawBody): HeraldEvent {
  const text = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(bodyBytes(rawBody));
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new WebhookVerificationError('invalid_payload', 'the body is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new WebhookVerificationError('invalid_payload', 'the body is not a JSON object');
  if (typeof (payload as { event?: unknown }).event !== 'string')
    throw new WebhookVerificationError('invalid_payload', 'the body has no `event` name');
  return payload as HeraldEvent;
}

// ---- inputs ----

function bodyBytes(rawBody: unknown): Uint8Array {
  if (typeof rawBody === 'string') return encoder.encode(rawBody);
  if (ArrayBuffer.isView(rawBody)) return new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  if (rawBody instanceof ArrayBuffer || Object.prototype.toString.call(rawBody) === '[object ArrayBuffer]')
    return new Uint8Array(rawBody as ArrayBuffer);
  if (rawBody === undefined || rawBody === null)
    throw new WebhookVerificationError(
      'body_not_raw',
      'no body was given: pass the raw request body (string, Buffer or Uint8Array), read before any JSON parser',
    );
  throw new WebhookVerificationError(
    'body_not_raw',
    typeof rawBody === 'object'
      ? 'the body is a parsed object, not the raw bytes: the signature covers the exact bytes sent, so keep them (express.raw({ type: "*/*" }), or no body parser, before the webhook handler)'
      : `the body is a ${typeof rawBody}, not the raw string, Buffer or Uint8Array`,
  );
}

/** The HMAC keys `secret` names: the UTF-8 bytes of a signing key, or the base64 after `whsec_`. */
function secretKeys(secret: unknown): Uint8Array[] {
  const list: unknown[] = Array.isArray(secret) ? secret : [secret];
  if (list.length === 0) throw new WebhookVerificationError('missing_secret', 'no secret was given (an empty list)');
  return list.map((one, i) => {
    const which = list.length > 1 ? `secret #${i + 1}` : 'the secret';
    if (typeof one !== 'string' || one.length === 0)
      throw new WebhookVerificationError(
        'missing_secret',
        `${which} is ${one === '' ? 'empty' : typeof one === 'string' ? 'missing' : `a ${one === null ? 'null' : typeof one}, not a string`}: give the hook's signing key or its whsec_ form`,
      );
    if (!one.startsWith('whsec_')) return encoder.encode(one);
    const base64 = one.slice('whsec_'.length);
    const bytes = base64Bytes(base64);
    if (!bytes || bytes.length === 0)
      throw new WebhookVerificationError('invalid_secret', `${which} starts with whsec_ but the rest is not base64`);
    return bytes;
  });
}

function toleranceOf(options: VerifyOptions): number {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || Number.isNaN(tolerance) || tolerance < 0)
    throw new TypeError(`toleranceSeconds must be a number of seconds, 0 or more; got ${String(tolerance)}`);
  return tolerance;
}

/** A case-insensitive reader of `headers`; repeated headers come joined with ", ", as fetch's Headers does. */
function headerReader(headers: unknown): (name: string) => string | undefined {
  if (typeof headers !== 'object' || headers === null)
    throw new TypeError('headers must be a Headers instance or a plain object of header names and values');
  const getter = headers as Partial<HeadersGetter>;
  if (typeof getter.get === 'function') {
    return (name) => {
      const value = getter.get!(name);
      return value === null || value === undefined ? undefined : String(value);
    };
  }
  const byName = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
    const key = name.toLowerCase();
    const before = byName.get(key);
    byName.set(key, before === undefined ? text : `${before}, ${text}`);
  }
  return (name) => byName.get(name);
}

/** The decoded `v1,<base64>` entries of a webhook-signature header (other versions are skipped). */
function v1Signatures(header: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const token of header.split(/\s+/)) {
    const entry = token.replace(/,+$/, '');
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const bytes = base64Bytes(entry.slice(comma + 1));
    if (bytes && bytes.length > 0) out.push(bytes);
  }
  return out;
}

function base64Bytes(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

function hexBytes(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// ---- HMAC-SHA256 ----

/** The little of node:crypto used here, typed locally so the package needs no @types/node. */
interface NodeCrypto {
  createHmac(algorithm: 'sha256', key: Uint8Array): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

let nodeCryptoModule: NodeCrypto | null | undefined;
/** node:crypto through process.getBuiltinModule (no import, so Web bundlers have nothing to resolve). */
function nodeCrypto(): NodeCrypto | null {
  if (nodeCryptoModule !== undefined) return nodeCryptoModule;
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  let found: unknown;
  try {
    found = typeof process?.getBuiltinModule === 'function' ? process.getBuiltinModule('node:crypto') : undefined;
  } catch {
    found = undefined;
  }
  const usable =
    typeof (found as Partial<NodeCrypto> | undefined)?.createHmac === 'function' &&
    typeof (found as Partial<NodeCrypto>).timingSafeEqual === 'function';
  nodeCryptoModule = usable ? (found as NodeCrypto) : null;
  return nodeCryptoModule;
}

/** Whether HMAC-SHA256(key, message) equals one of `candidates` under one of `keys`, compared in constant time. */
async function anyMacMatches(keys: Uint8Array[], message: Uint8Array, candidates: Uint8Array[]): Promise<boolean> {
  const node = nodeCrypto();
  let matched = false;
  for (const key of keys) {
    if (node) {
      const expected = node.createHmac('sha256', key).update(message).digest();
      for (const candidate of candidates)
        if (candidate.length === expected.length && node.timingSafeEqual(candidate, expected)) matched = true;
      continue;
    }
    const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
    if (!subtle)
      throw new Error('herald-webhooks: this runtime has neither node:crypto nor Web Crypto (crypto.subtle)');
    const cryptoKey = await subtle.importKey('raw', copy(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    const data = copy(message);
    for (const candidate of candidates)
      if (await subtle.verify('HMAC', cryptoKey, copy(candidate), data)) matched = true;
  }
  return matched;
}

/** A Uint8Array over an ArrayBuffer of its own, as Web Crypto's BufferSource wants. */
const copy = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);
