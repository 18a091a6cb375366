/**
 * Query helpers any store may use: the executor every store function takes first (the database, or
 * the caller's transaction), and small Kysely pieces that several stores' queries share. Batching of
 * long parameter lists is in batches.ts.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from './types.ts';

/** What a store function runs on: the database, or the caller's transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** Logto's `q`: a case-insensitive substring of any of `columns` (`%`, `_`, `\` match themselves). */
export function containsAny<D, TB extends keyof D>(
  eb: ExpressionBuilder<D, TB>,
  columns: string[],
  q: string,
): Expression<SqlBool> {
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return eb.or(columns.map((column) => eb(sql`lower(${sql.ref(column)})`, 'like', sql`${pattern} escape '\\'`)));
}

/** The `n` of a `count(*) as n` query, as a number. */
export const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) =>
  Number((await query.executeTakeFirstOrThrow()).n);
