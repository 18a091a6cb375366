import type { Kysely } from 'kysely';

/** Users, as Logto's: JSON fields are text; the password is an argon2id PHC string, never returned. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(128)', (c) => c.unique())
    .addColumn('primary_email', 'varchar(128)', (c) => c.unique())
    .addColumn('primary_phone', 'varchar(128)', (c) => c.unique())
    .addColumn('password_encrypted', 'varchar(256)')
    .addColumn('password_encryption_method', 'varchar(32)')
    .addColumn('name', 'varchar(128)')
    .addColumn('avatar', 'varchar(2048)')
    .addColumn('custom_data', 'text', (c) => c.notNull())
    .addColumn('identities', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('application_id', 'varchar(21)')
    .addColumn('is_suspended', 'boolean', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users__created_at').on('users').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').execute();
}
