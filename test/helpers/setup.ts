/**
 * The integration tests' shared prologue. Called inside a describe(), useServer registers a
 * before() that starts what the suite asks for and an after() that closes it all:
 *
 *   for (const store of stores) {
 *     describe(`something (${store})`, () => {
 *       const ctx = useServer(store, { env: { HERALD_…: '…' }, receiver: true, hook: { events: ['User.Created'] } });
 *       it('…', async () => {
 *         await ctx.t.request('GET', `/api/hooks/${ctx.hook.id}`);   // the server (startTestServer)
 *         await ctx.api.GET('/api/users');                          // Logto's client, with the admin key
 *         await ctx.receiver.waitFor((rs) => rs.length > 0);        // the webhook receiver
 *       });
 *     });
 *   }
 *
 * In its before(), in this order: the receivers asked for start (`mail` sets
 * HERALD_MESSAGE_CONNECTOR to `${ctx.mail.url}/send`), the server starts on `store` with `env`,
 * ctx.api is made, and the hook asked for is created (201 asserted) with ctx.receiver's URL.
 * The context is filled in by that before(): read it inside tests and hooks, never at describe
 * time. A field the suite did not ask for, or read too early, throws saying so. A suite needing
 * more set-up registers its own before() after calling useServer: hooks run in that order.
 *
 * Below it, the small assertions the Logto-client tests share: ok(), fails(), expectError(),
 * unique() and countRows().
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Kysely } from 'kysely';
import { logtoClient } from './logto-client.ts';
import { startReceiver, type Behaviour, type Receiver } from './receiver.ts';
import { startTestServer, type TestServer } from './server.ts';
import type { StoreName } from './stores.ts';

export interface ServerOptions {
  /** Environment for startTestServer, on top of its test defaults. */
  env?: Record<string, string>;
  /** Starts ctx.receiver: `true` answers 200 "ok"; or how it answers. */
  receiver?: true | Behaviour;
  /** Starts ctx.mail, a receiver for the message connector (HERALD_MESSAGE_CONNECTOR). */
  mail?: true;
  /** Creates ctx.hook (name defaults to 'test') delivering to ctx.receiver, so `receiver` is needed too. */
  hook?: { name?: string; events: readonly string[] };
}

export interface CreatedHook {
  id: string;
  signingKey: string;
  standardSigningKey: string;
}

export interface ServerContext {
  readonly t: TestServer;
  /** Logto's Management API client on ctx.t, with the admin key. */
  readonly api: ReturnType<typeof logtoClient>;
  readonly receiver: Receiver;
  readonly mail: Receiver;
  readonly hook: CreatedHook;
}

export function useServer(store: StoreName, options: ServerOptions = {}): ServerContext {
  const started: { -readonly [K in keyof ServerContext]?: ServerContext[K] } = {};
  const need = <K extends keyof ServerContext>(key: K): ServerContext[K] => {
    const value = started[key];
    if (value === undefined)
      throw new Error(
        `useServer: ctx.${key} is not there (not asked for in the options, or read before the suite's before() ran)`,
      );
    return value as ServerContext[K];
  };

  before(async () => {
    if (options.receiver)
      started.receiver = await startReceiver(options.receiver === true ? undefined : options.receiver);
    if (options.mail) started.mail = await startReceiver();
    const env = { ...(started.mail ? { HERALD_MESSAGE_CONNECTOR: `${started.mail.url}/send` } : {}), ...options.env };
    started.t = await startTestServer(store, env);
    started.api = logtoClient(started.t);
    if (options.hook) {
      const { name = 'test', events } = options.hook;
      const res = await started.t.request('POST', '/api/hooks', {
        body: { name, events, config: { url: need('receiver').url } },
      });
      assert.equal(res.status, 201, res.text);
      started.hook = res.json;
    }
  });
  after(async () => {
    // Whatever started, even if the before() failed halfway; the receivers even if the server's close throws.
    try {
      await started.t?.close();
    } finally {
      await started.receiver?.close();
      await started.mail?.close();
    }
  });

  return {
    get t() {
      return need('t');
    },
    get api() {
      return need('api');
    },
    get receiver() {
      return need('receiver');
    },
    get mail() {
      return need('mail');
    },
    get hook() {
      return need('hook');
    },
  };
}

/** What Logto's client answers: data on success, error otherwise. */
type ClientResult = { data?: unknown; error?: unknown; response: Response };

/** Asserts a Logto-client call succeeded and returns its data (untyped unless T is given). */
export function ok<T = any>(result: ClientResult): T {
  assert.ok(result.response.ok, `${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data as T;
}

/** Asserts a Logto-client call failed with `status` and, when given, the error `code`. */
export function fails(result: ClientResult, status: number, code?: string): void {
  assert.equal(result.response.status, status, JSON.stringify(result.error));
  if (code) assert.equal((result.error as { code: string }).code, code, JSON.stringify(result.error));
}

/** Sends a request to `t` (with `body` when given), asserts its status and error code, and returns the body. */
export async function expectError(
  t: TestServer,
  method: string,
  path: string,
  status: number,
  code: string,
  body?: unknown,
) {
  const res = await t.request(method, path, body === undefined ? {} : { body });
  assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
  assert.equal(res.json.code, code, `${method} ${path}`);
  return res.json;
}

let counter = 0;
/** `${prefix}_N`, N counting up across the file: a name no other call in this process gets. */
export const unique = (prefix: string) => `${prefix}_${++counter}`;

type Tables = TestServer['server']['database']['db'] extends Kysely<infer DB> ? DB : never;

/** The number of rows in one of Herald's tables. */
export async function countRows(t: TestServer, table: keyof Tables & string): Promise<number> {
  const db = t.server.database.db as unknown as Kysely<Record<string, object>>;
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
