/**
 * Claiming due deliveries on SQLite. One Herald instance owns a SQLite file, and Kysely's SQLite
 * driver serialises every statement on its single connection, so no row locks are needed; the
 * claim runs in one (BEGIN IMMEDIATE) transaction so a CLI process cannot interleave.
 *
 * Fairness as on PostgreSQL, built in two steps: each enabled hook's oldest due rows (one indexed
 * range read per hook, deliveries__hook_due), then one from every hook before a second from any.
 * A window function over all due rows would read the whole backlog on every claim instead.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, DeliveryStatus } from '../db/types.ts';
import type { ClaimedRef, ClaimOptions } from './claim.ts';

export async function claimDueSqlite(db: Kysely<DB>, options: ClaimOptions): Promise<ClaimedRef[]> {
  const leaseUntil = options.now + options.leaseMs;
  return db.transaction().execute(async (trx) => {
    let hooksQuery = trx.selectFrom('hooks').select('id').where('enabled', '=', true);
    if (options.excludeHookIds.length) hooksQuery = hooksQuery.where('id', 'not in', options.excludeHookIds);
    const hooks = await hooksQuery.execute();
    const candidates: { id: string; hookId: string; rank: number; due: number }[] = [];
    for (const hook of hooks) {
      const rows = await trx
        .selectFrom('deliveries')
        .select(['id', 'next_attempt_at'])
        .where('hook_id', '=', hook.id)
        // Literals, not parameters: SQLite uses the partial index deliveries__hook_due only when
        // this condition matches the index's own text (with parameters each claim read every due row).
        .where('status', 'in', [sql.lit<DeliveryStatus>('pending'), sql.lit<DeliveryStatus>('delivering')])
        .where('next_attempt_at', '<=', options.now)
        .orderBy('next_attempt_at')
        .limit(options.perHook)
        .execute();
      rows.forEach((r, rank) => candidates.push({ id: r.id, hookId: hook.id, rank, due: r.next_attempt_at }));
    }
    const chosen = candidates.sort((a, b) => a.rank - b.rank || a.due - b.due).slice(0, options.limit);
    if (chosen.length === 0) return [];
    await trx
      .updateTable('deliveries')
      .set({ status: 'delivering', lease_until: leaseUntil, next_attempt_at: leaseUntil, leased_by: options.leaseToken, updated_at: options.now })
      .where('id', 'in', chosen.map((c) => c.id))
      .execute();
    return chosen.map((c) => ({ id: c.id, hookId: c.hookId }));
  });
}
