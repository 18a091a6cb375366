/**
 * The SQL of the global delivery log (`GET /api/deliveries`, `POST /api/deliveries/recover`):
 * deliveries of every hook, filtered by hook, event, status, creation time and a search `q`.
 *
 * `q` finds a delivery by its id or its event's id (exact; the primary key and `deliveries__event`),
 * or by a value in its event's payload (a user id, an email): that part is a BOUNDED scan, of the
 * newest `PAYLOAD_SCAN_LIMIT` events of the time window (and event name, when filtered), whose
 * payload text holds `q` as a whole JSON string value, case-insensitively. An older match is found
 * by narrowing `since`/`until`. Plain SQL (`lower`, `LIKE … ESCAPE`, a limited subquery in FROM)
 * that SQLite and PostgreSQL both run.
 */
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { DB, DeliveriesTable, DeliveryStatus } from '../db/types.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** How many of the newest events (of the window) the payload search reads. */
export const PAYLOAD_SCAN_LIMIT = 10_000;

export interface DeliveryLogFilter {
  hookId?: string | undefined;
  status?: DeliveryStatus | undefined;
  eventName?: string | undefined;
  /** Created at or after (epoch ms). */
  since?: number | undefined;
  /** Created at or before (epoch ms). */
  until?: number | undefined;
  q?: string | undefined;
}

export type DeliveryLogRow = DeliveriesTable & { hook_name: string };

/** `q` as a LIKE pattern matching it as a whole JSON string value, lower-cased, `\` escaping. */
export function payloadPattern(q: string): string {
  const needle = JSON.stringify(q.toLowerCase()).replace(/[\\%_]/g, (c) => `\\${c}`);
  return `%${needle}%`;
}

type Eb = ExpressionBuilder<DB & { d: DeliveriesTable }, 'd'>;

/** The ids of the newest PAYLOAD_SCAN_LIMIT events of the window whose payload holds `q`. */
function payloadMatches(eb: Eb, filter: DeliveryLogFilter, q: string) {
  return eb
    .selectFrom((inner) => {
      let recent = inner.selectFrom('events as e').select(['e.id as id', 'e.payload as payload']);
      if (filter.eventName) recent = recent.where('e.name', '=', filter.eventName);
      if (filter.since !== undefined) recent = recent.where('e.created_at', '>=', filter.since);
      if (filter.until !== undefined) recent = recent.where('e.created_at', '<=', filter.until);
      // Record ids start with their creation time (util/id.ts generateRecordId): newest first by the
      // primary key, with no sort of the table and no index of its own.
      return recent.orderBy('e.id', 'desc').limit(PAYLOAD_SCAN_LIMIT).as('recent');
    })
    .select('recent.id')
    .where(sql<boolean>`lower(${sql.ref('recent.payload')}) like ${payloadPattern(q)} escape '\\'`);
}

/** `deliveries as d` with the filter applied. */
export function filteredLog(db: Executor, filter: DeliveryLogFilter) {
  let query = db.selectFrom('deliveries as d');
  if (filter.hookId !== undefined) query = query.where('d.hook_id', '=', filter.hookId);
  if (filter.status) query = query.where('d.status', '=', filter.status);
  if (filter.eventName) query = query.where('d.event_name', '=', filter.eventName);
  if (filter.since !== undefined) query = query.where('d.created_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('d.created_at', '<=', filter.until);
  const q = filter.q;
  if (q) {
    query = query.where((eb) =>
      eb.or([eb('d.id', '=', q), eb('d.event_id', '=', q), eb('d.event_id', 'in', payloadMatches(eb, filter, q))]),
    );
  }
  return query;
}

/** A page of the log, newest first, with each delivery's hook name. */
export function listLog(
  db: Executor,
  filter: DeliveryLogFilter,
  offset: number,
  limit: number,
): Promise<DeliveryLogRow[]> {
  return (
    filteredLog(db, filter)
      .innerJoin('hooks as h', 'h.id', 'd.hook_id')
      .selectAll('d')
      .select('h.name as hook_name')
      // Newest first by the primary key: record ids start with their creation time (generateRecordId),
      // so the page is read from the end of the key's B-tree, not sorted from the whole table.
      .orderBy('d.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute()
  );
}

/**
 * The log's `Total-Number` counts at most this many deliveries: a count never reads more of the table
 * than that, however large it grows (the console refreshes the log every few seconds).
 */
export const COUNT_LIMIT = 10_000;

/** How many deliveries the filter matches, up to COUNT_LIMIT. */
export async function countLog(db: Executor, filter: DeliveryLogFilter): Promise<number> {
  const row = await db
    .selectFrom(filteredLog(db, filter).select('d.id').limit(COUNT_LIMIT).as('matched'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function hookExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('hooks').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Every failed delivery the filter matches is due at `at`; answers how many. */
export async function requeueFailed(db: Executor, filter: DeliveryLogFilter, at: number): Promise<number> {
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: at, completed_at: null, updated_at: at })
    .where('status', '=', 'failed')
    .where('id', 'in', filteredLog(db, { ...filter, status: 'failed' }).select('d.id'))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
