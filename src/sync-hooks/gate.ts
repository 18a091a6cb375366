/**
 * The gate: while a sign-up, sign-in or password reset waits, the enabled synchronous hooks of its
 * phase are called one after another, in `order`, within the phase budget (HERALD_SYNC_HOOK_BUDGET_MS;
 * each call gets the smaller of its hook's `timeoutMs` and what is left). The first deny wins and
 * the hooks after it are not called; patches merge in order (a later hook sees the user as the
 * earlier ones patched it). A failure (non-2xx, bad JSON, unknown action, oversized answer, timeout,
 * refused destination, budget spent) follows the hook's `failurePolicy`: `open` allows and logs,
 * `closed` denies with 503 `hook.sync_unavailable`. Nothing is retried.
 *
 * Every call is recorded (sync_hook_calls) with the `SyncHook.Denied` / `SyncHook.Failed` events in
 * one transaction, before the caller's change is made; the caller applies the merged patch in the
 * transaction of its change. No transaction is held while an endpoint is called.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB, Dialect, SyncHookCallsTable, SyncHooksTable } from '../db/types.ts';
import { transaction, type Tx } from '../db/tx.ts';
import { escapeLabel } from '../delivery/metrics.ts';
import type { EmitInput, Emitter } from '../delivery/outbox.ts';
import { HeraldError } from '../http/errors.ts';
import { prepareRequest, scrubErrorOrNull, type Sender, type SendResult } from '../outbound/index.ts';
import { generateRecordId } from '../util/id.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../util/json-text.ts';
import {
  ANSWER_MAX_BYTES,
  SyncAnswerSchema,
  type FailurePolicy,
  type SyncAnswer,
  type SyncDecision,
  type SyncHookConfig,
  type SyncHookPhase,
  type SyncPatch,
} from './schemas.ts';
import * as store from './store.ts';

type Json = Record<string, unknown>;
type CachedHook = Omit<SyncHooksTable, 'config'> & { config: SyncHookConfig };

/** How long one instance may use its list of a phase's hooks before reading it again. */
export const HOOKS_CACHE_MS = 1000;

/** What the request that waits knows: the body's fields but `phase` and `createdAt`. */
export interface SyncRequest {
  /** Register, SignIn or ForgotPassword; null for `POST /api/users`. */
  interactionEvent: string | null;
  sessionId: string | null;
  userAgent: string | undefined;
  userIp: string;
  application?: { id: string; type: string; name: string; description: string | null } | undefined;
  identifier?: { type: string; value: string } | undefined;
  /** Logto's user fields (userInfoSelectFields), never a password. */
  user: Json & { id: string | null };
}

/** One call's result, before it is recorded. */
export interface CallResult {
  decision: SyncDecision;
  answer?: SyncAnswer;
  send?: SendResult;
  error?: string;
  durationMs: number;
}

/** Compiled at the first answer read, not at start (start-to-ready, issue 19). */
let answerValidator: ValidateFunction<SyncAnswer> | undefined;
function validateAnswer(value: unknown): value is SyncAnswer {
  if (!answerValidator) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats.default(ajv);
    answerValidator = ajv.compile<SyncAnswer>(SyncAnswerSchema as object);
  }
  return answerValidator(value);
}

/**
 * The endpoint's answer read strictly: a 2xx whose body is JSON of SyncAnswerSchema, at most
 * ANSWER_MAX_BYTES; anything else is a failure with the reason.
 */
export function readAnswer(send: SendResult): { answer: SyncAnswer } | { error: string } {
  if (!send.ok) {
    if (send.statusCode !== undefined && send.statusCode >= 300 && send.statusCode < 400)
      return { error: `endpoint answered ${send.statusCode}; redirects are not followed` };
    return { error: send.error ?? `endpoint answered ${send.statusCode}` };
  }
  if (send.responseTruncated) return { error: `the answer is larger than ${ANSWER_MAX_BYTES} bytes` };
  const text = send.responseBody ?? '';
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return { error: 'the answer nests too deep' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: 'the answer is not JSON' };
  }
  if (!validateAnswer(parsed)) {
    const first = answerValidator?.errors?.[0];
    const where = first?.instancePath || '(the answer)';
    const allowed = (first?.params as { allowedValues?: unknown } | undefined)?.allowedValues;
    return {
      error: `the answer is not one Herald takes: ${where} ${first?.message ?? 'is invalid'}${allowed ? ` (${JSON.stringify(allowed)})` : ''}; expected {"action":"allow"}, {"action":"allow","patch":{…}} or {"action":"deny","code":"…","message":"…"}`,
    };
  }
  return { answer: parsed };
}

/** `user` with `patch` applied: customData and profile merged by top-level key, name and avatar replaced. */
export function applyPatch<T extends object>(user: T, patch: SyncPatch): T {
  const before = user as Json;
  const next: Json = { ...before };
  if (patch.customData) next.customData = { ...((before.customData as Json | undefined) ?? {}), ...patch.customData };
  if (patch.profile) next.profile = { ...((before.profile as Json | undefined) ?? {}), ...patch.profile };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.avatar !== undefined) next.avatar = patch.avatar || null;
  return next as T;
}

/** Two patches as one: the later's keys win, customData and profile merged by top-level key. */
export function mergePatches(a: SyncPatch | undefined, b: SyncPatch): SyncPatch {
  if (!a) return b;
  const out: SyncPatch = { ...a, ...b };
  if (a.customData && b.customData) out.customData = { ...a.customData, ...b.customData };
  if (a.profile && b.profile) out.profile = { ...a.profile, ...b.profile };
  return out;
}

/** What an allowed request carries on to its change. */
export interface Verdict {
  /** The hooks' patches merged in order; undefined when none patched. */
  readonly patch: SyncPatch | undefined;
  /** Writes the calls (and `SyncHook.Failed` of open failures) in the transaction of the change. */
  record(tx: Tx): Promise<void>;
  /** When the change failed and its transaction rolled back: the same write, alone (failures logged, never thrown). */
  recordAlone(): Promise<void>;
}

const NO_HOOKS: Verdict = { patch: undefined, record: async () => undefined, recordAlone: async () => undefined };

/**
 * Runs `change`, which writes `verdict.record(tx)` in its transaction; should the change fail, the
 * calls are recorded alone before its error goes on, so every call is on record either way.
 */
export async function recordedWith<T>(verdict: Verdict | undefined, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    await verdict?.recordAlone();
    throw error;
  }
}

/** Counters and a latency histogram of this instance's calls, for /metrics. */
const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function createCallStats() {
  const calls = new Map<string, { hookId: string; name: string; phase: string; decision: string; n: number }>();
  const buckets = new Map<string, number[]>();
  const sums = new Map<string, { sum: number; count: number }>();
  return {
    count(hook: Pick<SyncHooksTable, 'id' | 'name' | 'phase'>, decision: SyncDecision, durationMs: number) {
      const key = `${hook.id}\u0000${decision}`;
      const entry = calls.get(key) ?? { hookId: hook.id, name: hook.name, phase: hook.phase, decision, n: 0 };
      entry.name = hook.name;
      entry.n++;
      calls.set(key, entry);
      const seconds = durationMs / 1000;
      const counts = buckets.get(hook.phase) ?? DURATION_BUCKETS_S.map(() => 0);
      for (const [i, le] of DURATION_BUCKETS_S.entries()) if (seconds <= le) counts[i] = (counts[i] ?? 0) + 1;
      buckets.set(hook.phase, counts);
      const total = sums.get(hook.phase) ?? { sum: 0, count: 0 };
      total.sum += seconds;
      total.count++;
      sums.set(hook.phase, total);
    },
    render(): string[] {
      const lines = [
        '# HELP herald_sync_hook_calls_total Synchronous hook calls made by this instance, by hook and decision.',
        '# TYPE herald_sync_hook_calls_total counter',
      ];
      for (const c of calls.values())
        lines.push(
          `herald_sync_hook_calls_total{hook_id="${c.hookId}",hook_name="${escapeLabel(c.name)}",phase="${c.phase}",decision="${c.decision}"} ${c.n}`,
        );
      lines.push(
        '# HELP herald_sync_hook_call_duration_seconds Duration of synchronous hook calls made by this instance, by phase.',
        '# TYPE herald_sync_hook_call_duration_seconds histogram',
      );
      for (const [phase, counts] of buckets) {
        for (const [i, le] of DURATION_BUCKETS_S.entries())
          lines.push(`herald_sync_hook_call_duration_seconds_bucket{phase="${phase}",le="${le}"} ${counts[i]}`);
        const total = sums.get(phase) ?? { sum: 0, count: 0 };
        lines.push(
          `herald_sync_hook_call_duration_seconds_bucket{phase="${phase}",le="+Inf"} ${total.count}`,
          `herald_sync_hook_call_duration_seconds_sum{phase="${phase}"} ${total.sum}`,
          `herald_sync_hook_call_duration_seconds_count{phase="${phase}"} ${total.count}`,
        );
      }
      return lines;
    },
  };
}

export function createSyncHookGate(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  emitter: Emitter;
  sender: Sender;
  /** HERALD_SYNC_HOOK_BUDGET_MS. */
  budgetMs: number;
  userAgent?: string | undefined;
  log: Logger;
  clock?: () => number;
}) {
  const now = deps.clock ?? Date.now;
  const log = deps.log.child({ module: 'sync-hooks' });
  const stats = createCallStats();

  /** One signed POST of `body` to the hook's endpoint, and its answer read. Never throws. */
  async function call(
    hook: Pick<SyncHooksTable, 'signing_key'> & { config: SyncHookConfig },
    body: string,
    callId: string,
    timeoutMs: number,
  ): Promise<CallResult> {
    const outgoing = prepareRequest({
      url: hook.config.url,
      body,
      signingKey: hook.signing_key,
      webhookId: callId,
      timestampSeconds: Math.floor(now() / 1000),
      customHeaders: hook.config.headers,
      userAgent: deps.userAgent,
    });
    const send = await deps.sender.send(outgoing, timeoutMs, undefined, { maxResponseBytes: ANSWER_MAX_BYTES });
    const read = readAnswer(send);
    if ('error' in read) return { decision: 'failed', send, error: read.error, durationMs: send.durationMs };
    return { decision: read.answer.action, answer: read.answer, send, durationMs: send.durationMs };
  }

  /**
   * The enabled hooks of each phase, read at most every HOOKS_CACHE_MS: a sign-in does not pay a
   * query for the list. This instance's own changes clear it at once (`invalidate`); another
   * instance's reach it within HOOKS_CACHE_MS.
   */
  const cache = new Map<string, { at: number; hooks: Promise<CachedHook[]> }>();
  function hooksOf(phase: SyncHookPhase): Promise<CachedHook[]> {
    const at = performance.now();
    const cached = cache.get(phase);
    if (cached && at - cached.at < HOOKS_CACHE_MS) return cached.hooks;
    const hooks = store
      .listEnabledForPhase(deps.db, phase)
      .then((rows) => rows.map((row) => ({ ...row, config: JSON.parse(row.config) as SyncHookConfig })));
    cache.set(phase, { at, hooks });
    // A failed read is not kept.
    hooks.catch(() => cache.delete(phase));
    return hooks;
  }

  /** The body an endpoint receives. */
  const bodyOf = (phase: SyncHookPhase, request: SyncRequest, user: Json) =>
    JSON.stringify({
      phase,
      interactionEvent: request.interactionEvent,
      createdAt: new Date(now()).toISOString(),
      sessionId: request.sessionId,
      userAgent: request.userAgent ?? null,
      userIp: request.userIp,
      ...(request.application ? { application: request.application } : {}),
      ...(request.identifier ? { identifier: request.identifier } : {}),
      user,
    });

  return {
    call,
    bodyOf,
    /** Forgets the cached hook lists (after a change through this instance's API). */
    invalidate: () => cache.clear(),
    metricsLines: stats.render,

    /**
     * Runs the phase's hooks for `request`. A deny throws 403 `hook.denied`, a failure of a
     * `closed` hook 503 `hook.sync_unavailable` (both recorded first, in a transaction of their
     * own). Otherwise resolves with the verdict: the merged patch (undefined when no hook patched)
     * and the record of the calls, which the caller writes in the transaction of its change
     * (`verdict.record(tx)`, one commit for both; see `recordedWith`). With no enabled hook of the
     * phase, it costs a cached lookup (one indexed read a second).
     */
    async run(phase: SyncHookPhase, request: SyncRequest): Promise<Verdict> {
      const hooks = await hooksOf(phase);
      if (hooks.length === 0) return NO_HOOKS;
      const started = performance.now();
      let user: Json = request.user;
      let patch: SyncPatch | undefined;
      let denial: HeraldError | undefined;
      const rows: SyncHookCallsTable[] = [];
      const events: EmitInput[] = [];
      for (const hook of hooks) {
        const callId = generateRecordId();
        const body = bodyOf(phase, request, user);
        const left = Math.floor(deps.budgetMs - (performance.now() - started));
        const result: CallResult =
          left < 1
            ? {
                decision: 'failed',
                error: `the phase budget of ${deps.budgetMs} ms was spent before this hook`,
                durationMs: 0,
              }
            : await call(hook, body, callId, Math.min(hook.timeout_ms, left));
        const policy = hook.failure_policy as FailurePolicy;
        const denied = result.decision === 'deny' || (result.decision === 'failed' && policy === 'closed');
        const answer = result.answer;
        rows.push({
          id: callId,
          hook_id: hook.id,
          phase,
          interaction_event: request.interactionEvent,
          session_id: request.sessionId,
          user_id: request.user.id,
          decision: result.decision,
          effect: denied ? 'denied' : 'allowed',
          patched: answer?.action === 'allow' && answer.patch !== undefined,
          status_code: result.send?.statusCode ?? null,
          duration_ms: result.durationMs,
          request: body,
          response_body: result.send?.responseBody ?? null,
          error: result.error ?? null,
          deny_code: answer?.action === 'deny' ? answer.code : null,
          deny_message: answer?.action === 'deny' ? (answer.message ?? null) : null,
          created_at: now(),
        });
        stats.count(hook, result.decision, result.durationMs);
        const context = {
          syncHookId: hook.id,
          syncHookName: hook.name,
          callId,
          phase,
          interactionEvent: request.interactionEvent,
          sessionId: request.sessionId,
          userAgent: request.userAgent,
          userIp: request.userIp,
          ...(request.application ? { application: request.application } : {}),
          userId: request.user.id,
          user,
        };
        if (answer?.action === 'deny') {
          const message = answer.message ?? 'The request was denied.';
          events.push({ event: 'SyncHook.Denied', context: { ...context, code: answer.code, message } });
          denial = new HeraldError('hook.denied', { message, data: { hookCode: answer.code } });
          break;
        }
        if (result.decision === 'failed') {
          log.warn(
            {
              syncHookId: hook.id,
              phase,
              policy,
              error: scrubErrorOrNull(result.error ?? null),
              statusCode: result.send?.statusCode,
            },
            policy === 'closed'
              ? 'synchronous hook failed; denied (policy closed)'
              : 'synchronous hook failed; allowed (policy open)',
          );
          events.push({
            event: 'SyncHook.Failed',
            context: {
              ...context,
              // URLs in it without their credentials or query values, as the calls log shows them.
              error: scrubErrorOrNull(result.error ?? null),
              statusCode: result.send?.statusCode ?? null,
              failurePolicy: policy,
              outcome: denied ? 'denied' : 'allowed',
            },
          });
          if (denied) {
            // The end user learns nothing about the hook; the operator has the call log and SyncHook.Failed.
            denial = new HeraldError('hook.sync_unavailable');
            break;
          }
          continue;
        }
        if (answer?.action === 'allow' && answer.patch) {
          patch = mergePatches(patch, answer.patch);
          user = applyPatch(user, answer.patch);
        }
      }
      const write = async (tx: Tx) => {
        await store.insertCalls(tx.db, rows, deps.dialect);
        if (events.length) await deps.emitter.emitMany(tx, events);
      };
      if (denial) {
        await transaction(deps.db, write);
        throw denial;
      }
      let committed = false;
      return {
        patch,
        async record(tx) {
          await write(tx);
          tx.afterCommit(() => {
            committed = true;
          });
        },
        async recordAlone() {
          if (committed) return;
          try {
            await transaction(deps.db, write);
            committed = true;
          } catch (error) {
            log.error({ err: error, phase }, 'could not record synchronous-hook calls');
          }
        },
      };
    },
  };
}

export type SyncHookGate = ReturnType<typeof createSyncHookGate>;
