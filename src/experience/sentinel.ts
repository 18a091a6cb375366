/**
 * The sentinel: failed verifications (password or code) per identifier, and verification-code
 * sends per recipient, kept in `sentinel_activities` under a SHA-256 of the normalised identifier
 * (unknown identifiers count too, so lockouts do not reveal who exists).
 *
 * Lockout: HERALD_LOCKOUT_MAX_ATTEMPTS failures within HERALD_LOCKOUT_WINDOW_SECONDS lock the
 * identifier for HERALD_LOCKOUT_SECONDS; the attempt that reaches the limit and every attempt while
 * locked answer 400 `session.verification_blocked_too_many_attempts` and emit `Identifier.Lockout`
 * (committed on its own, although the request fails). Rate limit: HERALD_MESSAGE_RATE_LIMIT sends
 * per recipient within HERALD_MESSAGE_RATE_WINDOW_SECONDS; the next answers 429
 * `request.message_rate_limited` and emits `Message.RateLimited`.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import { HeraldError } from '../http/errors.ts';
import { generateId } from '../util/id.ts';

export type IdentifierType = 'username' | 'email' | 'phone';
const VERIFICATION_ACTIONS = ['Password', 'VerificationCode'] as const;
export type VerificationAction = (typeof VERIFICATION_ACTIONS)[number];
const SEND_ACTION = 'VerificationCodeSend';

export interface SentinelPolicy {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
  messageLimit: number;
  messageWindowMs: number;
}

/** Emails compare without case, phone numbers by their digits, usernames as typed. */
export function targetHash(type: IdentifierType, value: string): string {
  const normalised = type === 'email' ? value.trim().toLowerCase() : type === 'phone' ? value.replace(/\D/g, '') : value;
  return createHash('sha256').update(`${type}:${normalised}`).digest('hex');
}

export function createSentinel(deps: { db: Kysely<DB>; policy: SentinelPolicy; clock?: () => number }) {
  const now = deps.clock ?? Date.now;
  const { policy } = deps;

  async function lockedUntil(db: Kysely<DB>, hash: string, at: number): Promise<number | undefined> {
    const row = await db
      .selectFrom('sentinel_activities')
      .select((eb) => eb.fn.max('decision_expires_at').as('until'))
      .where('target_hash', '=', hash)
      .where('action', 'in', VERIFICATION_ACTIONS)
      .where('decision', '=', 'Blocked')
      .where('decision_expires_at', '>', at)
      .executeTakeFirst();
    return row?.until === null || row?.until === undefined ? undefined : Number(row.until);
  }

  const blockedError = (until: number, at: number) =>
    new HeraldError('session.verification_blocked_too_many_attempts', {
      message: `Too many attempts in a short time. Please try again in ${Math.max(1, Math.ceil((until - at) / 60_000))} minutes.`,
      data: { retryAfterSeconds: Math.ceil((until - at) / 1000) },
    });

  return {
    /**
     * Runs `verify` for this identifier unless it is locked. A failure is counted; the one that
     * reaches the limit locks the identifier. `onLockout(tx-less)` runs for every refused attempt,
     * before the error is thrown, to emit the event.
     */
    async guard<T>(input: { type: IdentifierType; value: string; action: VerificationAction; onLockout: () => Promise<void> }, verify: () => Promise<T>): Promise<T> {
      const hash = targetHash(input.type, input.value);
      const at = now();
      const until = await lockedUntil(deps.db, hash, at);
      const record = (result: 'Success' | 'Failed', decision: 'Allowed' | 'Blocked', expiresAt: number | null) =>
        deps.db
          .insertInto('sentinel_activities')
          .values({ id: generateId(), target_hash: hash, action: input.action, result, decision, decision_expires_at: expiresAt, created_at: now() })
          .execute();
      if (until !== undefined) {
        await record('Failed', 'Blocked', until);
        await input.onLockout();
        throw blockedError(until, at);
      }
      let result: T;
      try {
        result = await verify();
      } catch (error) {
        const failures = await deps.db
          .selectFrom('sentinel_activities')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('target_hash', '=', hash)
          .where('action', 'in', VERIFICATION_ACTIONS)
          .where('result', '=', 'Failed')
          .where('decision', '!=', 'Blocked')
          .where('created_at', '>', at - policy.windowMs)
          .executeTakeFirstOrThrow();
        if (Number(failures.n) + 1 >= policy.maxAttempts) {
          const lockEnds = now() + policy.lockoutMs;
          await record('Failed', 'Blocked', lockEnds);
          await input.onLockout();
          throw blockedError(lockEnds, now());
        }
        await record('Failed', 'Allowed', null);
        throw error;
      }
      // A burst of guesses is checked before any of them locks: one that succeeds after the lock
      // fell is refused all the same.
      const lockedSince = await lockedUntil(deps.db, hash, now());
      if (lockedSince !== undefined) {
        await record('Failed', 'Blocked', lockedSince);
        await input.onLockout();
        throw blockedError(lockedSince, now());
      }
      await record('Success', 'Allowed', null);
      return result;
    },

    /** 429 (after `onLimited`) when this recipient had its fill of codes in the window. */
    async assertMaySend(input: { type: IdentifierType; value: string; onLimited: () => Promise<void> }): Promise<void> {
      const sent = await deps.db
        .selectFrom('sentinel_activities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('target_hash', '=', targetHash(input.type, input.value))
        .where('action', '=', SEND_ACTION)
        .where('created_at', '>', now() - policy.messageWindowMs)
        .executeTakeFirstOrThrow();
      if (Number(sent.n) >= policy.messageLimit) {
        await input.onLimited();
        throw new HeraldError('request.message_rate_limited');
      }
    },

    async recordSend(type: IdentifierType, value: string): Promise<void> {
      await deps.db
        .insertInto('sentinel_activities')
        .values({ id: generateId(), target_hash: targetHash(type, value), action: SEND_ACTION, result: 'Success', decision: 'Allowed', decision_expires_at: null, created_at: now() })
        .execute();
    },
  };
}

export type Sentinel = ReturnType<typeof createSentinel>;
