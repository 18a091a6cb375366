/** Kysely's view of Herald's tables. Each module adds its tables here; only its store.ts queries them. */

export interface ApiKeysTable {
  id: string;
  name: string;
  /** hex SHA-256 of the whole key; the key itself is never stored. */
  key_hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface DB {
  api_keys: ApiKeysTable;
  hooks: HooksTable;
  events: EventsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
}

export type Dialect = 'sqlite' | 'postgres';

export interface HooksTable {
  id: string;
  tenant_id: string;
  name: string;
  event: string | null;
  /** JSON array of event names. */
  events: string;
  /** JSON `{ url, headers?, retries? }`. */
  config: string;
  signing_key: string;
  /** boolean on PostgreSQL, 0/1 on SQLite: read through the store's mapper. */
  enabled: boolean | number;
  created_at: number;
}

export interface EventsTable {
  id: string;
  name: string;
  /** JSON payload without hookId. */
  payload: string;
  created_at: number;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed';

export interface DeliveriesTable {
  id: string;
  hook_id: string;
  event_id: string;
  event_name: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  leased_by: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface DeliveryAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  result: 'success' | 'error';
  status_code: number | null;
  /** JSON object of response headers. */
  response_headers: string | null;
  response_body: string | null;
  error: string | null;
}
