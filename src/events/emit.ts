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
import type { HookEvent } from './catalog.ts';
import { insertEvent } from './store.ts';

export interface EmitInput {
  event: HookEvent;
  /** The payload without `event`, `createdAt` and `hookId`, which emit() and each delivery add. */
  context: Record<string, unknown>;
}

export interface EmitResult {
  eventId: string;
  deliveryIds: string[];
}

export function createEmitter(deps: { dialect: Dialect; wake: () => void; clock?: () => number }) {
  const now = deps.clock ?? Date.now;
  return {
    async emit(tx: Tx, input: EmitInput): Promise<EmitResult> {
      const at = now();
      const eventId = generateId();
      const payload = JSON.stringify({ event: input.event, createdAt: new Date(at).toISOString(), ...withoutReserved(input.context) });
      await insertEvent(tx.db, { id: eventId, name: input.event, payload, created_at: at });
      const hooks = await listHooksSubscribedTo(tx.db, input.event, deps.dialect);
      const rows = hooks.map((hookId) => ({
        id: generateId(),
        hook_id: hookId,
        event_id: eventId,
        event_name: input.event,
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
      }));
      await insertDeliveries(tx.db, deps.dialect, rows);
      if (rows.length > 0) tx.afterCommit(deps.wake);
      return { eventId, deliveryIds: rows.map((r) => r.id) };
    },
  };
}

/** The context cannot replace the fields emit() and delivery own. */
function withoutReserved(context: Record<string, unknown>): Record<string, unknown> {
  const { event: _event, createdAt: _createdAt, hookId: _hookId, ...rest } = context;
  return rest;
}

export type Emitter = ReturnType<typeof createEmitter>;
