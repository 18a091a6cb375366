import type { Kysely } from 'kysely';
import { canonicalEmail, canonicalPhone } from '../../identity/identifiers.ts';

/** Rows read and written per batch of the backfill. */
const BATCH = 500;

/**
 * Emails and phone numbers compared in one canonical form (src/identity/identifiers.ts), each in
 * its own uniquely indexed column, replacing `lower(primary_email)`: SQLite's lower() folds ASCII
 * only, and lower() anywhere let `\u212Aate@…` (KELVIN SIGN) reach kate@…'s account.
 *
 * Existing rows are backfilled oldest first. Should two existing users share a canonical form (a
 * look-alike registered before this fix), the older keeps it and the newer's canonical column
 * stays NULL: that identifier then signs nobody in until an admin changes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('primary_email_canonical', 'varchar(512)').execute();
  await db.schema.alterTable('users').addColumn('primary_phone_canonical', 'varchar(128)').execute();
  const seenEmails = new Set<string>();
  const seenPhones = new Set<string>();
  let after: { created_at: number; id: string } | undefined;
  for (;;) {
    let query = db
      .selectFrom('users')
      .select(['id', 'created_at', 'primary_email', 'primary_phone'])
      .orderBy('created_at')
      .orderBy('id')
      .limit(BATCH);
    if (after) {
      const { created_at, id } = after;
      query = query.where((eb) =>
        eb.or([eb('created_at', '>', created_at), eb.and([eb('created_at', '=', created_at), eb('id', '>', id)])]),
      );
    }
    const rows: {
      id: string;
      created_at: number | string;
      primary_email: string | null;
      primary_phone: string | null;
    }[] = await query.execute();
    for (const row of rows) {
      const email = row.primary_email === null ? null : canonicalEmail(row.primary_email);
      const phone = row.primary_phone === null ? null : canonicalPhone(row.primary_phone);
      const set = {
        primary_email_canonical: email === null || seenEmails.has(email) ? null : email,
        primary_phone_canonical: phone === null || seenPhones.has(phone) ? null : phone,
      };
      if (email !== null) seenEmails.add(email);
      if (phone !== null) seenPhones.add(phone);
      if (set.primary_email_canonical !== null || set.primary_phone_canonical !== null) {
        await db.updateTable('users').set(set).where('id', '=', row.id).execute();
      }
    }
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) break;
    after = { created_at: Number(last.created_at), id: last.id };
  }
  await db.schema.dropIndex('users__lower_email').execute();
  await db.schema
    .createIndex('users__email_canonical')
    .on('users')
    .unique()
    .column('primary_email_canonical')
    .execute();
  await db.schema
    .createIndex('users__phone_canonical')
    .on('users')
    .unique()
    .column('primary_phone_canonical')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users__phone_canonical').execute();
  await db.schema.dropIndex('users__email_canonical').execute();
  await db.schema.alterTable('users').dropColumn('primary_phone_canonical').execute();
  await db.schema.alterTable('users').dropColumn('primary_email_canonical').execute();
  const { up: restoreLowerEmail } = await import('./0016-users-lower-email.ts');
  await restoreLowerEmail(db);
}
