/**
 * Query helpers any store may use: the executor every store function takes first (the database, or
 * the caller's transaction), and small Kysely pieces that several stores' queries share. Batching of
 * long parameter lists is in batches.ts.
 */
import {
  CompiledQuery,
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { DB, Dialect } from './types.ts';

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

/**
 * Runs SQL text as is, with no query-builder compilation: for the delivery engine's hot path,
 * where compiling each statement cost more CPU than SQLite took to run it (bench throughput
 * profile). The text is a constant (or built once per shape), so SQLite's statement cache and
 * PostgreSQL's parser see the same text every time; values only ever travel as parameters.
 */
export async function runRaw<R = Record<string, unknown>>(
  db: Executor,
  text: string,
  parameters: readonly unknown[],
): Promise<{ rows: R[]; affected: number }> {
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, parameters as unknown[]));
  return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0n) };
}

/*
 * Lists and rows as parameters of constant SQL text (for runRaw): on SQLite one JSON text read with
 * `json_each(?)`, on PostgreSQL arrays (`= any($1::type[])`, `unnest($1::type[], …)`). The text
 * stays the same whatever the number of values, so it is prepared once.
 */

/** One list: a JSON array on SQLite, an array on PostgreSQL. */
export const listParameter = (dialect: Dialect, values: readonly unknown[]): unknown =>
  dialect === 'postgres' ? values : JSON.stringify(values);

/**
 * Rows, each the values of `width` columns in one order: on SQLite one JSON array of the rows (read
 * with jsonRowColumns), on PostgreSQL one array per column (for `unnest`).
 */
export function rowsParameters(dialect: Dialect, rows: readonly (readonly unknown[])[], width: number): unknown[] {
  if (dialect === 'sqlite') return [JSON.stringify(rows)];
  return Array.from({ length: width }, (_, column) => rows.map((row) => row[column]));
}

/** SQLite: the `width` columns of each `json_each` row of rowsParameters: `value ->> 0, value ->> 1, …`. */
export const jsonRowColumns = (width: number): string =>
  Array.from({ length: width }, (_, column) => `value ->> ${column}`).join(', ');
