import type { ErrorBody } from '../../src/http/schemas.ts';

/**
 * The console's only way to Herald: fetch on the same origin with the signed-in key. Every
 * failure becomes an ApiError whose message can be shown as is.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly data: unknown;
  constructor(message: string, status: number, code?: string, data?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.data = data;
  }
}

/** The key lives in sessionStorage: gone when the browser session ends, never in localStorage. */
export const KEY_STORAGE = 'herald.apiKey';

/** One page of a paged list and the number of items in all its pages (the `Total-Number` header). */
export interface Paged<T> {
  data: T[];
  total: number;
}

export interface Api {
  get<T>(path: string): Promise<T>;
  /** GETs a paged list (`page`, `page_size` in `path`). */
  getPage<T>(path: string): Promise<Paged<T>>;
  send<T>(
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
}

/** Words for an error answer: the API's own message, with its code and the field it names. */
function describe(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object' && 'code' in body) {
    const { code, message, data } = body as Partial<ErrorBody> & { code: string };
    const field =
      data && typeof data === 'object' && 'field' in data ? ` (${String((data as { field: unknown }).field)})` : '';
    return new ApiError(`${message ?? 'The request failed.'}${field}`, status, code, data);
  }
  if (status === 503)
    return new ApiError('Herald is busy or its database is unavailable; try again in a moment.', status);
  return new ApiError(`Herald answered ${status}.`, status);
}

export function createApi(key: string, onUnauthorized: () => void): Api {
  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    extra?: Record<string, string>,
  ): Promise<{ json: T; headers: Headers }> {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new ApiError(`Herald did not answer: ${error instanceof Error ? error.message : String(error)}.`, 0);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = describe(response.status, json);
      if (response.status === 401) onUnauthorized();
      throw error;
    }
    return { json: json as T, headers: response.headers };
  }
  return {
    async get<T>(path: string) {
      return (await call<T>('GET', path)).json;
    },
    async getPage<T>(path: string) {
      const { json, headers } = await call<T[]>('GET', path);
      const total = Number(headers.get('total-number') ?? Number.NaN);
      return { data: json, total: Number.isSafeInteger(total) ? total : json.length };
    },
    async send<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
      return (await call<T>(method, path, body, headers)).json;
    },
  };
}

/** Checks a key without keeping it: resolves when Herald accepts it, throws an ApiError when not. */
export async function checkKey(key: string): Promise<void> {
  await createApi(key, () => undefined).get('/api/hooks?page=1&page_size=1');
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
