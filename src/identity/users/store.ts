import type { Executor } from '../../db/query.ts';
import type { UsersTable } from '../../db/types.ts';
import { canonicalColumns, canonicalIdentifier, storedPhone } from '../identifiers.ts';
import { searchCondition, type Search } from '../search.ts';

/** The row as written by the service; the store adds the canonical identifier columns. */
export type NewUserRow = Omit<UsersTable, 'primary_email_canonical' | 'primary_phone_canonical'>;

/** A phone number is written in Logto's stored form (src/identity/identifiers.ts), as Logto's queries do. */
function phoneForm<T extends { primary_phone?: string | null | undefined }>(row: T): T {
  return typeof row.primary_phone === 'string' ? { ...row, primary_phone: storedPhone(row.primary_phone) } : row;
}

export function insertUser(db: Executor, row: NewUserRow): Promise<unknown> {
  const values = phoneForm(row);
  return db
    .insertInto('users')
    .values({ ...values, primary_email_canonical: null, primary_phone_canonical: null, ...canonicalColumns(values) })
    .execute();
}

export function findUserById(db: Executor, id: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUsersByIds(db: Executor, ids: readonly string[]): Promise<UsersTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}

/**
 * The user holding this identifier, compared in canonical form (src/identity/identifiers.ts):
 * username as typed, email and phone through their canonical columns.
 */
export async function findUserIdByIdentifier(
  db: Executor,
  field: 'username' | 'primary_email' | 'primary_phone',
  value: string,
  excludeId?: string,
): Promise<string | undefined> {
  let query = db.selectFrom('users').select('id');
  if (field === 'primary_email')
    query = query.where('primary_email_canonical', '=', canonicalIdentifier('email', value));
  else if (field === 'primary_phone')
    query = query.where('primary_phone_canonical', '=', canonicalIdentifier('phone', value));
  else query = query.where('username', '=', value);
  if (excludeId) query = query.where('id', '!=', excludeId);
  return (await query.executeTakeFirst())?.id;
}

export interface UserListFilter {
  search?: Search | undefined;
  excludeRoleId?: string | undefined;
  /** Users who are not members of this organization. */
  excludeOrganizationId?: string | undefined;
  /** Only users holding this role. */
  roleId?: string | undefined;
}

function filtered(db: Executor, filter: UserListFilter) {
  let query = db.selectFrom('users');
  const { search, excludeRoleId, excludeOrganizationId, roleId } = filter;
  if (search) query = query.where((eb) => searchCondition(eb, search));
  if (excludeRoleId)
    query = query.where(
      'users.id',
      'not in',
      db.selectFrom('users_roles').select('user_id').where('role_id', '=', excludeRoleId),
    );
  if (excludeOrganizationId) {
    query = query.where(
      'users.id',
      'not in',
      db.selectFrom('organization_users').select('user_id').where('organization_id', '=', excludeOrganizationId),
    );
  }
  if (roleId)
    query = query.where('users.id', 'in', db.selectFrom('users_roles').select('user_id').where('role_id', '=', roleId));
  return query;
}

export function listUsers(
  db: Executor,
  filter: UserListFilter,
  page: { offset: number; limit: number },
): Promise<UsersTable[]> {
  return filtered(db, filter)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export async function countUsers(db: Executor, filter: UserListFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function updateUserById(db: Executor, id: string, patch: Partial<Omit<NewUserRow, 'id'>>): Promise<unknown> {
  const values = phoneForm(patch);
  return db
    .updateTable('users')
    .set({ ...values, ...canonicalColumns(values) })
    .where('id', '=', id)
    .execute();
}

/**
 * Replaces the password digest only if it is still the one just verified (`previous`): a password
 * set meanwhile (PATCH /password, a reset) is never overwritten by the upgrade of the old one.
 * `updated_at` is left alone: the password is the same, only its digest changed.
 */
export async function replacePasswordDigestIfUnchanged(
  db: Executor,
  id: string,
  previous: string,
  next: { password_encrypted: string; password_encryption_method: string },
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set(next)
    .where('id', '=', id)
    .where('password_encrypted', '=', previous)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteUserById(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Writes `next` into a JSON column only if it still holds `previous`; answers whether it did. */
export async function updateUserJsonIfUnchanged(
  db: Executor,
  id: string,
  column: 'custom_data' | 'profile',
  previous: string,
  next: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ [column]: next, updated_at: at })
    .where('id', '=', id)
    .where(column, '=', previous)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
