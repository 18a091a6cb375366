import type { Kysely } from 'kysely';

/** Why and when a hook was disabled by Herald (410 Gone, failing too long), and its failure streak. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('hooks').addColumn('disabled_reason', 'text').execute();
  await db.schema.alterTable('hooks').addColumn('disabled_at', 'bigint').execute();
  await db.schema.alterTable('hooks').addColumn('failing_since', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('hooks').dropColumn('failing_since').execute();
  await db.schema.alterTable('hooks').dropColumn('disabled_at').execute();
  await db.schema.alterTable('hooks').dropColumn('disabled_reason').execute();
}
