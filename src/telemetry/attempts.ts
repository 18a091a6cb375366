/**
 * The dispatcher's attempt spans (tracing on only): finished attempts are gathered for a moment and
 * their events' stored traceparents read in one bounded query per batch (by primary key), so each
 * attempt's span links to the span that emitted its event.
 */
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/types.ts';
import type { DeliveryAttemptEvent } from '../delivery/dispatcher.ts';
import type { Tracing } from './hub.ts';

const BATCH_MAX = 200;
const BATCH_WAIT_MS = 50;

export function createAttemptTracer(deps: { db: Kysely<DB>; tracing: Tracing; log: Logger }) {
  let pending: DeliveryAttemptEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function write(batch: DeliveryAttemptEvent[]): Promise<void> {
    const parents = new Map<string, string>();
    const ids = [...new Set(batch.map((e) => e.eventId))];
    try {
      const { rows } = await sql<{ id: string; trace_parent: string | null }>`
        select id, trace_parent from events where id in (${sql.join(ids)})`.execute(deps.db);
      for (const row of rows) if (row.trace_parent) parents.set(row.id, row.trace_parent);
    } catch (err) {
      deps.log.warn({ err, module: 'tracing' }, 'could not read the trace context of events; spans go unlinked');
    }
    for (const e of batch) {
      deps.tracing.attempt({
        hookId: e.hookId,
        deliveryId: e.deliveryId,
        eventName: e.eventName,
        attempt: e.attempt,
        outcome: e.outcome,
        statusCode: e.statusCode,
        error: e.error,
        startedAt: e.startedAt,
        durationMs: e.durationMs,
        traceparent: parents.get(e.eventId),
      });
    }
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length > 0) flushing = flushing.then(() => write(batch));
    return flushing;
  }

  return {
    record(e: DeliveryAttemptEvent): void {
      if (e.outcome === 'released') return;
      pending.push(e);
      if (pending.length >= BATCH_MAX) void flush();
      else timer ??= setTimeout(() => void flush(), BATCH_WAIT_MS);
    },
    /** Writes the spans of what is gathered (the tracing's owner shuts it down). */
    flush,
  };
}
