/**
 * GET /api/health/ready's checks: the database answers a bounded query (the migrations table: tens
 * of rows) within DATABASE_TIMEOUT_MS, the migrations it records are exactly this build's, and the
 * dispatcher runs and answers (in its thread: a message round trip). The answer is cached for
 * CACHE_MS and concurrent requests share one check, so however many anonymous clients ask, the
 * database sees at most one such query a second, and never two at once.
 */
import { sql, type Kysely } from 'kysely';
import { MIGRATION_TABLE } from '../db/migrate.ts';
import { migrations } from '../db/migrations/index.ts';
import type { DB } from '../db/types.ts';

export const DATABASE_TIMEOUT_MS = 2000;
export const DISPATCHER_TIMEOUT_MS = 2000;
export const CACHE_MS = 1000;

export type CheckState = 'ok' | 'failed' | 'unknown';
export interface ReadinessReport {
  ready: boolean;
  checks: { database: CheckState; migrations: CheckState; dispatcher: CheckState };
}

const timeout = <T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
const TIMED_OUT = Symbol('timed out');

export function createReadiness(deps: {
  db: Kysely<DB>;
  /** The dispatcher once it exists (until then: not ready). */
  dispatcher: () => { alive(timeoutMs: number): Promise<boolean> } | undefined;
  clock?: () => number;
  databaseTimeoutMs?: number;
}) {
  const now = deps.clock ?? Date.now;
  const known = Object.keys(migrations);
  let cached: { at: number; report: Promise<ReadinessReport> } | undefined;
  /** A database query still unanswered (past its timeout): no second one is started meanwhile. */
  let databaseBusy = false;

  async function database(): Promise<{ database: CheckState; migrations: CheckState }> {
    if (databaseBusy) return { database: 'failed', migrations: 'unknown' };
    databaseBusy = true;
    const query = sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(deps.db).finally(() => {
      databaseBusy = false;
    });
    try {
      const result = await timeout(query, deps.databaseTimeoutMs ?? DATABASE_TIMEOUT_MS);
      if (result === TIMED_OUT) {
        query.catch(() => undefined);
        return { database: 'failed', migrations: 'unknown' };
      }
      const applied = new Set(result.rows.map((r) => r.name));
      const current = applied.size === known.length && known.every((name) => applied.has(name));
      return { database: 'ok', migrations: current ? 'ok' : 'failed' };
    } catch {
      return { database: 'failed', migrations: 'unknown' };
    }
  }

  async function dispatcher(): Promise<CheckState> {
    const handle = deps.dispatcher();
    if (!handle) return 'failed';
    try {
      return (await handle.alive(DISPATCHER_TIMEOUT_MS)) ? 'ok' : 'failed';
    } catch {
      return 'failed';
    }
  }

  async function check(): Promise<ReadinessReport> {
    const [db, thread] = await Promise.all([database(), dispatcher()]);
    const checks = { ...db, dispatcher: thread };
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  }

  return {
    /** The latest report, at most CACHE_MS old (checks that are under way are shared). */
    report(): Promise<ReadinessReport> {
      const at = now();
      if (!cached || at - cached.at >= CACHE_MS) cached = { at, report: check() };
      return cached.report;
    },
  };
}

export type Readiness = ReturnType<typeof createReadiness>;
