/**
 * The Experience API: end-user sign-up, sign-in and password reset (src/experience/service.ts),
 * with its sentinel (lockouts, message rate limits) and message connector.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { DB } from '../db/types.ts';
import { createDestinationPolicy } from '../delivery/ssrf.ts';
import type { Emitter } from '../events/index.ts';
import type { App } from '../http/types.ts';
import type { UserService } from '../identity/users/service.ts';
import { createMessageConnector } from './connector.ts';
import { createCookieSigner } from './cookie.ts';
import { createInteractionStore } from './interactions.ts';
import { registerExperienceRoutes } from './routes.ts';
import { createSentinel } from './sentinel.ts';
import { createExperienceService } from './service.ts';

const SECRET_SETTING = 'interaction_cookie_secret';

/** HERALD_SESSION_SECRET, or one generated on first start and kept in the database (so every instance shares it). */
async function sessionSecret(db: Kysely<DB>, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db
    .insertInto('settings')
    .values({ key: SECRET_SETTING, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await db.selectFrom('settings').select('value').where('key', '=', SECRET_SETTING).executeTakeFirstOrThrow()).value;
}

export async function createExperience(deps: { db: Kysely<DB>; config: Config; emitter: Emitter; users: UserService; log: Logger }) {
  const { config } = deps;
  const secret = await sessionSecret(deps.db, config.sessionSecret);
  const cookies = createCookieSigner(secret);
  const connector = createMessageConnector({
    config: config.messageConnector,
    authorization: config.messageConnectorAuthorization,
    policy: createDestinationPolicy({ allowPrivateNetworks: config.allowPrivateNetworks, allowList: config.allowedDestinations ?? [] }),
    log: deps.log,
  });
  const sentinel = createSentinel({
    db: deps.db,
    policy: {
      maxAttempts: config.lockoutMaxAttempts,
      windowMs: config.lockoutWindowMs,
      lockoutMs: config.lockoutDurationMs,
      messageLimit: config.messageRateLimit,
      messageWindowMs: config.messageRateWindowMs,
    },
  });
  const experience = createExperienceService({
    db: deps.db,
    emitter: deps.emitter,
    users: deps.users,
    interactions: createInteractionStore({ db: deps.db }),
    sentinel,
    connector,
    passwordMinLength: config.passwordMinLength,
    codeKey: `verification-code:${secret}`,
    sentinelHorizonMs: Math.max(config.lockoutWindowMs, config.lockoutDurationMs, config.messageRateWindowMs) + 60_000,
    log: deps.log,
  });
  return {
    service: experience,
    registerRoutes: (app: App) => registerExperienceRoutes(app, { experience, cookies }),
    close: () => connector.close(),
  };
}

export type Experience = Awaited<ReturnType<typeof createExperience>>;
