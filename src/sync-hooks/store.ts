/** Statements on `sync_hooks` and `sync_hook_calls`. */
import type { Executor } from '../db/query.ts';
import type { Dialect, SyncHookCallsTable, SyncHooksTable } from '../db/types.ts';

export const insertHook = (db: Executor, row: SyncHooksTable) => db.insertInto('sync_hooks').values(row).execute();

export const findHookById = (db: Executor, id: string): Promise<SyncHooksTable | undefined> =>
  db.selectFrom('sync_hooks').selectAll().where('id', '=', id).executeTakeFirst();

/** By phase, then `order`, then oldest first: the order calls are made in. */
export const listHooks = (db: Executor): Promise<SyncHooksTable[]> =>
  db
    .selectFrom('sync_hooks')
    .selectAll()
    .orderBy('phase')
    .orderBy('sort_order')
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** The enabled hooks of a phase, in call order. */
export const listEnabledForPhase = (db: Executor, phase: string): Promise<SyncHooksTable[]> =>
  db
    .selectFrom('sync_hooks')
    .selectAll()
    .where('phase', '=', phase)
    .where('enabled', '=', true)
    .orderBy('sort_order')
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export async function updateHookById(db: Executor, id: string, patch: Partial<Omit<SyncHooksTable, 'id'>>) {
  const result = await db.updateTable('sync_hooks').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteHookById(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sync_hooks').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export const insertCalls = (db: Executor, rows: SyncHookCallsTable[]) =>
  db.insertInto('sync_hook_calls').values(rows).execute();

/**
 * Which of these hooks still exist. On PostgreSQL the rows are KEY SHARE locked, so a delete waits
 * for the caller's transaction (then cascades to the calls it wrote) instead of failing its insert
 * on the foreign key; SQLite serialises writers.
 */
export async function existingHookIds(db: Executor, ids: readonly string[], dialect: Dialect): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const query = db.selectFrom('sync_hooks').select('id').where('id', 'in', ids);
  const rows = await (dialect === 'postgres' ? query.forKeyShare() : query).execute();
  return new Set(rows.map((r) => r.id));
}

export interface CallFilter {
  decision?: string | undefined;
  effect?: string | undefined;
  userId?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
}

function filtered(db: Executor, hookId: string, filter: CallFilter) {
  let query = db.selectFrom('sync_hook_calls').where('hook_id', '=', hookId);
  if (filter.decision) query = query.where('decision', '=', filter.decision);
  if (filter.effect) query = query.where('effect', '=', filter.effect);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('created_at', '<', filter.until);
  return query;
}

/** Newest first. */
export const listCalls = (
  db: Executor,
  hookId: string,
  filter: CallFilter,
  page: { offset: number; limit: number },
): Promise<SyncHookCallsTable[]> =>
  filtered(db, hookId, filter)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();

export async function countCalls(db: Executor, hookId: string, filter: CallFilter): Promise<number> {
  const row = await filtered(db, hookId, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One batch (at most `limit`) of the calls older than `cutoff`. */
export const deleteCallsBefore = (db: Executor, cutoff: number, limit: number) =>
  db
    .deleteFrom('sync_hook_calls')
    .where('id', 'in', (eb) =>
      eb.selectFrom('sync_hook_calls').select('id').where('created_at', '<', cutoff).limit(limit),
    )
    .executeTakeFirst();
