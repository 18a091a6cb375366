import type { Kysely } from 'kysely';
import { canonicalPhone, phoneLib } from '../../identity/identifiers.ts';

/** Rows read and written per batch of the backfill. */
const BATCH = 500;

/**
 * Phone numbers compare in Logto's stored form (src/identity/identifiers.ts): the trunk `0` after
 * the country code goes, so `610412345678` and `61412345678` are one number. Every row's
 * `primary_phone_canonical` is computed again, oldest first. Two existing users who now share a
 * number: the older keeps it, the newer's canonical column becomes NULL (as 0020 decided), so
 * that number then signs nobody in as the newer until an admin changes it.
 *
 * The stored `primary_phone` is left as it was written (Logto too leaves numbers stored before its
 * normalisation as they are and finds them by their normalised form): rewriting it here would
 * change users' data without the `User.Data.Updated` event their subscribers expect. New writes
 * store Logto's form.
 *
 * The unique index is dropped during the backfill (a number may move from one row to an older
 * one mid-way) and created again at the end.
 */
async function recompute(db: Kysely<any>, canonical: (phone: string) => string): Promise<void> {
  await db.schema.dropIndex('users__phone_canonical').execute();
  const seen = new Set<string>();
  let after: { created_at: number; id: string } | undefined;
  for (;;) {
    let query = db
      .selectFrom('users')
      .select(['id', 'created_at', 'primary_phone', 'primary_phone_canonical'])
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
      primary_phone: string | null;
      primary_phone_canonical: string | null;
    }[] = await query.execute();
    for (const row of rows) {
      const phone = row.primary_phone === null ? null : canonical(row.primary_phone);
      const next = phone === null || seen.has(phone) ? null : phone;
      if (phone !== null) seen.add(phone);
      if (next !== row.primary_phone_canonical)
        await db.updateTable('users').set({ primary_phone_canonical: next }).where('id', '=', row.id).execute();
    }
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) break;
    after = { created_at: Number(last.created_at), id: last.id };
  }
  await db.schema
    .createIndex('users__phone_canonical')
    .on('users')
    .unique()
    .column('primary_phone_canonical')
    .execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await recompute(db, canonicalPhone);
}

/** The canonical form before this migration (0020's): dialling prefixes dropped, the number never rewritten. */
function previousCanonicalPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const candidates = digits.startsWith('011')
    ? [digits.slice(3), digits.replace(/^0+/, '')]
    : [digits.replace(/^0+/, '')];
  for (const candidate of candidates) {
    const parsed = candidate ? phoneLib().parsePhoneNumberFromString(`+${candidate}`) : undefined;
    if (parsed?.isPossible() && parsed.number === `+${candidate}`) return candidate;
  }
  return candidates[0] || digits;
}

export async function down(db: Kysely<any>): Promise<void> {
  await recompute(db, previousCanonicalPhone);
}
