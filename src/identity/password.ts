/**
 * Password hashing with argon2id from node:crypto (Node 24.7+), stored as a PHC string:
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (base64 without padding). The parameters are
 * OWASP's minimum for argon2id (19 MiB, 2 passes); they are stored with each hash, so raising them
 * later leaves old hashes verifiable. Verification compares in constant time.
 */
import { argon2, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

const MEMORY_KIB = 19_456;
const PASSES = 2;
const PARALLELISM = 1;
const TAG_LENGTH = 32;
const SALT_LENGTH = 16;
const VERSION = 19;

export const PASSWORD_ALGORITHM = 'Argon2id';
/** Memory × passes of Herald's own hashes (KiB): an imported argon2 digest below it is cheaper to check. */
export const HERALD_ARGON2_WORK = MEMORY_KIB * PASSES;

const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');

/** Argon2 variants: Herald hashes with argon2id; argon2i (Logto's own) and argon2d digests may be imported. */
export type Argon2Variant = 'argon2id' | 'argon2i' | 'argon2d';

function derive(
  password: string,
  salt: Buffer,
  memory: number,
  passes: number,
  parallelism: number,
  tagLength: number,
  variant: Argon2Variant = 'argon2id',
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    argon2(variant, { message: password, nonce: salt, memory, passes, parallelism, tagLength }, (err, key) =>
      err ? reject(err) : resolve(Buffer.from(key)),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, MEMORY_KIB, PASSES, PARALLELISM, TAG_LENGTH);
  return `$argon2id$v=${VERSION}$m=${MEMORY_KIB},t=${PASSES},p=${PARALLELISM}$${b64(salt)}$${b64(hash)}`;
}

const PHC = /^\$(argon2id|argon2i|argon2d)\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Parameters Herald will spend on one verification: anything outside is refused, not computed. */
const BOUNDS = {
  memoryKiB: [1024, 262_144],
  passes: [1, 10],
  parallelism: [1, 16],
  saltBytes: [8, 64],
  hashBytes: [16, 64],
} as const;
const within = (value: number, [min, max]: readonly [number, number]) =>
  Number.isInteger(value) && value >= min && value <= max;

interface Phc {
  variant: Argon2Variant;
  memory: number;
  passes: number;
  parallelism: number;
  salt: Buffer;
  hash: Buffer;
}

/** A stored or imported argon2 PHC string (version 19), if it is one Herald can verify at a bounded cost. */
export function parsePhc(stored: string): Phc | undefined {
  const match = PHC.exec(stored);
  if (!match) return undefined;
  const [, variant, m, t, p, salt, hash] = match as unknown as [
    string,
    Argon2Variant,
    string,
    string,
    string,
    string,
    string,
  ];
  const phc = {
    variant,
    memory: Number(m),
    passes: Number(t),
    parallelism: Number(p),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
  const ok =
    within(phc.memory, BOUNDS.memoryKiB) &&
    phc.memory >= 8 * phc.parallelism &&
    within(phc.passes, BOUNDS.passes) &&
    within(phc.parallelism, BOUNDS.parallelism) &&
    within(phc.salt.length, BOUNDS.saltBytes) &&
    within(phc.hash.length, BOUNDS.hashBytes);
  return ok ? phc : undefined;
}

/** True when `password` matches the stored argon2 PHC string; false for a wrong password or an unusable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const phc = parsePhc(stored);
  if (!phc) return false;
  try {
    const actual = await derive(
      password,
      phc.salt,
      phc.memory,
      phc.passes,
      phc.parallelism,
      phc.hash.length,
      phc.variant,
    );
    return actual.length === phc.hash.length && timingSafeEqual(actual, phc.hash);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * An argon2id digest of a random password at Herald's cost, made once: what a password check
 * verifies when there is no digest to check (an unknown user) or a cheaper one failed, so that
 * every wrong password costs at least one verification at Herald's cost.
 */
export function decoyDigest(): Promise<string> {
  decoy ??= hashPassword(randomUUID());
  return decoy;
}
