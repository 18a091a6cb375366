/**
 * Claiming due deliveries on PostgreSQL, where any number of instances share the table.
 *
 * Per enabled hook, a LATERAL subquery reads that hook's oldest due rows through the partial index
 * deliveries__hook_due (hook_id, next_attempt_at), at most `perHook` of them, and locks them with
 * `FOR UPDATE SKIP LOCKED`, so concurrent claimers take disjoint rows without waiting on each other.
 * Ranking by row number within each hook then takes one delivery from every hook before a second
 * from any (fair across hooks). The cost grows with hooks × perHook, not with the backlog: a hook
 * with 50 000 queued deliveries costs a claim no more than one with 16. The lease (next_attempt_at
 * = lease_until while delivering) hands a crashed instance's work to the others when it expires.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import type { ClaimedRef, ClaimOptions } from './claim.types.ts';

export async function claimDuePostgres(db: Kysely<DB>, options: ClaimOptions): Promise<ClaimedRef[]> {
  const leaseUntil = options.now + options.leaseMs;
  const { rows } = await sql<{ id: string; hook_id: string }>`
    with picked as (
      select c.id, c.next_attempt_at, row_number() over (partition by c.hook_id order by c.next_attempt_at, c.id) as rn
        from hooks h
        cross join lateral (
          select d.id, d.hook_id, d.next_attempt_at
            from deliveries d
           where d.hook_id = h.id
             and d.status in ('pending', 'delivering')
             and d.next_attempt_at <= ${options.now}
           order by d.next_attempt_at
           limit ${options.perHook}
             for update of d skip locked) c
       where h.enabled
         and not (h.id = any(${[...options.excludeHookIds]}::varchar[]))
    ), chosen as (
      select id from picked order by rn, next_attempt_at limit ${options.limit}
    )
    update deliveries d
       set status = 'delivering', lease_until = ${leaseUntil}, next_attempt_at = ${leaseUntil},
           leased_by = ${options.leaseToken}, updated_at = ${options.now}
      from chosen
     where d.id = chosen.id
    returning d.id, d.hook_id`.execute(db);
  return rows.map((r) => ({ id: r.id, hookId: r.hook_id }));
}
