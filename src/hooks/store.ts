import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, HooksTable } from '../db/types.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export function insertHook(db: Executor, row: HooksTable): Promise<unknown> {
  return db.insertInto('hooks').values(row).execute();
}

export function findHookById(db: Executor, id: string): Promise<HooksTable | undefined> {
  return db.selectFrom('hooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first, as Logto lists hooks. */
export function listHooks(db: Executor, page?: { offset: number; limit: number }): Promise<HooksTable[]> {
  let query = db.selectFrom('hooks').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export async function countHooks(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('hooks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** `herald listen`'s hook of this name, if a run left one. */
export function findListenerByName(db: Executor, name: string): Promise<HooksTable | undefined> {
  return db
    .selectFrom('hooks')
    .selectAll()
    .where('name', '=', name)
    .where('listener', '=', true)
    .orderBy('created_at')
    .executeTakeFirst();
}

export async function updateHookById(
  db: Executor,
  id: string,
  patch: Partial<Omit<HooksTable, 'id'>>,
): Promise<boolean> {
  if (Object.keys(patch).length === 0) return (await findHookById(db, id)) !== undefined;
  const result = await db.updateTable('hooks').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Pauses the hook at `now` unless it is paused already (a second pause keeps when the first began).
 * Answers whether it changed.
 */
export async function pauseHook(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('hooks')
    .set({ paused: true, paused_at: now })
    .where('id', '=', id)
    .where('paused', '=', false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Resumes a paused hook. The paused time does not count towards auto-disable: a failure streak
 * that began before the pause moves forward by the paused time (it keeps the length it had when
 * the pause began); one that began during the pause (results of requests already under way)
 * starts again now. One statement, so a completion recorded meanwhile cannot interleave; every
 * expression reads the row as it was before the update. Answers whether it changed.
 */
export async function resumeHook(db: Executor, id: string, now: number): Promise<boolean> {
  const at = sql<number>`cast(${now} as bigint)`;
  const result = await db
    .updateTable('hooks')
    .set({
      paused: false,
      paused_at: null,
      failing_since: sql<number | null>`case
        when failing_since is null or paused_at is null then failing_since
        when failing_since < paused_at then failing_since + (${at} - paused_at)
        else ${at} end`,
    })
    .where('id', '=', id)
    .where('paused', '=', true)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteHookById(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('hooks').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
