/**
 * Kysely over `node:sqlite` (Node 24's built-in SQLite), so the embedded store needs no native addon.
 *
 * Kysely's SQLite driver expects better-sqlite3's statement API (`reader`, array parameters); the
 * adapter below gives `DatabaseSync` that shape. Statements are cached because preparing is the
 * dominant cost of small queries in node:sqlite. Write transactions begin IMMEDIATE so a second
 * process (the CLI beside a running server) waits on `busy_timeout` instead of failing with
 * SQLITE_BUSY when a read lock would be upgraded mid-transaction.
 *
 * SQLite does run DDL inside transactions, though Kysely's adapter says otherwise; saying so lets
 * the migrator run in one BEGIN IMMEDIATE transaction, which is what serialises two processes that
 * migrate the same file at once (Kysely's SQLite migration lock is a no-op).
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { CompiledQuery, SqliteAdapter, SqliteDialect, type DialectAdapter, type DatabaseConnection, type Driver } from 'kysely';

const STATEMENT_CACHE_SIZE = 256;
const BUSY_TIMEOUT_MS = 5000;

function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return JSON.stringify(value);
  return value as SQLInputValue;
}

interface AdaptedStatement {
  reader: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

class NodeSqliteAdapter {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, AdaptedStatement>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  prepare(sql: string): AdaptedStatement {
    const cached = this.#cache.get(sql);
    if (cached) {
      // Refresh recency: Map keeps insertion order, so the first key is the least recently used.
      this.#cache.delete(sql);
      this.#cache.set(sql, cached);
      return cached;
    }
    const stmt: StatementSync = this.#db.prepare(sql);
    const args = (parameters: readonly unknown[]) => parameters.map(toSqliteValue);
    const adapted: AdaptedStatement = {
      reader: stmt.columns().length > 0,
      all: (parameters) => stmt.all(...args(parameters)),
      run: (parameters) => stmt.run(...args(parameters)),
      iterate: (parameters) => stmt.iterate(...args(parameters)),
    };
    this.#cache.set(sql, adapted);
    if (this.#cache.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return adapted;
  }

  close(): void {
    this.#cache.clear();
    if (this.#db.isOpen) this.#db.close();
  }
}

export function openSqlite(path: string): { dialect: SqliteDialect; raw: DatabaseSync } {
  const raw = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
  raw.exec('PRAGMA journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  const adapter = new NodeSqliteAdapter(raw);

  class TransactionalDdlSqliteAdapter extends SqliteAdapter {
    override get supportsTransactionalDdl(): boolean {
      return true;
    }
  }

  class ImmediateSqliteDialect extends SqliteDialect {
    override createAdapter(): DialectAdapter {
      return new TransactionalDdlSqliteAdapter();
    }
    override createDriver(): Driver {
      const driver = super.createDriver();
      driver.beginTransaction = async (connection: DatabaseConnection) => {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      };
      return driver;
    }
  }

  // The adapter has every member Kysely's driver calls; its declared type wants better-sqlite3's.
  const dialect = new ImmediateSqliteDialect({ database: adapter as never });
  return { dialect, raw };
}
