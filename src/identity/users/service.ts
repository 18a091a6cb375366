/**
 * Users, as Logto's Management API has them. Writes take the caller's executor so a route can
 * write the user and its event in one transaction. Passwords are hashed with argon2id and never
 * returned or logged; only `hasPassword` shows one exists.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/query.ts';
import type { DB, UsersTable } from '../../db/types.ts';
import { HeraldError } from '../../http/errors.ts';
import { generateId } from '../../util/id.ts';
import { normalizePhone } from '../identifiers.ts';
import { hashPassword } from '../password.ts';
import { checkImportedDigest, needsUpgrade, verifyDigest, type PasswordAlgorithm } from '../password-digests.ts';
import type { RoleService } from '../roles/service.ts';
import type { User } from './schemas.ts';
import * as store from './store.ts';

type Json = Record<string, unknown>;
/** Tries of a compare-and-set merge before answering 503 (each loss means another merge landed). */
const MERGE_ATTEMPTS = 20;
export type PasswordColumns = Pick<UsersTable, 'password_encrypted' | 'password_encryption_method'>;

/**
 * The user as Logto returns it: `userInfoSelectFields` plus `hasPassword`; the password digest only
 * when asked for (Logto's `includePasswordHash`), never the password.
 */
export function toUser(row: UsersTable, options: { includePasswordHash?: boolean } = {}): User {
  const user: User = {
    id: row.id,
    username: row.username,
    primaryEmail: row.primary_email,
    primaryPhone: row.primary_phone,
    name: row.name,
    avatar: row.avatar,
    customData: JSON.parse(row.custom_data) as Json,
    identities: JSON.parse(row.identities) as User['identities'],
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    profile: JSON.parse(row.profile) as User['profile'],
    applicationId: row.application_id,
    cimdClientId: null,
    isSuspended: Boolean(row.is_suspended),
    hasPassword: row.password_encrypted !== null,
  };
  if (options.includePasswordHash) {
    user.passwordDigest = row.password_encrypted;
    user.passwordAlgorithm = row.password_encrypted === null ? null : row.password_encryption_method;
  }
  return user;
}

/** Logto's stored form of a phone number given to the API; 422 `user.invalid_phone` if it is none. */
function phoneInput<T extends string | null | undefined>(value: T): T {
  if (!value) return value;
  const normalized = normalizePhone(value);
  if (!normalized) throw new HeraldError('user.invalid_phone', { data: { field: 'primaryPhone' } });
  return normalized as T;
}

/**
 * After a successful verification of an imported digest (MD5, bcrypt, argon2i…): the password
 * hashed with Herald's argon2id, written only if the digest is still the one verified, so a
 * password changed meanwhile is never overwritten. A failed write is left for the next
 * verification: the password was verified all the same.
 */
export async function upgradePasswordDigest(
  db: Executor,
  row: Pick<UsersTable, 'id' | 'password_encrypted' | 'password_encryption_method'>,
  password: string,
): Promise<void> {
  if (!row.password_encrypted || !needsUpgrade(row.password_encryption_method)) return;
  try {
    const next = await hashPassword(password);
    await store.replacePasswordDigestIfUnchanged(db, row.id, row.password_encrypted, {
      password_encrypted: next,
      password_encryption_method: 'Argon2id',
    });
  } catch {
    // The next successful verification upgrades it.
  }
}

/** The user fields of a webhook payload (Logto's `userInfoSelectFields`). */
export function toUserInfo(user: User): Omit<User, 'hasPassword'> {
  const { hasPassword: _hasPassword, ...info } = user;
  return info;
}

export interface CreateUserInput {
  username?: string | undefined;
  primaryEmail?: string | undefined;
  primaryPhone?: string | undefined;
  password?: string | undefined;
  passwordDigest?: string | undefined;
  passwordAlgorithm?: string | undefined;
  name?: string | undefined;
  avatar?: string | null | undefined;
  customData?: Json | undefined;
  profile?: Json | undefined;
  applicationId?: string | undefined;
  /** The id to create the user with (a synchronous hook saw it at PreRegister); a new one otherwise. */
  id?: string | undefined;
}

export interface UpdateUserInput {
  username?: string | null | undefined;
  primaryEmail?: string | null | undefined;
  primaryPhone?: string | null | undefined;
  name?: string | null | undefined;
  avatar?: string | null | undefined;
  customData?: Json | undefined;
  profile?: Json | undefined;
}

/** `""` clears an identifier, as `null` does: two users with an empty username must not collide. */
const identifier = (value: string | null | undefined) => (value === '' ? null : value);

export function createUserService(deps: { db: Kysely<DB>; roles: RoleService; clock?: () => number }) {
  const now = deps.clock ?? Date.now;

  async function findOrThrow(db: Executor, id: string): Promise<UsersTable> {
    const row = await store.findUserById(db, id);
    if (!row) throw new HeraldError('entity.not_found', { data: { name: 'user', id } });
    return row;
  }

  /** 422 when another user holds one of these identifiers (email, phone, username: Logto's order). */
  async function assertIdentifiersFree(
    db: Executor,
    input: {
      username?: string | null | undefined;
      primaryEmail?: string | null | undefined;
      primaryPhone?: string | null | undefined;
    },
    excludeId?: string,
  ) {
    if (
      input.primaryEmail &&
      (await store.findUserIdByIdentifier(db, 'primary_email', input.primaryEmail, excludeId))
    ) {
      throw new HeraldError('user.email_already_in_use', { data: { field: 'primaryEmail' } });
    }
    if (
      input.primaryPhone &&
      (await store.findUserIdByIdentifier(db, 'primary_phone', input.primaryPhone, excludeId))
    ) {
      throw new HeraldError('user.phone_already_in_use', { data: { field: 'primaryPhone' } });
    }
    if (input.username && (await store.findUserIdByIdentifier(db, 'username', input.username, excludeId))) {
      throw new HeraldError('user.username_already_in_use', { data: { field: 'username' } });
    }
  }

  /**
   * The stored password columns for a new user. Hashing takes tens of milliseconds, so routes call
   * this before opening the transaction rather than holding the database meanwhile.
   */
  async function preparePassword(
    input: Pick<CreateUserInput, 'password' | 'passwordDigest' | 'passwordAlgorithm'>,
  ): Promise<PasswordColumns> {
    if (input.password !== undefined && input.passwordDigest !== undefined)
      throw new HeraldError('user.password_and_digest');
    if (input.passwordDigest !== undefined) {
      if (!input.passwordAlgorithm) throw new HeraldError('user.password_algorithm_required');
      // The digest's format and cost are checked in createUser, after the identifiers (Logto's order).
      return { password_encrypted: input.passwordDigest, password_encryption_method: input.passwordAlgorithm };
    }
    if (input.password !== undefined)
      return { password_encrypted: await hashPassword(input.password), password_encryption_method: 'Argon2id' };
    return { password_encrypted: null, password_encryption_method: null };
  }

  /**
   * Read, merge, and write only if the column still holds what was read: two concurrent merges
   * into one user then both land (the loser reads again) instead of the later overwriting the
   * earlier, which committed an event describing a state that was lost.
   */
  async function mergeJson(db: Executor, id: string, column: 'custom_data' | 'profile', patch: Json): Promise<Json> {
    for (let attempt = 0; ; attempt++) {
      const row = await findOrThrow(db, id);
      const merged = { ...(JSON.parse(row[column]) as Json), ...patch };
      if (await store.updateUserJsonIfUnchanged(db, id, column, row[column], JSON.stringify(merged), now()))
        return merged;
      if (attempt >= MERGE_ATTEMPTS) throw new HeraldError('database.busy');
    }
  }

  return {
    db: deps.db,
    findOrThrow,
    preparePassword,
    assertIdentifiersFree,

    async createUser(db: Executor, input: CreateUserInput, password: PasswordColumns): Promise<User> {
      await assertIdentifiersFree(db, input);
      if (password.password_encrypted !== null && input.passwordDigest !== undefined) {
        checkImportedDigest(password.password_encryption_method as PasswordAlgorithm, password.password_encrypted);
      }
      // Logto: the collision check first, then the number is validated and stored in its form.
      input = { ...input, primaryPhone: phoneInput(input.primaryPhone) };
      const at = now();
      const row: store.NewUserRow = {
        id: input.id ?? generateId(),
        username: identifier(input.username) ?? null,
        primary_email: identifier(input.primaryEmail) ?? null,
        primary_phone: identifier(input.primaryPhone) ?? null,
        ...password,
        name: input.name ?? null,
        avatar: input.avatar || null,
        custom_data: JSON.stringify(input.customData ?? {}),
        identities: '{}',
        profile: JSON.stringify(input.profile ?? {}),
        application_id: input.applicationId ?? null,
        is_suspended: false,
        last_sign_in_at: null,
        created_at: at,
        updated_at: at,
      };
      await store.insertUser(db, row);
      // Logto's insertUser: every default (User-type) role, in the same transaction; no event of its own.
      await deps.roles.grantDefaultRoles(db, row.id, at);
      return toUser({ ...row, primary_email_canonical: null, primary_phone_canonical: null });
    },

    /**
     * The user `input` would create, as a synchronous hook sees it at PreRegister (Logto's user
     * fields, never a password; `createdAt` null): the identifiers checked first (422 when held,
     * as createUser would answer), the phone in its stored form.
     */
    async candidate(
      db: Executor,
      id: string,
      input: CreateUserInput,
    ): Promise<Omit<User, 'hasPassword' | 'createdAt' | 'updatedAt'> & { createdAt: null; updatedAt: null }> {
      await assertIdentifiersFree(db, input);
      return {
        id,
        username: identifier(input.username) ?? null,
        primaryEmail: identifier(input.primaryEmail) ?? null,
        primaryPhone: identifier(phoneInput(input.primaryPhone)) ?? null,
        name: input.name ?? null,
        avatar: input.avatar || null,
        customData: input.customData ?? {},
        identities: {},
        lastSignInAt: null,
        createdAt: null,
        updatedAt: null,
        profile: (input.profile ?? {}) as User['profile'],
        applicationId: input.applicationId ?? null,
        cimdClientId: null,
        isSuspended: false,
      };
    },

    async getUser(db: Executor, id: string, options: { includePasswordHash?: boolean } = {}): Promise<User> {
      return toUser(await findOrThrow(db, id), options);
    },

    async listUsers(
      filter: store.UserListFilter,
      page: { offset: number; limit: number },
      options: { includePasswordHash?: boolean } = {},
    ) {
      const [rows, total] = await Promise.all([
        store.listUsers(deps.db, filter, page),
        store.countUsers(deps.db, filter),
      ]);
      return { users: rows.map((row) => toUser(row, options)), total };
    },

    /** PATCH /users/:id: `customData` and `profile` replace the stored objects whole. */
    async updateUser(db: Executor, id: string, input: UpdateUserInput): Promise<User> {
      // Logto's answer to an update with nothing to set.
      if (Object.values(input).every((value) => value === undefined)) throw new HeraldError('entity.invalid_input');
      await findOrThrow(db, id);
      const username = identifier(input.username);
      const primaryEmail = identifier(input.primaryEmail);
      const rawPhone = identifier(input.primaryPhone);
      await assertIdentifiersFree(db, { username, primaryEmail, primaryPhone: rawPhone }, id);
      const primaryPhone = phoneInput(rawPhone);
      const patch: Partial<UsersTable> = { updated_at: now() };
      if (username !== undefined) patch.username = username;
      if (primaryEmail !== undefined) patch.primary_email = primaryEmail;
      if (primaryPhone !== undefined) patch.primary_phone = primaryPhone;
      if (input.name !== undefined) patch.name = input.name;
      if (input.avatar !== undefined) patch.avatar = input.avatar || null;
      if (input.customData !== undefined) patch.custom_data = JSON.stringify(input.customData);
      if (input.profile !== undefined) patch.profile = JSON.stringify(input.profile);
      await store.updateUserById(db, id, patch);
      return toUser(await findOrThrow(db, id));
    },

    /** Shallow merge into customData; answers the new customData. */
    mergeCustomData: (db: Executor, id: string, customData: Json) => mergeJson(db, id, 'custom_data', customData),

    /** Shallow merge into profile; answers the new profile. */
    mergeProfile: (db: Executor, id: string, profile: Json) => mergeJson(db, id, 'profile', profile),

    async setPassword(db: Executor, id: string, password: PasswordColumns): Promise<User> {
      await findOrThrow(db, id);
      await store.updateUserById(db, id, { ...password, updated_at: now() });
      return toUser(await findOrThrow(db, id));
    },

    /**
     * Resolves when the password matches; 422 `session.invalid_credentials` otherwise (also with no
     * password set). An imported digest that matched is upgraded to argon2id.
     */
    async verifyPassword(id: string, password: string): Promise<void> {
      const row = await findOrThrow(deps.db, id);
      if (
        !row.password_encrypted ||
        !(await verifyDigest(password, row.password_encrypted, row.password_encryption_method))
      ) {
        throw new HeraldError('session.invalid_credentials');
      }
      await upgradePasswordDigest(deps.db, row, password);
    },

    async setSuspended(db: Executor, id: string, isSuspended: boolean): Promise<User> {
      await findOrThrow(db, id);
      await store.updateUserById(db, id, { is_suspended: isSuspended, updated_at: now() });
      return toUser(await findOrThrow(db, id));
    },

    /** Deletes the user (role links cascade) and answers the user as it was. */
    async deleteUser(db: Executor, id: string): Promise<User> {
      const user = toUser(await findOrThrow(db, id));
      await store.deleteUserById(db, id);
      return user;
    },

    async findUsersByIds(db: Executor, ids: readonly string[]) {
      return store.findUsersByIds(db, ids);
    },

    // Row reads and writes for the Experience API's flows, which check identifiers, passwords and suspension themselves.

    findUserById: (db: Executor, id: string): Promise<UsersTable | undefined> => store.findUserById(db, id),

    /** The user holding this identifier, compared in canonical form (username as typed). */
    findUserIdByIdentifier: (
      db: Executor,
      field: 'username' | 'primary_email' | 'primary_phone',
      value: string,
      excludeId?: string,
    ): Promise<string | undefined> => store.findUserIdByIdentifier(db, field, value, excludeId),

    /** Writes these columns as given (the phone in its stored form, the canonical columns alongside); no checks. */
    updateUserColumns: (db: Executor, id: string, patch: Partial<Omit<store.NewUserRow, 'id'>>): Promise<unknown> =>
      store.updateUserById(db, id, patch),
  };
}

export type UserService = ReturnType<typeof createUserService>;
