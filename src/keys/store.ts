import type { Kysely, Transaction } from 'kysely';
import type { ApiKeysTable, DB } from '../db/types.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export function insertApiKey(db: Executor, row: ApiKeysTable): Promise<unknown> {
  return db.insertInto('api_keys').values(row).execute();
}

export function findApiKeyById(db: Executor, id: string): Promise<ApiKeysTable | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listApiKeys(db: Executor): Promise<ApiKeysTable[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function countApiKeys(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks a key revoked; returns whether a key that was still active changed. */
export async function updateApiKeyRevokedById(db: Executor, id: string, revokedAt: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: revokedAt })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
