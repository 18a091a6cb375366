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
 * - phone: the international digits (without `+`) after the dialling prefixes `00`/`011` and any
 *   other leading zeros are dropped; libphonenumber-js only chooses which prefix to drop, it never
 *   rewrites the number;
 * - username: as typed (usernames are case-sensitive, as Logto's default).
 *
 * The stored identifier keeps the spelling it was given; codes are sent to the stored address.
 */
import { domainToASCII } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

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
 * The canonical phone number: E.164 digits. Herald's (and Logto's) phone identifiers are digits
 * in international form without `+`; a country code never starts with 0, so leading zeros are
 * dialling prefixes (`00`, `011`, a trunk `0`) and go.
 */
export function canonicalPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const candidates = digits.startsWith('011') ? [digits.slice(3), digits.replace(/^0+/, '')] : [digits.replace(/^0+/, '')];
  for (const candidate of candidates) {
    const parsed = candidate ? parsePhoneNumberFromString(`+${candidate}`) : undefined;
    if (parsed?.isPossible() && parsed.number === `+${candidate}`) return candidate;
  }
  // Nothing left once the zeros go ('0', '00'): the digits themselves, so junk never merges.
  return candidates[0] || digits;
}

/** The canonical form of an identifier of this kind. */
export function canonicalIdentifier(kind: IdentifierKind, value: string): string {
  if (kind === 'email') return canonicalEmail(value);
  if (kind === 'phone') return canonicalPhone(value);
  return value;
}

/** The users columns holding the canonical forms, filled whenever the identifier is written. */
export function canonicalColumns(patch: { primary_email?: string | null | undefined; primary_phone?: string | null | undefined }) {
  const out: { primary_email_canonical?: string | null; primary_phone_canonical?: string | null } = {};
  if (patch.primary_email !== undefined) out.primary_email_canonical = patch.primary_email === null ? null : canonicalEmail(patch.primary_email);
  if (patch.primary_phone !== undefined) out.primary_phone_canonical = patch.primary_phone === null ? null : canonicalPhone(patch.primary_phone);
  return out;
}
