import type { Kysely } from 'kysely';

/**
 * The sentinel bounded: a lock (or a rate-limit refusal) is one row whose `refused` counts the
 * attempts refused while it lasts, instead of a row (and an event) per attempt; and expired rows
 * are pruned in the background through an index on `created_at`, never by a scan in a request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sentinel_activities')
    .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('sentinel_activities__created_at')
    .on('sentinel_activities')
    .column('created_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sentinel_activities__created_at').execute();
  await db.schema.alterTable('sentinel_activities').dropColumn('refused').execute();
}
