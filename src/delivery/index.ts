export {
  createEmitter,
  wakeOnCommit,
  DELIVERY_WAKE_CHANNEL,
  type Emitter,
  type EmitInput,
  type EmitResult,
} from './outbox.ts';
export { createDispatcher, type Dispatcher, type DispatcherEvents, type DeliveryAttemptEvent } from './dispatcher.ts';
export { createPostgresWaker } from './notify.postgres.ts';
export { createDeliveryQueries, type DeliveryQueries } from './queries.ts';
/** The delivery log's bounds (GET /api/deliveries): its count, and its payload search. */
export { COUNT_LIMIT as DELIVERY_LOG_COUNT_LIMIT, PAYLOAD_SCAN_LIMIT } from './log.store.ts';
export { createReplayService, type ReplayService, RECOVER_MAX_WINDOW_MS } from './replay.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { createPruner, type Pruner } from './retention.ts';
export { createDispatcherRuntime, type DispatcherHandle } from './runtime.ts';
export { startDispatcherThread } from './thread.ts';
export { createListenerStreams, type ListenerStreams } from './listen.ts';
