import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import type { DB, Dialect } from './types.ts';
import { openSqlite } from './sqlite-dialect.ts';

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** Closes every connection; for SQLite this also checkpoints and removes the WAL file. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Called when an idle PostgreSQL connection fails (e.g. the server restarted); the pool replaces it. */
  onBackgroundError?: (error: Error) => void;
  poolSize?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * pg returns int8 as strings; Herald's int8 columns hold epoch milliseconds and counters, which fit
 * in a double, so they are parsed to numbers for this pool only (no global type parser mutation).
 */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export async function connectDatabase(config: DatabaseConfig, options: ConnectOptions = {}): Promise<Database> {
  if (config.dialect === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    const { dialect } = openSqlite(config.path);
    const db = new Kysely<DB>({ dialect });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    connectionTimeoutMillis: 5000,
  });
  pool.on('error', (error) => options.onBackgroundError?.(error));
  // Fail at start, with the reason, rather than at the first request.
  const client = await pool.connect();
  client.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
