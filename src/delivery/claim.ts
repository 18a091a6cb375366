import type { Kysely } from 'kysely';
import type { DB, Dialect } from '../db/types.ts';
import { claimDuePostgres } from './claim.postgres.ts';
import { claimDueSqlite } from './claim.sqlite.ts';

export interface ClaimOptions {
  now: number;
  limit: number;
  leaseMs: number;
  /** Unique to this claim: only completions carrying it may change the rows it claims. */
  leaseToken: string;
}

/** Marks up to `limit` due deliveries as leased by this instance and returns their ids. */
export function claimDue(db: Kysely<DB>, dialect: Dialect, options: ClaimOptions): Promise<string[]> {
  return dialect === 'postgres' ? claimDuePostgres(db, options) : claimDueSqlite(db, options);
}
