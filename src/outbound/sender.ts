/**
 * One webhook request: prepare the headers, sign, POST, and read a bounded response.
 * Never throws: every outcome, network errors included, comes back as a SendResult.
 */
import { Agent, type Dispatcher } from 'undici';
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

/** Where a request goes: parsed once per URL string (a deployment sends to tens of URLs). */
interface Target {
  origin: string;
  path: string;
}
const TARGET_CACHE_MAX = 1024;
const targets = new Map<string, Target | string>();

/** The parsed target of `url`, or why nothing can be sent there (unsendableUrlError). */
function targetOf(url: string): Target | string {
  let target = targets.get(url);
  if (target === undefined) {
    const error = unsendableUrlError(url);
    if (error) target = error;
    else {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    }
    if (targets.size >= TARGET_CACHE_MAX) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/**
 * One POST through undici's dispatch API, the layer its `request()` is built on: no response
 * stream, async iterator or AbortSignal per request (together a fifth of a busy dispatcher's CPU,
 * bench throughput profile), one timer for the whole request. Settles once, with the status, the
 * headers and the first `maxBytes` of the body (the rest is dropped by aborting the request), or
 * with the error; the timeout and `signal` abort it whatever phase it is in.
 */
function post(
  dispatcher: Dispatcher,
  target: Target,
  outgoing: OutgoingRequest,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  maxBytes: number,
): Promise<
  | { statusCode: number; headers: Record<string, string | string[] | undefined>; body: string; truncated: boolean }
  | { error: unknown; timedOut: boolean }
> {
  return new Promise((resolve) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let timedOut = false;
    let statusCode = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (reason: Error) => {
      // Before the request reached a connection there is no controller yet: abort it when it does.
      if (controller && !controller.aborted) controller.abort(reason);
      fail(reason);
    };
    const onAbort = () => stop(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(() => {
      timedOut = true;
      stop(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    function fail(error: unknown) {
      if (settled) return;
      finish();
      resolve({ error, timedOut });
    }
    function complete(truncated: boolean) {
      if (settled) return;
      finish();
      resolve({ statusCode, headers, body: storableText(Buffer.concat(chunks).toString('utf8')), truncated });
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers: outgoing.headers,
        body: outgoing.body,
        // Safety nets only: the timer above ends the request first, whatever phase it is in.
        headersTimeout: timeoutMs + 1000,
        bodyTimeout: timeoutMs + 1000,
      },
      {
        onRequestStart(c) {
          controller = c;
          if (settled) c.abort(new Error('aborted'));
        },
        onResponseStart(_c, status, responseHeaders) {
          // 1xx informational answers come before the real one.
          if (status < 200) return;
          statusCode = status;
          headers = responseHeaders;
        },
        onResponseData(c, chunk) {
          if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size));
          size += chunk.length;
          // Enough kept: a huge or endless body costs nothing more.
          if (size > maxBytes) {
            complete(true);
            c.abort(new Error('response body over the kept size'));
          }
        },
        onResponseEnd() {
          complete(false);
        },
        onResponseError(_c, error) {
          fail(error);
        },
      },
    );
  });
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
      const target = targetOf(outgoing.url);
      if (typeof target === 'string')
        return { ok: false, durationMs: 0, error: storableText(target), unsendableUrl: true };
      const started = performance.now();
      const answer = await post(
        dispatcher,
        target,
        outgoing,
        timeoutMs,
        signal,
        options.maxResponseBytes ?? RESPONSE_BODY_MAX_BYTES,
      );
      const durationMs = Math.round(performance.now() - started);
      if ('error' in answer) {
        const blocked = blockedCause(answer.error);
        return {
          ok: false,
          durationMs,
          error: storableText(blocked ? blocked.message : describeError(answer.error, answer.timedOut, timeoutMs)),
          timedOut: answer.timedOut,
          blocked: blocked !== undefined,
        };
      }
      const { statusCode } = answer;
      const ok = statusCode >= 200 && statusCode < 300;
      return {
        ok,
        durationMs,
        statusCode,
        responseHeaders: headerRecord(answer.headers),
        responseBody: answer.body,
        ...(answer.truncated ? { responseTruncated: true } : {}),
        ...(ok ? {} : { error: `endpoint answered ${statusCode}` }),
      };
    },
    close: () => dispatcher.close(),
  };
}

export type Sender = ReturnType<typeof createSender>;
