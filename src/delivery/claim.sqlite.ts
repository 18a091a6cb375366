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
import type { DB } from '../db/types.ts';
import type { ClaimedRef, ClaimOptions } from './claim.types.ts';

export async function claimDueSqlite(db: Kysely<DB>, options: ClaimOptions): Promise<ClaimedRef[]> {
  const leaseUntil = options.now + options.leaseMs;
  return db.transaction().execute(async (trx) => {
    let hooksQuery = trx.selectFrom('hooks').select('id').where('enabled', '=', true);
    if (options.excludeHookIds.length) hooksQuery = hooksQuery.where('id', 'not in', options.excludeHookIds);
    const hooks = await hooksQuery.execute();
    if (hooks.length === 0) return [];
    // One statement for every hook: a UNION ALL of per-hook index reads (one round trip and one
    // compile per claim, where a query per hook cost a quarter of a busy server's time with 10 hooks;
    // bench api-overhead).
    const perHook = hooks.map(
      (hook) => sql`select * from (select id, hook_id, next_attempt_at from deliveries
         where hook_id = ${hook.id} and status in ('pending', 'delivering') and next_attempt_at <= ${options.now}
         order by next_attempt_at limit ${options.perHook})`,
    );
    const { rows } = await sql<{
      id: string;
      hook_id: string;
      next_attempt_at: number;
    }>`${sql.join(perHook, sql` union all `)}`.execute(trx);
    const rank = new Map<string, number>();
    const candidates = rows.map((r) => {
      const n = rank.get(r.hook_id) ?? 0;
      rank.set(r.hook_id, n + 1);
      return { id: r.id, hookId: r.hook_id, rank: n, due: r.next_attempt_at };
    });
    const chosen = candidates.sort((a, b) => a.rank - b.rank || a.due - b.due).slice(0, options.limit);
    if (chosen.length === 0) return [];
    await trx
      .updateTable('deliveries')
      .set({
        status: 'delivering',
        lease_until: leaseUntil,
        next_attempt_at: leaseUntil,
        leased_by: options.leaseToken,
        updated_at: options.now,
      })
      .where(
        'id',
        'in',
        chosen.map((c) => c.id),
      )
      .execute();
    return chosen.map((c) => ({ id: c.id, hookId: c.hookId }));
  });
}
