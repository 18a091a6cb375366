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
}

export type Dialect = 'sqlite' | 'postgres';
