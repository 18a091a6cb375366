import type { Kysely } from 'kysely';

/** The previous signing key, which keeps signing `webhook-signature` until its grace period ends. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('hooks').addColumn('previous_signing_key', 'varchar(64)').execute();
  await db.schema.alterTable('hooks').addColumn('previous_signing_key_expires_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('hooks').dropColumn('previous_signing_key_expires_at').execute();
  await db.schema.alterTable('hooks').dropColumn('previous_signing_key').execute();
}
