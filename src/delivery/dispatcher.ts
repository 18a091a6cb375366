/**
 * The dispatcher: claims due deliveries, sends them, records the outcomes. One runs in every
 * instance, with or without HTTP.
 *
 * States and transitions:
 *   idle ──start()──► running ──stop()──► stopping ──(in-flight done or aborted, results recorded)──► stopped
 *
 * While running, the loop:
 *   1. claims due deliveries (pending and due, or leased with an expired lease), fairly across hooks,
 *      into per-hook ready queues, up to twice the free slots;
 *   2. starts sends from the ready queues while the hook (HERALD_HOOK_CONCURRENCY) and the instance
 *      (HERALD_DELIVERY_CONCURRENCY) have free slots; a finished send starts its hook's next one;
 *   3. when nothing more is due, sleeps until notify() (a commit emitted events; on PostgreSQL also
 *      another instance's commit, through LISTEN), the next due retry, or the poll interval.
 * A finished send queues its completion; completions are written in batches by one writer
 * (batch.ts, store.recordCompletions), one transaction per batch.
 *
 * A delivery's outcome: 2xx → delivered (succeeded); 410 → failed and the hook disabled; a refused
 * destination → failed at once; otherwise → retry (retry.ts decides when), or failed when the
 * schedule is exhausted. Each hook has at most HERALD_HOOK_CONCURRENCY requests in flight here, and
 * claims are fair across hooks, so a hanging endpoint holds its own slots and no one else's.
 * Errors never escape the loop: they are logged and the loop goes on.
 */
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB, Dialect } from '../db/types.ts';
import { coerceError } from '../http/errors.ts';
import { randomString } from '../util/id.ts';
import { claimDue } from './claim.ts';
import { deliveryBody } from '../events/payloads.ts';
import { completionOf } from './outcome.ts';
import { prepareRequest, type SendResult, type Sender } from '../outbound/sender.ts';
import { createBatchWriter } from './batch.ts';
import * as store from './store.ts';
import type { ClaimedDelivery, Completion } from './store.ts';

/** Idle instances look for due work (another instance's retries, expired leases) this often. */
export const POLL_INTERVAL_MS = 1000;
/** After a failed claim (database gone), wait this long before trying again. */
const CLAIM_ERROR_BACKOFF_MS = 1000;
/** Shortest idle wait when due work exists but none could be claimed. */
const MIN_IDLE_SLEEP_MS = 20;
/** Time beyond the request timeout that a claim stays leased. */
export const LEASE_MARGIN_MS = 5000;
/**
 * How many rounds of a hook's cap may wait claimed in its ready queue. Deeper queues mean fewer
 * claims (bench throughput) but a longer lease, which is how long a crashed instance's work waits.
 */
const READY_DEPTH = 2;
/** How long finished results wait to be written together. */
const RECORD_BATCH_WAIT_MS = 10;
/**
 * Backpressure: no new request starts while this many results wait to be written. Without it a
 * store slower than the endpoints let unrecorded results pile up in memory (bench backlog: 430 MiB
 * of heap at 200 000 deliveries) and outlive their leases, inviting duplicate sends.
 */
const RESULTS_UNRECORDED_MAX = 2000;
/** Completions written per transaction at most. */
const RECORD_BATCH_MAX = 500;
/**
 * How often the hooks with claimed deliveries waiting in their ready queue are checked for a pause
 * or a disable: those deliveries then go back to pending instead of being sent. One small query at
 * most this often, not one per claim.
 */
const HELD_HOOKS_CHECK_MS = 250;

export type DispatcherState = 'idle' | 'running' | 'stopping' | 'stopped';

/** A claimed delivery with the token of the claim that leased it. */
type Leased = ClaimedDelivery & { leaseToken: string };

export interface DeliveryAttemptEvent {
  deliveryId: string;
  hookId: string;
  /** The event's id (its stored trace context links the attempt's span to the emitting request). */
  eventId: string;
  eventName: string;
  /** When the attempt started (epoch ms). */
  startedAt: number;
  attempt: number;
  outcome: Completion['kind'];
  statusCode: number | undefined;
  durationMs: number;
  error: string | undefined;
}

/** Typed internal events, for metrics and tests. */
export interface DispatcherEvents {
  'delivery:attempt': [DeliveryAttemptEvent];
  'delivery:recorded': [{ count: number }];
}

export interface DispatcherOptions {
  db: Kysely<DB>;
  dialect: Dialect;
  log: Logger;
  sender: Sender;
  /** Most requests in flight in this instance. */
  concurrency: number;
  /** Most requests in flight to one hook in this instance. */
  hookConcurrency: number;
  requestTimeoutMs: number;
  retryScheduleMs: readonly number[];
  /** Least wait after a timeout or a 429. */
  throttledRetryMinMs: number;
  /** A hook failing continuously this long is disabled. */
  autoDisableAfterMs: number;
  /** The `user-agent` of webhook requests (HERALD_WEBHOOK_USER_AGENT); Herald's when absent. */
  userAgent?: string | undefined;
  clock?: () => number;
}

export function createDispatcher(options: DispatcherOptions) {
  const { db, dialect, sender } = options;
  const log = options.log.child({ module: 'dispatcher' });
  const now = options.clock ?? Date.now;
  const instanceId = `${process.pid}-${randomString(8)}`;
  let claimCount = 0;
  // A lease outlives what a claimed delivery can go through here: waiting in its hook's ready queue
  // behind one round of requests, its own attempt, and the record; so a live instance keeps its
  // work. It is also how long a crashed instance's work waits before others take it. Should a
  // record take longer still, the cost is one duplicate request, never a lost delivery.
  const leaseMs = (READY_DEPTH + 1) * options.requestTimeoutMs + LEASE_MARGIN_MS;
  const events = new EventEmitter<DispatcherEvents>();

  let state: DispatcherState = 'idle';
  let loopDone: Promise<void> = Promise.resolve();
  /** Keyed by lease token + delivery id: a re-claim of the same delivery is a separate entry. */
  const inFlight = new Map<string, Promise<void>>();
  /** In-flight requests per hook: the per-hook cap is enforced against this. */
  const inFlightByHook = new Map<string, number>();
  /**
   * Claimed deliveries waiting for a slot of their hook. Claiming ahead of the free slots turns one
   * claim per finished request into one claim per half a cap's worth (bench throughput: ×2.6 on
   * SQLite); a finishing request starts the next one from here with no database round trip.
   */
  const ready = new Map<string, Leased[]>();
  let readyTotal = 0;
  const readyMax = READY_DEPTH * options.hookConcurrency;
  const fullHooks = () => [...ready].filter(([, queue]) => queue.length >= readyMax).map(([id]) => id);
  const shutdown = new AbortController();

  // Wake-up: `woken` survives a notify() that lands while the loop is busy, so no wake is lost.
  let woken = false;
  let wakeSleeper: (() => void) | undefined;
  function notify(): void {
    woken = true;
    wakeSleeper?.();
  }
  function sleep(ms: number): Promise<void> {
    if (woken || state !== 'running') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeSleeper = undefined;
        resolve();
      }
      wakeSleeper = done;
    });
  }

  // Completions are written by one writer, in batches: one transaction for up to RECORD_BATCH_MAX.
  const completions = createBatchWriter<Completion>({
    write: async (batch) => {
      await db
        .transaction()
        .execute((trx) =>
          store.recordCompletions(trx, batch, { autoDisableAfterMs: options.autoDisableAfterMs, dialect }),
        );
      events.emit('delivery:recorded', { count: batch.length });
    },
    maxBatch: RECORD_BATCH_MAX,
    waitMs: () => (state === 'running' ? RECORD_BATCH_WAIT_MS : 0),
    retryDelayMs: CLAIM_ERROR_BACKOFF_MS,
    // Room to send again (see RESULTS_UNRECORDED_MAX).
    onWritten: () => pump(),
    // The rows stay leased; if this instance dies first, the lease expires and the delivery is
    // attempted again (at-least-once).
    onFailure: (error, count) =>
      log.error({ err: coerceError(error), count }, 'could not record delivery results; retrying'),
  });
  const queueCompletion = (completion: Completion) => completions.push(completion);

  const outcomeOf = (delivery: Leased, result: SendResult, attempt: number, startedAt: number): Completion =>
    completionOf(delivery, result, attempt, startedAt, now(), options);

  async function deliver(delivery: Leased): Promise<void> {
    const attempt = delivery.attempts + 1;
    const startedAt = now();
    const outgoing = prepareRequest({
      url: delivery.url,
      body: deliveryBody(delivery.payload, delivery.hookId),
      signingKey: delivery.signingKey,
      previousSigningKey: delivery.previousSigningKey,
      webhookId: delivery.id,
      timestampSeconds: Math.floor(startedAt / 1000),
      customHeaders: delivery.customHeaders,
      userAgent: options.userAgent,
    });
    const result = await sender.send(outgoing, options.requestTimeoutMs, shutdown.signal);
    if (!result.ok && shutdown.signal.aborted && !result.timedOut) {
      queueCompletion({
        kind: 'released',
        id: delivery.id,
        hookId: delivery.hookId,
        leaseToken: delivery.leaseToken,
        at: now(),
      });
      return;
    }
    const completion = outcomeOf(delivery, result, attempt, startedAt);
    queueCompletion(completion);
    const entry: DeliveryAttemptEvent = {
      deliveryId: delivery.id,
      hookId: delivery.hookId,
      eventId: delivery.eventId,
      eventName: delivery.eventName,
      startedAt,
      attempt,
      outcome: completion.kind,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      error: result.error,
    };
    log[completion.kind === 'delivered' ? 'debug' : 'info'](
      {
        hookId: delivery.hookId,
        deliveryId: delivery.id,
        attempt,
        outcome: completion.kind,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error: result.error,
      },
      'delivery attempt',
    );
    events.emit('delivery:attempt', entry);
  }

  function startDelivery(delivery: Leased): void {
    const key = `${delivery.leaseToken}/${delivery.id}`;
    track(delivery.hookId, 1);
    const promise = deliver(delivery)
      .catch((error: unknown) => log.error({ err: coerceError(error), deliveryId: delivery.id }, 'delivery crashed'))
      .finally(() => {
        inFlight.delete(key);
        track(delivery.hookId, -1);
        pump([delivery.hookId]);
        // Refill when the hook's ready queue runs low, not after every request.
        if ((ready.get(delivery.hookId)?.length ?? 0) <= readyMax / 2) notify();
      });
    inFlight.set(key, promise);
  }

  function enqueueReady(delivery: Leased): void {
    const queue = ready.get(delivery.hookId);
    if (queue) queue.push(delivery);
    else ready.set(delivery.hookId, [delivery]);
    readyTotal++;
  }

  /** Starts ready deliveries while their hook and the instance have free slots. */
  function pump(hookIds: Iterable<string> = [...ready.keys()]): void {
    if (state !== 'running') return;
    for (const hookId of hookIds) {
      const queue = ready.get(hookId);
      while (
        queue?.length &&
        (inFlightByHook.get(hookId) ?? 0) < options.hookConcurrency &&
        inFlight.size < options.concurrency &&
        completions.size < RESULTS_UNRECORDED_MAX
      ) {
        startDelivery(queue.shift() as Leased);
        readyTotal--;
      }
      if (queue?.length === 0) ready.delete(hookId);
    }
  }

  /** Hands every ready (claimed, not started) delivery back to the queue. */
  function releaseReady(): void {
    for (const queue of ready.values()) {
      for (const d of queue)
        queueCompletion({ kind: 'released', id: d.id, hookId: d.hookId, leaseToken: d.leaseToken, at: now() });
    }
    ready.clear();
    readyTotal = 0;
  }

  function track(hookId: string, change: 1 | -1): void {
    const next = (inFlightByHook.get(hookId) ?? 0) + change;
    if (next > 0) inFlightByHook.set(hookId, next);
    else inFlightByHook.delete(hookId);
  }

  let heldHooksTimer: NodeJS.Timeout | undefined;
  let heldHooksCheckedAt = 0;
  let checkingHeldHooks = false;
  /**
   * Hands back the ready deliveries of hooks paused or disabled since they were claimed, so that
   * after a pause only the requests already in flight finish. Runs on a timer (HELD_HOOKS_CHECK_MS)
   * while deliveries wait in ready queues, and at the loop's turns, at most once per period.
   */
  async function releaseHeldHooks(): Promise<void> {
    if (checkingHeldHooks || ready.size === 0 || now() - heldHooksCheckedAt < HELD_HOOKS_CHECK_MS) return;
    heldHooksCheckedAt = now();
    checkingHeldHooks = true;
    let held: string[];
    try {
      held = await store.heldHookIds(db, dialect, [...ready.keys()]);
    } catch (error) {
      log.warn({ err: coerceError(error) }, 'could not check hooks for a pause');
      return;
    } finally {
      checkingHeldHooks = false;
    }
    if (state !== 'running') return;
    for (const hookId of held) {
      const queue = ready.get(hookId);
      if (!queue) continue;
      for (const d of queue)
        queueCompletion({ kind: 'released', id: d.id, hookId: d.hookId, leaseToken: d.leaseToken, at: now() });
      readyTotal -= queue.length;
      ready.delete(hookId);
    }
  }

  async function loop(): Promise<void> {
    while (state === 'running') {
      woken = false;
      await releaseHeldHooks();
      // Up to twice the slots may be leased: those in flight, and those ready to start.
      const room = 2 * options.concurrency - inFlight.size - readyTotal;
      let claimedCount = 0;
      if (room > 0) {
        const leaseToken = `${instanceId}.${++claimCount}`;
        let claimed: Leased[];
        try {
          const rows = await claimDue(db, dialect, {
            now: now(),
            limit: room,
            perHook: readyMax,
            excludeHookIds: fullHooks(),
            leaseMs,
            leaseToken,
          });
          claimed = rows.map((d) => Object.assign(d, { leaseToken }));
        } catch (error) {
          log.error({ err: coerceError(error) }, 'could not claim deliveries; retrying');
          await sleep(CLAIM_ERROR_BACKOFF_MS);
          continue;
        }
        for (const delivery of claimed) enqueueReady(delivery);
        if (state !== 'running') break;
        pump(new Set(claimed.map((d) => d.hookId)));
        claimedCount = claimed.length;
        if (claimedCount === room) continue;
      }
      let wait = POLL_INTERVAL_MS;
      try {
        const due = await store.findNextDueAt(db, dialect, fullHooks());
        if (due !== undefined) wait = Math.min(wait, Math.max(0, due - now()));
      } catch (error) {
        log.warn({ err: coerceError(error) }, 'could not read the next due time');
      }
      // Due rows this claim did not get are locked by another instance's claim for a moment: do not
      // spin. (Hooks with a full ready queue are left out of `due`; their requests wake the loop.)
      if (claimedCount === 0) wait = Math.max(wait, MIN_IDLE_SLEEP_MS);
      if (wait > 0) await sleep(wait);
    }
    releaseReady();
  }

  return {
    events,
    instanceId,
    get state(): DispatcherState {
      return state;
    },
    get inFlight(): number {
      return inFlight.size;
    },
    /** Results sent but not yet written to the store. */
    get unrecorded(): number {
      return completions.size;
    },
    /** Starts the loop. On SQLite (one instance per file) work left `delivering` by a crash is due at once. */
    async start(): Promise<void> {
      if (state !== 'idle') return;
      if (dialect === 'sqlite') await store.updateDeliveringToPending(db, now());
      state = 'running';
      heldHooksTimer = setInterval(() => void releaseHeldHooks(), HELD_HOOKS_CHECK_MS);
      heldHooksTimer.unref();
      loopDone = loop().catch((error: unknown) => log.fatal({ err: coerceError(error) }, 'dispatcher loop died'));
      log.info({ instanceId, concurrency: options.concurrency }, 'dispatcher started');
    },
    /** Something was committed: look for due work now. */
    notify,
    /**
     * Stops claiming; waits up to `drainMs` for in-flight requests, aborts the rest (released back to
     * pending, no attempt counted), and writes every result before resolving.
     */
    async stop(drainMs = 5000): Promise<void> {
      if (state === 'idle') state = 'stopped';
      if (state !== 'running') return;
      state = 'stopping';
      clearInterval(heldHooksTimer);
      wakeSleeper?.();
      await loopDone;
      releaseReady();
      const all = Promise.all(inFlight.values());
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise((r) => (timer = setTimeout(r, drainMs)))]);
      clearTimeout(timer);
      if (inFlight.size > 0) {
        log.info({ count: inFlight.size }, 'aborting in-flight deliveries for shutdown; they stay pending');
        shutdown.abort();
        await all;
      }
      // Write what is left, but not forever: with the database gone, give up after the drain budget;
      // the leases expire and those deliveries are attempted again (at-least-once).
      await completions.drain(drainMs);
      if (completions.size > 0)
        log.warn(
          { count: completions.size },
          'stopped with delivery results unrecorded; they will be retried after their lease',
        );
      state = 'stopped';
      log.info('dispatcher stopped');
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
