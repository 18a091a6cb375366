import type { Kysely } from 'kysely';

/**
 * The Experience API: interactions (one sign-in, sign-up or password reset in progress, with its
 * verification records and pending profile), the sentinel's record of verification attempts and
 * code sends per identifier (lockouts and message rate limits), and server settings (the generated
 * interaction-cookie key).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('interactions')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('interaction_event', 'varchar(16)', (c) => c.notNull())
    .addColumn('application_id', 'varchar(21)', (c) => c.references('applications.id').onDelete('set null'))
    .addColumn('user_id', 'varchar(21)', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('verifications', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('interactions__expires_at').on('interactions').column('expires_at').execute();

  await db.schema
    .createTable('sentinel_activities')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('target_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('result', 'varchar(16)', (c) => c.notNull())
    .addColumn('decision', 'varchar(16)', (c) => c.notNull())
    .addColumn('decision_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sentinel_activities__target')
    .on('sentinel_activities')
    .columns(['target_hash', 'action', 'created_at'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['settings', 'sentinel_activities', 'interactions']) await db.schema.dropTable(table).execute();
}
