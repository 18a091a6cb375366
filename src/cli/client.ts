/**
 * The CLI's HTTP client for a running Herald (`herald listen`, `herald trigger`): the server's URL
 * and an API key from flags or the environment, JSON in and out, Herald's errors as messages.
 */

export interface ServerOptions {
  /** Herald's base URL: --url, else HERALD_URL, else http://localhost:$PORT (3001). */
  url?: string | undefined;
  /** An API key: --key, else HERALD_API_KEY, else HERALD_ADMIN_KEY. */
  key?: string | undefined;
}

export class CliError extends Error {}

export interface ApiClient {
  readonly baseUrl: string;
  readonly key: string;
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

export function apiClient(options: ServerOptions, env: NodeJS.ProcessEnv = process.env): ApiClient {
  const baseUrl = (options.url ?? env.HERALD_URL ?? `http://localhost:${env.PORT ?? '3001'}`).replace(/\/+$/, '');
  const key = options.key ?? env.HERALD_API_KEY ?? env.HERALD_ADMIN_KEY;
  if (!key) throw new CliError('an API key is needed: --key hk_…, or HERALD_API_KEY in the environment');
  if (!/^https?:\/\/[^/]/.test(baseUrl)) throw new CliError(`--url must be an http(s) URL, not "${baseUrl}"`);
  return {
    baseUrl,
    key,
    async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
      let res: Response;
      try {
        res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        throw new CliError(
          `cannot reach Herald at ${baseUrl}${cause || (error instanceof Error ? `: ${error.message}` : '')}`,
        );
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      if (!res.ok) {
        const err = json as { code?: string; message?: string } | undefined;
        throw new CliError(
          `${method} ${path} answered ${res.status}${err?.code ? ` ${err.code}` : ''}${err?.message ? `: ${err.message}` : ''}`,
        );
      }
      return json as T;
    },
  };
}

/** `HH:MM:SS` of now, for one line per happening. */
export const clock = (at: Date = new Date()): string => at.toTimeString().slice(0, 8);
