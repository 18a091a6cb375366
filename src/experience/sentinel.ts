/**
 * The sentinel: failed verifications (password or code) and verification-code sends, kept in
 * `sentinel_activities` under SHA-256 target hashes of canonical forms (src/identity/identifiers.ts;
 * unknown identifiers count too, so lockouts do not reveal who exists).
 *
 * Lockout: HERALD_LOCKOUT_MAX_ATTEMPTS failures within HERALD_LOCKOUT_WINDOW_SECONDS, counted per
 * identifier **and** per account (every spelling of a user's username, email and phone shares the
 * account's count), lock both for HERALD_LOCKOUT_SECONDS. The attempt that locks and every attempt
 * while locked answer 400 `session.verification_blocked_too_many_attempts`; only the attempt that
 * locks emits `Identifier.Lockout`, the rest are counted in the lock row (`refused`).
 *
 * Sends: per mailbox (canonical email without `+tag`, or E.164 phone), per client address and for
 * the whole server, each within HERALD_MESSAGE_RATE_WINDOW_SECONDS. The next send answers 429
 * `request.message_rate_limited`; the first refusal of a window emits `Message.RateLimited`, the
 * rest are counted.
 *
 * Deciding "first", and counting a send against its limits, happen in a transaction holding the
 * targets' PostgreSQL advisory locks (taken in one order; SQLite has one writer), so concurrent
 * attempts cannot both emit, and a burst of sends cannot all pass one count.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB, Dialect } from '../db/types.ts';
import { transaction } from '../db/tx.ts';
import { HeraldError } from '../http/errors.ts';
import { canonicalIdentifier, canonicalPhone, mailboxOf, type IdentifierKind } from '../identity/identifiers.ts';
import { generateRecordId } from '../util/id.ts';
import { clientKey } from '../util/ip.ts';

export type IdentifierType = IdentifierKind;
const VERIFICATION_ACTIONS = ['Password', 'VerificationCode'] as const;
export type VerificationAction = (typeof VERIFICATION_ACTIONS)[number];
const SEND_ACTION = 'VerificationCodeSend';
const SEND_LIMITED_ACTION = 'VerificationCodeSendLimited';

export interface SentinelPolicy {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
  /** Sends per mailbox in the window. */
  messageLimit: number;
  /** Sends per client address (an IPv6 client by its /64) in the window. */
  messageIpLimit: number;
  /** Sends by the whole server in the window. */
  messageGlobalLimit: number;
  messageWindowMs: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** An identifier, by its canonical form: every spelling of one address is one target. */
export const identifierTarget = (type: IdentifierType, value: string) =>
  digest(`${type}:${canonicalIdentifier(type, value)}`);
/** A user account, whatever identifier named it. */
export const accountTarget = (userId: string) => digest(`account:${userId}`);
/** A mailbox or phone for counting sends: plus-addressing folded. */
export const recipientTarget = (type: 'email' | 'phone', value: string) =>
  digest(`recipient:${type === 'email' ? mailboxOf(value) : canonicalPhone(value)}`);
/** A client address, as the per-client limits count it (util/ip.ts: an IPv6 client by its /64). */
export const clientTarget = (ip: string) => digest(`client:${clientKey(ip)}`);
const GLOBAL_TARGET = digest('global');

export function createSentinel(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  policy: SentinelPolicy;
  clock?: () => number;
}) {
  const now = deps.clock ?? Date.now;
  const { db, policy } = deps;

  /** The active row of `action` (a lock, a send refusal) for any of these targets: the one lasting longest. */
  async function activeRow(executor: Kysely<DB>, targets: readonly string[], actions: readonly string[], at: number) {
    return executor
      .selectFrom('sentinel_activities')
      .select(['id', 'decision_expires_at'])
      .where('target_hash', 'in', targets)
      .where('action', 'in', actions)
      .where('decision', '=', 'Blocked')
      .where('decision_expires_at', '>', at)
      .orderBy('decision_expires_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Serialises work on these targets across instances: their advisory locks, in one order (no deadlock). */
  async function lockTargets(executor: Kysely<DB>, targets: readonly string[]): Promise<void> {
    if (deps.dialect !== 'postgres') return;
    for (const target of [...new Set(targets)].sort())
      await sql`select pg_advisory_xact_lock(hashtext(${`herald.sentinel:${target}`}))`.execute(executor);
  }

  /** One more attempt refused while the row `id` (a lock, a send refusal) lasts. */
  const countRefused = (executor: Kysely<DB>, id: string) =>
    executor
      .updateTable('sentinel_activities')
      .set((eb) => ({ refused: eb('refused', '+', 1) }))
      .where('id', '=', id)
      .execute();

  /**
   * Blocks these targets until `until` unless one already is: answers whether this call did (and so
   * should emit the event) and until when the block lasts. Runs under the targets' locks.
   */
  async function blockOnce(
    targets: readonly string[],
    actions: readonly string[],
    action: string,
    until: number,
    executor?: Kysely<DB>,
  ): Promise<{ created: boolean; until: number }> {
    const work = async (tx: Kysely<DB>) => {
      await lockTargets(tx, targets);
      const at = now();
      const existing = await activeRow(tx, targets, actions, at);
      if (existing) {
        await countRefused(tx, existing.id);
        return { created: false, until: Number(existing.decision_expires_at) };
      }
      await tx
        .insertInto('sentinel_activities')
        .values(
          targets.map((target_hash) => ({
            id: generateRecordId(at),
            target_hash,
            action,
            result: 'Failed',
            decision: 'Blocked',
            decision_expires_at: until,
            refused: 0,
            created_at: at,
          })),
        )
        .execute();
      return { created: true, until };
    };
    return executor ? work(executor) : transaction(db, (tx) => work(tx.db));
  }

  const blockedError = (until: number, at: number) =>
    new HeraldError('session.verification_blocked_too_many_attempts', {
      message: `Too many attempts in a short time. Please try again in ${Math.max(1, Math.ceil((until - at) / 60_000))} minutes.`,
      data: { retryAfterSeconds: Math.ceil((until - at) / 1000) },
    });

  /** One activity row per target, decided `Allowed`. */
  async function record(
    executor: Kysely<DB>,
    targets: readonly string[],
    action: string,
    result: 'Success' | 'Failed',
    at = now(),
  ): Promise<void> {
    await executor
      .insertInto('sentinel_activities')
      .values(
        targets.map((target_hash) => ({
          id: generateRecordId(at),
          target_hash,
          action,
          result,
          decision: 'Allowed',
          decision_expires_at: null,
          refused: 0,
          created_at: at,
        })),
      )
      .execute();
  }

  /** Refuses (counting the refusal on the lock) when any target is locked. */
  async function refuseIfLocked(targets: readonly string[]): Promise<void> {
    const at = now();
    const lock = await activeRow(db, targets, VERIFICATION_ACTIONS, at);
    if (!lock) return;
    await countRefused(db, lock.id);
    throw blockedError(Number(lock.decision_expires_at), at);
  }

  return {
    /**
     * Runs `verify` unless a target is locked. `targets` are the identifier's and, when it names a
     * user, the account's. A failure counts against every target; the one that reaches the limit
     * locks them all and (only that one) calls `onLockout` to emit the event.
     */
    async guard<T>(
      input: { targets: readonly string[]; action: VerificationAction; onLockout: () => Promise<void> },
      verify: () => Promise<T>,
    ): Promise<T> {
      const { targets } = input;
      await refuseIfLocked(targets);
      const at = now();
      let result: T;
      try {
        result = await verify();
      } catch (error) {
        // Counting this failure and deciding the lock are one step under the targets' locks: a burst
        // of concurrent wrong guesses cannot all read the same count and each record one more failure.
        const lock = await transaction(db, async (tx) => {
          await lockTargets(tx.db, targets);
          const failures = await tx.db
            .selectFrom('sentinel_activities')
            .select(['target_hash', (eb) => eb.fn.countAll<number>().as('n')])
            .where('target_hash', 'in', targets)
            .where('action', 'in', VERIFICATION_ACTIONS)
            .where('result', '=', 'Failed')
            .where('decision', '!=', 'Blocked')
            .where('created_at', '>', at - policy.windowMs)
            .groupBy('target_hash')
            .execute();
          if (failures.some((f) => Number(f.n) + 1 >= policy.maxAttempts)) {
            return blockOnce(targets, VERIFICATION_ACTIONS, input.action, now() + policy.lockoutMs, tx.db);
          }
          await record(tx.db, targets, input.action, 'Failed');
          return undefined;
        });
        if (lock) {
          if (lock.created) await input.onLockout();
          throw blockedError(lock.until, now());
        }
        throw error;
      }
      // A burst of guesses is checked before any of them locks: one that succeeds after the lock
      // fell is refused all the same.
      await refuseIfLocked(targets);
      await record(db, targets, input.action, 'Success');
      return result;
    },

    /**
     * Counts one send for the mailbox, the client and the server, unless one of them had its fill
     * in the window: then 429 `request.message_rate_limited`, and `onLimited` (the event) for the
     * first refusal of that limit in the window. Counted whether a code is then sent or not, so
     * the limit cannot tell held addresses from others. Check and count are one step under the
     * targets' locks: a burst of concurrent sends cannot all pass the same count.
     */
    async reserveSend(input: {
      type: 'email' | 'phone';
      value: string;
      ip: string;
      onLimited: () => Promise<void>;
    }): Promise<void> {
      const checks: [string, number][] = [
        [GLOBAL_TARGET, policy.messageGlobalLimit],
        [clientTarget(input.ip), policy.messageIpLimit],
        [recipientTarget(input.type, input.value), policy.messageLimit],
      ];
      const targets = checks.map(([target]) => target);
      const refusal = await transaction(db, async (tx) => {
        await lockTargets(tx.db, targets);
        const at = now();
        for (const [target, limit] of checks) {
          const sent = await tx.db
            .selectFrom('sentinel_activities')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('target_hash', '=', target)
            .where('action', '=', SEND_ACTION)
            .where('created_at', '>', at - policy.messageWindowMs)
            .executeTakeFirstOrThrow();
          if (Number(sent.n) >= limit)
            return blockOnce([target], [SEND_LIMITED_ACTION], SEND_LIMITED_ACTION, at + policy.messageWindowMs, tx.db);
        }
        await record(tx.db, targets, SEND_ACTION, 'Success', at);
        return undefined;
      });
      if (!refusal) return;
      if (refusal.created) await input.onLimited();
      throw new HeraldError('request.message_rate_limited');
    },
  };
}

export type Sentinel = ReturnType<typeof createSentinel>;
