/**
 * Web-standard `Request`/`Response`: Next.js route handlers, Bun.serve, Deno.serve, Cloudflare
 * Workers, and anything else that hands over a fetch `Request`.
 */
import { WebhookVerificationError } from '../errors.ts';
import type { HeraldEvent } from '../events.ts';
import { parse, type HeadersGetter, type Secret, type VerifyOptions } from '../verify.ts';

/** The little of a fetch `Request` read here. */
export interface RequestLike {
  readonly headers: HeadersGetter;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Reads the request's body (its exact bytes), verifies it and resolves with the typed event.
 * Rejects with a WebhookVerificationError; `body_not_raw` when something read the body before.
 */
export async function verifyRequest(
  request: RequestLike,
  secret: Secret,
  options: VerifyOptions = {},
): Promise<HeraldEvent> {
  if (request.bodyUsed)
    throw new WebhookVerificationError(
      'body_not_raw',
      "the request's body was already read: verify before anything else reads it (request.json(), c.req.json()…)",
    );
  const body = new Uint8Array(await request.arrayBuffer());
  return parse(body, request.headers, secret, options);
}

/** A refusal as a Response: the error's status, `{ "code", "message" }` as JSON. */
export function errorResponse(error: WebhookVerificationError): Response {
  return new Response(JSON.stringify(error), {
    status: error.status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/**
 * A handler of the Web and Hono adapters: it gets the verified event and returns a Response to
 * send, or nothing for 204 No Content.
 */
export type WebhookHandler<Ctx> = (
  event: HeraldEvent,
  context: Ctx,
) => Response | undefined | void | Promise<Response | undefined> | Promise<void>;

/**
 * A `(request) => Promise<Response>` handler: verifies, then calls `handler` with the typed event.
 * A refused request gets the error's status (400/401, 500 when the receiver is misconfigured) and
 * `{ code, message }`; a handler returning nothing answers 204. Errors thrown by `handler` propagate.
 */
export function handleWebhook<R extends RequestLike = RequestLike>(
  secret: Secret,
  handler: WebhookHandler<R>,
  options: VerifyOptions = {},
): (request: R) => Promise<Response> {
  return async (request) => {
    let event: HeraldEvent;
    try {
      event = await verifyRequest(request, secret, options);
    } catch (error) {
      if (error instanceof WebhookVerificationError) return errorResponse(error);
      throw error;
    }
    return (await handler(event, request)) ?? new Response(null, { status: 204 });
  };
}
