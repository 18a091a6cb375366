/**
 * Password digests imported through `POST /api/users {passwordDigest, passwordAlgorithm}`, in
 * Logto's formats (packages/core/src/libraries/user-password-verification.ts, utils/password.ts):
 *
 * - `Argon2id`, `Argon2i` (Logto's own hashes), `Argon2d`: a PHC string of that variant, version 19;
 * - `MD5`, `SHA1`, `SHA256`: the hex digest of the password (no salt);
 * - `Bcrypt`: `$2a$`/`$2b$`/`$2y$` (or `$2$`) modular crypt string;
 * - `Legacy`: JSON `[algorithm, args, digest]`, `args` holding `"@"` for the password:
 *   any node:crypto hash (`["sha256", ["salt", "@"], "<hex>"]`: hex of the args joined),
 *   `pbkdf2` (`[salt or "hex:<salt>", iterations, keylen, digest, "@"]`, hex output) or
 *   `firebase-scrypt` (`[salt, signerKey, saltSeparator, rounds, memCost, "@"]`, base64 output).
 *
 * Each is verified as imported and, at the first successful verification, replaced by Herald's
 * argon2id (as Logto replaces them by its argon2i). Costs are bounded at import (400), so that a
 * verification never costs more than Herald is willing to spend: bcrypt cost ≤ 14, pbkdf2
 * iterations ≤ 2 000 000 and key ≤ 256 bytes, firebase scrypt N ≤ 2^16 and r ≤ 16, argon2 as
 * src/identity/password.ts. Digests are compared in constant time.
 */
import { createHash, getHashes, pbkdf2, scrypt, createCipheriv, randomUUID, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { HeraldError } from '../http/errors.ts';
import { hashPassword, parsePhc, PASSWORD_ALGORITHM, verifyPassword as verifyArgon2 } from './password.ts';

/** Logto's `UsersPasswordEncryptionMethod`. */
export const PASSWORD_ALGORITHMS = ['Argon2i', 'Argon2id', 'Argon2d', 'SHA1', 'SHA256', 'MD5', 'Bcrypt', 'Legacy'] as const;
export type PasswordAlgorithm = (typeof PASSWORD_ALGORITHMS)[number];

const BCRYPT_MAX_COST = 14;
const BCRYPT = /^\$2[aby]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const PBKDF2_MAX_ITERATIONS = 2_000_000;
const PBKDF2_MAX_KEYLEN = 256;
const SCRYPT_MAX_LOG_N = 16;
const SCRYPT_MAX_R = 16;

const invalidDigest = (message: string) => new HeraldError('guard.invalid_input', { message, data: { field: 'body.passwordDigest' } });
const invalidLegacy = () => new HeraldError('password.invalid_legacy_password_format');

interface Legacy {
  algorithm: string;
  args: string[];
  digest: string;
}

const isPbkdf2 = (algorithm: string) => algorithm === 'pbkdf2' || algorithm === 'pbkdf2Sync';
const isFirebaseScrypt = (algorithm: string) => algorithm === 'firebase-scrypt';
let hashNames: Set<string> | undefined;
const isHash = (algorithm: string) => (hashNames ??= new Set(getHashes().map((name) => name.toLowerCase()))).has(algorithm.toLowerCase());

function pbkdf2Salt(salt: string): Buffer | string {
  if (!salt.startsWith('hex:')) return salt;
  const hex = salt.slice(4);
  if (!hex || hex.length % 2 !== 0 || !/^[\da-f]+$/i.test(hex)) throw invalidLegacy();
  return Buffer.from(hex, 'hex');
}

const positiveInt = (value: string | undefined, max: number) => (value !== undefined && /^\d{1,10}$/.test(value) && Number(value) >= 1 && Number(value) <= max ? Number(value) : undefined);

/** Logto's legacy expression, checked for format, algorithm and cost; throws Logto's errors. */
function parseLegacy(digest: string): Legacy {
  let json: unknown;
  try {
    json = JSON.parse(digest);
  } catch {
    throw invalidLegacy();
  }
  if (!Array.isArray(json) || json.length !== 3) throw invalidLegacy();
  const [algorithm, args, hashed] = json as unknown[];
  if (typeof algorithm !== 'string' || typeof hashed !== 'string' || !Array.isArray(args) || !args.every((a) => typeof a === 'string') || !args.includes('@')) {
    throw invalidLegacy();
  }
  const legacy = { algorithm, args: args as string[], digest: hashed };
  if (isPbkdf2(algorithm)) {
    const [salt, iterations, keylen, hash] = legacy.args;
    if (salt === undefined || [iterations, keylen, hash].some((a) => a === undefined || a === '@')) throw invalidLegacy();
    if (salt !== '@') pbkdf2Salt(salt);
    if (!positiveInt(iterations, PBKDF2_MAX_ITERATIONS)) throw invalidDigest(`pbkdf2 iterations must be 1–${PBKDF2_MAX_ITERATIONS}.`);
    if (!positiveInt(keylen, PBKDF2_MAX_KEYLEN)) throw invalidDigest(`pbkdf2 key length must be 1–${PBKDF2_MAX_KEYLEN}.`);
    if (!isHash(hash!)) throw new HeraldError('password.unsupported_legacy_hash_algorithm', { message: `Unsupported legacy hash algorithm: ${hash}.` });
  } else if (isFirebaseScrypt(algorithm)) {
    const [salt, signerKey, separator, rounds, memCost] = legacy.args;
    if ([salt, signerKey, separator, rounds, memCost].some((a) => !a || a === '@')) throw invalidLegacy();
    if (!positiveInt(rounds, SCRYPT_MAX_R) || !positiveInt(memCost, SCRYPT_MAX_LOG_N)) throw invalidDigest(`firebase-scrypt rounds must be 1–${SCRYPT_MAX_R} and memCost 1–${SCRYPT_MAX_LOG_N}.`);
  } else if (!isHash(algorithm)) {
    throw new HeraldError('password.unsupported_legacy_hash_algorithm', { message: `Unsupported legacy hash algorithm: ${algorithm}.` });
  }
  return legacy;
}

/**
 * Checks an imported digest before it is stored. Like Logto, MD5/SHA1/SHA256 digests are taken
 * as given (a digest that is not hex never matches). Argon2 must be a PHC string of the variant
 * named, bcrypt a modular crypt string, Legacy Logto's expression; all within the cost bounds.
 */
export function checkImportedDigest(algorithm: PasswordAlgorithm, digest: string): void {
  if (algorithm === 'Argon2i' || algorithm === 'Argon2id' || algorithm === 'Argon2d') {
    const phc = parsePhc(digest);
    if (!phc || phc.variant !== algorithm.toLowerCase()) {
      throw invalidDigest(`passwordDigest is not an ${algorithm.toLowerCase()} PHC string (v=19) with usable parameters (m 1024–262144, t 1–10, p 1–16, salt 8–64 bytes, hash 16–64 bytes).`);
    }
  } else if (algorithm === 'Bcrypt') {
    const match = BCRYPT.exec(digest);
    const cost = match ? Number(match[1]) : NaN;
    if (!(cost >= 4 && cost <= BCRYPT_MAX_COST)) throw invalidDigest(`passwordDigest is not a bcrypt string with a cost of 4–${BCRYPT_MAX_COST}.`);
  } else if (algorithm === 'Legacy') {
    parseLegacy(digest);
  }
}

/** Constant-time equality of two strings (false at once for different lengths, which are public). */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

const hexOf = (algorithm: string, input: string) => createHash(algorithm).update(input, 'utf8').digest('hex');

async function legacyHash(legacy: Legacy, password: string): Promise<string> {
  const args = legacy.args.map((arg) => (arg === '@' ? password : arg));
  if (isPbkdf2(legacy.algorithm)) {
    const [salt, iterations, keylen, hash] = args as [string, string, string, string];
    return new Promise((resolve, reject) =>
      pbkdf2(password, pbkdf2Salt(salt), Number(iterations), Number(keylen), hash, (err, key) => (err ? reject(err) : resolve(key.toString('hex')))),
    );
  }
  if (isFirebaseScrypt(legacy.algorithm)) {
    const [salt, signerKey, separator, rounds, memCost] = legacy.args as [string, string, string, string, string];
    const b64 = (value: string) => Buffer.from(value.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    const N = 2 ** Number(memCost);
    const r = Number(rounds);
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt(password, Buffer.concat([b64(salt), b64(separator)]), 32, { N, r, p: 1, maxmem: 256 * N * r + 1024 * 1024 }, (err, derived) => (err ? reject(err) : resolve(derived))),
    );
    const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16, 0));
    return Buffer.concat([cipher.update(b64(signerKey)), cipher.final()]).toString('base64');
  }
  return hexOf(legacy.algorithm, args.join(''));
}

let decoyDigest: Promise<string> | undefined;

/**
 * True when `password` matches the stored digest of this algorithm; false for a wrong password or
 * a digest that cannot be verified. A wrong password against a fast digest (MD5, SHA1, SHA256,
 * Legacy) also spends one argon2id verification, as Logto's decoy does, so the answer's timing
 * does not tell which users still hold an imported digest.
 */
export async function verifyDigest(password: string, stored: string, algorithm: string | null): Promise<boolean> {
  let matches = false;
  let fast = true;
  try {
    switch (algorithm) {
      case 'MD5':
        matches = sameText(hexOf('md5', password), stored.toLowerCase());
        break;
      case 'SHA1':
        matches = sameText(hexOf('sha1', password), stored.toLowerCase());
        break;
      case 'SHA256':
        matches = sameText(hexOf('sha256', password), stored.toLowerCase());
        break;
      case 'Legacy': {
        const legacy = parseLegacy(stored);
        matches = sameText(await legacyHash(legacy, password), legacy.digest);
        break;
      }
      case 'Bcrypt':
        fast = false;
        checkImportedDigest('Bcrypt', stored);
        matches = await bcrypt.compare(password, stored);
        break;
      default:
        // Argon2id (Herald's own, also rows written before the method was recorded), Argon2i, Argon2d.
        fast = false;
        matches = await verifyArgon2(password, stored);
    }
  } catch {
    matches = false;
  }
  if (!matches && fast) await verifyArgon2(password, await (decoyDigest ??= hashPassword(randomUUID())));
  return matches;
}

/** Whether a verified digest is to be replaced by Herald's argon2id. */
export const needsUpgrade = (algorithm: string | null): boolean => algorithm !== PASSWORD_ALGORITHM;
