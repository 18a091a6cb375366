/**
 * Synchronous hooks as a resource (`/api/sync-hooks`): create, read, update, delete, regenerate
 * the signing key, test with a sample of the hook's phase, and read the calls log.
 */
import type { Kysely } from 'kysely';
import type { DB, SyncHookCallsTable, SyncHooksTable } from '../db/types.ts';
import { transaction } from '../db/tx.ts';
import { viewPayload } from '../events/index.ts';
import { endpointUrlProblem, headerProblem } from '../hooks/config-rules.ts';
import { HeraldError, notExistsWithId } from '../http/errors.ts';
import { maskResponseBody, scrubError, scrubErrorOrNull, toStandardSecret } from '../outbound/index.ts';
import { generateId, generateSecret } from '../util/id.ts';
import type { SyncHookGate, SyncRequest } from './gate.ts';
import {
  DEFAULT_TIMEOUT_MS,
  type CreateSyncHookInput,
  type FailurePolicy,
  type SyncHook,
  type SyncHookCall,
  type SyncHookConfig,
  type SyncHookPhase,
  type SyncHookTestReport,
  type TestSyncHookInput,
  type UpdateSyncHookInput,
} from './schemas.ts';
import * as store from './store.ts';

const SIGNING_KEY_LENGTH = 32;

const invalid = (field: string, message: string) =>
  new HeraldError('guard.invalid_input', { message, data: { field } });

function toSyncHook(row: SyncHooksTable): SyncHook {
  return {
    id: row.id,
    name: row.name,
    phase: row.phase as SyncHookPhase,
    config: JSON.parse(row.config) as SyncHookConfig,
    enabled: Boolean(row.enabled),
    timeoutMs: row.timeout_ms,
    failurePolicy: row.failure_policy as FailurePolicy,
    order: row.sort_order,
    signingKey: row.signing_key,
    standardSigningKey: toStandardSecret(row.signing_key),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toCall(row: SyncHookCallsTable): SyncHookCall {
  return {
    id: row.id,
    hookId: row.hook_id,
    phase: row.phase as SyncHookPhase,
    interactionEvent: row.interaction_event,
    sessionId: row.session_id,
    userId: row.user_id,
    decision: row.decision as SyncHookCall['decision'],
    effect: row.effect as SyncHookCall['effect'],
    patched: Boolean(row.patched),
    statusCode: row.status_code,
    durationMs: row.duration_ms,
    request: viewPayload(row.request),
    responseBody: row.response_body === null ? null : maskResponseBody(row.response_body),
    error: scrubErrorOrNull(row.error),
    denyCode: row.deny_code,
    denyMessage: row.deny_message,
    createdAt: Number(row.created_at),
  };
}

/** A sync hook's config as the API takes it: an absolute http(s) URL (400 otherwise) and valid, unique headers. */
function validateConfig(config: SyncHookConfig, field = 'body.config'): SyncHookConfig {
  const problem = endpointUrlProblem(config.url);
  if (problem) throw invalid(`${field}.url`, problem);
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    const headerIssue = headerProblem(name, value, seen);
    if (headerIssue) throw invalid(`${field}.headers`, headerIssue);
  }
  return config.headers === undefined ? { url: config.url } : { url: config.url, headers: config.headers };
}

/** The sample request `/test` sends for a phase: a fake user, session and application, as Logto's test payloads. */
export function sampleRequest(phase: SyncHookPhase, at: number, user: Record<string, unknown> = {}): SyncRequest {
  const registering = phase === 'PreRegister';
  return {
    interactionEvent: registering ? 'Register' : phase === 'PreSignIn' ? 'SignIn' : 'ForgotPassword',
    sessionId: 'fake-session-id',
    userAgent: 'fake-user-agent',
    userIp: 'fake-user-ip',
    application: {
      id: 'fake-spa-application-id',
      type: 'SPA',
      name: 'Fake Application',
      description: 'Fake application data for testing',
    },
    identifier: { type: 'email', value: 'fake-user@fake-service.com' },
    user: {
      id: 'fake-id',
      username: 'fake-user',
      primaryEmail: 'fake-user@fake-service.com',
      primaryPhone: null,
      name: registering ? null : 'Fake User',
      avatar: null,
      customData: registering ? {} : { theme: 'light' },
      identities: {},
      profile: {},
      applicationId: 'fake-spa-application-id',
      cimdClientId: null,
      isSuspended: false,
      lastSignInAt: registering ? null : at,
      createdAt: registering ? null : at,
      updatedAt: registering ? null : at,
      ...user,
    },
  };
}

export function createSyncHookService(deps: { db: Kysely<DB>; gate: SyncHookGate; clock?: () => number }) {
  const { db } = deps;
  const now = deps.clock ?? Date.now;

  async function findOrThrow(id: string): Promise<SyncHooksTable> {
    const row = await store.findHookById(db, id);
    if (!row) throw notExistsWithId('sync hook', id);
    return row;
  }

  return {
    async create(input: CreateSyncHookInput): Promise<SyncHook> {
      const at = now();
      const row: SyncHooksTable = {
        id: generateId(),
        name: input.name ?? '',
        phase: input.phase,
        config: JSON.stringify(validateConfig(input.config)),
        enabled: input.enabled ?? true,
        timeout_ms: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        failure_policy: input.failurePolicy ?? 'open',
        sort_order: input.order ?? 0,
        signing_key: generateSecret(SIGNING_KEY_LENGTH),
        created_at: at,
        updated_at: at,
      };
      await store.insertHook(db, row);
      deps.gate.invalidate();
      return toSyncHook(row);
    },

    list: async (): Promise<SyncHook[]> => (await store.listHooks(db)).map(toSyncHook),

    get: async (id: string): Promise<SyncHook> => toSyncHook(await findOrThrow(id)),

    /** `config` is replaced whole. */
    async update(id: string, input: UpdateSyncHookInput): Promise<SyncHook> {
      await findOrThrow(id);
      const patch: Partial<SyncHooksTable> = { updated_at: now() };
      if (input.name !== undefined) patch.name = input.name;
      if (input.phase !== undefined) patch.phase = input.phase;
      if (input.config !== undefined) patch.config = JSON.stringify(validateConfig(input.config));
      if (input.enabled !== undefined) patch.enabled = input.enabled;
      if (input.timeoutMs !== undefined) patch.timeout_ms = input.timeoutMs;
      if (input.failurePolicy !== undefined) patch.failure_policy = input.failurePolicy;
      if (input.order !== undefined) patch.sort_order = input.order;
      const updated = await store.updateHookById(db, id, patch);
      deps.gate.invalidate();
      if (!updated) throw notExistsWithId('sync hook', id);
      return toSyncHook(await findOrThrow(id));
    },

    /** A new signing key, in force for the next call. */
    async rotateSigningKey(id: string): Promise<SyncHook> {
      await findOrThrow(id);
      await store.updateHookById(db, id, { signing_key: generateSecret(SIGNING_KEY_LENGTH), updated_at: now() });
      deps.gate.invalidate();
      return toSyncHook(await findOrThrow(id));
    },

    /** Deletes the hook with its calls. */
    async remove(id: string): Promise<void> {
      const deleted = await transaction(db, (tx) => store.deleteHookById(tx.db, id));
      deps.gate.invalidate();
      if (!deleted) throw notExistsWithId('sync hook', id);
    },

    /**
     * Calls the endpoint (`config`, or the stored one) with a sample of the hook's phase, signed
     * with the hook's key, and reports the decision; nothing is recorded and no event is sent.
     */
    async test(id: string, input: TestSyncHookInput): Promise<SyncHookTestReport> {
      const row = await findOrThrow(id);
      const config = input.config ? validateConfig(input.config) : (JSON.parse(row.config) as SyncHookConfig);
      const phase = row.phase as SyncHookPhase;
      const sample = sampleRequest(phase, now(), input.user);
      const body = deps.gate.bodyOf(phase, sample, sample.user);
      const result = await deps.gate.call({ signing_key: row.signing_key, config }, body, generateId(), row.timeout_ms);
      const answer = result.answer;
      const denied = result.decision === 'deny' || (result.decision === 'failed' && row.failure_policy === 'closed');
      return {
        decision: result.decision,
        effect: denied ? 'denied' : 'allowed',
        statusCode: result.send?.statusCode ?? null,
        durationMs: result.durationMs,
        request: JSON.parse(body) as unknown,
        responseBody: result.send?.responseBody === undefined ? null : maskResponseBody(result.send.responseBody),
        error: result.error === undefined ? null : scrubError(result.error),
        denyCode: answer?.action === 'deny' ? answer.code : null,
        denyMessage: answer?.action === 'deny' ? (answer.message ?? null) : null,
        patch: answer?.action === 'allow' ? (answer.patch ?? null) : null,
        blocked: result.send?.blocked ?? false,
      };
    },

    /** The hook's calls, newest first; 404 for an unknown hook. */
    async calls(
      id: string,
      filter: store.CallFilter,
      page: { offset: number; limit: number },
    ): Promise<{ calls: SyncHookCall[]; total: number }> {
      await findOrThrow(id);
      const [rows, total] = await Promise.all([
        store.listCalls(db, id, filter, page),
        store.countCalls(db, id, filter),
      ]);
      return { calls: rows.map(toCall), total };
    },
  };
}

export type SyncHookService = ReturnType<typeof createSyncHookService>;
