export { createDispatcher, type Dispatcher, type DispatcherEvents, type DeliveryAttemptEvent } from './dispatcher.ts';
export { createSender, prepareRequest, type Sender, type SendResult, RESPONSE_BODY_MAX_BYTES, USER_AGENT } from './sender.ts';
export { toStandardSecret, logtoSignature, LOGTO_SIGNATURE_HEADER } from './sign.ts';
export { createPostgresWaker } from './notify.postgres.ts';
export { insertDeliveries, DELIVERY_WAKE_CHANNEL } from './enqueue.ts';
export { createDeliveryQueries, type DeliveryQueries } from './queries.ts';
export { createDestinationPolicy, BLOCKED_CODE } from './ssrf.ts';
export { createReplayService, type ReplayService, RECOVER_MAX_WINDOW_MS } from './replay.ts';
