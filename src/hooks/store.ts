import type { Kysely, Transaction } from 'kysely';
import type { DB, Dialect, HooksTable } from '../db/types.ts';

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
  const row = await db.selectFrom('hooks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateHookById(db: Executor, id: string, patch: Partial<Omit<HooksTable, 'id'>>): Promise<boolean> {
  if (Object.keys(patch).length === 0) return (await findHookById(db, id)) !== undefined;
  const result = await db.updateTable('hooks').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteHookById(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('hooks').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Ids of the enabled hooks subscribed to `event`: listed in `events`, or, when `events` is empty,
 * named by the legacy `event` column (Logto's rule). `events` is JSON text in both dialects, so the
 * match is made here; a deployment has tens of hooks, not thousands.
 */
export async function listHooksSubscribedTo(db: Executor, event: string, dialect: Dialect): Promise<string[]> {
  const query = db.selectFrom('hooks').select(['id', 'event', 'events']).where('enabled', '=', true);
  // On PostgreSQL a hook deleted between this read and the delivery insert would fail the caller's
  // whole transaction on the foreign key: KEY SHARE makes the delete wait for it instead (and then
  // cascade to the new deliveries). SQLite serialises writers, so it needs no lock.
  const rows = await (dialect === 'postgres' ? query.forKeyShare() : query).execute();
  return rows
    .filter((r) => {
      const events = JSON.parse(r.events) as string[];
      return events.length > 0 ? events.includes(event) : r.event === event;
    })
    .map((r) => r.id);
}
