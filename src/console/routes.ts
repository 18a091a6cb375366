/**
 * The admin console (console/, a React app built by Vite into console/dist) served at /console.
 * The built files are read once at start into memory: only those files can ever be answered, so no
 * path from a request reaches the file system. Any other path under /console is a page of the app
 * and gets index.html. The console is public like any web page; everything it shows comes from the
 * API with the key the user signs in with.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http/types.ts';

export const CONSOLE_PREFIX = '/console';
const DEFAULT_DIR = fileURLToPath(new URL('../../console/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** The app loads only its own files and talks only to this server; nothing may frame it. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

interface ConsoleFile {
  body: Buffer;
  /**
   * The same bytes gzipped, when that saves anything (the app's script: 256 KB → 80 KB); gzipped
   * once, at the first request that accepts gzip (not at start: level 9 takes a while).
   */
  gzipped(): Buffer | undefined;
  type: string;
  /** Vite names files under assets/ by content hash: cacheable for good. */
  immutable: boolean;
}

function readBuild(dir: string): Map<string, ConsoleFile> | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const files = new Map<string, ConsoleFile>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const key = relative(dir, path).split(sep).join('/');
        const body = readFileSync(path);
        let gzipped: { bytes: Buffer | undefined } | undefined;
        files.set(key, {
          body,
          gzipped: () => {
            if (!gzipped) {
              const bytes = gzipSync(body, { level: 9 });
              gzipped = { bytes: bytes.length < body.length ? bytes : undefined };
            }
            return gzipped.bytes;
          },
          type: TYPES[extname(name)] ?? 'application/octet-stream',
          immutable: key.startsWith('assets/'),
        });
      }
    }
  };
  walk(dir);
  return files;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Herald console</title>
<p>The console has not been built. Run <code>npm run build:console</code> (<code>npm ci</code> and <code>npm install</code> run it) and restart Herald.</p>`;

/** `gzip` is among the accepted encodings, and not with `q=0`. */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export function registerConsoleRoutes(app: App, options: { dir?: string | undefined } = {}): void {
  const files = readBuild(options.dir ?? DEFAULT_DIR);
  const index = files?.get('index.html');

  // `/console` and `/console/` are one route here (ignoreTrailingSlash): both answer the app.
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(SECURITY_HEADERS);
    if (!files || !index) return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    const path = (request.params as { '*'?: string })['*'] ?? '';
    // A missing asset is a 404, not the app: a stale page asking for an old bundle must not get HTML.
    if (!files.has(path) && path.startsWith('assets/'))
      return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    const file = files.get(path) ?? index;
    reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('vary', 'accept-encoding');
    reply.type(file.type);
    const gzipped = acceptsGzip(request.headers['accept-encoding']) ? file.gzipped() : undefined;
    if (gzipped) return reply.header('content-encoding', 'gzip').send(gzipped);
    return reply.send(file.body);
  };
  app.get(CONSOLE_PREFIX, { config: { public: true }, schema: { hide: true } }, serve);
  app.get(`${CONSOLE_PREFIX}/*`, { config: { public: true }, schema: { hide: true } }, serve);
}
