import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import Fastify, { type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { Config, TrustProxy } from './config.ts';
import type { Database } from './db/connect.ts';
import type { DeliveryQueries, ListenerStreams, Metrics, ReplayService } from './delivery/index.ts';
import { registerConsoleRoutes } from './console/routes.ts';
import { registerMetricsRoute } from './http/metrics-route.ts';
import { registerHookRoutes, type HookService } from './hooks/index.ts';
import type { Experience } from './experience/index.ts';
import type { Identity } from './identity/index.ts';
import type { SyncHooks } from './sync-hooks/index.ts';
import { registerKeyRoutes, type KeyService } from './keys/index.ts';
import { registerAuth } from './http/auth.ts';
import { registerErrorHandling } from './http/error-handler.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerSystemRoutes } from './http/system-routes.ts';
import type { Tracing } from './telemetry/hub.ts';
import { instrumentHttp } from './telemetry/http.ts';
import type { Readiness } from './telemetry/readiness.ts';
import type { App } from './http/types.ts';
import { createValidatorCompiler } from './http/validation.ts';
import { limitConnectionsPerClient } from './http/connection-limit.ts';
import { HeraldError } from './http/errors.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './util/json-text.ts';

export interface AppDeps {
  config: Pick<Config, 'bodyLimitBytes'> &
    Partial<
      Pick<
        Config,
        | 'consoleDir'
        | 'httpRequestTimeoutMs'
        | 'httpHeadersTimeoutMs'
        | 'httpKeepAliveTimeoutMs'
        | 'httpMaxConnections'
        | 'httpMaxConnectionsPerClient'
        | 'trustProxy'
      >
    >;
  database: Database;
  keys: KeyService;
  log: Logger;
  /** Absent in tests that exercise only the HTTP foundation. */
  hooks?: { service: HookService; queries: DeliveryQueries; replay: ReplayService; listeners?: ListenerStreams };
  identity?: Identity;
  experience?: Experience;
  syncHooks?: SyncHooks;
  metrics?: Metrics;
  /** GET /api/health/ready's checks (absent in tests of the HTTP foundation alone). */
  readiness?: Readiness;
  /** OpenTelemetry, when the OTEL_* settings turn it on: one span per request. */
  tracing?: Tracing | undefined;
}

/**
 * HERALD_TRUST_PROXY as Fastify takes it. A hop count trusts that many proxies nearest the server
 * (Fastify itself ignores a bare number); addresses go to proxy-addr, which Fastify compiles.
 */
function proxyTrust(setting: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (setting === false) return false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}

/**
 * Fastify's own response serializers (fast-json-stringify), each compiled at its first use rather
 * than at start: compiling every route's response schemas was most of the time from start to ready.
 */
const lazySerializers: NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']
> = (externalSchemas, options) => {
  const build = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data: unknown) => {
      serialize ??= build(route) as (data: unknown) => string;
      return serialize(data);
    };
  };
};

/** Builds the HTTP app from the modules; does not listen (server.ts does). */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const requestTimeout = config.httpRequestTimeoutMs ?? 30_000;
  // Given as the compilers factory (what app.setValidatorCompiler does after the fact), so that
  // Fastify never loads its default Ajv compiler, which Herald does not use.
  const validatorCompiler = createValidatorCompiler(() => app.getSchemas());
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true },
    // A client that trickles its headers or body is cut off (408) instead of holding a connection;
    // Node checks every second, so the cut comes within a second of the limit.
    requestTimeout,
    keepAliveTimeout: config.httpKeepAliveTimeoutMs ?? 72_000,
    http: {
      headersTimeout: Math.min(config.httpHeadersTimeoutMs ?? 10_000, requestTimeout),
      connectionsCheckingInterval: 1000,
    },
    trustProxy: proxyTrust(config.trustProxy ?? false),
    schemaController: {
      compilersFactory: {
        // Typed for @fastify/ajv-compiler's compilers; Fastify calls it as any validator compiler.
        buildValidator: (() => validatorCompiler) as never,
        buildSerializer: lazySerializers,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (config.httpMaxConnections) app.server.maxConnections = config.httpMaxConnections;
  if (config.httpMaxConnectionsPerClient && !config.trustProxy)
    limitConnectionsPerClient(app.server, config.httpMaxConnectionsPerClient);
  // An empty body sent as JSON (a DELETE with a client's default content type) is no body, not an
  // error; a body nested deeper than MAX_JSON_DEPTH is refused (stored, it would break every
  // serializer that reads it back); anything else goes through Fastify's own parser, with its
  // prototype-poisoning guard.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      return done(
        new HeraldError('guard.invalid_input', {
          message: `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`,
        }),
        undefined,
      );
    }
    parseJson(request, body as string, done);
  });

  instrumentHttp(app, { metrics: deps.metrics, tracing: deps.tracing });
  registerErrorHandling(app);
  registerAuth(app, deps.keys);
  await registerOpenApi(app);
  registerSystemRoutes(app, deps.readiness);
  registerKeyRoutes(app, deps.keys);
  if (deps.hooks)
    registerHookRoutes(app, {
      hooks: deps.hooks.service,
      queries: deps.hooks.queries,
      replay: deps.hooks.replay,
      listeners: deps.hooks.listeners,
    });
  deps.identity?.registerRoutes(app);
  deps.experience?.registerRoutes(app);
  deps.syncHooks?.registerRoutes(app);
  if (deps.metrics) registerMetricsRoute(app, deps.metrics);
  if (deps.config.consoleDir !== 'off') registerConsoleRoutes(app, { dir: deps.config.consoleDir });
  return app;
}
