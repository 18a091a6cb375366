/** Statements on `sync_hooks` and `sync_hook_calls`. */
import { CompiledQuery } from 'kysely';
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

/** Deletes the hook and its calls (the caller's transaction makes it one change). */
export async function deleteHookById(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sync_hooks').where('id', '=', id).executeTakeFirst();
  await db.deleteFrom('sync_hook_calls').where('hook_id', '=', id).execute();
  return Number(result.numDeletedRows) > 0;
}

const CALL_COLUMNS = [
  'id',
  'hook_id',
  'phase',
  'interaction_event',
  'session_id',
  'user_id',
  'decision',
  'effect',
  'patched',
  'status_code',
  'duration_ms',
  'request',
  'response_body',
  'error',
  'deny_code',
  'deny_message',
  'created_at',
] as const satisfies readonly (keyof SyncHookCallsTable)[];
const insertText = new Map<string, string>();

/**
 * The calls of one request, in one INSERT whose text is built once per dialect and row count: it
 * runs inside a sign-up's transaction, where compiling a 17-column insert each time cost more
 * than executing it (bench sync-hooks profile).
 */
export async function insertCalls(db: Executor, rows: readonly SyncHookCallsTable[], dialect: Dialect) {
  if (rows.length === 0) return;
  const key = `${dialect}:${rows.length}`;
  let text = insertText.get(key);
  if (!text) {
    let n = 0;
    const placeholder = () => (dialect === 'postgres' ? `$${++n}` : '?');
    const values = rows.map(() => `(${CALL_COLUMNS.map(placeholder).join(', ')})`).join(', ');
    text = `insert into sync_hook_calls (${CALL_COLUMNS.join(', ')}) values ${values}`;
    if (insertText.size < 64) insertText.set(key, text);
  }
  await db.executeQuery(
    CompiledQuery.raw(
      text,
      rows.flatMap((row) => CALL_COLUMNS.map((column) => row[column])),
    ),
  );
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
