/**
 * The SQL of the API's reads of deliveries and attempts (queries.ts): lists and pages, one
 * delivery with its attempts, execution stats and health buckets. Nothing here writes.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, DeliveriesTable, DeliveryAttemptsTable, DeliveryStatus } from '../db/types.ts';

type Executor = Kysely<DB> | Transaction<DB>;

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
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Newest first, by offset (Logto's page-based paging). */
export function listDeliveriesPage(
  db: Executor,
  filter: Omit<DeliveryFilter, 'limit' | 'before'>,
  offset: number,
  limit: number,
): Promise<DeliveryRow[]> {
  return filtered(db, filter)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
}

export async function countDeliveries(db: Executor, filter: Omit<DeliveryFilter, 'limit' | 'before'>): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The latest attempt of each delivery. */
export async function listLastAttempts(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, DeliveryAttemptsTable>> {
  const out = new Map<string, DeliveryAttemptsTable>();
  for (const a of await listAttemptsByDeliveryIds(db, ids)) out.set(a.delivery_id, a);
  return out;
}

export function findDeliveryById(db: Executor, hookId: string, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).where('hook_id', '=', hookId).executeTakeFirst();
}

export function listAttemptsByDeliveryIds(db: Executor, ids: readonly string[]): Promise<DeliveryAttemptsTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('delivery_attempts')
    .selectAll()
    .where('delivery_id', 'in', ids)
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
}

/** Per hook, over deliveries created since `since`: how many were sent at least once, and how many succeeded. */
export async function countExecutionStats(
  db: Executor,
  hookIds: readonly string[],
  since: number,
): Promise<Map<string, { requestCount: number; successCount: number }>> {
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
  for (const r of rows)
    out.set(r.hook_id, { requestCount: Number(r.requests), successCount: Number(r.successes ?? 0) });
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
  return rows.map((r) => ({
    bucket: Number(r.bucket),
    succeeded: Number(r.succeeded ?? 0),
    failed: Number(r.failed ?? 0),
  }));
}

export function findEventPayloads(db: Executor, ids: readonly string[]): Promise<{ id: string; payload: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('events').select(['id', 'payload']).where('id', 'in', ids).execute();
}
