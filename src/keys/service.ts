/**
 * API keys for the Management API.
 *
 * A key reads `hk_<id>_<secret>`: the id (21 chars) finds the row, and the SHA-256 of the whole key
 * is compared in constant time with the stored hash. A fast hash is right here because the secret
 * is 32 random characters (~190 bits): nothing to brute-force, unlike a password. The key itself is
 * shown once, at creation, and never stored or logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB, Dialect } from '../db/types.ts';
import { transaction } from '../db/tx.ts';
import { HeraldError } from '../http/errors.ts';
import { generateId, generateSecret, ID_LENGTH } from '../util/id.ts';
import type { ApiKey } from './schemas.ts';
import * as store from './store.ts';

const KEY_PREFIX = 'hk_';
const SECRET_LENGTH = 32;
const ENV_KEY_ID = 'env';

export interface Principal {
  keyId: string;
  name: string;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

function toInfo(row: { id: string; name: string; created_at: number; revoked_at: number | null }): ApiKey {
  return { id: row.id, name: row.name, createdAt: row.created_at, revokedAt: row.revoked_at };
}

export function createKeyService(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  adminKey?: string | undefined;
  clock?: () => number;
}) {
  const { db, dialect } = deps;
  const now = deps.clock ?? Date.now;
  const adminKeyHash = deps.adminKey === undefined ? undefined : sha256(deps.adminKey);

  async function insertKey(executor: Kysely<DB>, name: string): Promise<{ key: string; info: ApiKey }> {
    const id = generateId();
    const key = `${KEY_PREFIX}${id}_${generateSecret(SECRET_LENGTH)}`;
    const row = {
      id,
      name,
      key_hash: sha256(key).toString('hex'),
      created_at: now(),
      revoked_at: null,
      last_used_at: null,
    };
    await store.insertApiKey(executor, row);
    return { key, info: toInfo(row) };
  }

  return {
    /** Creates a key; the returned `key` is the only time its secret exists outside the caller. */
    async createKey(name: string): Promise<{ key: string; info: ApiKey }> {
      const trimmed = name.trim();
      if (trimmed === '' || trimmed.length > 128) {
        throw new HeraldError('guard.invalid_input', {
          message: 'A key name is 1 to 128 characters.',
          data: { field: 'name' },
        });
      }
      return insertKey(db, trimmed);
    },

    async listKeys(): Promise<ApiKey[]> {
      return (await store.listApiKeys(db)).map(toInfo);
    },

    /** Revokes a key; it is refused from the next request on. */
    async revokeKey(id: string): Promise<ApiKey> {
      const row = await store.findApiKeyById(db, id);
      if (!row)
        throw new HeraldError('entity.not_exists_with_id', { message: `No API key with id ${id}.`, data: { id } });
      if (row.revoked_at === null) await store.updateApiKeyRevokedById(db, id, now());
      return toInfo((await store.findApiKeyById(db, id)) ?? row);
    },

    /**
     * On a first start with neither HERALD_ADMIN_KEY nor any stored key, creates one so the API is
     * usable; returns it (to be printed once) or undefined. Serialised across instances on PostgreSQL.
     */
    async bootstrapKey(): Promise<string | undefined> {
      if (adminKeyHash) return undefined;
      return transaction(db, async (tx) => {
        if (dialect === 'postgres')
          await sql`select pg_advisory_xact_lock(hashtext('herald.bootstrap-key'))`.execute(tx.db);
        if ((await store.countApiKeys(tx.db)) > 0) return undefined;
        return (await insertKey(tx.db, 'bootstrap')).key;
      });
    },

    /** The principal for a presented bearer token, or undefined. Comparison is constant-time. */
    async authenticate(token: string): Promise<Principal | undefined> {
      const presented = sha256(token);
      if (adminKeyHash && timingSafeEqual(presented, adminKeyHash))
        return { keyId: ENV_KEY_ID, name: 'HERALD_ADMIN_KEY' };
      if (!token.startsWith(KEY_PREFIX) || token[KEY_PREFIX.length + ID_LENGTH] !== '_') return undefined;
      const id = token.slice(KEY_PREFIX.length, KEY_PREFIX.length + ID_LENGTH);
      const row = await store.findApiKeyById(db, id);
      if (!row || row.revoked_at !== null) return undefined;
      const stored = Buffer.from(row.key_hash, 'hex');
      if (stored.length !== presented.length || !timingSafeEqual(presented, stored)) return undefined;
      return { keyId: row.id, name: row.name };
    },
  };
}

export type KeyService = ReturnType<typeof createKeyService>;
