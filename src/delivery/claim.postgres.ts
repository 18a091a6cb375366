/**
 * Claiming due deliveries on PostgreSQL, where any number of instances share the table. One
 * statement, one round trip: it leases the chosen rows and answers each with its hook's sending
 * details and its event's payload.
 *
 * Per enabled hook that is not paused (a paused hook's deliveries are held), a LATERAL subquery
 * reads that hook's oldest due rows through the partial index deliveries__hook_due (hook_id,
 * next_attempt_at), at most `perHook` of them, and locks them with
 * `FOR UPDATE SKIP LOCKED`, so concurrent claimers take disjoint rows without waiting on each other.
 * Ranking by row number within each hook then takes one delivery from every hook before a second
 * from any (fair across hooks). The cost grows with hooks × perHook, not with the backlog: a hook
 * with 50 000 queued deliveries costs a claim no more than one with 16. The lease (next_attempt_at
 * = lease_until while delivering) hands a crashed instance's work to the others when it expires.
 * The text is constant (no query-builder compilation on the hot path).
 */
import type { Kysely } from 'kysely';
import { runRaw } from '../db/query.ts';
import type { DB } from '../db/types.ts';
import {
  byAge,
  toClaimed,
  type ClaimedDelivery,
  type ClaimedRow,
  type ClaimOptions,
  type SendingHook,
} from './claim.types.ts';

const CLAIM_SQL = `
  with picked as (
    select c.id, c.next_attempt_at, row_number() over (partition by c.hook_id order by c.next_attempt_at, c.id) as rn
      from hooks h
      cross join lateral (
        select d.id, d.hook_id, d.next_attempt_at
          from deliveries d
         where d.hook_id = h.id
           and d.status in ('pending', 'delivering')
           and d.next_attempt_at <= $1
         order by d.next_attempt_at
         limit $2
           for update of d skip locked) c
     where h.enabled
       and not h.paused
       and not (h.id = any($3::varchar[]))
       and h.listener = ($7::varchar is not null)
       and ($7::varchar is null or h.id = $7)
  ), chosen as (
    select id from picked order by rn, next_attempt_at limit $4
  )
  update deliveries d
     set status = 'delivering', lease_until = $5, next_attempt_at = $5, leased_by = $6, updated_at = $1
    from chosen, hooks h, events e
   where d.id = chosen.id and h.id = d.hook_id and e.id = d.event_id
  returning d.id, d.hook_id, d.event_id, d.event_name, d.attempts, d.created_at, e.payload,
            h.config, h.signing_key, h.previous_signing_key, h.previous_signing_key_expires_at`;

export async function claimDuePostgres(db: Kysely<DB>, options: ClaimOptions): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return [];
  const { rows } = await runRaw<ClaimedRow & SendingHook>(db, CLAIM_SQL, [
    options.now,
    options.perHook,
    [...options.excludeHookIds],
    options.limit,
    options.now + options.leaseMs,
    options.leaseToken,
    options.listenerHookId ?? null,
  ]);
  return rows.map((row) => toClaimed(row, row, options.now)).sort(byAge);
}
