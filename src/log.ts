import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log object: credentials in
 * request headers, and any field named like a secret.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.authorization',
  '*.apiKey',
  '*.key',
  '*.secret',
  '*.signingKey',
  '*.password',
  // Fastify logs a malformed request's bytes (at trace): they may hold an Authorization header.
  'err.rawPacket',
  '*.rawPacket',
];

/** What the serializers read of a Fastify request (`req`) or reply (`res`); anything else logged under those names too. */
interface RequestLike {
  method?: unknown;
  routeOptions?: { url?: unknown };
}

/** The route pattern a request matched (`/api/users/:userId`), or a placeholder when it matched none (a 404). */
const routeOf = (request: RequestLike | undefined) => {
  const url = request?.routeOptions?.url;
  return typeof url === 'string' ? url : '(no route)';
};

const methodOf = (request: RequestLike | undefined) =>
  typeof request?.method === 'string' ? request.method : undefined;

/**
 * Fastify's per-request lines ("incoming request", "request completed") say which endpoint was
 * called and how it went, and nothing that was in the request: the method and the route pattern it
 * matched, and the status on completion, never the URL as sent. Its query string holds search
 * terms and emails (`?search=`, `?q=`, `?invitee=`), its path IDs and identifiers; none of that
 * belongs in logs, and the `reqId` on every line is enough to follow one request. These replace
 * Fastify's own `req`/`res` serializers: Fastify lets a pino instance's serializers win.
 */
export const REQUEST_SERIALIZERS = {
  req: (request: RequestLike) => ({ method: methodOf(request), route: routeOf(request) }),
  res: (reply: { statusCode?: unknown; request?: RequestLike }) => ({
    method: methodOf(reply.request),
    route: routeOf(reply.request),
    statusCode: reply.statusCode,
  }),
};

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): Logger {
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY === true);
  return pino({
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: REQUEST_SERIALIZERS,
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
}
