import { sql, type Kysely } from 'kysely';

/**
 * A hook's attempts by time, for its health chart (GET /api/hooks/:id/health): each attempt carries
 * its hook, indexed with started_at. Without it the chart joined every delivery the hook kept
 * (30 days by default) to its attempts to count the last 24 hours.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('delivery_attempts').addColumn('hook_id', 'varchar(21)').execute();
  await sql`UPDATE delivery_attempts SET hook_id = (SELECT d.hook_id FROM deliveries d WHERE d.id = delivery_attempts.delivery_id)`.execute(
    db,
  );
  await db.schema
    .createIndex('delivery_attempts__hook_started')
    .on('delivery_attempts')
    .columns(['hook_id', 'started_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('delivery_attempts__hook_started').execute();
  await db.schema.alterTable('delivery_attempts').dropColumn('hook_id').execute();
}
