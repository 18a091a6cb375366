/**
 * Webhooks as Logto's `/api/hooks` defines them: create, read, update, rotate the signing key,
 * delete, and send test payloads.
 */
import type { Kysely } from 'kysely';
import type { DB, HooksTable } from '../db/types.ts';
import type { DeliveryQueries } from '../delivery/index.ts';
import {
  maskResponseBody,
  prepareRequest,
  scrubError,
  toStandardSecret,
  type Sender,
  type SendResult,
} from '../outbound/index.ts';
import { testPayload, type HookEvent } from '../events/index.ts';
import { HeraldError, notExistsWithId } from '../http/errors.ts';
import { generateId, generateSecret } from '../util/id.ts';
import { transaction } from '../db/tx.ts';
import type { CreateHookInput, Hook, HookConfig, HookTestResult, TestHookInput, UpdateHookInput } from './schemas.ts';
import { dedupe } from '../util/lists.ts';
import * as store from './store.ts';
import { headerProblem } from './config-rules.ts';
import { destinationWarning, destinationWarningResolved, type DestinationPolicy } from '../outbound/ssrf.ts';

const TENANT_ID = 'default';
const SIGNING_KEY_LENGTH = 32;
const invalid = (field: string, message: string) =>
  new HeraldError('guard.invalid_input', { message, data: { field } });

function toHook(row: HooksTable, now: number = Date.now()): Hook {
  const graceUntil =
    row.previous_signing_key && (row.previous_signing_key_expires_at ?? 0) > now
      ? row.previous_signing_key_expires_at
      : null;
  return {
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    // Stored as the API took them: events a hook may take.
    event: row.event as HookEvent | null,
    events: JSON.parse(row.events) as HookEvent[],
    config: JSON.parse(row.config) as HookConfig,
    signingKey: row.signing_key,
    standardSigningKey: toStandardSecret(row.signing_key),
    enabled: Boolean(row.enabled),
    createdAt: row.created_at,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    previousSigningKeyExpiresAt: graceUntil,
    ...(row.listener ? { listener: true } : {}),
    // Present only while paused: an ordinary hook reads exactly as Logto shows it.
    ...(row.paused ? { paused: true, ...(row.paused_at == null ? {} : { pausedAt: Number(row.paused_at) }) } : {}),
  };
}

/** The name of `herald listen`'s hook for a local URL: how a restarted CLI finds its hook again. */
export const listenerName = (forwardTo: string): string => `herald listen → ${forwardTo}`.slice(0, 256);

/**
 * Checks a hook config the way the API promises: valid, unique header names. The URL is any
 * non-empty string, as Logto takes it: one that cannot be sent to fails its deliveries at once
 * (`Failed to parse URL from …`), and the console checks it before saving.
 */
export function validateConfig(config: HookConfig, field = 'body.config'): HookConfig {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    const problem = headerProblem(name, value, seen);
    if (problem) throw invalid(`${field}.headers`, problem);
  }
  const out: HookConfig = { url: config.url };
  if (config.headers !== undefined) out.headers = config.headers;
  if (config.retries !== undefined) out.retries = config.retries;
  return out;
}

export function createHookService(deps: {
  db: Kysely<DB>;
  sender: Sender;
  queries: DeliveryQueries;
  requestTimeoutMs: number;
  userAgent?: string;
  clock?: () => number;
  /** Wakes the dispatcher (and listener streams) when a resume has made held deliveries due; else they wait for its next look. */
  wake?: () => void;
  /** The SSRF guard's policy: a hook whose URL it will refuse carries `destinationWarning` (never refused here). */
  policy?: DestinationPolicy;
}) {
  const { db, sender, queries } = deps;

  // Herald extension `destinationWarning`: present only when the guard will refuse the hook's URL.
  // Lists judge IP literals and localhost only; one hook's answer also looks its host name up in
  // DNS (bounded by a short timeout, the answer kept a minute per host).
  const resolvedWarnings = new Map<string, { at: number; warning: string | undefined }>();
  const warned = (hook: Hook): Hook => {
    const warning = deps.policy && !hook.listener ? destinationWarning(deps.policy, hook.config.url) : undefined;
    return warning ? { ...hook, destinationWarning: warning } : hook;
  };
  const warnedResolved = async (hook: Hook): Promise<Hook> => {
    if (!deps.policy || hook.listener) return hook;
    const cached = resolvedWarnings.get(hook.config.url);
    let warning = cached && Date.now() - cached.at < 60_000 ? cached.warning : undefined;
    if (!cached || Date.now() - cached.at >= 60_000) {
      warning = await destinationWarningResolved(deps.policy, hook.config.url, { timeoutMs: 300 });
      if (resolvedWarnings.size >= 1000) resolvedWarnings.clear();
      resolvedWarnings.set(hook.config.url, { at: Date.now(), warning });
    }
    return warning ? { ...hook, destinationWarning: warning } : hook;
  };
  const now = deps.clock ?? Date.now;

  async function findOrThrow(id: string): Promise<HooksTable> {
    const row = await store.findHookById(db, id);
    if (!row) throw notExistsWithId('hook', id);
    return row;
  }

  /** Logto's code for an update of an unknown hook (its update query finds no row): 404 `entity.not_exists`. */
  async function findForUpdate(id: string): Promise<HooksTable> {
    const row = await store.findHookById(db, id);
    if (!row)
      throw new HeraldError('entity.not_exists', { message: 'The hook does not exist.', data: { name: 'hook' } });
    return row;
  }

  return {
    async createHook(input: CreateHookInput): Promise<Hook> {
      if (input.events === undefined && (input.event === undefined || input.event === null))
        throw new HeraldError('hook.missing_events');
      const config = validateConfig(input.config);
      const row: HooksTable = {
        id: generateId(),
        tenant_id: TENANT_ID,
        name: input.name ?? '',
        event: input.event ?? null,
        events: JSON.stringify(dedupe(input.events ?? [])),
        config: JSON.stringify(config),
        signing_key: generateSecret(SIGNING_KEY_LENGTH),
        enabled: input.enabled ?? true,
        created_at: now(),
        disabled_reason: null,
        disabled_at: null,
        failing_since: null,
        previous_signing_key: null,
        previous_signing_key_expires_at: null,
      };
      if (input.paused) Object.assign(row, { paused: true, paused_at: row.created_at });
      await store.insertHook(db, row);
      return warnedResolved(toHook(row));
    },

    async getHook(id: string, options: { includeExecutionStats?: boolean } = {}): Promise<Hook> {
      const hook = await warnedResolved(toHook(await findOrThrow(id)));
      if (options.includeExecutionStats) {
        hook.executionStats = (await queries.executionStats([id])).get(id) ?? { requestCount: 0, successCount: 0 };
      }
      return hook;
    },

    async listHooks(options: {
      page?: { offset: number; limit: number } | undefined;
      includeExecutionStats?: boolean;
    }): Promise<{ hooks: Hook[]; total: number }> {
      const hooks = (await store.listHooks(db, options.page)).map((row) => toHook(row)).map(warned);
      const total = options.page ? await store.countHooks(db) : hooks.length;
      if (options.includeExecutionStats) {
        const stats = await queries.executionStats(hooks.map((h) => h.id));
        for (const hook of hooks) hook.executionStats = stats.get(hook.id) ?? { requestCount: 0, successCount: 0 };
      }
      return { hooks, total };
    },

    /** `config` and `events` are replaced whole, as in Logto. */
    async updateHook(id: string, input: UpdateHookInput): Promise<Hook> {
      await findForUpdate(id);
      const patch: Partial<HooksTable> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.event !== undefined) patch.event = input.event;
      if (input.events !== undefined) patch.events = JSON.stringify(dedupe(input.events));
      if (input.config !== undefined) patch.config = JSON.stringify(validateConfig(input.config));
      if (input.enabled !== undefined) patch.enabled = input.enabled;
      // Re-enabling clears why Herald disabled it and restarts the failure streak; what is still
      // pending is delivered again from now on.
      if (input.enabled === true)
        Object.assign(patch, { disabled_reason: null, disabled_at: null, failing_since: null });
      await transaction(db, async (tx) => {
        await store.updateHookById(tx.db, id, patch);
        // Pausing holds what is created from now on; resuming makes what was held due again (its
        // deliveries kept their times, so the oldest go first) and moves the failure streak
        // forward by the paused time. Either is a no-op when the hook is in that state already.
        if (input.paused === true) await store.pauseHook(tx.db, id, now());
        else if (input.paused === false && (await store.resumeHook(tx.db, id, now())) && deps.wake)
          tx.afterCommit(deps.wake);
      });
      return warnedResolved(toHook(await findOrThrow(id)));
    },

    /**
     * A new signing key. With a grace period, the previous key keeps signing `webhook-signature`
     * next to the new one until it ends, so receivers can switch keys without rejecting anything;
     * `logto-signature-sha-256` uses the new key at once (it has room for one signature only).
     */
    async rotateSigningKey(id: string, gracePeriodSeconds = 0): Promise<Hook> {
      const row = await findForUpdate(id);
      const grace = gracePeriodSeconds > 0;
      await store.updateHookById(db, id, {
        signing_key: generateSecret(SIGNING_KEY_LENGTH),
        previous_signing_key: grace ? row.signing_key : null,
        previous_signing_key_expires_at: grace ? now() + gracePeriodSeconds * 1000 : null,
      });
      return warned(toHook(await findOrThrow(id), now()));
    },

    /**
     * `herald listen`'s hook for `forwardTo`: the one a previous run left (its pending deliveries
     * resume; events replaced when given, enabled again), or a new one subscribed to `events`.
     */
    async openListener(input: { forwardTo: string; events: HookEvent[] }): Promise<{ hook: Hook; resumed: boolean }> {
      if (input.events.length === 0) throw invalid('body.events', 'A listener needs at least one event.');
      const name = listenerName(input.forwardTo);
      const existing = await store.findListenerByName(db, name);
      if (existing) {
        await store.updateHookById(db, existing.id, {
          events: JSON.stringify(dedupe(input.events)),
          enabled: true,
          disabled_reason: null,
          disabled_at: null,
          failing_since: null,
        });
        return { hook: toHook(await findOrThrow(existing.id)), resumed: true };
      }
      const row: HooksTable = {
        id: generateId(),
        tenant_id: TENANT_ID,
        name,
        event: null,
        events: JSON.stringify(dedupe(input.events)),
        config: JSON.stringify({ url: input.forwardTo }),
        signing_key: generateSecret(SIGNING_KEY_LENGTH),
        enabled: true,
        created_at: now(),
        disabled_reason: null,
        disabled_at: null,
        failing_since: null,
        previous_signing_key: null,
        previous_signing_key_expires_at: null,
        listener: true,
      };
      await store.insertHook(db, row);
      return { hook: toHook(row), resumed: false };
    },

    /** A listener hook by id: 404 for none, 400 `listener.not_a_listener` for an ordinary hook. */
    async findListener(id: string): Promise<HooksTable> {
      const row = await findOrThrow(id);
      if (!row.listener) throw new HeraldError('listener.not_a_listener', { data: { id } });
      return row;
    },

    /** Deletes the hook with its deliveries and their attempts. */
    async deleteHook(id: string): Promise<void> {
      if (!(await store.deleteHookById(db, id))) throw new HeraldError('entity.not_found');
    },

    /**
     * Sends one test payload per event to `config` (not the stored one), signed with the stored key,
     * in parallel; records nothing. The first failure, in the order of `events`, is the answer.
     */
    async testHook(id: string, input: TestHookInput): Promise<void> {
      const results = (await sendTestPayloads(id, input)).map(redacted);
      const failure = results.find((r) => !r.ok);
      if (!failure) return;
      // A refused destination is never contacted, so there is no answer to reflect.
      if (failure.blocked) throw new HeraldError('hook.endpoint_not_allowed', { details: failure.error });
      if (failure.statusCode !== undefined) {
        throw new HeraldError('hook.endpoint_responded_with_error', {
          data: { responseStatus: failure.statusCode, responseBody: failure.responseBody ?? '' },
        });
      }
      throw new HeraldError('hook.send_test_payload_failed', {
        message: `Failed to send test payload: ${failure.error ?? 'unknown error'}`,
      });
    },

    /** The same sends as testHook, answered with what each event's request got instead of the first failure. */
    async reportTestHook(id: string, input: TestHookInput): Promise<HookTestResult[]> {
      return (await sendTestPayloads(id, input))
        .map(redacted)
        .map(({ event, ok, durationMs, statusCode, responseBody, error, blocked }) => ({
          event,
          ok,
          durationMs,
          statusCode: statusCode ?? null,
          responseBody: responseBody ?? null,
          error: error ?? null,
          blocked: blocked ?? false,
        }));
    },

    findOrThrow,
    /** The `user-agent` webhook requests carry (HERALD_WEBHOOK_USER_AGENT), for the delivery view. */
    userAgent: deps.userAgent,
  };

  async function sendTestPayloads(id: string, input: TestHookInput): Promise<(SendResult & { event: HookEvent })[]> {
    const row = await findOrThrow(id);
    const config = validateConfig(input.config);
    return Promise.all(
      dedupe(input.events).map(async (event) => {
        const body = JSON.stringify(testPayload(event, id));
        const outgoing = prepareRequest({
          url: config.url,
          body,
          signingKey: row.signing_key,
          webhookId: generateId(),
          timestampSeconds: Math.floor(now() / 1000),
          customHeaders: config.headers,
          userAgent: deps.userAgent,
        });
        return { event, ...(await sender.send(outgoing, deps.requestTimeoutMs)) };
      }),
    );
  }
}

/**
 * A test send's result as the API may show it: the receiver's JSON body with credential-named
 * values masked, URLs in the error without their credentials or query values (redact.ts).
 */
function redacted<T extends SendResult>(result: T): T {
  return {
    ...result,
    ...(result.responseBody === undefined ? {} : { responseBody: maskResponseBody(result.responseBody) }),
    ...(result.error === undefined ? {} : { error: scrubError(result.error) }),
  };
}

export type HookService = ReturnType<typeof createHookService>;
