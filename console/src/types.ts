/** The shapes of Herald's API that the console reads (see /api/swagger.json). */
export interface HookConfig {
  url: string;
  headers?: Record<string, string>;
}

export interface Hook {
  id: string;
  name: string;
  events: string[];
  event: string | null;
  config: HookConfig;
  signingKey: string;
  standardSigningKey: string;
  enabled: boolean;
  createdAt: number;
  disabledReason: string | null;
  disabledAt: number | null;
  previousSigningKeyExpiresAt: number | null;
  executionStats?: { requestCount: number; successCount: number };
}

export interface CatalogEvent {
  name: string;
  category: 'interaction' | 'data' | 'exception';
  group: string;
  description: string;
  extension: boolean;
  /** False for events Logto lists but a hook may not take (its development-only TrustedDevice.*). */
  available: boolean;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed';

export interface Delivery {
  id: string;
  hookId: string;
  eventId: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

export interface Attempt {
  attempt: number;
  startedAt: number;
  durationMs: number;
  result: 'success' | 'error';
  statusCode: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  error: string | null;
}

export interface DeliveryDetail extends Delivery {
  request: { url: string; headers: Record<string, string>; perAttemptHeaders: string[]; body: unknown };
  attemptLog: Attempt[];
}

export interface HealthBucket {
  start: number;
  delivered: number;
  failed: number;
}

export interface TestResult {
  event: string;
  ok: boolean;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  blocked: boolean;
}
