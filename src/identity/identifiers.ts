/**
 * The one canonical form of a user identifier, computed here and nowhere else. Uniqueness, lookup,
 * lockouts and rate limits all compare canonical forms (stored in their own indexed columns), so
 * two spellings of one address are one address everywhere:
 *
 * - email: the local part in Unicode NFKC with full case folding (`K` KELVIN SIGN is `k`,
 *   `ß` is `ss`, fullwidth `ｋ` is `k`, but dotless `ı` stays `ı`); the domain as DNS sees it: the
 *   name as typed through IDNA (UTS #46, non-transitional, as WHATWG URLs: `faß.de` and `fass.de`
 *   are two domains, `gmaıl.com` is not `gmail.com`), without a trailing dot. Folding more than
 *   the mail system does would merge addresses different people hold;
 * - phone: Logto's stored form (packages/shared/src/utils/phone.ts, `PhoneNumberParser`
 *   `internationalNumber`): country calling code and national number, digits only, without `+`
 *   and without the trunk `0` after the country code (`610412345678` is `61412345678`). Before
 *   that, dialling prefixes `00`/`011` and any other leading zeros are dropped (a country code
 *   never starts with 0);
 * - username: as typed (usernames are case-sensitive, as Logto's default).
 *
 * The stored email keeps the spelling it was given; a phone number is stored in its canonical form
 * (as Logto stores it), codes are sent to the stored address.
 */
import { domainToASCII } from 'node:url';
import { createRequire } from 'node:module';

/**
 * libphonenumber-js (112 modules, ~95 ms) is loaded at the first phone number, not at start
 * (start-to-ready, issue 19); its CommonJS build loads synchronously where it is needed.
 */
let phoneLibrary: typeof import('libphonenumber-js') | undefined;
export const phoneLib = () => (phoneLibrary ??= createRequire(import.meta.url)('libphonenumber-js'));

export type IdentifierKind = 'username' | 'email' | 'phone';

/**
 * Full Unicode case folding, approximated without a table: NFKC, upper case (which expands `ß` to
 * `SS`, `ﬁ` to `FI`, and maps final sigma to `Σ`), lower case, NFKC again (case mapping may leave
 * a string unnormalised). Dotless `ı` is the one letter whose round trip (`ı` → `I` → `i`)
 * differs from case folding, which leaves it alone: it is kept as it is.
 */
export function foldCase(value: string): string {
  return value
    .normalize('NFKC')
    .split('\u0131')
    .map((part) => part.toUpperCase().toLowerCase())
    .join('\u0131')
    .normalize('NFKC');
}

/** The canonical email: folded local part, IDNA domain without trailing dots. */
export function canonicalEmail(value: string): string {
  const trimmed = value.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return foldCase(trimmed);
  const local = foldCase(trimmed.slice(0, at));
  const domain = trimmed.slice(at + 1).replace(/\.+$/, '');
  // domainToASCII answers '' for a name it cannot map; then the folded text stands.
  const ascii = domainToASCII(domain) || foldCase(domain);
  return `${local}@${ascii}`;
}

/**
 * For counting sends only: the canonical email without its `+tag` (plus addressing), so
 * `x+1@…` and `x+2@…` share one mailbox's quota. Not an identity: those are two addresses.
 */
export function mailboxOf(value: string): string {
  const canonical = canonicalEmail(value);
  const at = canonical.lastIndexOf('@');
  if (at < 0) return canonical;
  const local = canonical.slice(0, at).replace(/\+.*$/, '');
  return `${local}@${canonical.slice(at + 1)}`;
}

/**
 * Logto's stored form of the digits `+<digits>` (its `PhoneNumberParser.internationalNumber`):
 * undefined where libphonenumber-js cannot parse them (Logto's 422 `user.invalid_phone`).
 * `requirePossible` also refuses numbers of an impossible length for their country.
 */
function internationalDigits(digits: string, requirePossible: boolean): string | undefined {
  if (!digits) return undefined;
  try {
    const parsed = phoneLib().parsePhoneNumberWithError(`+${digits}`);
    if (requirePossible && !parsed.isPossible()) return undefined;
    return `${parsed.countryCallingCode}${parsed.nationalNumber}`;
  } catch {
    return undefined;
  }
}

/**
 * The phone number in Logto's stored form, or undefined when it is not a phone number
 * (`99999`: no such country code). Digits that do not start with 0 are parsed as Logto parses
 * them, so Herald accepts and stores exactly what Logto does. Digits starting with 0 (which Logto
 * refuses) are read as dialled: `00`/`011`/`0` and the number after them, taken only when
 * libphonenumber-js finds that number possible, so junk is never read as someone's number.
 */
export function normalizePhone(value: string): string | undefined {
  const digits = value.replace(/\D/g, '');
  if (!digits.startsWith('0')) return internationalDigits(digits, false);
  const candidates = digits.startsWith('011')
    ? [digits.slice(3), digits.replace(/^0+/, '')]
    : [digits.replace(/^0+/, '')];
  for (const candidate of candidates) {
    const parsed = internationalDigits(candidate, true);
    if (parsed) return parsed;
  }
  return undefined;
}

/**
 * The canonical phone number: its Logto form (above); for what is not a phone number, the digits
 * after the dialling prefix (nothing left, as for `0`: the digits themselves), as before
 * (migration 0020). Digits that libphonenumber-js cannot parse never equal a number's canonical
 * form (which always parses), so junk never merges with a phone number.
 */
export function canonicalPhone(value: string): string {
  const parsed = normalizePhone(value);
  if (parsed) return parsed;
  const digits = value.replace(/\D/g, '');
  return (digits.startsWith('011') ? digits.slice(3) : digits.replace(/^0+/, '')) || digits;
}

/** The canonical form of an identifier of this kind. */
export function canonicalIdentifier(kind: IdentifierKind, value: string): string {
  if (kind === 'email') return canonicalEmail(value);
  if (kind === 'phone') return canonicalPhone(value);
  return value;
}

/** The users columns holding the canonical forms, filled whenever the identifier is written. */
export function canonicalColumns(patch: {
  primary_email?: string | null | undefined;
  primary_phone?: string | null | undefined;
}) {
  const out: { primary_email_canonical?: string | null; primary_phone_canonical?: string | null } = {};
  if (patch.primary_email !== undefined)
    out.primary_email_canonical = patch.primary_email === null ? null : canonicalEmail(patch.primary_email);
  if (patch.primary_phone !== undefined)
    out.primary_phone_canonical = patch.primary_phone === null ? null : canonicalPhone(patch.primary_phone);
  return out;
}

/** The phone number as stored: Logto's form where it is a phone number, else as given. */
export const storedPhone = (value: string): string => normalizePhone(value) ?? value;
