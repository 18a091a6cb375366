/**
 * emit(): the one function every event source calls, inside its own transaction. It stores the
 * event and one delivery per hook that is enabled and subscribed at that moment, all in the caller's
 * transaction: a rolled-back change leaves no event and no delivery. After commit it wakes the
 * dispatcher (on PostgreSQL, every instance's, through NOTIFY).
 */
import type { Dialect } from '../db/types.ts';
import type { Tx } from '../db/tx.ts';
import { insertDeliveries } from '../delivery/index.ts';
import { listHooksSubscribedTo } from '../hooks/index.ts';
import { generateId } from '../util/id.ts';
import { catalogEntry, isHookEvent, type HookEvent } from './catalog.ts';
import { insertEvents } from './store.ts';

export interface EmitInput {
  event: HookEvent;
  /** The payload without `event`, `createdAt` and `hookId`, which emit() and each delivery add. */
  context: Record<string, unknown>;
}

export interface EmitResult {
  eventId: string;
  deliveryIds: string[];
}

const deliveryRow = (hookId: string, eventId: string, event: HookEvent, at: number) => ({
  id: generateId(),
  hook_id: hookId,
  event_id: eventId,
  event_name: event,
  status: 'pending' as const,
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
    const events = inputs.map((input) => ({
      id: generateId(),
      name: input.event,
      payload: JSON.stringify(payloadOf(input.event, createdAt, withoutReserved(input.context))),
      created_at: at,
    }));
    await insertEvents(tx.db, events);
    const hooksByEvent = new Map<string, string[]>();
    for (const name of new Set(inputs.map((i) => i.event))) hooksByEvent.set(name, await listHooksSubscribedTo(tx.db, name, deps.dialect));
    const results: EmitResult[] = [];
    const rows: ReturnType<typeof deliveryRow>[] = [];
    inputs.forEach((input, i) => {
      const eventId = events[i]!.id;
      const own = (hooksByEvent.get(input.event) ?? []).map((hookId) => deliveryRow(hookId, eventId, input.event, at));
      rows.push(...own);
      results.push({ eventId, deliveryIds: own.map((r) => r.id) });
    });
    await insertDeliveries(tx.db, deps.dialect, rows);
    if (rows.length > 0) tx.afterCommit(deps.wake);
    return results;
  }

  return {
    async emit(tx: Tx, input: EmitInput): Promise<EmitResult> {
      return (await emitMany(tx, [input]))[0] as EmitResult;
    },
    emitMany,
  };
}

/** The context cannot replace the fields emit() and delivery own. */
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

function withoutReserved(context: Record<string, unknown>): Record<string, unknown> {
  const { event: _event, createdAt: _createdAt, hookId: _hookId, ...rest } = context;
  return rest;
}

export type Emitter = ReturnType<typeof createEmitter>;
