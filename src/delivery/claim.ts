import type { Kysely } from 'kysely';
import type { DB, Dialect } from '../db/types.ts';
import { claimDuePostgres } from './claim.postgres.ts';
import { claimDueSqlite } from './claim.sqlite.ts';
import type { ClaimedDelivery, ClaimOptions } from './claim.types.ts';

/**
 * Leases up to `limit` due deliveries, fairly across hooks, and answers each with what sending it
 * needs (its hook's URL, headers and keys, its event's payload); deliveries whose hook is gone are
 * not claimed. Each hook's oldest due deliveries are ranked, and the claim takes every hook's first
 * before any hook's second, so one hook's backlog cannot starve the others. A due delivery is
 * pending with next_attempt_at reached, or delivering with an expired lease: while leased,
 * next_attempt_at holds the lease's end.
 */
export function claimDue(db: Kysely<DB>, dialect: Dialect, options: ClaimOptions): Promise<ClaimedDelivery[]> {
  return dialect === 'postgres' ? claimDuePostgres(db, options) : claimDueSqlite(db, options);
}
