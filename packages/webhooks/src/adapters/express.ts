/**
 * Express (4 and 5), and plain node:http: a middleware that takes the raw body from `req.body`
 * (express.raw) or reads the request stream itself, verifies it and calls your handler with the
 * typed event. Typed structurally: the package depends on Express neither at runtime nor for types.
 */
import { WebhookVerificationError } from '../errors.ts';
import type { HeraldEvent } from '../events.ts';
import { parse, type HeadersRecord, type RawBody, type Secret, type VerifyOptions } from '../verify.ts';

/** The little of Express's (or node:http's) request read here. */
export interface ExpressRequestLike {
  readonly headers: HeadersRecord;
  /** The raw body when express.raw() ran; undefined when no body parser did (the stream is read). */
  body?: unknown;
  readonly readableEnded?: boolean;
  [Symbol.asyncIterator]?(): AsyncIterator<unknown>;
}

/** The little of Express's (or node:http's) response used here. */
export interface ExpressResponseLike {
  statusCode: number;
  readonly headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  end(chunk?: string): unknown;
}

export interface ExpressWebhookOptions extends VerifyOptions {
  /** The largest body read from the stream (when no express.raw() ran before); default 1 MiB. */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * `app.post(path, express.raw({ type: '*\/*' }), expressWebhook(secret, (event, req, res) => …))`.
 * Refusals answer the error's status with `{ code, message }` as JSON; when the handler has not
 * answered by the time it returns (or its promise settles), 204. A handler's error goes to `next`.
 */
export function expressWebhook<
  Req extends ExpressRequestLike = ExpressRequestLike,
  Res extends ExpressResponseLike = ExpressResponseLike,
>(
  secret: Secret,
  handler: (event: HeraldEvent, req: Req, res: Res) => unknown,
  options: ExpressWebhookOptions = {},
): (req: Req, res: Res, next?: (error?: unknown) => void) => void {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return (req, res, next) => {
    const fail = (error: unknown) => {
      if (next) return next(error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    };
    const run = async () => {
      let event: HeraldEvent;
      try {
        const body = req.body !== undefined ? (req.body as RawBody) : await readBody(req, maxBodyBytes);
        event = await parse(body, req.headers, secret, options);
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        res.statusCode = error.status;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(error));
        return;
      }
      await handler(event, req, res);
      if (!res.headersSent) {
        res.statusCode = 204;
        res.end();
      }
    };
    run().catch(fail);
  };
}

async function readBody(req: ExpressRequestLike, maxBodyBytes: number): Promise<Uint8Array> {
  const iterate = req[Symbol.asyncIterator];
  if (req.readableEnded || typeof iterate !== 'function')
    throw new WebhookVerificationError(
      'body_not_raw',
      'req.body is not set and the request stream was already read: mount express.raw({ type: "*/*" }), or no body parser, before the webhook middleware',
    );
  const chunks: Uint8Array[] = [];
  let size = 0;
  const iterator = iterate.call(req);
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    const chunk = typeof value === 'string' ? new TextEncoder().encode(value) : (value as Uint8Array);
    size += chunk.byteLength;
    if (size > maxBodyBytes) {
      await iterator.return?.();
      throw new WebhookVerificationError('body_too_large', `the body is larger than ${maxBodyBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
