import { isCidr, isValidAllowListEntry, isValidNat64Prefix } from './outbound/ssrf.ts';

/**
 * Environment → typed, validated configuration. The only reader of `process.env` in the project.
 * Each variable is declared once, with its default and description; the README's table is checked
 * against this list by test/config.readme.test.ts.
 */

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.variable = variable;
  }
}

type Parser<T> = (raw: string, name: string) => T;

interface VariableSpec<T> {
  readonly name: string;
  /** The default as written in the README (a raw environment value), or undefined when unset by default. */
  readonly default: string | undefined;
  readonly description: string;
  readonly parse: Parser<T>;
}

const integer =
  (min: number, max: number): Parser<number> =>
  (raw, name) => {
    if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
    const value = Number(raw.trim());
    if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
    return value;
  };

const oneOf =
  <const T extends string>(values: readonly T[]): Parser<T> =>
  (raw, name) => {
    const value = raw.trim().toLowerCase();
    if (!(values as readonly string[]).includes(value)) {
      throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
    }
    return value as T;
  };

const text: Parser<string> = (raw) => raw.trim();

/** An http(s) URL. */
const httpUrl: Parser<string> = (raw, name) => {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  return value;
};

/** `key=value,key2=value2` (values URL-encoded), as OpenTelemetry's header variables are written. */
const keyValueList: Parser<Record<string, string>> = (raw, name) => {
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    if (at <= 0) throw new ConfigError(name, `must be key=value pairs separated by commas, got "${raw}"`);
    try {
      out[decodeURIComponent(part.slice(0, at).trim())] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      throw new ConfigError(name, `has a badly encoded value in "${part}"`);
    }
  }
  return out;
};

export type DatabaseConfig =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly url: string };

export const parseDatabaseUrl: Parser<DatabaseConfig> = (raw, name) => {
  const value = raw.trim();
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new ConfigError(name, 'sqlite: needs a file path, e.g. sqlite:./data/herald.db');
    return { dialect: 'sqlite', path };
  }
  if (value.startsWith('postgres://') || value.startsWith('postgresql://')) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError(name, 'is not a valid postgres:// URL');
    }
    return { dialect: 'postgres', url: value };
  }
  throw new ConfigError(name, 'must start with sqlite: or postgres://');
};

const adminKey: Parser<string> = (raw, name) => {
  const value = raw.trim();
  // Short keys can be guessed; 16 characters is the floor, the generated keys are far longer.
  if (value.length < 16) throw new ConfigError(name, 'must be at least 16 characters long');
  if (/\s/.test(value)) throw new ConfigError(name, 'must not contain white space');
  return value;
};

/** Comma-separated seconds (decimals allowed) → milliseconds. */
const secondsList: Parser<number[]> = (raw, name) => {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) {
    throw new ConfigError(name, `must be comma-separated seconds such as "5,300,1800", got "${raw}"`);
  }
  const ms = parts.map((p) => Math.round(Number(p) * 1000));
  if (ms.length > 20) throw new ConfigError(name, 'allows at most 20 retries');
  return ms;
};

const boolean: Parser<boolean> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
};

/** Comma-separated entries, each `valid`; the first that is not is named with `what` it should be. */
const listOf =
  (valid: (entry: string) => boolean, what: string): Parser<string[]> =>
  (raw, name) => {
    const entries = raw
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = entries.find((e) => !valid(e));
    if (bad !== undefined) throw new ConfigError(name, `"${bad}" is ${what}`);
    return entries;
  };

const destinationList = listOf(
  isValidAllowListEntry,
  'neither a CIDR (10.0.0.0/8) nor a host name (hooks.internal, *.corp.example)',
);
const nat64List = listOf(
  isValidNat64Prefix,
  'not a NAT64 prefix: an IPv6 CIDR of length 32, 40, 48, 56, 64 or 96 with no bits past it (2001:db8:64::/96)',
);

/** One duration in seconds (decimals allowed) → milliseconds. */
const seconds: Parser<number> = (raw, name) => {
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new ConfigError(name, `must be a number of seconds, got "${raw}"`);
  return Math.round(Number(raw.trim()) * 1000);
};

const secret32: Parser<string> = (raw, name) => {
  const value = raw.trim();
  if (value.length < 32) throw new ConfigError(name, 'must be at least 32 characters');
  return value;
};

export type MessageConnectorConfig = { kind: 'log' } | { kind: 'http'; url: string };
const messageConnector: Parser<MessageConnectorConfig> = (raw, name) => {
  const value = raw.trim();
  if (value === 'log') return { kind: 'log' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be "log" or an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(name, `must be "log" or an http(s) URL, got "${raw}"`);
  return { kind: 'http', url: url.toString() };
};

/** Fastify's trustProxy: false, a hop count, or the addresses (CIDRs, proxy-addr's names) of trusted proxies. */
export type TrustProxy = false | number | string[];
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const trustProxy: Parser<TrustProxy> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === 'off' || value === '0') return false;
  if (/^\d+$/.test(value)) return integer(1, 32)(value, name);
  const explain = `must be false, a hop count (1), or comma-separated proxy addresses or CIDRs (10.0.0.0/8, loopback); got "${raw}"`;
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0 || entries.some((e) => !PROXY_NAMES.includes(e) && !isCidr(e)))
    throw new ConfigError(name, explain);
  return entries;
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

export const variables = {
  port: {
    name: 'PORT',
    default: '3001',
    description: 'TCP port the HTTP server listens on (0 picks a free one).',
    parse: integer(0, 65535),
  },
  host: {
    name: 'HOST',
    default: '0.0.0.0',
    description: 'Interface to listen on; `0.0.0.0` is every IPv4 interface, `::` adds IPv6.',
    parse: text,
  },
  database: {
    name: 'DATABASE_URL',
    default: 'sqlite:./data/herald.db',
    description:
      '`sqlite:<path>` for an embedded SQLite file (created on first start), or `postgres://…` for PostgreSQL.',
    parse: parseDatabaseUrl,
  },
  adminKey: {
    name: 'HERALD_ADMIN_KEY',
    default: undefined,
    description:
      'An API key accepted as admin (at least 16 characters). Unset: keys live in the database, and the first start generates one.',
    parse: adminKey,
  },
  logLevel: {
    name: 'LOG_LEVEL',
    default: 'info',
    description: 'One of fatal, error, warn, info, debug, trace, silent.',
    parse: oneOf(LOG_LEVELS),
  },
  logFormat: {
    name: 'LOG_FORMAT',
    default: 'auto',
    description:
      '`json` (one JSON object a line), `pretty` (for terminals), or `auto`: pretty when standard output is a terminal.',
    parse: oneOf(LOG_FORMATS),
  },
  bodyLimitBytes: {
    name: 'HERALD_BODY_LIMIT_BYTES',
    default: '1048576',
    description: 'Largest request body accepted, in bytes; larger bodies get 413.',
    parse: integer(1024, 64 * 1024 * 1024),
  },
  httpRequestTimeoutMs: {
    name: 'HERALD_HTTP_REQUEST_TIMEOUT_SECONDS',
    default: '30',
    description:
      'A client must send a whole request (headers and body) within this time, or get 408 and the connection closed: a body trickled byte by byte cannot hold a connection.',
    parse: seconds,
  },
  httpHeadersTimeoutMs: {
    name: 'HERALD_HTTP_HEADERS_TIMEOUT_SECONDS',
    default: '10',
    description:
      'A client must send the request headers within this time (at most HERALD_HTTP_REQUEST_TIMEOUT_SECONDS).',
    parse: seconds,
  },
  httpKeepAliveTimeoutMs: {
    name: 'HERALD_HTTP_KEEP_ALIVE_TIMEOUT_SECONDS',
    default: '72',
    description:
      'An idle kept-alive connection is closed after this long (longer than the usual 60 s of load balancers, which then close first).',
    parse: seconds,
  },
  httpMaxConnections: {
    name: 'HERALD_HTTP_MAX_CONNECTIONS',
    default: '8192',
    description: 'Most client connections open at once; further connections are refused until one closes.',
    parse: integer(16, 1_000_000),
  },
  httpMaxConnectionsPerClient: {
    name: 'HERALD_HTTP_MAX_CONNECTIONS_PER_CLIENT',
    default: '1024',
    description:
      'Most connections one client address (an IPv6 client by its /64) holds at once; further ones are closed, so one client cannot take every slot of HERALD_HTTP_MAX_CONNECTIONS. Not applied behind HERALD_TRUST_PROXY (every connection then comes from the proxy).',
    parse: integer(1, 1_000_000),
  },
  trustProxy: {
    name: 'HERALD_TRUST_PROXY',
    default: 'false',
    description:
      "Behind a reverse proxy: a hop count (`1`) or the proxies' addresses (`10.0.0.0/8,loopback`). Then `X-Forwarded-For` gives the client address (events' `ip`/`userIp`, rate limits) and `X-Forwarded-Proto: https` makes the interaction cookie `Secure`. `false`: the headers are ignored (a client could forge them).",
    parse: trustProxy,
  },
  shutdownTimeoutMs: {
    name: 'HERALD_SHUTDOWN_TIMEOUT_MS',
    default: '10000',
    description:
      'On SIGTERM/SIGINT, how long in-flight work may take before the process exits anyway; in-flight deliveries get half of it, then go back to the queue.',
    parse: integer(0, 600_000),
  },
  retryScheduleMs: {
    name: 'HERALD_RETRY_SCHEDULE',
    default: '5,300,1800,7200,18000,36000,36000',
    description:
      'Seconds to wait before each retry of a failed delivery (decimals allowed; ±20 % jitter). The first attempt is immediate; after the last retry the delivery is `failed`.',
    parse: secondsList,
  },
  requestTimeoutMs: {
    name: 'HERALD_REQUEST_TIMEOUT_MS',
    default: '10000',
    description: 'Time limit of one delivery attempt (connect, send, and response headers and body), in milliseconds.',
    parse: integer(100, 300_000),
  },
  deliveryConcurrency: {
    name: 'HERALD_DELIVERY_CONCURRENCY',
    default: '256',
    description: 'Most webhook requests one instance has in flight at once, across all hooks.',
    parse: integer(1, 4096),
  },
  hookConcurrency: {
    name: 'HERALD_HOOK_CONCURRENCY',
    default: '16',
    description:
      'Most requests one instance has in flight to one hook: a hanging endpoint holds at most this many slots.',
    parse: integer(1, 1024),
  },
  throttledRetryMinMs: {
    name: 'HERALD_THROTTLED_RETRY_MIN_SECONDS',
    default: '60',
    description: 'After a timeout or a 429, the next attempt waits at least this long (seconds, decimals allowed).',
    parse: seconds,
  },
  allowPrivateNetworks: {
    name: 'HERALD_ALLOW_PRIVATE_NETWORKS',
    default: 'false',
    description:
      'true lifts the SSRF guard: webhooks may reach loopback, private and other internal addresses. For development and tests only.',
    parse: boolean,
  },
  allowedDestinations: {
    name: 'HERALD_ALLOWED_DESTINATIONS',
    default: undefined,
    description:
      'Comma-separated CIDRs (`10.1.0.0/16`) and host names (`hooks.internal`, `*.corp.example`) webhooks may reach even though they are internal.',
    parse: destinationList,
  },
  nat64Prefixes: {
    name: 'HERALD_NAT64_PREFIXES',
    default: undefined,
    description:
      'Comma-separated NAT64 prefixes of this network (RFC 6052 lengths /32–/96, e.g. `2001:db8:64::/96`) besides the well-known `64:ff9b::/96`: the SSRF guard judges their addresses by the IPv4 address they embed.',
    parse: nat64List,
  },
  webhookUserAgent: {
    name: 'HERALD_WEBHOOK_USER_AGENT',
    default: 'herald',
    description:
      "The `user-agent` of webhook requests (a hook's custom header still wins): `herald` (`Herald/<version> (webhooks; Logto-compatible)`) or `logto` (Logto's exact `Logto (https://logto.io/)`, for receivers that filter on it).",
    parse: oneOf(['herald', 'logto'] as const),
  },
  autoDisableAfterMs: {
    name: 'HERALD_AUTO_DISABLE_AFTER_SECONDS',
    default: '432000',
    description:
      'A hook whose deliveries have failed continuously this long (default 5 days) is disabled, with a reason.',
    parse: seconds,
  },
  dispatcherThread: {
    name: 'HERALD_DISPATCHER_THREAD',
    default: 'true',
    description:
      "true: deliveries are claimed, sent and recorded in a worker thread with its own database connections, so API requests and deliveries never wait for each other's event loop; false: in the API's thread (one core, or to save the thread's memory).",
    parse: boolean,
  },
  sessionSecret: {
    name: 'HERALD_SESSION_SECRET',
    default: undefined,
    description:
      'Key that signs the Experience API interaction cookie (at least 32 characters; the same on every instance). Unset: one is generated on first start and kept in the database.',
    parse: secret32,
  },
  messageConnector: {
    name: 'HERALD_MESSAGE_CONNECTOR',
    default: undefined,
    description:
      "Where verification codes go: an `http(s)://` URL (Logto's HTTP connector: POST `{to, type, payload: {code}}`, through the SSRF guard), or `log` (development: the code is written to the server log). Unset: sending a code answers 501 `connector.not_found`.",
    parse: messageConnector,
  },
  messageConnectorAuthorization: {
    name: 'HERALD_MESSAGE_CONNECTOR_AUTHORIZATION',
    default: undefined,
    description: "Sent as the `Authorization` header of the HTTP connector's requests.",
    parse: text,
  },
  passwordMinLength: {
    name: 'HERALD_PASSWORD_MIN_LENGTH',
    default: '8',
    description: 'Shortest password the Experience API accepts (passwords must not contain the username either).',
    parse: integer(1, 256),
  },
  lockoutMaxAttempts: {
    name: 'HERALD_LOCKOUT_MAX_ATTEMPTS',
    default: '10',
    description:
      'Failed verifications (password or code) of one identifier, or of one account through any of its identifiers, within HERALD_LOCKOUT_WINDOW_SECONDS that lock both.',
    parse: integer(1, 100_000),
  },
  lockoutWindowMs: {
    name: 'HERALD_LOCKOUT_WINDOW_SECONDS',
    default: '3600',
    description: 'The window over which failed verifications are counted.',
    parse: seconds,
  },
  lockoutDurationMs: {
    name: 'HERALD_LOCKOUT_SECONDS',
    default: '3600',
    description:
      'How long a lock lasts: every verification is refused meanwhile; the attempt that locked emits `Identifier.Lockout` once, later refusals are counted on the lock.',
    parse: seconds,
  },
  messageRateLimit: {
    name: 'HERALD_MESSAGE_RATE_LIMIT',
    default: '10',
    description:
      'Verification codes sent to one mailbox or phone (canonical form; `x+tag@` counts as `x@`) within HERALD_MESSAGE_RATE_WINDOW_SECONDS; the next answers 429, and the first refusal of a window emits `Message.RateLimited`.',
    parse: integer(1, 100_000),
  },
  messageRateWindowMs: {
    name: 'HERALD_MESSAGE_RATE_WINDOW_SECONDS',
    default: '600',
    description:
      'The window of HERALD_MESSAGE_RATE_LIMIT, HERALD_MESSAGE_IP_RATE_LIMIT and HERALD_MESSAGE_GLOBAL_RATE_LIMIT.',
    parse: seconds,
  },
  messageIpRateLimit: {
    name: 'HERALD_MESSAGE_IP_RATE_LIMIT',
    default: '100',
    description:
      'Verification codes sent at the request of one client address (an IPv6 client by its /64) within HERALD_MESSAGE_RATE_WINDOW_SECONDS; the next answers 429.',
    parse: integer(1, 1_000_000),
  },
  messageGlobalRateLimit: {
    name: 'HERALD_MESSAGE_GLOBAL_RATE_LIMIT',
    default: '1000',
    description:
      'Verification codes the whole server sends within HERALD_MESSAGE_RATE_WINDOW_SECONDS (bounds SMS pumping; raise it for large sign-up volumes); the next answers 429.',
    parse: integer(1, 100_000_000),
  },
  publicRateLimit: {
    name: 'HERALD_PUBLIC_RATE_LIMIT',
    default: '600',
    description:
      'Requests one client address (an IPv6 client by its /64) may make to the public Experience API within HERALD_PUBLIC_RATE_WINDOW_SECONDS, per instance; the next answers 429 `request.rate_limited` with `Retry-After`.',
    parse: integer(1, 1_000_000),
  },
  publicRateWindowMs: {
    name: 'HERALD_PUBLIC_RATE_WINDOW_SECONDS',
    default: '60',
    description: 'The window of HERALD_PUBLIC_RATE_LIMIT.',
    parse: seconds,
  },
  syncHookBudgetMs: {
    name: 'HERALD_SYNC_HOOK_BUDGET_MS',
    default: '5000',
    description:
      'Total time the synchronous hooks of one phase (PreRegister, PreSignIn, PrePasswordReset) may take for one request, in milliseconds; each hook gets the smaller of its own `timeoutMs` and what is left. A hook the budget does not reach counts as failed (its `failurePolicy` decides).',
    parse: integer(100, 60_000),
  },
  retentionDays: {
    name: 'HERALD_RETENTION_DAYS',
    default: '30',
    description:
      'Deliveries, their attempts, events and synchronous-hook calls older than this are pruned in the background.',
    parse: integer(1, 3650),
  },
  consoleDir: {
    name: 'HERALD_CONSOLE_DIR',
    default: undefined,
    description:
      'Folder of the built admin console served at `/console`; `off` serves none. Unset: `console/dist` of this installation (built by `npm ci`, `npm install` or `npm run build:console`).',
    parse: text,
  },
  otelSdkDisabled: {
    name: 'OTEL_SDK_DISABLED',
    default: 'false',
    description: 'true turns OpenTelemetry tracing off whatever the other `OTEL_*` variables say.',
    parse: boolean,
  },
  otelTracesExporter: {
    name: 'OTEL_TRACES_EXPORTER',
    default: undefined,
    description:
      '`otlp` sends traces over OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT (`http://localhost:4318` when neither is set); `none` sends none. Unset: traces are sent only when an OTLP endpoint is set. Off, nothing of OpenTelemetry is loaded.',
    parse: oneOf(['otlp', 'none'] as const),
  },
  otelExporterOtlpEndpoint: {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: undefined,
    description: 'Base URL of the OTLP/HTTP collector; traces go to `<url>/v1/traces`.',
    parse: httpUrl,
  },
  otelExporterOtlpTracesEndpoint: {
    name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    default: undefined,
    description: 'Full URL traces are POSTed to (wins over OTEL_EXPORTER_OTLP_ENDPOINT).',
    parse: httpUrl,
  },
  otelExporterOtlpHeaders: {
    name: 'OTEL_EXPORTER_OTLP_HEADERS',
    default: undefined,
    description: 'Headers sent with every export, as `key=value,key2=value2` (URL-encoded values), e.g. an API token.',
    parse: keyValueList,
  },
  otelServiceName: {
    name: 'OTEL_SERVICE_NAME',
    default: 'herald',
    description: 'The `service.name` of the spans Herald sends.',
    parse: text,
  },
} as const satisfies Record<string, VariableSpec<unknown>>;

type Variables = typeof variables;
type ValueOf<K extends keyof Variables> = ReturnType<Variables[K]['parse']>;

export type Config = {
  readonly [K in keyof Variables]: Variables[K]['default'] extends string ? ValueOf<K> : ValueOf<K> | undefined;
};

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(variables) as [string, VariableSpec<unknown>][]) {
    const raw = env[spec.name];
    const value = raw === undefined || raw === '' ? spec.default : raw;
    out[key] = value === undefined ? undefined : spec.parse(value, spec.name);
  }
  const config = out as Config;
  if (config.httpHeadersTimeoutMs > config.httpRequestTimeoutMs) {
    throw new ConfigError(
      variables.httpHeadersTimeoutMs.name,
      `must not be longer than ${variables.httpRequestTimeoutMs.name}`,
    );
  }
  return config;
}

/** Variables for which the test suite and tools need the environment, read here so no other file touches process.env. */
export function readTestEnvironment(env: Record<string, string | undefined> = process.env) {
  return {
    ci: env.CI === 'true' || env.CI === '1',
    testDatabaseUrl: env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    testStores: env.HERALD_TEST_STORES,
  };
}
