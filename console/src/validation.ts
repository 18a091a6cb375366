/** The API's own checks of a hook config (src/hooks/service.ts), run before anything is sent. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HEADER_VALUE_MAX_LENGTH = 8192;
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

/** undefined when the API would take it. */
export function urlProblem(value: string): string | undefined {
  if (value.trim() === '') return 'Enter the endpoint URL.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'The endpoint URL must be an absolute http(s) URL, such as https://example.com/webhooks.';
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return 'The endpoint URL must be an absolute http(s) URL, such as https://example.com/webhooks.';
  }
  return undefined;
}

export interface HeaderRow {
  key: number;
  name: string;
  value: string;
}

/** A problem per row (by row key), and whether any row has one. */
export function headerProblems(rows: HeaderRow[]): Map<number, string> {
  const problems = new Map<number, string>();
  const seen = new Set<string>();
  for (const row of rows) {
    const name = row.name.trim();
    if (name === '' && row.value === '') continue;
    const lower = name.toLowerCase();
    if (name === '') problems.set(row.key, 'Give the header a name.');
    else if (!HEADER_NAME.test(name)) problems.set(row.key, `"${name}" is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only).`);
    else if (FORBIDDEN_HEADERS.has(lower)) problems.set(row.key, `"${name}" is set by HTTP or by Herald and cannot be customised.`);
    else if (seen.has(lower)) problems.set(row.key, `"${name}" is given twice (header names ignore case).`);
    else if (!HEADER_VALUE.test(row.value) || row.value.length > HEADER_VALUE_MAX_LENGTH) {
      problems.set(row.key, `The value must be one line of at most ${HEADER_VALUE_MAX_LENGTH} characters.`);
    }
    seen.add(lower);
  }
  return problems;
}

export function headersRecord(rows: HeaderRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows) if (row.name.trim() !== '') out[row.name.trim()] = row.value;
  return out;
}
