import type { Kysely } from 'kysely';

/** Webhooks, as Logto's `hooks` table: `events` and `config` are JSON text in both dialects. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hooks')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(21)', (c) => c.notNull().defaultTo('default'))
    .addColumn('name', 'varchar(256)', (c) => c.notNull())
    .addColumn('event', 'varchar(128)')
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('signing_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hooks__created_at').on('hooks').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('hooks').execute();
}
