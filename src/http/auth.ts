/**
 * Bearer API-key authentication for every `/api/*` route, except routes that declare
 * `config: { public: true }` and the API reference pages.
 */
import type { App } from './types.ts';
import type { KeyService, Principal } from '../keys/index.ts';
import { HeraldError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers without an API key. */
    public?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const API_DOCS_PREFIX = '/api/docs';

const unauthorized = (message?: string) => new HeraldError('auth.unauthorized', message ? { message } : {});

/** Paths outside /api that need a key as well. */
const PROTECTED_EXTRA = new Set(['/metrics']);

function isProtectedPath(path: string): boolean {
  if (PROTECTED_EXTRA.has(path)) return true;
  if (path !== '/api' && !path.startsWith('/api/')) return false;
  return path !== API_DOCS_PREFIX && !path.startsWith(`${API_DOCS_PREFIX}/`);
}

function decodedPath(url: string): string {
  const raw = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** `/api/experience/verification/password` → `/api/experience`: the prefix a public route opens. */
const prefixOf = (url: string) => `/${url.split('/').filter(Boolean).slice(0, 2).join('/')}`;

export function registerAuth(app: App, keys: KeyService): void {
  app.decorateRequest('principal', undefined);
  // Prefixes under which every route is public (the Experience API's): an unknown path there is a
  // 404 for everyone, as in Logto, whose experience router has no authentication at all.
  const publicPrefixes = new Set<string>();
  app.addHook('onRoute', (route) => {
    if ((route.config as { public?: boolean } | undefined)?.public && route.url.startsWith('/api/'))
      publicPrefixes.add(prefixOf(route.url));
  });
  const underPublicPrefix = (path: string) =>
    [...publicPrefixes].some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public) return;
    if (request.routeOptions.url === undefined && underPublicPrefix(decodedPath(request.url).replace(/\/+$/, '')))
      return;
    // Decide on the route the router matched, not on the URL as written: `/%61pi/hooks` and
    // `/metrics/` reach the same handlers as `/api/hooks` and `/metrics`. Unmatched requests are
    // judged on their decoded path, so an unknown /api route answers 401 before 404.
    const path = request.routeOptions.url ?? decodedPath(request.url);
    if (!isProtectedPath(path.replace(/\/+$/, '') || '/')) return;
    const header = request.headers.authorization;
    if (!header) throw unauthorized('Authorization header is missing.');
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw unauthorized('Authorization type is not supported; use `Bearer <api key>`.');
    const principal = await keys.authenticate(match[1]);
    if (!principal) throw unauthorized();
    request.principal = principal;
  });
}
