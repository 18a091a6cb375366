/**
 * Claiming due deliveries on SQLite. One Herald instance owns a SQLite file, and Kysely's SQLite
 * driver serialises every statement on its single connection, so a claim needs no row locks: one
 * UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING marks a batch as `delivering` atomically.
 * An expired lease (a result that could not be recorded) makes a delivery claimable again.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import type { ClaimOptions } from './claim.ts';

export async function claimDueSqlite(db: Kysely<DB>, options: ClaimOptions): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    update deliveries
       set status = 'delivering', lease_until = ${options.now + options.leaseMs}, leased_by = ${options.leaseToken}, updated_at = ${options.now}
     where id in (
       select d.id from deliveries d join hooks h on h.id = d.hook_id
        where h.enabled = 1
          and ((d.status = 'pending' and d.next_attempt_at <= ${options.now})
            or (d.status = 'delivering' and d.lease_until < ${options.now}))
        order by d.next_attempt_at
        limit ${options.limit})
    returning id`.execute(db);
  return rows.map((r) => r.id);
}
