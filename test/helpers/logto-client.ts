import { createApiClient } from '@logto/api/management';
import type { TestServer } from './server.ts';

/** Logto's own typed Management API client, pointed at Herald with an API key as the token. */
export function logtoClient(t: TestServer, key: string = t.adminKey) {
  return createApiClient({ baseUrl: t.url, getToken: async () => key });
}
