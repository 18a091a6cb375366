import type { Kysely } from 'kysely';

/** Applications (Native, SPA, Traditional, MachineToMachine), with Logto's JSON metadata as text. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('applications')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(256)', (c) => c.notNull())
    .addColumn('secret', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('oidc_client_metadata', 'text', (c) => c.notNull())
    .addColumn('custom_client_metadata', 'text', (c) => c.notNull())
    .addColumn('custom_data', 'text', (c) => c.notNull())
    .addColumn('is_third_party', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('applications__created_at').on('applications').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('applications').execute();
}
