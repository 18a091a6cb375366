/**
 * The outbox: the one way events enter delivery. Every event source (the Management API's
 * mutations, the Experience API, bulk imports) calls emit() inside its own transaction; the outbox
 * stores the event and one pending delivery per hook that is enabled and subscribed at that moment,
 * all in the caller's transaction, so a rolled-back change leaves no event and no delivery. When the
 * transaction commits, the dispatcher wakes (wakeOnCommit): this instance's directly, and on
 * PostgreSQL every instance's through NOTIFY, which PostgreSQL sends only if the transaction
 * commits. Replay (re-queueing deliveries) wakes the dispatcher the same way.
 */
import { sql } from 'kysely';
import { jsonRowColumns, rowsParameters, runRaw, type Executor } from '../db/query.ts';
import type { Dialect, EventsTable } from '../db/types.ts';
import type { Tx } from '../db/tx.ts';
import { catalogEntry, isHookEvent, type HookEvent } from '../events/catalog.ts';
import { generateRecordId } from '../util/id.ts';
import type { Tracing } from '../telemetry/hub.ts';

/** The PostgreSQL channel whose notifications wake every instance's dispatcher. */
export const DELIVERY_WAKE_CHANNEL = 'herald_deliveries';

export interface EmitInput {
  event: HookEvent;
  /** The payload without `event`, `createdAt` and `hookId`, which emit() and each delivery add. */
  context: Record<string, unknown>;
}

export interface EmitResult {
  eventId: string;
  deliveryIds: string[];
}

type HookRow = { id: string; event: string | null; events: string };

/**
 * Ids of the enabled hooks (`hooks`) subscribed to `event`: listed in `events`, or, when `events` is
 * empty, named by the legacy `event` column (Logto's rule). `events` is JSON text in both dialects,
 * so the match is made here; a deployment has tens of hooks, not thousands.
 */
function subscribedTo(hooks: readonly HookRow[], event: string): string[] {
  return hooks
    .filter((r) => {
      const events = JSON.parse(r.events) as string[];
      return events.length > 0 ? events.includes(event) : r.event === event;
    })
    .map((r) => r.id);
}

/*
 * emit()'s statements, as constant SQL text (no query-builder compilation on every sign-up) with
 * the rows as one parameter each (arrays on PostgreSQL, a JSON array on SQLite): one statement for
 * any number of rows. On PostgreSQL, where each statement is a round trip inside the caller's
 * transaction, the events' insert rides with the hooks' read and the NOTIFY with the deliveries'
 * insert: two round trips an emit instead of four (a sign-up went from ten to eight).
 */
const HOOKS_SQL = 'select id, event, events from hooks where enabled';
const EVENT_COLUMNS = 'id, name, payload, created_at';
/** With OpenTelemetry on, events also store the emitting span's traceparent (migration 0028). */
const TRACED_EVENT_COLUMNS = `${EVENT_COLUMNS}, trace_parent`;
const DELIVERY_COLUMNS = 'id, hook_id, event_id, event_name, status, attempts, next_attempt_at, created_at, updated_at';
const EMIT_SQL = {
  sqlite: {
    events: `insert into events (${EVENT_COLUMNS}) select ${jsonRowColumns(4)} from json_each(?)`,
    tracedEvents: `insert into events (${TRACED_EVENT_COLUMNS}) select ${jsonRowColumns(5)} from json_each(?)`,
    hooks: HOOKS_SQL,
    deliveries: `insert into deliveries (${DELIVERY_COLUMNS})
      select ${jsonRowColumns(4)}, 'pending', 0, ?1, ?1, ?1 from json_each(?2)`,
  },
  postgres: {
    // Data-modifying statements in WITH run to completion whether or not the query reads them. On
    // PostgreSQL a hook deleted between this read and the delivery insert would fail the caller's
    // whole transaction on the foreign key: KEY SHARE makes the delete wait for it instead (and then
    // cascade to the new deliveries). SQLite serialises writers, so it needs no lock.
    eventsAndHooks: `with inserted as (
        insert into events (${EVENT_COLUMNS}) select * from unnest($1::varchar[], $2::varchar[], $3::text[], $4::int8[])
      ) ${HOOKS_SQL} for key share`,
    tracedEventsAndHooks: `with inserted as (
        insert into events (${TRACED_EVENT_COLUMNS})
        select * from unnest($1::varchar[], $2::varchar[], $3::text[], $4::int8[], $5::text[])
      ) ${HOOKS_SQL} for key share`,
    deliveriesAndWake: `with inserted as (
        insert into deliveries (${DELIVERY_COLUMNS})
        select id, hook_id, event_id, event_name, 'pending', 0, $5, $5, $5
          from unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[]) as t(id, hook_id, event_id, event_name)
      ) select pg_notify('${DELIVERY_WAKE_CHANNEL}', '')`,
  },
};

/** Stores the events and answers the enabled hooks (locked for key share on PostgreSQL). */
async function insertEventsReadHooks(
  db: Executor,
  dialect: Dialect,
  events: readonly EventsTable[],
  traceparent: string | undefined,
) {
  const values =
    traceparent === undefined
      ? rowsParameters(
          dialect,
          events.map((e) => [e.id, e.name, e.payload, e.created_at]),
          4,
        )
      : rowsParameters(
          dialect,
          events.map((e) => [e.id, e.name, e.payload, e.created_at, traceparent]),
          5,
        );
  if (dialect === 'postgres') {
    const text = traceparent === undefined ? EMIT_SQL.postgres.eventsAndHooks : EMIT_SQL.postgres.tracedEventsAndHooks;
    return (await runRaw<HookRow>(db, text, values)).rows;
  }
  await runRaw(db, traceparent === undefined ? EMIT_SQL.sqlite.events : EMIT_SQL.sqlite.tracedEvents, values);
  return (await runRaw<HookRow>(db, EMIT_SQL.sqlite.hooks, [])).rows;
}

interface NewDelivery {
  id: string;
  hookId: string;
  eventId: string;
  event: HookEvent;
}

/** Stores the deliveries, pending and due at `at`; on PostgreSQL with the NOTIFY that wakes every instance at commit. */
async function insertDeliveries(db: Executor, dialect: Dialect, rows: readonly NewDelivery[], at: number) {
  const values = rowsParameters(
    dialect,
    rows.map((r) => [r.id, r.hookId, r.eventId, r.event]),
    4,
  );
  if (dialect === 'postgres') await runRaw(db, EMIT_SQL.postgres.deliveriesAndWake, [...values, at]);
  else await runRaw(db, EMIT_SQL.sqlite.deliveries, [at, ...values]);
}

/**
 * Wakes the dispatcher when `tx` commits (never if it rolls back): on PostgreSQL a NOTIFY queued in
 * the transaction wakes every instance, idle ones within milliseconds; `wake` wakes this one.
 */
export async function wakeOnCommit(tx: Tx, dialect: Dialect, wake: () => void): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_notify(${DELIVERY_WAKE_CHANNEL}, '')`.execute(tx.db);
  tx.afterCommit(wake);
}

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

export function createEmitter(deps: {
  dialect: Dialect;
  wake: () => void;
  clock?: () => number;
  /** OpenTelemetry, when on: each emit is a span, and its events store the span's traceparent. */
  tracing?: Tracing | undefined;
}) {
  const now = deps.clock ?? Date.now;

  /**
   * Several events in one go, in the caller's transaction: one multi-row insert for the events and
   * one for their deliveries, and the subscribed hooks read once per event name. Same result as
   * calling emit() for each, in far fewer round trips (bulk imports, backlogs).
   */
  async function emitMany(tx: Tx, inputs: readonly EmitInput[]): Promise<EmitResult[]> {
    if (inputs.length === 0) return [];
    const tracing = deps.tracing;
    if (!tracing) return store(tx, inputs, undefined);
    return tracing.emit(
      inputs.map((i) => i.event),
      async (traceparent) => {
        const result = await store(tx, inputs, traceparent);
        return { result, deliveries: result.reduce((n, r) => n + r.deliveryIds.length, 0) };
      },
    );
  }

  async function store(tx: Tx, inputs: readonly EmitInput[], traceparent: string | undefined): Promise<EmitResult[]> {
    const at = now();
    const createdAt = new Date(at).toISOString();
    const events: EventsTable[] = inputs.map((input) => ({
      id: generateRecordId(at),
      name: input.event,
      payload: JSON.stringify(payloadOf(input.event, createdAt, withoutReserved(input.context))),
      created_at: at,
    }));
    const hooks = await insertEventsReadHooks(tx.db, deps.dialect, events, traceparent);
    const hooksByEvent = new Map<string, string[]>();
    for (const name of new Set(inputs.map((i) => i.event))) hooksByEvent.set(name, subscribedTo(hooks, name));
    const results: EmitResult[] = [];
    const rows: NewDelivery[] = [];
    inputs.forEach((input, i) => {
      const eventId = events[i]!.id;
      const own = (hooksByEvent.get(input.event) ?? []).map((hookId) => ({
        id: generateRecordId(at),
        hookId,
        eventId,
        event: input.event,
      }));
      rows.push(...own);
      results.push({ eventId, deliveryIds: own.map((r) => r.id) });
    });
    if (rows.length > 0) {
      await insertDeliveries(tx.db, deps.dialect, rows, at);
      // The NOTIFY for other instances went with the insert (PostgreSQL); this instance wakes at commit.
      tx.afterCommit(deps.wake);
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
