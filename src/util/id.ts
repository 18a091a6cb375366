import { randomBytes } from 'node:crypto';

export const ID_LENGTH = 21;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Random string of `length` characters from `alphabet`, without modulo bias. */
export function randomString(length: number, alphabet: string = ALPHABET): string {
  // Bytes at or above the largest multiple of the alphabet's size are dropped, so every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
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
