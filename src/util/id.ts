import { randomBytes } from 'node:crypto';

export const ID_LENGTH = 21;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Random bytes come from a pool refilled 4 KiB at a time: one randomBytes call per id cost more
 * than the rest of making the id (bench throughput profile: an id per attempt and per claim).
 */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;
function nextByte(): number {
  if (poolOffset === POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  return pool[poolOffset++] as number;
}

/** Random string of `length` characters from `alphabet`, without modulo bias. */
export function randomString(length: number, alphabet: string = ALPHABET): string {
  // Bytes at or above the largest multiple of the alphabet's size are dropped, so every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    const byte = nextByte();
    if (byte < limit) out += alphabet[byte % alphabet.length];
  }
  return out;
}

/** Entity id: 21 characters of [0-9a-z] (about 108 bits), as Logto's ids. */
export function generateId(): string {
  return randomString(ID_LENGTH);
}

export const ID_PATTERN = '^[0-9a-z]{21}$';
export const isId = (value: string): boolean => value.length === ID_LENGTH && /^[0-9a-z]+$/.test(value);

const SECRET_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A random secret of [0-9a-zA-Z] (about 5.95 bits a character): API-key secrets, signing keys. */
export function generateSecret(length = 32): string {
  return randomString(length, SECRET_ALPHABET);
}
