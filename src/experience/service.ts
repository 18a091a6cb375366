/**
 * The Experience API's flows (Logto's `/api/experience`, without the OIDC redirect): start an
 * interaction (SignIn, Register, ForgotPassword), verify identifiers (password, verification code),
 * identify or create the user, gather the profile, submit. Each step loads the interaction named by
 * the cookie and saves it back.
 *
 * Events, as Logto sends them: `User.Created` when identification creates the user;
 * `PostRegister` / `PostSignIn` / `PostResetPassword` at submit (with `User.Data.Updated` when the
 * submit changed the profile, and always for a reset); `Identifier.Lockout` and
 * `Message.RateLimited` from the sentinel, committed although their request fails.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Kysely } from 'kysely';
import type { DB, UsersTable } from '../db/types.ts';
import { transaction, type Tx } from '../db/tx.ts';
import type { Emitter } from '../delivery/outbox.ts';
import type { HookEvent } from '../events/index.ts';
import { userAgentOf } from '../http/client-info.ts';
import { HeraldError, notExistsWithId } from '../http/errors.ts';
import { canonicalIdentifier, normalizePhone } from '../identity/identifiers.ts';
import { decoyDigest, hashPassword } from '../identity/password.ts';
import { verifyDigest } from '../identity/password-digests.ts';
import {
  toUser,
  toUserInfo,
  upgradePasswordDigest,
  type CreateUserInput,
  type UserService,
} from '../identity/users/service.ts';
import {
  applyPatch,
  recordedWith,
  type SyncHookGate,
  type SyncHookPhase,
  type SyncPatch,
  type Verdict,
} from '../sync-hooks/index.ts';
import { generateId } from '../util/id.ts';
import type { MessageConnector, TemplateType } from './connector.ts';
import type {
  Identifier,
  Interaction,
  InteractionEvent,
  InteractionStore,
  VerificationRecord,
} from './interactions.ts';
import { checkPassword } from './password-policy.ts';
import { accountTarget, identifierTarget, type Sentinel } from './sentinel.ts';

export const CODE_TTL_MS = 10 * 60 * 1000;
export const CODE_MAX_TRIES = 10;
/** Logto's username rule (core-kit's usernameRegEx): a letter or _, then letters, digits and _. */
export const USERNAME_PATTERN = /^[A-Z_a-z]\w*$/;

const interactionHookEvent: Record<InteractionEvent, HookEvent> = {
  SignIn: 'PostSignIn',
  Register: 'PostRegister',
  ForgotPassword: 'PostResetPassword',
};

export interface RequestInfo {
  ip: string;
  userAgent: string | undefined;
}
export const requestInfo = (request: FastifyRequest): RequestInfo => ({
  ip: request.ip,
  userAgent: userAgentOf(request),
});

export function createExperienceService(deps: {
  db: Kysely<DB>;
  emitter: Emitter;
  users: UserService;
  interactions: InteractionStore;
  sentinel: Sentinel;
  connector: MessageConnector;
  passwordMinLength: number;
  /** Keys the stored code digests (HMAC), so the table alone does not give the codes away. */
  codeKey: string;
  log: Logger;
  /** Synchronous hooks, called before the user is created, signed in or given a new password. */
  gate?: SyncHookGate | undefined;
  clock?: () => number;
}) {
  const now = deps.clock ?? Date.now;
  const { db, interactions, sentinel } = deps;

  /**
   * The synchronous hooks of `phase` for this interaction (the list is cached a second per instance).
   * Throws 403 `hook.denied` / 503 `hook.sync_unavailable`; resolves with the verdict (the merged
   * patch, and the calls to record in the change's transaction).
   */
  async function gate(
    phase: SyncHookPhase,
    interaction: Interaction,
    info: RequestInfo,
    user: Record<string, unknown> & { id: string | null },
    identifier: Identifier | undefined,
    application: Awaited<ReturnType<typeof applicationOf>>,
  ): Promise<Verdict | undefined> {
    if (!deps.gate) return undefined;
    return deps.gate.run(phase, {
      interactionEvent: interaction.event,
      sessionId: interaction.id,
      userAgent: info.userAgent,
      userIp: info.ip,
      application,
      identifier,
      user,
    });
  }
  const log = deps.log.child({ module: 'experience' });
  const codeDigest = (verificationId: string, code: string) =>
    createHmac('sha256', deps.codeKey).update(`${verificationId}:${code}`).digest('hex');

  async function applicationOf(interaction: Interaction) {
    if (!interaction.applicationId) return undefined;
    const app = await db
      .selectFrom('applications')
      .select(['id', 'type', 'name', 'description'])
      .where('id', '=', interaction.applicationId)
      .executeTakeFirst();
    return app ?? undefined;
  }

  /** The context Logto gives data and exception events raised by a flow. */
  async function flowContext(interaction: Interaction, info: RequestInfo) {
    const application = await applicationOf(interaction);
    return {
      interactionEvent: interaction.event,
      userAgent: info.userAgent,
      // Logto sends '' when the interaction has no application.
      applicationId: interaction.applicationId ?? '',
      sessionId: interaction.id,
      ip: info.ip,
      ...(application ? { application } : {}),
    };
  }

  /**
   * An exception event, committed on its own: the request that raised it fails. Should the write
   * fail, the request still gets its own answer (the lockout or the 429), and the failure is logged.
   */
  async function emitException(
    interaction: Interaction,
    info: RequestInfo,
    event: HookEvent,
    extra: Record<string, unknown>,
  ): Promise<void> {
    try {
      const context = { ...(await flowContext(interaction, info)), ...extra };
      await transaction(db, (tx) => deps.emitter.emit(tx, { event, context }));
    } catch (error) {
      log.error({ err: error, event }, 'could not record an exception event');
    }
  }

  async function findUserByIdentifier(
    executor: Kysely<DB> | Tx['db'],
    identifier: Identifier,
  ): Promise<UsersTable | undefined> {
    const field =
      identifier.type === 'username' ? 'username' : identifier.type === 'email' ? 'primary_email' : 'primary_phone';
    const id = await deps.users.findUserIdByIdentifier(executor, field, identifier.value);
    return id ? deps.users.findUserById(executor, id) : undefined;
  }

  /** The sentinel's targets for a verification: the identifier, and the account it names if any. */
  const targetsOf = (identifier: Identifier, user: UsersTable | undefined) =>
    user
      ? [identifierTarget(identifier.type, identifier.value), accountTarget(user.id)]
      : [identifierTarget(identifier.type, identifier.value)];

  /** The address a code goes to: the one stored on the user it names, else the one typed. */
  function storedAddress(identifier: Identifier & { type: 'email' | 'phone' }, user: UsersTable | undefined): string {
    const stored = identifier.type === 'email' ? user?.primary_email : user?.primary_phone;
    return stored ?? identifier.value;
  }

  function record<T extends VerificationRecord['type']>(
    interaction: Interaction,
    id: string,
    types: readonly T[],
  ): Extract<VerificationRecord, { type: T }> {
    const found = interaction.verifications.find((v) => v.id === id && (types as readonly string[]).includes(v.type));
    if (!found) throw new HeraldError('session.verification_session_not_found');
    return found as Extract<VerificationRecord, { type: T }>;
  }

  /** The identifier the interaction verified (the first verified record that names one). */
  function identifierOf(interaction: Interaction): Identifier | undefined {
    for (const v of interaction.verifications) if (v.verified && 'identifier' in v) return v.identifier;
    return undefined;
  }

  /** A synchronous hook's patch as user columns, merged over the row as it is in this transaction. */
  async function patchedColumns(
    executor: Tx['db'],
    userId: string,
    hookPatch: SyncPatch,
  ): Promise<Partial<UsersTable>> {
    const row = await deps.users.findUserById(executor, userId);
    if (!row) throw new HeraldError('session.identifier_not_found');
    const next = applyPatch(toUser(row), hookPatch);
    const columns: Partial<UsersTable> = {};
    if (hookPatch.customData) columns.custom_data = JSON.stringify(next.customData);
    if (hookPatch.profile) columns.profile = JSON.stringify(next.profile);
    if (hookPatch.name !== undefined) columns.name = next.name;
    if (hookPatch.avatar !== undefined) columns.avatar = next.avatar;
    return columns;
  }

  function keepRecord(interaction: Interaction, next: VerificationRecord): void {
    interaction.verifications = [...interaction.verifications.filter((v) => v.type !== next.type), next];
  }

  async function identifiedUser(interaction: Interaction): Promise<UsersTable> {
    const user = interaction.userId ? await deps.users.findUserById(db, interaction.userId) : undefined;
    if (!user) throw new HeraldError('session.identifier_not_found');
    return user;
  }

  return {
    /** Starts an interaction; the browser's previous one (`previousId`) ends. */
    async start(
      event: InteractionEvent,
      applicationId: string | undefined,
      previousId: string | undefined,
    ): Promise<Interaction> {
      if (
        applicationId &&
        !(await db.selectFrom('applications').select('id').where('id', '=', applicationId).executeTakeFirst())
      ) {
        throw notExistsWithId('application', applicationId);
      }
      if (previousId) await interactions.remove(db, previousId);
      return interactions.create(event, applicationId ?? null);
    },

    async load(id: string | undefined): Promise<Interaction> {
      const interaction = id ? await interactions.find(id) : undefined;
      if (!interaction) throw new HeraldError('session.not_found');
      return interaction;
    },

    /**
     * Password verification: 422 `session.invalid_credentials` for an unknown identifier, a user
     * without a password and a wrong password alike (each costs one argon2id verification);
     * 401 `user.suspended` only with the right password. An imported digest (MD5, bcrypt…) that
     * matched is upgraded to argon2id.
     */
    async verifyPassword(
      interaction: Interaction,
      info: RequestInfo,
      identifier: Identifier,
      password: string,
    ): Promise<string> {
      const found = await findUserByIdentifier(db, identifier);
      const user = await sentinel.guard(
        {
          targets: targetsOf(identifier, found),
          action: 'Password',
          onLockout: () =>
            emitException(interaction, info, 'Identifier.Lockout', { type: identifier.type, value: identifier.value }),
        },
        async () => {
          const digest = found?.password_encrypted ?? (await decoyDigest());
          const matches = await verifyDigest(
            password,
            digest,
            found?.password_encrypted ? found.password_encryption_method : 'Argon2id',
          );
          if (!found?.password_encrypted || !matches) throw new HeraldError('session.invalid_credentials');
          if (found.is_suspended) throw new HeraldError('user.suspended');
          return found;
        },
      );
      await upgradePasswordDigest(db, user, password);
      const id = generateId();
      keepRecord(interaction, { id, type: 'Password', identifier, userId: user.id, verified: true });
      await interactions.save(interaction);
      return id;
    },

    /**
     * Sends a 6-digit code (10 minutes, single use). For a password reset of an identifier no user
     * holds, nothing is sent and the answer is the same (no enumeration).
     */
    async sendCode(
      interaction: Interaction,
      info: RequestInfo,
      identifier: Identifier & { type: 'email' | 'phone' },
      templateType: TemplateType,
    ): Promise<string> {
      // Everyone gets the same answer whether the address is held or not: no connector is 501 for all.
      deps.connector.assertConfigured();
      await sentinel.reserveSend({
        type: identifier.type,
        value: identifier.value,
        ip: info.ip,
        onLimited: () =>
          emitException(interaction, info, 'Message.RateLimited', {
            action: 'VerificationCodeSend',
            recipient: identifier.value,
          }),
      });
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const id = generateId();
      const reset = templateType === 'ForgotPassword' || interaction.event === 'ForgotPassword';
      // Looked up for every send, so held and unheld addresses take the same steps.
      const holder = await findUserByIdentifier(db, identifier);
      const skip = reset && !holder;
      // Never the spelling typed when it names a user: `\u212Aate@…` must not receive kate@…'s code.
      const to = storedAddress(identifier, holder);
      // Sent after the answer, for everyone: neither the connector's time nor its failures tell
      // held addresses from others (failures are logged).
      if (!skip) {
        setImmediate(
          () =>
            void deps.connector.send({ to, type: templateType, payload: { code }, ip: info.ip }).catch(() => undefined),
        );
      }
      keepRecord(interaction, {
        id,
        type: identifier.type === 'email' ? 'EmailVerificationCode' : 'PhoneVerificationCode',
        identifier: { type: identifier.type, value: to },
        holderId: holder?.id ?? null,
        templateType,
        codeHash: codeDigest(id, code),
        expiresAt: now() + CODE_TTL_MS,
        tries: 0,
        consumed: false,
        verified: false,
      });
      await interactions.save(interaction);
      return id;
    },

    async verifyCode(
      interaction: Interaction,
      info: RequestInfo,
      identifier: Identifier,
      verificationId: string,
      code: string,
    ): Promise<string> {
      const entry = record(interaction, verificationId, ['EmailVerificationCode', 'PhoneVerificationCode'] as const);
      const holder = await findUserByIdentifier(db, identifier);
      await sentinel.guard(
        {
          targets: targetsOf(identifier, holder),
          action: 'VerificationCode',
          onLockout: () =>
            emitException(interaction, info, 'Identifier.Lockout', { type: identifier.type, value: identifier.value }),
        },
        async () => {
          if (entry.consumed) throw new HeraldError('verification_code.not_found');
          const sameRecipient =
            entry.identifier.type === identifier.type &&
            canonicalIdentifier(identifier.type, entry.identifier.value) ===
              canonicalIdentifier(identifier.type, identifier.value);
          if (!sameRecipient)
            throw new HeraldError(
              entry.type === 'EmailVerificationCode'
                ? 'verification_code.email_mismatch'
                : 'verification_code.phone_mismatch',
            );
          if (entry.expiresAt <= now()) throw new HeraldError('verification_code.expired');
          if (entry.tries >= CODE_MAX_TRIES) throw new HeraldError('verification_code.exceed_max_try');
          const given = Buffer.from(codeDigest(entry.id, code));
          if (!timingSafeEqual(given, Buffer.from(entry.codeHash))) {
            entry.tries++;
            await interactions.save(interaction);
            throw new HeraldError('verification_code.code_mismatch');
          }
        },
      );
      // Only once the sentinel let it through (not locked meanwhile) is the code spent and the record verified.
      entry.consumed = true;
      entry.verified = true;
      await interactions.save(interaction);
      return entry.id;
    },

    /**
     * Logto's `new-password-identity`: a username not held by anyone (422
     * `user.username_already_in_use`) and a password within the policy (422 `password.rejected`),
     * hashed and kept for identification to create the user with.
     */
    async newPasswordIdentity(interaction: Interaction, identifier: Identifier, password: string): Promise<string> {
      await deps.users.assertIdentifiersFree(db, { username: identifier.value });
      checkPassword(password, { minLength: deps.passwordMinLength, username: identifier.value });
      const id = generateId();
      keepRecord(interaction, {
        id,
        type: 'NewPasswordIdentity',
        identifier,
        passwordEncrypted: await hashPassword(password),
        verified: true,
      });
      await interactions.save(interaction);
      return id;
    },

    /** Register: creates the user from the profile (and a verified code's email or phone, or a new password identity), emitting User.Created. */
    async createUser(interaction: Interaction, info: RequestInfo, verificationId: string | undefined): Promise<string> {
      if (interaction.userId) throw new HeraldError('session.identity_conflict');
      const profile = { ...interaction.profile };
      if (verificationId) {
        const entry = record(interaction, verificationId, [
          'EmailVerificationCode',
          'PhoneVerificationCode',
          'NewPasswordIdentity',
        ] as const);
        if (!entry.verified) throw new HeraldError('session.verification_failed');
        if (entry.type === 'NewPasswordIdentity') {
          profile.username = entry.identifier.value;
          profile.passwordEncrypted = entry.passwordEncrypted;
        } else if (entry.identifier.type === 'email') profile.primaryEmail = entry.identifier.value;
        else profile.primaryPhone = entry.identifier.value;
      }
      const missing: string[] = [];
      if (!profile.username && !profile.primaryEmail && !profile.primaryPhone) missing.push('username');
      if (profile.username && !profile.passwordEncrypted) missing.push('password');
      if (missing.length) throw new HeraldError('user.missing_profile', { data: { missingProfile: missing } });
      const context = await flowContext(interaction, info);
      let input: CreateUserInput = {
        id: generateId(),
        username: profile.username,
        primaryEmail: profile.primaryEmail,
        primaryPhone: profile.primaryPhone,
        applicationId: interaction.applicationId ?? undefined,
      };
      let verdict: Verdict | undefined;
      if (deps.gate) {
        // PreRegister: the profile is complete and its identifiers free; the user is not created yet.
        const identifier: Identifier | undefined = profile.primaryEmail
          ? { type: 'email', value: profile.primaryEmail }
          : profile.primaryPhone
            ? { type: 'phone', value: profile.primaryPhone }
            : profile.username
              ? { type: 'username', value: profile.username }
              : undefined;
        const candidate = await deps.users.candidate(db, input.id as string, input);
        verdict = await gate('PreRegister', interaction, info, candidate, identifier, context.application);
        if (verdict?.patch) input = applyPatch(input, verdict.patch);
      }
      const user = await recordedWith(verdict, () =>
        transaction(db, async (tx) => {
          const created = await deps.users.createUser(
            tx.db,
            input,
            profile.passwordEncrypted
              ? { password_encrypted: profile.passwordEncrypted, password_encryption_method: 'Argon2id' }
              : { password_encrypted: null, password_encryption_method: null },
          );
          await deps.emitter.emit(tx, { event: 'User.Created', context: { ...context, data: toUserInfo(created) } });
          await verdict?.record(tx);
          // In the same transaction, compare-and-set: a concurrent identification of this
          // interaction rolls this user back instead of creating a second one.
          interaction.userId = created.id;
          interaction.profile = {};
          await interactions.save(interaction, tx.db);
          return created;
        }),
      );
      return user.id;
    },

    /** SignIn / ForgotPassword: the verified record names the user. */
    async identify(interaction: Interaction, verificationId: string): Promise<void> {
      const entry = record(interaction, verificationId, [
        'Password',
        'EmailVerificationCode',
        'PhoneVerificationCode',
      ] as const);
      if (interaction.event === 'ForgotPassword' && entry.type === 'Password')
        throw new HeraldError('session.not_supported_for_forgot_password', { status: 422 });
      if (!entry.verified) throw new HeraldError('session.verification_failed');
      const user =
        entry.type === 'Password'
          ? await deps.users.findUserById(db, entry.userId)
          : await findUserByIdentifier(db, entry.identifier);
      if (!user) throw new HeraldError('user.user_not_exist', { data: { identifier: entry.identifier.value } });
      if (entry.type !== 'Password' && (entry.holderId ?? null) !== user.id)
        throw new HeraldError('session.verification_failed');
      if (user.is_suspended) throw new HeraldError('user.suspended');
      if (interaction.userId && interaction.userId !== user.id) throw new HeraldError('session.identity_conflict');
      interaction.userId = user.id;
      await interactions.save(interaction);
    },

    /** Profile for sign-up (or additions at sign-in): a username, a password, a verified email or phone. */
    async addProfile(
      interaction: Interaction,
      input: {
        type: 'username' | 'password' | 'email' | 'phone';
        value?: string | undefined;
        verificationId?: string | undefined;
      },
    ): Promise<void> {
      if (interaction.event === 'ForgotPassword') throw new HeraldError('session.not_supported_for_forgot_password');
      const user = interaction.event === 'SignIn' ? await identifiedUser(interaction) : undefined;
      const profile = interaction.profile;
      // At sign-in the profile may add what the user lacks, never replace what they have (a
      // password alone must not be enough to take over the email or set a new password).
      if (user) {
        const held =
          input.type === 'username'
            ? user.username
            : input.type === 'email'
              ? user.primary_email
              : input.type === 'phone'
                ? user.primary_phone
                : user.password_encrypted;
        if (held) throw new HeraldError(`user.${input.type}_exists_in_profile` as 'user.username_exists_in_profile');
      }
      if (input.type === 'username') {
        const value = input.value ?? '';
        if (!USERNAME_PATTERN.test(value) || value.length > 128)
          throw new HeraldError('guard.invalid_input', {
            message: 'The username must start with a letter or _ and hold letters, digits and _ only.',
            data: { field: 'body.value' },
          });
        if (await deps.users.findUserIdByIdentifier(db, 'username', value, user?.id))
          throw new HeraldError('user.username_already_in_use');
        // A password set before the username was not checked against it: it must be set again.
        if (profile.username !== value) delete profile.passwordEncrypted;
        profile.username = value;
      } else if (input.type === 'password') {
        const value = input.value ?? '';
        checkPassword(value, { minLength: deps.passwordMinLength, username: profile.username ?? user?.username });
        profile.passwordEncrypted = await hashPassword(value);
      } else {
        if (!input.verificationId)
          throw new HeraldError('guard.invalid_input', {
            message: 'verificationId is missing.',
            data: { field: 'body.verificationId' },
          });
        const entry = record(interaction, input.verificationId, [
          input.type === 'email' ? 'EmailVerificationCode' : 'PhoneVerificationCode',
        ] as const);
        if (!entry.verified) throw new HeraldError('session.verification_failed');
        // Logto validates the number when it writes it (422 `user.invalid_phone`); here, before the submit.
        if (input.type === 'phone' && !normalizePhone(entry.identifier.value))
          throw new HeraldError('user.invalid_phone');
        const field = input.type === 'email' ? 'primary_email' : 'primary_phone';
        if (await deps.users.findUserIdByIdentifier(db, field, entry.identifier.value, user?.id)) {
          throw new HeraldError(input.type === 'email' ? 'user.email_already_in_use' : 'user.phone_already_in_use');
        }
        if (input.type === 'email') profile.primaryEmail = entry.identifier.value;
        else profile.primaryPhone = entry.identifier.value;
      }
      await interactions.save(interaction);
    },

    /** ForgotPassword: the new password, checked against the policy and the old one. */
    async setNewPassword(interaction: Interaction, password: string): Promise<void> {
      if (interaction.event !== 'ForgotPassword') throw new HeraldError('session.invalid_interaction_type');
      const user = await identifiedUser(interaction);
      checkPassword(password, { minLength: deps.passwordMinLength, username: user.username });
      if (
        user.password_encrypted &&
        (await verifyDigest(password, user.password_encrypted, user.password_encryption_method))
      )
        throw new HeraldError('user.same_password');
      interaction.profile.passwordEncrypted = await hashPassword(password);
      await interactions.save(interaction);
    },

    /**
     * Ends the interaction. SignIn/Register: applies the profile gathered, sets lastSignInAt, emits
     * PostSignIn/PostRegister (and User.Data.Updated if the profile changed the user).
     * ForgotPassword: sets the new password, emits PostResetPassword and User.Data.Updated.
     */
    async submit(interaction: Interaction, info: RequestInfo): Promise<{ userId: string; sessionId: string }> {
      const user = await identifiedUser(interaction);
      if (user.is_suspended) throw new HeraldError('user.suspended');
      const profile = interaction.profile;
      if (interaction.event === 'ForgotPassword' && !profile.passwordEncrypted)
        throw new HeraldError('user.new_password_required_in_profile');
      const context = await flowContext(interaction, info);
      const application = context.application;
      // PreSignIn / PrePasswordReset: the user is identified, nothing is written yet.
      const phase: SyncHookPhase | undefined =
        interaction.event === 'SignIn'
          ? 'PreSignIn'
          : interaction.event === 'ForgotPassword'
            ? 'PrePasswordReset'
            : undefined;
      const verdict = phase
        ? await gate(phase, interaction, info, toUserInfo(toUser(user)), identifierOf(interaction), application)
        : undefined;
      const hookPatch = verdict?.patch;
      await recordedWith(verdict, () =>
        transaction(db, async (tx) => {
          // First: end the interaction; a concurrent submit of the same one finds nothing to end.
          if (!(await interactions.remove(tx.db, interaction.id))) throw new HeraldError('session.not_found');
          const at = now();
          const patch: Partial<UsersTable> = hookPatch ? await patchedColumns(tx.db, user.id, hookPatch) : {};
          if (profile.username) patch.username = profile.username;
          if (profile.primaryEmail) patch.primary_email = profile.primaryEmail;
          if (profile.primaryPhone) patch.primary_phone = profile.primaryPhone;
          if (profile.passwordEncrypted) {
            patch.password_encrypted = profile.passwordEncrypted;
            patch.password_encryption_method = 'Argon2id';
          }
          const profileChanged = Object.keys(patch).length > 0;
          if (interaction.event !== 'ForgotPassword') patch.last_sign_in_at = at;
          if (profileChanged) patch.updated_at = at;
          if (Object.keys(patch).length) await deps.users.updateUserColumns(tx.db, user.id, patch);
          const row = await deps.users.findUserById(tx.db, user.id);
          if (!row) throw new HeraldError('session.identifier_not_found');
          const updated = toUser(row);
          const info_ = toUserInfo(updated);
          const events: { event: HookEvent; context: Record<string, unknown> }[] = [
            {
              event: interactionHookEvent[interaction.event],
              context: {
                interactionEvent: interaction.event,
                sessionId: interaction.id,
                userAgent: info.userAgent,
                userId: user.id,
                userIp: info.ip,
                user: info_,
                ...(application ? { application } : {}),
              },
            },
          ];
          if (profileChanged) events.push({ event: 'User.Data.Updated', context: { ...context, data: info_ } });
          await deps.emitter.emitMany(tx, events);
          await verdict?.record(tx);
        }),
      );
      return { userId: user.id, sessionId: interaction.id };
    },
  };
}

export type ExperienceService = ReturnType<typeof createExperienceService>;
