/**
 * One webhook request: prepare the headers, sign, POST, and read a bounded response.
 * Never throws: every outcome, network errors included, comes back as a SendResult.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { BLOCKED_CODE, createGuardedConnector, type DestinationPolicy } from './ssrf.ts';
import { HERALD_VERSION } from '../version.ts';
import { LOGTO_SIGNATURE_HEADER, logtoSignature, standardSignature } from './sign.ts';

/** Bytes of a response body kept in the attempt log; the rest is read and dropped. */
export const RESPONSE_BODY_MAX_BYTES = 20 * 1024;
export const USER_AGENT = `Herald/${HERALD_VERSION} (webhooks; Logto-compatible)`;
/** Logto's own, for receivers that filter on it (HERALD_WEBHOOK_USER_AGENT=logto). */
export const LOGTO_USER_AGENT = 'Logto (https://logto.io/)';

/** The user agent HERALD_WEBHOOK_USER_AGENT names. */
export const webhookUserAgent = (config: { webhookUserAgent: 'herald' | 'logto' }): string =>
  config.webhookUserAgent === 'logto' ? LOGTO_USER_AGENT : USER_AGENT;

/** Headers Herald sets last: a hook's custom headers can never replace or duplicate them. */
const RESERVED_HEADERS = new Set([
  LOGTO_SIGNATURE_HEADER,
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'content-length',
  'host',
]);

export interface OutgoingRequest {
  url: string;
  /** The exact bytes to send and sign. */
  body: string;
  headers: Record<string, string>;
}

export interface SendResult {
  ok: boolean;
  durationMs: number;
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  error?: string;
  /** The failure was a timeout (the caller may wait longer before retrying). */
  timedOut?: boolean;
  /** The SSRF guard refused the destination: retrying cannot help. */
  blocked?: boolean;
  /** The endpoint URL cannot be sent to (not a URL, not http(s)): retrying cannot help. */
  unsendableUrl?: boolean;
  /** The response body was longer than the bytes kept (`responseBody` holds the first ones). */
  responseTruncated?: boolean;
}

/**
 * Why nothing can be sent to `url`, in the words Logto's attempt log uses (its fetch's), or
 * undefined. Logto, and so Herald, accepts any string as a hook's URL; the problem shows here.
 */
export function unsendableUrlError(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `Failed to parse URL from ${url}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `Failed to fetch ${url}: the URL scheme must be "http" or "https"`;
  return undefined;
}

/** Herald's defaults overridden by a hook's custom headers: every header of an attempt but the signed ones. */
export function unsignedHeaders(
  customHeaders: Record<string, string> | undefined,
  userAgent: string = USER_AGENT,
): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': userAgent };
  for (const [name, value] of Object.entries(customHeaders ?? {})) {
    const lower = name.toLowerCase();
    if (!RESERVED_HEADERS.has(lower)) headers[lower] = value;
  }
  return headers;
}

/** The headers each attempt computes afresh (its time, and the keys in force then). */
export const PER_ATTEMPT_HEADERS = [LOGTO_SIGNATURE_HEADER, 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * The request for one attempt: Herald's defaults, then the hook's custom headers (which override
 * `user-agent` and `content-type` whatever their case), then the signatures, which nothing overrides.
 */
export function prepareRequest(input: {
  url: string;
  body: string;
  signingKey: string;
  /** While a rotation's grace period lasts, the old key signs `webhook-signature` too. */
  previousSigningKey?: string | undefined;
  webhookId: string;
  timestampSeconds: number;
  customHeaders?: Record<string, string> | undefined;
  /** Herald's by default; a hook's custom `user-agent` still wins. */
  userAgent?: string | undefined;
}): OutgoingRequest {
  const headers = unsignedHeaders(input.customHeaders, input.userAgent);
  headers[LOGTO_SIGNATURE_HEADER] = logtoSignature(input.signingKey, input.body);
  headers['webhook-id'] = input.webhookId;
  headers['webhook-timestamp'] = String(input.timestampSeconds);
  const keys = input.previousSigningKey ? [input.signingKey, input.previousSigningKey] : [input.signingKey];
  headers['webhook-signature'] = keys
    .map((key) => standardSignature(key, input.webhookId, input.timestampSeconds, input.body))
    .join(' ');
  return { url: input.url, body: input.body, headers };
}

/**
 * What an endpoint sends back is stored as text; PostgreSQL's text refuses NUL, so NUL becomes
 * U+FFFD. Without this, one response containing a NUL would fail every write of its batch.
 */
export const storableText = (text: string): string => text.replaceAll('\u0000', '\uFFFD');

function headerRecord(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[storableText(name)] = storableText(Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

async function readBounded(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (size < maxBytes) chunks.push(buffer.subarray(0, maxBytes - size));
    size += buffer.length;
    if (size > maxBytes) break;
  }
  // Leaving the loop early destroys the stream, so a huge or endless body costs nothing more.
  return { text: storableText(Buffer.concat(chunks).toString('utf8')), truncated: size > maxBytes };
}

function describeError(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}${cause}`;
  }
  return String(error);
}

/** The SSRF guard's refusal somewhere in the cause chain, if that is why the request failed. */
function blockedCause(error: unknown): Error | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause)
    if ((e as { code?: unknown }).code === BLOCKED_CODE) return e;
  return undefined;
}

/** The sender: every connection it opens goes through the SSRF guard of `policy`. */
export function createSender(options: { policy: DestinationPolicy; connectTimeoutMs?: number }) {
  const dispatcher = new Agent({
    connections: 128,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connect: createGuardedConnector(options.policy, { timeoutMs: options.connectTimeoutMs ?? 10_000 }),
  });

  return {
    /** POSTs `outgoing`; `signal` aborts it (shutdown). Redirects are not followed: a 3xx is a failure. */
    async send(
      outgoing: OutgoingRequest,
      timeoutMs: number,
      signal?: AbortSignal,
      options: { maxResponseBytes?: number } = {},
    ): Promise<SendResult> {
      const unsendable = unsendableUrlError(outgoing.url);
      if (unsendable) return { ok: false, durationMs: 0, error: storableText(unsendable), unsendableUrl: true };
      const started = performance.now();
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
      try {
        const response = await request(outgoing.url, {
          method: 'POST',
          headers: outgoing.headers,
          body: outgoing.body,
          dispatcher,
          signal: combined,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const read = await readBounded(response.body, options.maxResponseBytes ?? RESPONSE_BODY_MAX_BYTES);
        const statusCode = response.statusCode;
        return {
          ok: statusCode >= 200 && statusCode < 300,
          durationMs: Math.round(performance.now() - started),
          statusCode,
          responseHeaders: headerRecord(response.headers),
          responseBody: read.text,
          ...(read.truncated ? { responseTruncated: true } : {}),
          ...(statusCode >= 200 && statusCode < 300 ? {} : { error: `endpoint answered ${statusCode}` }),
        };
      } catch (error) {
        const timedOut = timeout.aborted;
        const blocked = blockedCause(error);
        return {
          ok: false,
          durationMs: Math.round(performance.now() - started),
          error: storableText(blocked ? blocked.message : describeError(error, timedOut, timeoutMs)),
          timedOut,
          blocked: blocked !== undefined,
        };
      }
    },
    close: () => dispatcher.close(),
  };
}

export type Sender = ReturnType<typeof createSender>;
