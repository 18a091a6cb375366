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

export interface Api {
  get<T>(path: string): Promise<T>;
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
  async function call<T>(method: string, path: string, body?: unknown, extra?: Record<string, string>): Promise<T> {
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
    return json as T;
  }
  return {
    get: (path) => call('GET', path),
    send: (method, path, body, headers) => call(method, path, body, headers),
  };
}

/** Checks a key without keeping it: resolves when Herald accepts it, throws an ApiError when not. */
export async function checkKey(key: string): Promise<void> {
  await createApi(key, () => undefined).get('/api/hooks?page=1&page_size=1');
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
