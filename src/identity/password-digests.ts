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
import { createHash, getHashes, pbkdf2, scrypt, createCipheriv, timingSafeEqual } from 'node:crypto';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import { HeraldError } from '../http/errors.ts';
import {
  decoyDigest,
  HERALD_ARGON2_WORK,
  parsePhc,
  PASSWORD_ALGORITHM,
  verifyPassword as verifyArgon2,
} from './password.ts';

/** Logto's `UsersPasswordEncryptionMethod`. */
export const PASSWORD_ALGORITHMS = [
  'Argon2i',
  'Argon2id',
  'Argon2d',
  'SHA1',
  'SHA256',
  'MD5',
  'Bcrypt',
  'Legacy',
] as const;
export type PasswordAlgorithm = (typeof PASSWORD_ALGORITHMS)[number];

/**
 * Cost bounds, each near the dearest common default of its kind so that real imports pass: one
 * verification may cost some hundreds of milliseconds of one thread-pool thread, never seconds.
 * bcrypt: cost 12 (Laravel's and Rails' default; 10 is the usual). pbkdf2: iterations × output
 * blocks ≤ 1 200 000 (Django's current default for sha256) over the SHA family or MD5 (fast
 * native hashes: a slow one such as ripemd160 would multiply the cost). firebase-scrypt: 128·N·r
 * ≤ 32 MiB (Firebase's default is 16 MiB). Argon2 imports: 64 MiB and memory × passes ≤ 192 MiB
 * (node-argon2's and argon2-cffi's 64 MiB × 3; Logto's own is 8 MiB × 8).
 */
const BCRYPT_MAX_COST = 12;
const BCRYPT = /^\$2[aby]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const PBKDF2_MAX_WORK = 1_200_000;
const PBKDF2_MAX_KEYLEN = 256;
const PBKDF2_DIGESTS: ReadonlyMap<string, number> = new Map([
  ['md5', 16],
  ['sha1', 20],
  ['sha224', 28],
  ['sha256', 32],
  ['sha384', 48],
  ['sha512', 64],
]);
const SCRYPT_MAX_LOG_N = 16;
const SCRYPT_MAX_R = 16;
const SCRYPT_MAX_N_R = 2 ** 18;
const ARGON2_IMPORT_MAX_MEMORY_KIB = 65_536;
const ARGON2_IMPORT_MAX_WORK = 3 * 65_536;
/** Hex length of the unsalted digests. */
const HEX_LENGTH: Partial<Record<PasswordAlgorithm, number>> = { MD5: 32, SHA1: 40, SHA256: 64 };
/** A wrong password against a bcrypt digest of at least this cost takes about as long as the decoy. */
const BCRYPT_DECOY_FREE_COST = 10;

const invalidDigest = (message: string) =>
  new HeraldError('guard.invalid_input', { message, data: { field: 'body.passwordDigest' } });
const invalidLegacy = () => new HeraldError('password.invalid_legacy_password_format');

interface Legacy {
  algorithm: string;
  args: string[];
  digest: string;
}

const isPbkdf2 = (algorithm: string) => algorithm === 'pbkdf2' || algorithm === 'pbkdf2Sync';
const isFirebaseScrypt = (algorithm: string) => algorithm === 'firebase-scrypt';
let hashNames: Set<string> | undefined;
function isHash(algorithm: string): boolean {
  hashNames ??= new Set(getHashes().map((name) => name.toLowerCase()));
  return hashNames.has(algorithm.toLowerCase());
}

function pbkdf2Salt(salt: string): Buffer | string {
  if (!salt.startsWith('hex:')) return salt;
  const hex = salt.slice(4);
  if (!hex || hex.length % 2 !== 0 || !/^[\da-f]+$/i.test(hex)) throw invalidLegacy();
  return Buffer.from(hex, 'hex');
}

const positiveInt = (value: string | undefined, max: number) =>
  value !== undefined && /^\d{1,10}$/.test(value) && Number(value) >= 1 && Number(value) <= max
    ? Number(value)
    : undefined;

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
  if (
    typeof algorithm !== 'string' ||
    typeof hashed !== 'string' ||
    !Array.isArray(args) ||
    !args.every((a) => typeof a === 'string') ||
    !args.includes('@')
  ) {
    throw invalidLegacy();
  }
  const legacy = { algorithm, args: args as string[], digest: hashed };
  if (isPbkdf2(algorithm)) {
    const [salt, iterations, keylen, hash] = legacy.args;
    if (salt === undefined || [iterations, keylen, hash].some((a) => a === undefined || a === '@'))
      throw invalidLegacy();
    if (salt !== '@') pbkdf2Salt(salt);
    const blockBytes = PBKDF2_DIGESTS.get(hash!.toLowerCase());
    if (!blockBytes)
      throw new HeraldError('password.unsupported_legacy_hash_algorithm', {
        message: `Unsupported legacy hash algorithm: ${hash} (pbkdf2 takes ${[...PBKDF2_DIGESTS.keys()].join(', ')}).`,
      });
    const rounds = positiveInt(iterations, PBKDF2_MAX_WORK);
    const bytes = positiveInt(keylen, PBKDF2_MAX_KEYLEN);
    if (!bytes) throw invalidDigest(`pbkdf2 key length must be 1–${PBKDF2_MAX_KEYLEN}.`);
    if (!rounds || rounds * Math.ceil(bytes / blockBytes) > PBKDF2_MAX_WORK) {
      throw invalidDigest(
        `pbkdf2 iterations × output blocks (key length / ${blockBytes} bytes for ${hash}) must be at most ${PBKDF2_MAX_WORK}.`,
      );
    }
  } else if (isFirebaseScrypt(algorithm)) {
    const [salt, signerKey, separator, rounds, memCost] = legacy.args;
    if ([salt, signerKey, separator, rounds, memCost].some((a) => !a || a === '@')) throw invalidLegacy();
    const r = positiveInt(rounds, SCRYPT_MAX_R);
    const logN = positiveInt(memCost, SCRYPT_MAX_LOG_N);
    if (!r || !logN || 2 ** logN * r > SCRYPT_MAX_N_R) {
      throw invalidDigest(
        `firebase-scrypt rounds must be 1–${SCRYPT_MAX_R}, memCost 1–${SCRYPT_MAX_LOG_N}, and 2^memCost × rounds at most 2^18 (32 MiB).`,
      );
    }
  } else if (!isHash(algorithm)) {
    throw new HeraldError('password.unsupported_legacy_hash_algorithm', {
      message: `Unsupported legacy hash algorithm: ${algorithm}.`,
    });
  }
  return legacy;
}

/**
 * The cost of a bcrypt digest, if it is a modular crypt string (`$2a$`, `$2b$`, `$2y$`, two
 * decimal cost digits, 53 characters of salt and hash) within the bound.
 */
function bcryptCost(digest: string): number | undefined {
  const match = BCRYPT.exec(digest);
  const cost = match ? Number(match[1]) : Number.NaN;
  return cost >= 4 && cost <= BCRYPT_MAX_COST ? cost : undefined;
}

/**
 * Checks an imported digest before it is stored: MD5/SHA1/SHA256 hex of their length (Logto takes
 * any string, which then never matches), Argon2 a PHC string of the variant named, bcrypt a
 * modular crypt string, Legacy Logto's expression; all within the cost bounds above.
 */
export function checkImportedDigest(algorithm: PasswordAlgorithm, digest: string): void {
  if (algorithm === 'Argon2i' || algorithm === 'Argon2id' || algorithm === 'Argon2d') {
    const phc = parsePhc(digest);
    if (
      !phc ||
      phc.variant !== algorithm.toLowerCase() ||
      phc.memory > ARGON2_IMPORT_MAX_MEMORY_KIB ||
      phc.memory * phc.passes > ARGON2_IMPORT_MAX_WORK
    ) {
      throw invalidDigest(
        `passwordDigest is not an ${algorithm.toLowerCase()} PHC string (v=19) with usable parameters (m 1024–65536 KiB, m × t at most 196608, p 1–16, salt 8–64 bytes, hash 16–64 bytes).`,
      );
    }
  } else if (algorithm === 'Bcrypt') {
    if (bcryptCost(digest) === undefined)
      throw invalidDigest(
        `passwordDigest is not a bcrypt string ($2a$, $2b$ or $2y$) with a cost of 4–${BCRYPT_MAX_COST}.`,
      );
  } else if (algorithm === 'Legacy') {
    parseLegacy(digest);
  } else {
    const length = HEX_LENGTH[algorithm];
    if (length !== undefined && !(digest.length === length && /^[\da-f]+$/i.test(digest))) {
      throw invalidDigest(`passwordDigest is not a ${algorithm} digest: ${length} hexadecimal characters.`);
    }
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
      pbkdf2(password, pbkdf2Salt(salt), Number(iterations), Number(keylen), hash, (err, key) =>
        err ? reject(err) : resolve(key.toString('hex')),
      ),
    );
  }
  if (isFirebaseScrypt(legacy.algorithm)) {
    const [salt, signerKey, separator, rounds, memCost] = legacy.args as [string, string, string, string, string];
    const b64 = (value: string) => Buffer.from(value.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    const N = 2 ** Number(memCost);
    const r = Number(rounds);
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt(
        password,
        Buffer.concat([b64(salt), b64(separator)]),
        32,
        { N, r, p: 1, maxmem: 256 * N * r + 1024 * 1024 },
        (err, derived) => (err ? reject(err) : resolve(derived)),
      ),
    );
    const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16, 0));
    return Buffer.concat([cipher.update(b64(signerKey)), cipher.final()]).toString('base64');
  }
  return hexOf(legacy.algorithm, args.join(''));
}

/**
 * True when `password` matches the stored digest of this algorithm; false for a wrong password or
 * a digest that cannot be verified. A wrong password against a digest cheaper than Herald's own
 * argon2id (MD5, SHA1, SHA256, Legacy, bcrypt below cost 10, argon2 below 19 MiB × 2) also spends
 * one argon2id verification at Herald's cost, the decoy an unknown user costs too, so a wrong
 * password never answers faster for a user holding a cheap imported digest. A dearer imported
 * digest (bcrypt 12, say) still answers slower than the decoy: no faster path reveals anything,
 * but a slower one can show that the user exists with such a digest until their next sign-in.
 * bcrypt runs natively (@node-rs/bcrypt) on the thread pool, never on the event loop.
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
      case 'Bcrypt': {
        const cost = bcryptCost(stored);
        if (cost === undefined) break;
        fast = cost < BCRYPT_DECOY_FREE_COST;
        matches = await bcryptVerify(password, stored);
        break;
      }
      default: {
        // Argon2id (Herald's own, also rows written before the method was recorded), Argon2i, Argon2d.
        const phc = parsePhc(stored);
        fast = !phc || phc.memory * phc.passes < HERALD_ARGON2_WORK;
        matches = await verifyArgon2(password, stored);
      }
    }
  } catch {
    matches = false;
  }
  if (!matches && fast) await verifyArgon2(password, await decoyDigest());
  return matches;
}

/** Whether a verified digest is to be replaced by Herald's argon2id. */
export const needsUpgrade = (algorithm: string | null): boolean => algorithm !== PASSWORD_ALGORITHM;
