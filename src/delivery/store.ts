import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, DeliveriesTable, DeliveryAttemptsTable, DeliveryStatus } from '../db/types.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

export function insertDeliveries(db: Executor, rows: DeliveriesTable[]): Promise<unknown> {
  if (rows.length === 0) return Promise.resolve();
  return db.insertInto('deliveries').values(rows).execute();
}

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
export async function findClaimedDetails(db: Executor, ids: readonly string[], now: number): Promise<ClaimedDelivery[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('deliveries as d')
    .innerJoin('hooks as h', 'h.id', 'd.hook_id')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.hook_id', 'd.event_id', 'd.event_name', 'd.attempts', 'd.created_at', 'h.config', 'h.signing_key', 'h.previous_signing_key', 'h.previous_signing_key_expires_at', 'e.payload'])
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
 * Then each hook's health: a success ends its failure streak; a failure starts one (failing_since)
 * if none runs; a hook failing for `autoDisableAfterMs` or answered 410 is disabled with a reason.
 */
export async function recordCompletions(db: Transaction<DB>, completions: readonly Completion[], options: { autoDisableAfterMs: number }): Promise<void> {
  const attempts: DeliveryAttemptsTable[] = [];
  /** Per hook, in this batch: whether a success was seen, and the first failure after the last success. */
  const health = new Map<string, { sawSuccess: boolean; failingSince: number | undefined; at: number; disableReason?: string }>();
  const delivered = await recordSuccesses(db, completions);
  for (const c of completions) {
    if (c.kind === 'delivered' && !delivered.has(c.id)) continue;
    const base = db
      .updateTable('deliveries')
      .where('id', '=', c.id)
      .where('status', '=', 'delivering')
      .where('leased_by', '=', c.leaseToken);
    if (c.kind === 'released') {
      await base.set({ status: 'pending', lease_until: null, leased_by: null, next_attempt_at: c.at, updated_at: c.at }).execute();
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
    const entry = health.get(c.hookId) ?? { sawSuccess: false, failingSince: undefined, at: c.at };
    entry.at = c.at;
    if (c.kind === 'delivered') {
      entry.sawSuccess = true;
      entry.failingSince = undefined;
    } else entry.failingSince ??= c.at;
    if (c.kind === 'disabled') entry.disableReason = c.reason;
    health.set(c.hookId, entry);
  }
  if (attempts.length > 0) await db.insertInto('delivery_attempts').values(attempts).execute();

  // Hooks in id order: two instances updating the same hooks then lock them in the same order.
  const sorted = [...health].sort(([a], [b]) => (a < b ? -1 : 1));
  // Hooks whose last result here was a success: their streak ends, all in one statement (most
  // batches are all successes, and the UPDATE changes nothing when no streak ran).
  const healthy = sorted.filter(([, h]) => h.failingSince === undefined).map(([id]) => id);
  if (healthy.length) await db.updateTable('hooks').set({ failing_since: null }).where('id', 'in', healthy).where('failing_since', 'is not', null).execute();
  for (const [hookId, h] of sorted) {
    if (h.failingSince === undefined) continue;
    const hook = db.updateTable('hooks').where('id', '=', hookId);
    // A success in this batch ended the old streak: the new one starts at the first failure after
    // it. Without a success, a running streak keeps its start.
    if (h.sawSuccess) await hook.set({ failing_since: h.failingSince }).execute();
    else await hook.set({ failing_since: h.failingSince }).where('failing_since', 'is', null).execute();
    if (h.disableReason) {
      await hook.set({ enabled: false, disabled_reason: h.disableReason, disabled_at: h.at }).execute();
      continue;
    }
    const since = new Date(h.at - options.autoDisableAfterMs);
    await hook
      .set({ enabled: false, disabled_reason: `Every delivery has failed since ${since.toISOString()}.`, disabled_at: h.at })
      .where('enabled', '=', true)
      .where('failing_since', '<=', h.at - options.autoDisableAfterMs)
      .execute();
  }
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

export type DeliveryRow = DeliveriesTable;

export interface DeliveryFilter {
  hookId: string;
  status?: DeliveryStatus | undefined;
  eventName?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
  /** Rows strictly older than this (created_at, id) pair. */
  before?: { createdAt: number; id: string } | undefined;
  onlyAttempted?: boolean;
  limit: number;
}

function filtered(db: Executor, filter: Omit<DeliveryFilter, 'limit' | 'before'>) {
  let query = db.selectFrom('deliveries').where('hook_id', '=', filter.hookId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.eventName) query = query.where('event_name', '=', filter.eventName);
  if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('created_at', '<=', filter.until);
  if (filter.onlyAttempted) query = query.where('attempts', '>', 0);
  return query;
}

/** Newest first, after the `before` cursor. */
export function listDeliveries(db: Executor, filter: DeliveryFilter): Promise<DeliveryRow[]> {
  let query = filtered(db, filter).selectAll();
  const before = filter.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Newest first, by offset (Logto's page-based paging). */
export function listDeliveriesPage(db: Executor, filter: Omit<DeliveryFilter, 'limit' | 'before'>, offset: number, limit: number): Promise<DeliveryRow[]> {
  return filtered(db, filter).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute();
}

export async function countDeliveries(db: Executor, filter: Omit<DeliveryFilter, 'limit' | 'before'>): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The latest attempt of each delivery. */
export async function listLastAttempts(db: Executor, ids: readonly string[]): Promise<Map<string, DeliveryAttemptsTable>> {
  const out = new Map<string, DeliveryAttemptsTable>();
  for (const a of await listAttemptsByDeliveryIds(db, ids)) out.set(a.delivery_id, a);
  return out;
}

export function findDeliveryById(db: Executor, hookId: string, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).where('hook_id', '=', hookId).executeTakeFirst();
}

export function listAttemptsByDeliveryIds(db: Executor, ids: readonly string[]): Promise<DeliveryAttemptsTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('delivery_attempts').selectAll().where('delivery_id', 'in', ids).orderBy('delivery_id').orderBy('attempt').execute();
}

/** Per hook, over deliveries created since `since`: how many were sent at least once, and how many succeeded. */
export async function countExecutionStats(db: Executor, hookIds: readonly string[], since: number): Promise<Map<string, { requestCount: number; successCount: number }>> {
  const out = new Map<string, { requestCount: number; successCount: number }>();
  if (hookIds.length === 0) return out;
  const rows = await db
    .selectFrom('deliveries')
    .select(['hook_id'])
    .select((eb) => [
      eb.fn.countAll<number>().as('requests'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'succeeded').then(1).else(0).end()).as('successes'),
    ])
    .where('hook_id', 'in', hookIds)
    .where('created_at', '>=', since)
    .where('attempts', '>', 0)
    .groupBy('hook_id')
    .execute();
  for (const r of rows) out.set(r.hook_id, { requestCount: Number(r.requests), successCount: Number(r.successes ?? 0) });
  return out;
}

/** A hook's attempts since `since`, counted per `bucketMs` of `started_at` (index delivery_attempts__hook_started). */
export async function countAttemptsByBucket(
  db: Executor,
  hookId: string,
  since: number,
  bucketMs: number,
): Promise<{ bucket: number; succeeded: number; failed: number }[]> {
  const bucket = sql<number>`(${sql.ref('started_at')} / ${sql.lit(bucketMs)})`;
  const rows = await db
    .selectFrom('delivery_attempts')
    .select((eb) => [
      bucket.as('bucket'),
      eb.fn.sum<number>(eb.case().when('result', '=', 'success').then(1).else(0).end()).as('succeeded'),
      eb.fn.sum<number>(eb.case().when('result', '=', 'success').then(0).else(1).end()).as('failed'),
    ])
    .where('hook_id', '=', hookId)
    .where('started_at', '>=', since)
    .groupBy(bucket)
    .execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), succeeded: Number(r.succeeded ?? 0), failed: Number(r.failed ?? 0) }));
}

export function findEventPayloads(db: Executor, ids: readonly string[]): Promise<{ id: string; payload: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('events').select(['id', 'payload']).where('id', 'in', ids).execute();
}

