import { sql, type Kysely } from 'kysely';

/**
 * The fair claim reads each hook's oldest due deliveries: (hook_id, next_attempt_at) over the rows
 * that can be due (pending, or delivering with a lease that may expire).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('deliveries__hook_due')
    .on('deliveries')
    .columns(['hook_id', 'next_attempt_at'])
    .where(sql.ref('status'), 'in', [sql.lit('pending'), sql.lit('delivering')])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deliveries__hook_due').execute();
}
