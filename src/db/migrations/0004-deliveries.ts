import type { Kysely } from 'kysely';

/**
 * One delivery per (event, hook). Its id is the `webhook-id` header, stable across retries.
 * status: pending (due at next_attempt_at) → delivering (leased until lease_until) → succeeded | failed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('hook_id', 'varchar(21)', (c) => c.notNull().references('hooks.id').onDelete('cascade'))
    .addColumn('event_id', 'varchar(21)', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('event_name', 'varchar(128)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('leased_by', 'varchar(64)')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  // Listing a hook's deliveries, newest first, and its 24-hour stats.
  await db.schema
    .createIndex('deliveries__hook_created')
    .on('deliveries')
    .columns(['hook_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('deliveries__event').on('deliveries').column('event_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deliveries').execute();
}
