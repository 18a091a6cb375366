/**
 * Claiming due deliveries on PostgreSQL, where any number of instances share the table.
 * `FOR UPDATE SKIP LOCKED` lets concurrent claimers take disjoint batches without waiting on each
 * other; the lease (`lease_until`) hands a crashed instance's work to the others once it expires,
 * so nothing stays `delivering` forever. The subquery picks the oldest due rows first.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import type { ClaimOptions } from './claim.ts';

export async function claimDuePostgres(db: Kysely<DB>, options: ClaimOptions): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    update deliveries d
       set status = 'delivering', lease_until = ${options.now + options.leaseMs}, leased_by = ${options.leaseToken}, updated_at = ${options.now}
      from (
        select d2.id from deliveries d2 join hooks h on h.id = d2.hook_id
         where h.enabled
           and ((d2.status = 'pending' and d2.next_attempt_at <= ${options.now})
             or (d2.status = 'delivering' and d2.lease_until < ${options.now}))
         order by d2.next_attempt_at
         limit ${options.limit}
         for update of d2 skip locked) due
     where d.id = due.id
    returning d.id`.execute(db);
  return rows.map((r) => r.id);
}
