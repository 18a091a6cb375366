/**
 * The delivery engine's SQL: the details of claimed deliveries, the batched completion writes (with
 * each hook's health, health.ts), the next due time and the crash recovery of SQLite's single
 * instance. Claims themselves are in claim.*.ts; the API's reads are in queries.store.ts.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, DeliveryAttemptsTable, DeliveryStatus } from '../db/types.ts';
import { observeHealth, updateHookHealth } from './health.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

/** What the sender needs for one claimed delivery. */
export interface ClaimedDelivery {
  id: string;
  hookId: string;
  eventId: string;
  eventName: string;
  /** Attempts made before this one. */
  attempts: number;
  createdAt: number;
  url: string;
  customHeaders: Record<string, string> | undefined;
  signingKey: string;
  /** The previous key while its rotation grace period lasts. */
  previousSigningKey: string | undefined;
  payload: string;
}

/** Joins claimed delivery ids with their hook and event. Deliveries whose hook is gone are omitted. */
export async function findClaimedDetails(
  db: Executor,
  ids: readonly string[],
  now: number,
): Promise<ClaimedDelivery[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('deliveries as d')
    .innerJoin('hooks as h', 'h.id', 'd.hook_id')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.hook_id',
      'd.event_id',
      'd.event_name',
      'd.attempts',
      'd.created_at',
      'h.config',
      'h.signing_key',
      'h.previous_signing_key',
      'h.previous_signing_key_expires_at',
      'e.payload',
    ])
    .where('d.id', 'in', ids)
    .execute();
  return rows.map((r) => {
    const config = JSON.parse(r.config) as { url: string; headers?: Record<string, string> };
    return {
      id: r.id,
      hookId: r.hook_id,
      eventId: r.event_id,
      eventName: r.event_name,
      attempts: r.attempts,
      createdAt: r.created_at,
      url: config.url,
      customHeaders: config.headers,
      signingKey: r.signing_key,
      previousSigningKey:
        r.previous_signing_key && (r.previous_signing_key_expires_at ?? 0) > now ? r.previous_signing_key : undefined,
      payload: r.payload,
    };
  });
}

type AttemptRow = Omit<DeliveryAttemptsTable, 'delivery_id' | 'hook_id'>;

interface Attempted {
  id: string;
  hookId: string;
  leaseToken: string;
  attempt: AttemptRow;
  at: number;
}

export type Completion =
  | ({ kind: 'delivered' } & Attempted)
  | ({ kind: 'retry'; nextAttemptAt: number } & Attempted)
  | ({ kind: 'failed' } & Attempted)
  /** The endpoint answered 410 Gone: the delivery fails and the hook is disabled. */
  | ({ kind: 'disabled'; reason: string } & Attempted)
  /** Stopped before an answer (shutdown, or over the hook's cap): back to pending, no attempt counted. */
  | { kind: 'released'; id: string; hookId: string; leaseToken: string; at: number };

/**
 * Successes, the bulk of any batch, in one UPDATE per (claim, status code) instead of one per
 * delivery: `attempts + 1` is the attempt just made, since only the claim's own completion changes
 * a leased row. Answers the ids whose lease still held.
 */
async function recordSuccesses(db: Transaction<DB>, completions: readonly Completion[]): Promise<Set<string>> {
  const groups = new Map<string, { token: string; code: number | null; ids: string[]; at: number }>();
  for (const c of completions) {
    if (c.kind !== 'delivered') continue;
    const key = `${c.leaseToken} ${c.attempt.status_code}`;
    const group = groups.get(key) ?? { token: c.leaseToken, code: c.attempt.status_code, ids: [], at: c.at };
    group.ids.push(c.id);
    group.at = Math.max(group.at, c.at);
    groups.set(key, group);
  }
  const matched = new Set<string>();
  for (const g of groups.values()) {
    const rows = await db
      .updateTable('deliveries')
      .set({
        status: 'succeeded',
        attempts: sql`attempts + 1`,
        lease_until: null,
        leased_by: null,
        last_status_code: g.code,
        last_error: null,
        updated_at: g.at,
        completed_at: g.at,
      })
      .where('id', 'in', g.ids)
      .where('status', '=', 'delivering')
      .where('leased_by', '=', g.token)
      .returning('id')
      .execute();
    for (const r of rows) matched.add(r.id);
  }
  return matched;
}

/**
 * Records completions in the caller's transaction. A completion changes its delivery only while the
 * delivery is still leased by the claim that sent it (`leaseToken`): if the lease expired and the
 * delivery was claimed again, by this instance or another, the late result is dropped, attempt and
 * all, so the newer claim's state and attempt numbering stand. Deliveries deleted meanwhile (their
 * hook was deleted) are skipped the same way.
 *
 * Then each hook's health (health.ts) from the attempts that were recorded.
 */
export async function recordCompletions(
  db: Transaction<DB>,
  completions: readonly Completion[],
  options: { autoDisableAfterMs: number },
): Promise<void> {
  const attempts: DeliveryAttemptsTable[] = [];
  /** The completions that changed their delivery, in order: what each hook's health is judged on. */
  const recorded: Exclude<Completion, { kind: 'released' }>[] = [];
  const delivered = await recordSuccesses(db, completions);
  for (const c of completions) {
    if (c.kind === 'delivered' && !delivered.has(c.id)) continue;
    const base = db
      .updateTable('deliveries')
      .where('id', '=', c.id)
      .where('status', '=', 'delivering')
      .where('leased_by', '=', c.leaseToken);
    if (c.kind === 'released') {
      await base
        .set({ status: 'pending', lease_until: null, leased_by: null, next_attempt_at: c.at, updated_at: c.at })
        .execute();
      continue;
    }
    const common = {
      attempts: c.attempt.attempt,
      lease_until: null,
      leased_by: null,
      last_status_code: c.attempt.status_code,
      last_error: c.attempt.error,
      updated_at: c.at,
    };
    if (c.kind !== 'delivered') {
      const query =
        c.kind === 'retry'
          ? base.set({ ...common, status: 'pending', next_attempt_at: c.nextAttemptAt })
          : base.set({ ...common, status: 'failed', completed_at: c.at });
      const result = await query.executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) continue;
    }
    attempts.push({ ...c.attempt, delivery_id: c.id, hook_id: c.hookId });
    recorded.push(c);
  }
  if (attempts.length > 0) await db.insertInto('delivery_attempts').values(attempts).execute();
  await updateHookHealth(db, observeHealth(recorded), options);
}

/**
 * Earliest time a delivery of an enabled hook not in `excludeHookIds` becomes due (a pending
 * delivery's next attempt, or a lease's end), if any. Deliveries of disabled hooks, and of hooks at
 * their cap here, are not claimed, so they must not count as due either.
 *
 * One index probe per hook (deliveries__hook_due gives each hook's earliest row first), so the
 * cost follows the number of hooks, not the backlog: a MIN over all due rows read the whole
 * backlog after every claim and capped throughput at ~370/s with 10 000 queued (bench throughput).
 */
export async function findNextDueAt(db: Executor, excludeHookIds: readonly string[]): Promise<number | undefined> {
  let query = db
    .selectFrom('hooks as h')
    .select((eb) =>
      eb.fn
        .min(
          eb
            .selectFrom('deliveries as d')
            .select('d.next_attempt_at')
            .whereRef('d.hook_id', '=', 'h.id')
            // Literals, not parameters: SQLite uses the partial index only when the query's
            // condition matches the index's own text.
            .where('d.status', 'in', [sql.lit<DeliveryStatus>('pending'), sql.lit<DeliveryStatus>('delivering')])
            .orderBy('d.next_attempt_at')
            .limit(1),
        )
        .as('due'),
    )
    .where('h.enabled', '=', true);
  if (excludeHookIds.length) query = query.where('h.id', 'not in', excludeHookIds);
  const row = await query.executeTakeFirst();
  return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
}

/** SQLite runs one instance: whatever it was sending when it stopped is due again now. */
export function updateDeliveringToPending(db: Executor, now: number): Promise<unknown> {
  return db
    .updateTable('deliveries')
    .set({ status: 'pending', lease_until: null, leased_by: null, next_attempt_at: now, updated_at: now })
    .where('status', '=', 'delivering')
    .execute();
}
