import type { Kysely } from 'kysely';

/**
 * Pausing a hook (a Herald extension): deliveries are still created for it and held, none is sent,
 * until it is resumed. `paused_at` is when the current pause began (null when not paused): on
 * resume, the failure streak moves forward by the paused time so that a pause never counts towards
 * auto-disable.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('hooks')
    .addColumn('paused', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable('hooks').addColumn('paused_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('hooks').dropColumn('paused_at').execute();
  await db.schema.alterTable('hooks').dropColumn('paused').execute();
}
