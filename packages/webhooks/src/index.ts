/**
 * herald-webhooks: verify and parse Herald's webhook deliveries (Standard Webhooks and Logto's
 * signature), with adapters for Express, Fastify, Hono and Web-standard Request handlers.
 */
export {
  DEFAULT_TOLERANCE_SECONDS,
  LOGTO_SIGNATURE_HEADER,
  parse,
  STANDARD_HEADERS,
  verify,
  type HeadersGetter,
  type HeadersInput,
  type HeadersRecord,
  type RawBody,
  type Secret,
  type VerifiedWebhook,
  type VerifyOptions,
  type WebhookScheme,
} from './verify.ts';
export { STATUS_BY_CODE, WebhookVerificationError, type WebhookVerificationErrorCode } from './errors.ts';
export { errorResponse, handleWebhook, verifyRequest, type RequestLike, type WebhookHandler } from './adapters/web.ts';
export { honoWebhook, type HonoContextLike } from './adapters/hono.ts';
export {
  DEFAULT_MAX_BODY_BYTES,
  expressWebhook,
  type ExpressRequestLike,
  type ExpressResponseLike,
  type ExpressWebhookOptions,
} from './adapters/express.ts';
export {
  fastifyWebhook,
  type FastifyInstanceLike,
  type FastifyReplyLike,
  type FastifyRequestLike,
  type FastifyWebhookOptions,
} from './adapters/fastify.ts';
export * from './events.ts';
