import type { Kysely } from 'kysely';

/** Which permissions a role grants. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('roles_scopes')
    .addColumn('role_id', 'varchar(21)', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('scope_id', 'varchar(21)', (c) => c.notNull().references('scopes.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('roles_scopes__pk', ['role_id', 'scope_id'])
    .execute();
  await db.schema.createIndex('roles_scopes__scope').on('roles_scopes').column('scope_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('roles_scopes').execute();
}
