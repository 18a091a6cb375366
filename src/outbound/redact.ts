/**
 * What the delivery views (a delivery's detail, recent logs, the /test report) show of things that
 * may hold credentials Herald knows nothing about: a hook's custom headers, its endpoint URL, and
 * whatever receivers send back (headers, bodies) or errors quote. Values are masked as
 * `Authorization` always was (`******`); names stay, so a view still tells what was sent.
 *
 * The stored event payload is not masked here: it keeps Logto's rule (SENSITIVE_KEY, in
 * events/payloads.ts), so recent logs show exactly what Logto's would.
 */
import { MASK } from '../events/payloads.ts';
import { maskJsonBody, viewJsonText } from '../util/json-text.ts';

/**
 * Header names, and member names in receivers' JSON, whose values are masked: anything naming a
 * credential, a session, a signature or a key (`cookie`, `set-cookie`, `x-auth-token`,
 * `x-hub-signature`, `x-jwt`, `x-csrf-token`, `private-key`, …). Deliberately broad: hook owners and
 * receivers choose these names, and masking a harmless value costs far less than showing a secret.
 * Every name SENSITIVE_KEY masks is masked here too.
 */
export const SECRET_NAME =
  /auth|cookie|token|secret|signature|jwt|key|passw|passphrase|pwd|session|credential|csrf|xsrf|bearer|private|signing/i;

/** Headers whose value is a URL (a redirect may carry a token in its query): shown through maskUrl. */
const URL_HEADER = /^(location|content-location)$/i;
/** Headers that quote URLs among other text. */
const URL_QUOTING_HEADER = /^(refresh|link)$/i;

/** `headers` with the value of every header named like a secret masked, and URLs in URL-valued headers masked. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = SECRET_NAME.test(name)
      ? MASK
      : URL_HEADER.test(name)
        ? maskUrl(value)
        : URL_QUOTING_HEADER.test(name)
          ? scrubError(value)
          : value;
  return out;
}

/** A query string (without `?`) with every value masked: `token=abc&x` → `token=******&******`. */
const maskQuery = (query: string) =>
  query
    .split('&')
    .map((part) => (part === '' ? part : part.includes('=') ? `${part.slice(0, part.indexOf('='))}=${MASK}` : MASK))
    .join('&');

/**
 * A URL as a view shows it: user name and password masked, every query value masked (tokens
 * often travel there), the fragment masked; scheme, host, port and path as they are. Text that
 * does not parse as a URL gets the same treatment by pattern.
 */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(/\/\/[^/?#\s]*@/, `//${MASK}@`).replace(/\?[^#\s]*/, (q) => `?${maskQuery(q.slice(1))}`);
  }
  if (!url.username && !url.password && !url.search && !url.hash) return text;
  if (url.username) url.username = MASK;
  if (url.password) url.password = MASK;
  if (url.search) url.search = maskQuery(url.search.slice(1));
  if (url.hash) url.hash = MASK;
  return url.toString();
}

/** Anything that looks like an absolute URL inside free text. */
const URL_IN_TEXT = /\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>]+/gi;

/** An error message with every URL in it masked (error texts may quote the endpoint). */
export const scrubError = (text: string): string => text.replace(URL_IN_TEXT, maskUrl);

/** A nullable error message, scrubbed. */
export const scrubErrorOrNull = (text: string | null): string | null => (text === null ? null : scrubError(text));

/** A receiver's response body where the API shows text: masked in place when it is JSON. */
export const maskResponseBody = (text: string): string => maskJsonBody(text, SECRET_NAME, MASK);

/** A receiver's response body where the API shows any value (recent logs): parsed and masked when it is JSON. */
export const viewResponseBody = (text: string): unknown => viewJsonText(text, SECRET_NAME, MASK);
