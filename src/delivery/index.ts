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
export { createReplayService, type ReplayService, RECOVER_MAX_WINDOW_MS } from './replay.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { createPruner, type Pruner } from './retention.ts';
export { createDispatcherRuntime, type DispatcherHandle } from './runtime.ts';
export { startDispatcherThread } from './thread.ts';
export { createListenerStreams, type ListenerStreams } from './listen.ts';
