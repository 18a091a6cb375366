/**
 * Outbound HTTP, apart from the delivery engine: the SSRF guard (ssrf.ts) every connection goes
 * through, the sender (sender.ts: one POST, no redirects, a bounded response, never throws),
 * webhook signing (sign.ts), and masking of what was sent and received for display (redact.ts).
 * Used by the dispatcher, the hooks `/test` route and the message connector.
 */
export {
  createSender,
  prepareRequest,
  unsignedHeaders,
  webhookUserAgent,
  PER_ATTEMPT_HEADERS,
  RESPONSE_BODY_MAX_BYTES,
  USER_AGENT,
  LOGTO_USER_AGENT,
  type OutgoingRequest,
  type Sender,
  type SendResult,
} from './sender.ts';
export { toStandardSecret, logtoSignature, LOGTO_SIGNATURE_HEADER } from './sign.ts';
export { createDestinationPolicy, destinationPolicyOf, BLOCKED_CODE, type DestinationPolicy } from './ssrf.ts';
export {
  maskHeaders,
  maskUrl,
  maskResponseBody,
  scrubError,
  scrubErrorOrNull,
  viewResponseBody,
  SECRET_NAME,
} from './redact.ts';
