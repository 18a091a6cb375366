import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import type { DB } from './types.ts';
import { migrations } from './migrations/index.ts';

export const MIGRATION_TABLE = 'herald_migration';
export const MIGRATION_LOCK_TABLE = 'herald_migration_lock';

/**
 * Applies every pending migration. Safe to call on every start and from several instances at once:
 * Kysely's migrator takes a lock (a row lock on PostgreSQL, the single writer on SQLite) and skips
 * migrations already recorded. Returns the names applied by this call.
 */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(setup)'} failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
