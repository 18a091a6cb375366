/**
 * Hono: a handler that reads the raw body from `c.req.raw`, verifies it and calls yours with the
 * typed event. Typed structurally: the package depends on Hono neither at runtime nor for types.
 */
import { WebhookVerificationError } from '../errors.ts';
import type { HeraldEvent } from '../events.ts';
import type { Secret, VerifyOptions } from '../verify.ts';
import { errorResponse, type RequestLike, verifyRequest, type WebhookHandler } from './web.ts';

/** The little of Hono's Context read here. */
export interface HonoContextLike {
  readonly req: { readonly raw: RequestLike };
}

/**
 * `app.post(path, honoWebhook(secret, (event, c) => …))`. Refusals answer the error's status with
 * `{ code, message }`; a handler returning nothing answers 204. Nothing may read the body before it.
 */
export function honoWebhook<C extends HonoContextLike = HonoContextLike>(
  secret: Secret,
  handler: WebhookHandler<C>,
  options: VerifyOptions = {},
): (c: C) => Promise<Response> {
  return async (c) => {
    let event: HeraldEvent;
    try {
      event = await verifyRequest(c.req.raw, secret, options);
    } catch (error) {
      if (error instanceof WebhookVerificationError) return errorResponse(error);
      throw error;
    }
    return (await handler(event, c)) ?? new Response(null, { status: 204 });
  };
}
