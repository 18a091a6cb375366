/**
 * `herald listen`'s delivery side: the deliveries of a listener hook (hooks.listener) are claimed
 * by the stream its CLI holds open (GET /api/listeners/:id/stream), not by the dispatcher, sent to
 * the CLI signed as the dispatcher would sign them, and recorded as attempts when the CLI reports
 * what its local endpoint answered (POST /api/listeners/:id/results).
 *
 * Nothing is lost when the CLI goes away: a delivery is leased while it is out at the CLI, exactly
 * as the dispatcher leases one; when the stream closes, the deliveries it had out are released
 * (pending, due now, no attempt counted), and should this instance die first their leases expire.
 * Deliveries made while no CLI is connected wait as pending, as for any hook whose endpoint is down.
 * One stream per hook: a new one (the CLI restarted) replaces the old, whose work is released.
 *
 * A result is recorded only while its lease holds (store.recordCompletions), so a late or repeated
 * report changes nothing; any instance may record it (the lease token travels with it).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB, Dialect } from '../db/types.ts';
import { coerceError } from '../http/errors.ts';
import { deliveryBody } from '../events/payloads.ts';
import { prepareRequest, RESPONSE_BODY_MAX_BYTES, storableText, type SendResult } from '../outbound/sender.ts';
import { randomString } from '../util/id.ts';
import { claimDue } from './claim.ts';
import { completionOf, type AttemptPolicy } from './outcome.ts';
import * as store from './store.ts';

/** Deliveries a stream has out at its CLI at once (as a hook's default HERALD_HOOK_CONCURRENCY). */
export const LISTENER_IN_FLIGHT = 16;
/** A stream looks for due work this often when nothing wakes it (another instance's commits). */
const LISTENER_POLL_MS = 500;
/** Time beyond the request timeout that a delivery out at the CLI stays leased. */
const LISTENER_LEASE_MARGIN_MS = 10_000;

/** One delivery as the stream sends it: what to POST to the local endpoint, and what to report back. */
export interface ListenerDelivery {
  deliveryId: string;
  /** Echoed in the result: only the claim that sent the delivery may record it. */
  leaseToken: string;
  /** This attempt's number (1 for the first). */
  attempt: number;
  event: string;
  hookId: string;
  /** The local endpoint the CLI forwards to (the hook's URL). */
  url: string;
  /** The request's headers, signed: content-type, user-agent, the hook's own, the signatures. */
  headers: Record<string, string>;
  /** The exact body that was signed. */
  body: string;
}

/** What the local endpoint answered, as the CLI reports it. */
export interface ListenerResult {
  deliveryId: string;
  leaseToken: string;
  attempt: number;
  statusCode?: number | undefined;
  durationMs: number;
  responseBody?: string | undefined;
  responseHeaders?: Record<string, string> | undefined;
  /** Set when no answer came (connection refused, timeout…). */
  error?: string | undefined;
}

interface Stream {
  hookId: string;
  send(delivery: ListenerDelivery): void;
  /** Deliveries out at the CLI, by id: the lease token and when the lease ends. */
  out: Map<string, { leaseToken: string; until: number }>;
  closed: boolean;
  wake?: (() => void) | undefined;
  woken: boolean;
}

export interface ListenerStreamOptions extends AttemptPolicy {
  db: Kysely<DB>;
  dialect: Dialect;
  log: Logger;
  requestTimeoutMs: number;
  autoDisableAfterMs: number;
  userAgent?: string | undefined;
  clock?: () => number;
}

export function createListenerStreams(options: ListenerStreamOptions) {
  const { db, dialect } = options;
  const log = options.log.child({ module: 'listen' });
  const now = options.clock ?? Date.now;
  const instanceId = `${process.pid}-${randomString(8)}`;
  const leaseMs = options.requestTimeoutMs + LISTENER_LEASE_MARGIN_MS;
  const streams = new Map<string, Stream>();
  let claims = 0;

  function wake(stream: Stream): void {
    stream.woken = true;
    stream.wake?.();
  }

  function pause(stream: Stream, ms: number): Promise<void> {
    if (stream.woken || stream.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stream.wake = undefined;
        resolve();
      }
      stream.wake = done;
    });
  }

  async function run(stream: Stream): Promise<void> {
    while (!stream.closed) {
      stream.woken = false;
      // A delivery whose answer never came (the CLI stalled without closing) is due again once its
      // lease ends, and is claimed anew: stop counting it as out.
      for (const [id, lease] of stream.out) if (lease.until <= now()) stream.out.delete(id);
      const room = LISTENER_IN_FLIGHT - stream.out.size;
      let claimed = 0;
      if (room > 0) {
        const leaseToken = `${instanceId}.listen.${++claims}`;
        try {
          const startedAt = now();
          const rows = await claimDue(db, dialect, {
            now: startedAt,
            limit: room,
            perHook: room,
            excludeHookIds: [],
            leaseMs,
            leaseToken,
            listenerHookId: stream.hookId,
          });
          claimed = rows.length;
          for (const d of rows) {
            if (stream.closed) {
              await release(stream.hookId, [[d.id, leaseToken]]);
              continue;
            }
            const request = prepareRequest({
              url: d.url,
              body: deliveryBody(d.payload, d.hookId),
              signingKey: d.signingKey,
              previousSigningKey: d.previousSigningKey,
              webhookId: d.id,
              timestampSeconds: Math.floor(startedAt / 1000),
              customHeaders: d.customHeaders,
              userAgent: options.userAgent,
            });
            stream.out.set(d.id, { leaseToken, until: startedAt + leaseMs });
            stream.send({
              deliveryId: d.id,
              leaseToken,
              attempt: d.attempts + 1,
              event: d.eventName,
              hookId: d.hookId,
              url: request.url,
              headers: request.headers,
              body: request.body,
            });
          }
        } catch (error) {
          log.warn({ err: coerceError(error), hookId: stream.hookId }, 'could not claim deliveries for a listener');
        }
      }
      if (claimed < room || room <= 0) await pause(stream, LISTENER_POLL_MS);
    }
  }

  /** Hands deliveries back (pending, due now), no attempt counted: for a stream that closed. */
  async function release(hookId: string, leases: Iterable<[string, string]>): Promise<void> {
    const at = now();
    const completions = [...leases].map(([id, leaseToken]) => ({
      kind: 'released' as const,
      id,
      hookId,
      leaseToken,
      at,
    }));
    if (completions.length === 0) return;
    try {
      await db
        .transaction()
        .execute((trx) =>
          store.recordCompletions(trx, completions, { autoDisableAfterMs: options.autoDisableAfterMs, dialect }),
        );
    } catch (error) {
      // Their leases expire instead, and they are due again then.
      log.warn({ err: coerceError(error), hookId, count: completions.length }, 'could not release listener deliveries');
    }
  }

  function close(stream: Stream): Promise<void> {
    if (stream.closed) return Promise.resolve();
    stream.closed = true;
    stream.wake?.();
    if (streams.get(stream.hookId) === stream) streams.delete(stream.hookId);
    const leases = [...stream.out].map(([id, lease]): [string, string] => [id, lease.leaseToken]);
    stream.out.clear();
    return release(stream.hookId, leases);
  }

  return {
    /**
     * Starts streaming `hookId`'s due deliveries to `send`, replacing (and closing) a stream this
     * instance already had for the hook. Answers the function that ends it (the connection closed).
     */
    open(hookId: string, send: (delivery: ListenerDelivery) => void): () => Promise<void> {
      const previous = streams.get(hookId);
      const stream: Stream = { hookId, send, out: new Map(), closed: false, woken: false };
      streams.set(hookId, stream);
      void (async () => {
        if (previous) await close(previous);
        await run(stream);
      })().catch((error: unknown) =>
        log.error({ err: coerceError(error), hookId }, 'listener stream stopped unexpectedly'),
      );
      return () => close(stream);
    },

    /**
     * Records what the CLI's local endpoint answered as the attempt. Answers false when the lease no
     * longer holds (the stream closed and the delivery was released, or it was reclaimed).
     */
    async report(hookId: string, result: ListenerResult): Promise<boolean> {
      const statusCode = result.statusCode;
      const ok = result.error === undefined && statusCode !== undefined && statusCode >= 200 && statusCode < 300;
      const body = result.responseBody === undefined ? undefined : storableText(result.responseBody);
      const send: SendResult = {
        ok,
        durationMs: Math.max(0, Math.round(result.durationMs)),
        ...(statusCode === undefined ? {} : { statusCode }),
        ...(result.responseHeaders ? { responseHeaders: result.responseHeaders } : {}),
        ...(body === undefined ? {} : { responseBody: body.slice(0, RESPONSE_BODY_MAX_BYTES) }),
        ...(ok
          ? {}
          : { error: storableText(result.error ?? `endpoint answered ${statusCode ?? 'nothing'}`).slice(0, 2000) }),
      };
      const at = now();
      const completion = completionOf(
        { id: result.deliveryId, hookId, leaseToken: result.leaseToken },
        send,
        result.attempt,
        at - send.durationMs,
        at,
        options,
      );
      const recorded = await db.transaction().execute(async (trx) => {
        await store.recordCompletions(trx, [completion], { autoDisableAfterMs: options.autoDisableAfterMs, dialect });
        return store.attemptRecorded(trx, completion.attempt.id);
      });
      const stream = streams.get(hookId);
      if (stream?.out.get(result.deliveryId)?.leaseToken === result.leaseToken) {
        stream.out.delete(result.deliveryId);
        wake(stream);
      }
      return recorded;
    },

    /** Something was committed: streams look for due work now. */
    notify(): void {
      for (const stream of streams.values()) wake(stream);
    },

    /** Whether a stream for `hookId` is open in this instance. */
    connected: (hookId: string): boolean => streams.has(hookId),

    /** Closes every stream (shutdown), releasing what they had out. */
    async closeAll(): Promise<void> {
      await Promise.all([...streams.values()].map(close));
    },
  };
}

export type ListenerStreams = ReturnType<typeof createListenerStreams>;
