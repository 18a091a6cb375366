import type { Kysely } from 'kysely';

/**
 * `herald listen`'s ephemeral hooks: their deliveries are streamed to the connected CLI
 * (GET /api/listeners/:id/stream), never POSTed by the dispatcher.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('hooks')
    .addColumn('listener', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('hooks').dropColumn('listener').execute();
}
