/**
 * The Experience API: end-user sign-up, sign-in and password reset (src/experience/service.ts),
 * with its sentinel (lockouts, message rate limits) and message connector.
 */
import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { DB, Dialect } from '../db/types.ts';
import { HeraldError } from '../http/errors.ts';
import { createBackgroundJob } from '../util/background.ts';
import type { Emitter } from '../delivery/outbox.ts';
import type { App } from '../http/types.ts';
import type { UserService } from '../identity/users/service.ts';
import type { Sender } from '../outbound/index.ts';
import type { SyncHookGate } from '../sync-hooks/index.ts';
import { createMessageConnector, type MessageConnector } from './connector.ts';
import { createCookieSigner } from './cookie.ts';
import { createInteractionStore } from './interactions.ts';
import { registerExperienceRoutes } from './routes.ts';
import { clientTarget, createSentinel } from './sentinel.ts';
import { createExperienceService } from './service.ts';

const SECRET_SETTING = 'interaction_cookie_secret';
/** Expired interactions and sentinel records are pruned this often, in the background. */
export const EXPERIENCE_PRUNE_INTERVAL_MS = 60_000;
/** Rows per DELETE while pruning: each statement takes milliseconds, never the database. */
export const EXPERIENCE_PRUNE_BATCH = 1000;
/** Client addresses the per-client request limit remembers (least recently seen forgotten first). */
const RATE_LIMIT_CLIENTS = 100_000;

/** HERALD_SESSION_SECRET, or one generated on first start and kept in the database (so every instance shares it). */
async function sessionSecret(db: Kysely<DB>, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db
    .insertInto('settings')
    .values({ key: SECRET_SETTING, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await db.selectFrom('settings').select('value').where('key', '=', SECRET_SETTING).executeTakeFirstOrThrow())
    .value;
}

/** The message connector HERALD_MESSAGE_CONNECTOR configures (shared by the Experience API and organization invitations). */
export function createConfiguredConnector(config: Config, log: Logger, sender: Sender): MessageConnector {
  return createMessageConnector({
    config: config.messageConnector,
    authorization: config.messageConnectorAuthorization,
    sender,
    log,
  });
}

export async function createExperience(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  config: Config;
  emitter: Emitter;
  users: UserService;
  log: Logger;
  /** Where verification codes go (createConfiguredConnector; shared with organization invitations). */
  connector: MessageConnector;
  /** Synchronous hooks: PreRegister, PreSignIn, PrePasswordReset. */
  gate?: SyncHookGate;
}) {
  const { config } = deps;
  const secret = await sessionSecret(deps.db, config.sessionSecret);
  const cookies = createCookieSigner(secret);
  const { connector } = deps;
  const sentinel = createSentinel({
    db: deps.db,
    dialect: deps.dialect,
    policy: {
      maxAttempts: config.lockoutMaxAttempts,
      windowMs: config.lockoutWindowMs,
      lockoutMs: config.lockoutDurationMs,
      messageLimit: config.messageRateLimit,
      messageIpLimit: config.messageIpRateLimit,
      messageGlobalLimit: config.messageGlobalRateLimit,
      messageWindowMs: config.messageRateWindowMs,
    },
  });
  const interactions = createInteractionStore({ db: deps.db });
  const sentinelHorizonMs =
    Math.max(config.lockoutWindowMs, config.lockoutDurationMs, config.messageRateWindowMs) + 60_000;
  const pruner = createBackgroundJob({
    intervalMs: EXPERIENCE_PRUNE_INTERVAL_MS,
    log: deps.log.child({ module: 'experience' }),
    failure: 'pruning interactions failed; will try again',
    run: (stopping) => interactions.prune(sentinelHorizonMs, EXPERIENCE_PRUNE_BATCH, stopping),
  });
  const experience = createExperienceService({
    db: deps.db,
    emitter: deps.emitter,
    users: deps.users,
    interactions,
    sentinel,
    connector,
    passwordMinLength: config.passwordMinLength,
    codeKey: `verification-code:${secret}`,
    log: deps.log,
    gate: deps.gate,
  });
  return {
    service: experience,
    /** One background prune now (tests call it; the timer calls it every minute). */
    prune: pruner.runOnce,
    /**
     * The routes, behind a per-client request limit (in memory, per instance): every public route
     * costs a database write or an argon2 verification, so one address cannot take them all.
     */
    registerRoutes: (app: App) =>
      app.register(async (scope) => {
        await scope.register(rateLimit, {
          max: config.publicRateLimit,
          timeWindow: config.publicRateWindowMs,
          cache: RATE_LIMIT_CLIENTS,
          keyGenerator: (request) => clientTarget(request.ip),
          errorResponseBuilder: (_request, context) =>
            new HeraldError('request.rate_limited', { data: { retryAfterSeconds: Math.ceil(context.ttl / 1000) } }),
        });
        registerExperienceRoutes(scope as unknown as App, { experience, cookies });
      }),
    startPruning: pruner.start,
    async close(): Promise<void> {
      await pruner.stop();
    },
  };
}

export type Experience = Awaited<ReturnType<typeof createExperience>>;
