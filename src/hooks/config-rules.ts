/**
 * What a hook's endpoint URL and custom headers may be. Imports nothing: the API (validateConfig
 * in service.ts: the headers) and the console's form (console/src/validation.ts: both) check with
 * these same rules.
 */

/** RFC 9110 token characters: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers that HTTP itself or Herald's signatures own. */
const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'logto-signature-sha-256',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
]);
const HEADER_VALUE_MAX_LENGTH = 8192;
/** What HTTP (and undici, which would refuse to send anything else) allows in a header value. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Why the console's form refuses this endpoint URL, or undefined. The API stores any non-empty
 * string, as Logto's does (a delivery to it then fails at once: outbound/sender.ts), and the form
 * checks before saving, as Logto's console does.
 */
export function endpointUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'The endpoint URL must be an absolute http(s) URL.';
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
    return 'The endpoint URL must be an absolute http(s) URL.';
  return undefined;
}

/**
 * Why the API would refuse this custom header, or undefined. `seen` holds the lower-cased names
 * before it; the name is added to it.
 */
export function headerProblem(name: string, value: string, seen: Set<string>): string | undefined {
  const lower = name.toLowerCase();
  const known = seen.has(lower);
  seen.add(lower);
  if (!HEADER_NAME.test(name)) return `"${name}" is not a valid header name.`;
  if (FORBIDDEN_HEADERS.has(lower)) return `The header "${name}" is set by HTTP or by Herald and cannot be customised.`;
  if (known) return `The header "${name}" is given twice (header names ignore case).`;
  if (!HEADER_VALUE.test(value) || value.length > HEADER_VALUE_MAX_LENGTH) {
    return `The value of header "${name}" must be one line of at most ${HEADER_VALUE_MAX_LENGTH} visible ASCII or Latin-1 characters.`;
  }
  return undefined;
}
