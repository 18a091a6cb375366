/**
 * Fastify: a plugin that registers one POST route in its own encapsulated context, where a
 * content-type parser keeps every body as its raw bytes (the rest of the app keeps its parsers).
 * Typed structurally: the package depends on Fastify neither at runtime nor for types.
 */
import { WebhookVerificationError } from '../errors.ts';
import type { HeraldEvent } from '../events.ts';
import { parse, type HeadersRecord, type Secret, type VerifyOptions } from '../verify.ts';

/** The little of a Fastify request read here. */
export interface FastifyRequestLike {
  readonly headers: HeadersRecord;
  readonly body: unknown;
}

/** The little of a Fastify reply used here. */
export interface FastifyReplyLike {
  readonly sent: boolean;
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

/** The little of a Fastify instance used here. */
export interface FastifyInstanceLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer' },
    parser: (request: unknown, body: Uint8Array, done: (error: Error | null, body?: unknown) => void) => void,
  ): unknown;
  post(path: string, handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown;
}

export interface FastifyWebhookOptions extends VerifyOptions {
  secret: Secret;
  /** The route's path inside the plugin (after any `prefix`); default `/`. */
  path?: string;
  /** Called with the verified event; what it returns is sent (nothing: 204), unless it sent a reply itself. */
  handler(event: HeraldEvent, request: FastifyRequestLike, reply: FastifyReplyLike): unknown;
}

/**
 * `app.register(fastifyWebhook, { path: '/webhooks/herald', secret, handler: (event, request, reply) => … })`.
 * Refusals answer the error's status with `{ code, message }`.
 */
export async function fastifyWebhook(instance: FastifyInstanceLike, options: FastifyWebhookOptions): Promise<void> {
  const { secret, path = '/', handler, toleranceSeconds } = options;
  // Encapsulated: these parsers apply to this plugin's route only.
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  instance.post(path, async (request, reply) => {
    let event: HeraldEvent;
    try {
      // No body at all comes as undefined: that is an empty body here, not a parsed one.
      event = await parse((request.body ?? '') as Uint8Array | string, request.headers, secret, { toleranceSeconds });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return reply
        .code(error.status)
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(error));
    }
    const result = await handler(event, request, reply);
    if (reply.sent) return reply;
    if (result !== undefined) return result;
    return reply.code(204).send();
  });
}
