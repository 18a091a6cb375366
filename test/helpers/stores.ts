/**
 * The stores every integration test runs against. scripts/test.ts decides (SQLite always;
 * PostgreSQL when reachable, and required under CI) and passes the list in HERALD_TEST_STORES.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { readTestEnvironment } from '../../src/config.ts';
import { randomString } from '../../src/util/id.ts';

export type StoreName = 'sqlite' | 'postgres';

const testEnv = readTestEnvironment();

export const stores: StoreName[] = (testEnv.testStores ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is StoreName => s === 'sqlite' || s === 'postgres');

export interface TestDatabase {
  readonly store: StoreName;
  /** A DATABASE_URL for Herald. */
  readonly url: string;
  /** Folder for this test's files (the SQLite file lives here). */
  readonly dir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a new SQLite file in a temporary folder, or a new PostgreSQL database. */
export async function createTestDatabase(store: StoreName): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-test-'));
  if (store === 'sqlite') {
    return {
      store,
      url: `sqlite:${join(dir, 'herald.db')}`,
      dir,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `herald_t_${randomString(12)}`;
  const admin = new pg.Client({ connectionString: testEnv.testDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testEnv.testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    store,
    url: url.toString(),
    dir,
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: testEnv.testDatabaseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
