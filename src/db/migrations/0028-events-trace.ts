import type { Kysely } from 'kysely';

/**
 * The W3C traceparent of the span that emitted an event (OpenTelemetry, when tracing is on): each
 * delivery attempt's span links to it. Null when tracing is off.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').addColumn('trace_parent', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('trace_parent').execute();
}
