import type { Kysely } from 'kysely';

/** Which roles a user has. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users_roles')
    .addColumn('user_id', 'varchar(21)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role_id', 'varchar(21)', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('users_roles__pk', ['user_id', 'role_id'])
    .execute();
  await db.schema.createIndex('users_roles__role').on('users_roles').column('role_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users_roles').execute();
}
