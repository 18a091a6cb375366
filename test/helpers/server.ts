/**
 * Starts the real Herald server (the same startServer as `herald start`) on 127.0.0.1:0 against a
 * fresh database, and gives tests an HTTP client for it. Every server started here must be closed;
 * `assertNoOpenServers` in an `after` hook fails the file otherwise.
 */
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import { transaction } from '../../src/db/tx.ts';
import type { HookEvent } from '../../src/events/index.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { randomString } from '../../src/util/id.ts';
import { createTestDatabase, type StoreName, type TestDatabase } from './stores.ts';

const open = new Set<TestServer>();

export interface TestServer {
  readonly server: RunningServer;
  readonly database: TestDatabase;
  readonly url: string;
  /** HERALD_ADMIN_KEY of this server. */
  readonly adminKey: string;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, without JSON encoding. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** Bearer token; defaults to the admin key; null sends no Authorization header. */
  key?: string | null;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions & { defaultKey?: string } = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? options.defaultKey : options.key;
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | Buffer | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export async function startTestServer(store: StoreName, env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase(store);
  const adminKey = `test-admin-${randomString(24)}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    LOG_FORMAT: 'json',
    DATABASE_URL: database.url,
    HERALD_ADMIN_KEY: adminKey,
    HERALD_RETRY_SCHEDULE: '0.2,0.2',
    HERALD_REQUEST_TIMEOUT_MS: '2000',
    HERALD_THROTTLED_RETRY_MIN_SECONDS: '0',
    // Receivers listen on loopback; test/delivery.ssrf.test.ts turns the guard back on.
    HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
    ...env,
  });
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const handle: TestServer = {
    server,
    database,
    url: server.url,
    adminKey,
    request: (method, path, options = {}) => request(server.url, method, path, { ...options, defaultKey: adminKey }),
    close: async () => {
      if (!open.has(handle)) return;
      open.delete(handle);
      await server.close();
      await database.drop();
    },
  };
  open.add(handle);
  return handle;
}

export function assertNoOpenServers(): void {
  assert.equal(open.size, 0, `${open.size} test server(s) left running`);
}

/** Emits an event in-process, in its own transaction, as an identity route will. */
export async function emitEvent(t: TestServer, event: HookEvent, context: Record<string, unknown> = {}) {
  return transaction(t.server.database.db, (tx) => t.server.emitter.emit(tx, { event, context }));
}

/** Polls `fn` until it returns a value that is not undefined. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
