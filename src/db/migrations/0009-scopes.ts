import type { Kysely } from 'kysely';

/** Permissions (scopes) of an API resource; a name is unique within its resource. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scopes')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('resource_id', 'varchar(21)', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('name', 'varchar(256)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('scopes__resource_id_name', ['resource_id', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scopes').execute();
}
