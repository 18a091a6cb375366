import { sql, type Kysely } from 'kysely';

/**
 * Emails are unique without regard to case, as the service checks them: without this index two
 * concurrent sign-ups as Ada@x.com and ada@x.com both passed the check on PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('users__lower_email')
    .on('users')
    .unique()
    .expression(sql`lower(primary_email)`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users__lower_email').execute();
}
