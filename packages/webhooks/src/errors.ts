/** Why a webhook request was refused. */
export type WebhookVerificationErrorCode =
  /** A header the scheme needs is absent (or every signature header is). */
  | 'missing_header'
  /** No signature matches the secret: wrong secret, tampered body or headers, or a forged request. */
  | 'bad_signature'
  /** `webhook-timestamp` is older than the tolerance: a late or replayed request. */
  | 'stale_timestamp'
  /** `webhook-timestamp` is further ahead than the tolerance. */
  | 'future_timestamp'
  /** `webhook-timestamp` is not a number of seconds. */
  | 'invalid_timestamp'
  /** The body given is not the raw one (a parsed object, or nothing): the receiver's set-up is wrong. */
  | 'body_not_raw'
  /** The body is bigger than the adapter's `maxBodyBytes`. */
  | 'body_too_large'
  /** The signature holds but the body is not a JSON object with an `event` name. */
  | 'invalid_payload'
  /** No secret was given (an unset environment variable, typically): the receiver's set-up is wrong. */
  | 'missing_secret'
  /** A `whsec_` secret whose rest is not base64: the receiver's set-up is wrong. */
  | 'invalid_secret';

/**
 * The HTTP status the adapters answer with for each code: 400 for a malformed request, 401 for one
 * whose signature or timestamp does not hold, 413 for an oversized body, and 500 when the receiver
 * itself is misconfigured (Herald retries a 5xx, so deliveries are not lost while it is fixed).
 */
export const STATUS_BY_CODE: Readonly<Record<WebhookVerificationErrorCode, number>> = {
  missing_header: 400,
  invalid_timestamp: 400,
  invalid_payload: 400,
  bad_signature: 401,
  stale_timestamp: 401,
  future_timestamp: 401,
  body_too_large: 413,
  body_not_raw: 500,
  missing_secret: 500,
  invalid_secret: 500,
};

/** Thrown (or rejected with) by `verify`, `parse` and `verifyRequest`; the adapters answer with it. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly code: WebhookVerificationErrorCode;
  /** The HTTP status an endpoint should answer with (see STATUS_BY_CODE). */
  readonly status: number;

  constructor(code: WebhookVerificationErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = STATUS_BY_CODE[code];
  }

  /** The body the adapters send: `{ "code": …, "message": … }`. */
  toJSON(): { code: WebhookVerificationErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
