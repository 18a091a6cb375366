/**
 * One server per SQLite file. `herald start` holds an exclusive SQLite lock on a small file next to
 * the database (`herald.db.lock` beside `herald.db`) for as long as it runs; a second server on the
 * same file finds it locked and refuses to start, naming the file and the holder's process id.
 *
 * SQLite's own locking (POSIX advisory locks, which it also arbitrates between connections of one
 * process) rather than a pid file: the operating system releases the lock when the holder exits,
 * however it exits (SIGKILL, a crash, a power cut), so there is never a stale lock to take over and
 * no race between two servers that both judge one stale. The file stays after a clean stop; it
 * only matters while a process holds it. The holder writes its pid into the file's header
 * (`PRAGMA application_id`, bytes 68–71, which the SQLite file format defines) so that a refused
 * server can read it without taking any lock.
 *
 * The database file itself is not locked: `herald migrate`, `herald keys …` and the dispatcher's
 * worker thread open it while the server runs, as before.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export interface SqliteLock {
  /** The lock file's path. */
  readonly path: string;
  /** Releases the lock (idempotent). */
  release(): void;
}

/** The database at `databasePath` is already served by another process (or another server in this one). */
export class SqliteLockedError extends Error {
  readonly databasePath: string;
  readonly holderPid: number | undefined;
  constructor(databasePath: string, lockPath: string, holderPid: number | undefined) {
    const holder =
      holderPid === undefined
        ? 'another Herald server'
        : holderPid === process.pid
          ? `another Herald server in this process (pid ${holderPid})`
          : `another Herald server (pid ${holderPid})`;
    super(
      `the SQLite database ${databasePath} is in use by ${holder}, which holds ${lockPath}. ` +
        'One server runs per SQLite file: stop that one first, or use PostgreSQL (DATABASE_URL=postgres://…) to run several instances.',
    );
    this.name = 'SqliteLockedError';
    this.databasePath = databasePath;
    this.holderPid = holderPid;
  }
}

/** SQLITE_BUSY / SQLITE_LOCKED and their extended codes. */
const isBusy = (error: unknown) => {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === 'number' && ((code & 0xff) === 5 || (code & 0xff) === 6);
};

/** The pid the holder wrote at bytes 68–71 of the lock file's header, if there is one. */
function holderOf(lockPath: string): number | undefined {
  try {
    const header = readFileSync(lockPath).subarray(0, 100);
    if (header.length < 72) return undefined;
    const pid = header.readUInt32BE(68);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock of the SQLite database at `databasePath`, or throws SqliteLockedError. An
 * in-memory database (`:memory:`) is never shared, so it takes none.
 */
export function lockSqliteDatabase(databasePath: string): SqliteLock | undefined {
  if (databasePath === ':memory:') return undefined;
  const path = `${databasePath}.lock`;
  let db: DatabaseSync;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new DatabaseSync(path, { timeout: 0 });
  } catch (error) {
    throw new Error(`cannot open the SQLite lock file ${path}: ${(error as Error).message}`);
  }
  try {
    // Exclusive locking mode: the lock taken by the first write is kept until the connection
    // closes (the transaction's commit does not release it). No journal file beside it.
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
    db.exec(`PRAGMA application_id = ${process.pid | 0}`);
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new SqliteLockedError(databasePath, path, holderOf(path));
    throw new Error(`cannot lock the SQLite lock file ${path}: ${(error as Error).message}`);
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      try {
        db.close();
      } catch {
        // closing only releases the lock; the process may be exiting anyway
      }
    },
  };
}
