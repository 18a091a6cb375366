import type { Kysely } from 'kysely';

/**
 * Synchronous hooks (`/api/sync-hooks`, Herald's own): endpoints called while a sign-up, sign-in
 * or password reset waits, which allow, deny or patch it; and the record of every call, pruned
 * with deliveries (HERALD_RETENTION_DAYS). A call does not reference its hook by a foreign key:
 * it is written in the transaction of the sign-up it allowed, which must not fail because the hook
 * was deleted meanwhile; deleting a hook deletes its calls (sync-hooks/store.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_hooks')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(256)', (c) => c.notNull())
    .addColumn('phase', 'varchar(32)', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('failure_policy', 'varchar(8)', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('signing_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_hooks__phase_order').on('sync_hooks').columns(['phase', 'sort_order']).execute();
  await db.schema
    .createTable('sync_hook_calls')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('hook_id', 'varchar(21)', (c) => c.notNull())
    .addColumn('phase', 'varchar(32)', (c) => c.notNull())
    .addColumn('interaction_event', 'varchar(32)')
    .addColumn('session_id', 'varchar(64)')
    .addColumn('user_id', 'varchar(21)')
    .addColumn('decision', 'varchar(8)', (c) => c.notNull())
    .addColumn('effect', 'varchar(8)', (c) => c.notNull())
    .addColumn('patched', 'boolean', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('response_body', 'text')
    .addColumn('error', 'text')
    .addColumn('deny_code', 'varchar(64)')
    .addColumn('deny_message', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sync_hook_calls__hook_created')
    .on('sync_hook_calls')
    .columns(['hook_id', 'created_at'])
    .execute();
  await db.schema.createIndex('sync_hook_calls__created').on('sync_hook_calls').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_hook_calls').execute();
  await db.schema.dropTable('sync_hooks').execute();
}
