/**
 * Kysely over `node:sqlite` (Node 24's built-in SQLite), so the embedded store needs no native addon.
 *
 * Kysely's SQLite driver expects better-sqlite3's statement API (`reader`, array parameters); the
 * adapter below gives `DatabaseSync` that shape. Statements are cached because preparing is the
 * dominant cost of small queries in node:sqlite. Write transactions begin IMMEDIATE, so a
 * transaction that starts holds the write lock to its end and never fails half-way for want of it.
 *
 * Waiting for the lock: SQLite's own busy handler sleeps the whole thread in steps of 1, 2, 5, 10…
 * milliseconds, which in Node blocks the event loop, and with two connections in one process (the
 * API and the dispatcher's thread) turned every collision into milliseconds (bench latency p50
 * 31 ms). So the connection's busy timeout is 0, and a statement (BEGIN IMMEDIATE included) that
 * finds the database locked is retried from the event loop: at once for the first tries, then every
 * millisecond, for up to BUSY_TIMEOUT_MS; other work goes on meanwhile.
 *
 * SQLite does run DDL inside transactions, though Kysely's adapter says otherwise; saying so lets
 * the migrator run in one BEGIN IMMEDIATE transaction, which is what serialises two processes that
 * migrate the same file at once (Kysely's SQLite migration lock is a no-op).
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  type DialectAdapter,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import { RE2JS } from 're2js';

const STATEMENT_CACHE_SIZE = 256;
const BUSY_TIMEOUT_MS = 5000;
/** Retries of a locked statement on the next turn of the event loop before waiting 1 ms between tries. */
const BUSY_IMMEDIATE_TRIES = 50;

/** SQLITE_BUSY and its extended codes (node:sqlite puts the code in `errcode`). */
function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && (code & 0xff) === 5;
}

async function retryWhileBusy<T>(run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let tries = 0; ; tries++) {
    try {
      return await run();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => (tries < BUSY_IMMEDIATE_TRIES ? setImmediate(resolve) : setTimeout(resolve, 1)));
    }
  }
}

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

const regexCache = new Map<string, RE2JS | Error>();

/**
 * The regular expression SQLite's `regexp_like` runs (src/identity/search.ts), with `flags` as
 * PostgreSQL's (`i` or none); `.` matches newlines as in PostgreSQL. RE2 (re2js), not JavaScript's
 * RegExp: its matching takes time linear in the text whatever the pattern, so a pattern such as
 * `^(a+)+$` (seconds per row in a backtracking engine, and the API thread with it) costs no more
 * than any other. Its syntax is POSIX ERE's with Perl's classes (`\d`, `[[:digit:]]`, `(?:…)`,
 * lazy quantifiers); it has no back-references or lookaround. A pattern it refuses throws an
 * error with PostgreSQL's SQLSTATE for an invalid regular expression (2201B), which the API
 * answers with 400 on either store.
 */
export function compileRegex(pattern: string, flags: string): RE2JS {
  const key = `${flags}/${pattern}`;
  let entry = regexCache.get(key);
  if (entry === undefined) {
    try {
      entry = RE2JS.compile(pattern, RE2JS.DOTALL | (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      entry = Object.assign(new Error(`invalid regular expression for SQLite's RE2 engine: ${reason}`), {
        code: '2201B',
      });
    }
    if (regexCache.size >= 256) regexCache.delete(regexCache.keys().next().value!);
    regexCache.set(key, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}

/** SQLite's `regexp_like(value, pattern, flags)`: 1, 0, or NULL for a NULL value. */
export function sqliteRegexpLike(value: unknown, pattern: unknown, flags: unknown): number | null {
  if (value === null || value === undefined || pattern === null || pattern === undefined) return null;
  return compileRegex(String(pattern), typeof flags === 'string' ? flags : '').test(String(value)) ? 1 : 0;
}

export function openSqlite(path: string): { dialect: SqliteDialect; raw: DatabaseSync } {
  const raw = new DatabaseSync(path, { timeout: 0 });
  // Opening may itself meet a lock (another process switching the journal mode): wait for it here.
  raw.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  raw.exec('PRAGMA journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 0');
  // PostgreSQL's regexp_like(string, pattern, flags), with RE2 (see compileRegex).
  raw.function('regexp_like', { deterministic: true, varargs: false }, (value, pattern, flags) =>
    sqliteRegexpLike(value, pattern, flags),
  );
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
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR…); a
      // second ROLLBACK then fails with "no transaction is active" and hides the real error (chaos
      // disk-full answered 500 instead of 503 database.full).
      driver.rollbackTransaction = async (connection: DatabaseConnection) => {
        if (raw.isTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'));
      };
      // Kysely's SQLite driver hands out one connection; give its queries the event-loop busy wait.
      const acquire = driver.acquireConnection.bind(driver);
      const patched = new WeakSet<DatabaseConnection>();
      driver.acquireConnection = async () => {
        const connection = await acquire();
        if (!patched.has(connection)) {
          const execute = connection.executeQuery.bind(connection);
          connection.executeQuery = (query) => retryWhileBusy(() => execute(query));
          patched.add(connection);
        }
        return connection;
      };
      return driver;
    }
  }

  // The adapter has every member Kysely's driver calls; its declared type wants better-sqlite3's.
  const dialect = new ImmediateSqliteDialect({ database: adapter as never });
  return { dialect, raw };
}
