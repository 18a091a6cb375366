/**
 * The outbox: the one way events enter delivery. Every event source (the Management API's
 * mutations, the Experience API, bulk imports) calls emit() inside its own transaction; the outbox
 * stores the event and one pending delivery per hook that is enabled and subscribed at that moment,
 * all in the caller's transaction, so a rolled-back change leaves no event and no delivery. When the
 * transaction commits, the dispatcher wakes (wakeOnCommit): this instance's directly, and on
 * PostgreSQL every instance's through NOTIFY, which PostgreSQL sends only if the transaction
 * commits. Replay (re-queueing deliveries) wakes the dispatcher the same way.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { inBatches } from '../db/batches.ts';
import type { DB, DeliveriesTable, Dialect, EventsTable } from '../db/types.ts';
import type { Tx } from '../db/tx.ts';
import { catalogEntry, isHookEvent, type HookEvent } from '../events/catalog.ts';
import { generateId } from '../util/id.ts';

/** The PostgreSQL channel whose notifications wake every instance's dispatcher. */
export const DELIVERY_WAKE_CHANNEL = 'herald_deliveries';

/** Rows per delivery INSERT: PostgreSQL takes at most 65 535 parameters, and a delivery row has 14. */
const DELIVERY_INSERT_CHUNK = 2000;

type Executor = Kysely<DB> | Transaction<DB>;

export interface EmitInput {
  event: HookEvent;
  /** The payload without `event`, `createdAt` and `hookId`, which emit() and each delivery add. */
  context: Record<string, unknown>;
}

export interface EmitResult {
  eventId: string;
  deliveryIds: string[];
}

/**
 * Ids of the enabled hooks subscribed to `event`: listed in `events`, or, when `events` is empty,
 * named by the legacy `event` column (Logto's rule). `events` is JSON text in both dialects, so the
 * match is made here; a deployment has tens of hooks, not thousands.
 */
export async function listHooksSubscribedTo(db: Executor, event: string, dialect: Dialect): Promise<string[]> {
  const query = db.selectFrom('hooks').select(['id', 'event', 'events']).where('enabled', '=', true);
  // On PostgreSQL a hook deleted between this read and the delivery insert would fail the caller's
  // whole transaction on the foreign key: KEY SHARE makes the delete wait for it instead (and then
  // cascade to the new deliveries). SQLite serialises writers, so it needs no lock.
  const rows = await (dialect === 'postgres' ? query.forKeyShare() : query).execute();
  return rows
    .filter((r) => {
      const events = JSON.parse(r.events) as string[];
      return events.length > 0 ? events.includes(event) : r.event === event;
    })
    .map((r) => r.id);
}

/**
 * Wakes the dispatcher when `tx` commits (never if it rolls back): on PostgreSQL a NOTIFY queued in
 * the transaction wakes every instance, idle ones within milliseconds; `wake` wakes this one.
 */
export async function wakeOnCommit(tx: Tx, dialect: Dialect, wake: () => void): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_notify(${DELIVERY_WAKE_CHANNEL}, '')`.execute(tx.db);
  tx.afterCommit(wake);
}

const deliveryRow = (hookId: string, eventId: string, event: HookEvent, at: number): DeliveriesTable => ({
  id: generateId(),
  hook_id: hookId,
  event_id: eventId,
  event_name: event,
  status: 'pending',
  attempts: 0,
  next_attempt_at: at,
  lease_until: null,
  leased_by: null,
  last_status_code: null,
  last_error: null,
  created_at: at,
  updated_at: at,
  completed_at: null,
});

/**
 * Logto's key order: `{event, createdAt, ...context}`, except that interaction events (PostSignIn…)
 * put `interactionEvent` before `createdAt`.
 */
function payloadOf(event: string, createdAt: string, context: Record<string, unknown>): Record<string, unknown> {
  if (isHookEvent(event) && catalogEntry(event).category === 'interaction' && 'interactionEvent' in context) {
    const { interactionEvent, ...rest } = context;
    return { event, interactionEvent, createdAt, ...rest };
  }
  return { event, createdAt, ...context };
}

/** The context cannot replace the fields emit() and delivery own. */
function withoutReserved(context: Record<string, unknown>): Record<string, unknown> {
  const { event: _event, createdAt: _createdAt, hookId: _hookId, ...rest } = context;
  return rest;
}

export function createEmitter(deps: { dialect: Dialect; wake: () => void; clock?: () => number }) {
  const now = deps.clock ?? Date.now;

  /**
   * Several events in one go, in the caller's transaction: one multi-row insert for the events and
   * one for their deliveries, and the subscribed hooks read once per event name. Same result as
   * calling emit() for each, in far fewer round trips (bulk imports, backlogs).
   */
  async function emitMany(tx: Tx, inputs: readonly EmitInput[]): Promise<EmitResult[]> {
    if (inputs.length === 0) return [];
    const at = now();
    const createdAt = new Date(at).toISOString();
    const events: EventsTable[] = inputs.map((input) => ({
      id: generateId(),
      name: input.event,
      payload: JSON.stringify(payloadOf(input.event, createdAt, withoutReserved(input.context))),
      created_at: at,
    }));
    await inBatches(events, (batch) => tx.db.insertInto('events').values(batch).execute());
    const hooksByEvent = new Map<string, string[]>();
    for (const name of new Set(inputs.map((i) => i.event)))
      hooksByEvent.set(name, await listHooksSubscribedTo(tx.db, name, deps.dialect));
    const results: EmitResult[] = [];
    const rows: DeliveriesTable[] = [];
    inputs.forEach((input, i) => {
      const eventId = events[i]!.id;
      const own = (hooksByEvent.get(input.event) ?? []).map((hookId) => deliveryRow(hookId, eventId, input.event, at));
      rows.push(...own);
      results.push({ eventId, deliveryIds: own.map((r) => r.id) });
    });
    if (rows.length > 0) {
      for (let i = 0; i < rows.length; i += DELIVERY_INSERT_CHUNK)
        await tx.db
          .insertInto('deliveries')
          .values(rows.slice(i, i + DELIVERY_INSERT_CHUNK))
          .execute();
      await wakeOnCommit(tx, deps.dialect, deps.wake);
    }
    return results;
  }

  return {
    async emit(tx: Tx, input: EmitInput): Promise<EmitResult> {
      return (await emitMany(tx, [input]))[0] as EmitResult;
    },
    emitMany,
  };
}

export type Emitter = ReturnType<typeof createEmitter>;
