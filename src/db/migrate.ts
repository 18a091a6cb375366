import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import type { DB } from './types.ts';
import { migrations } from './migrations/index.ts';

export const MIGRATION_TABLE = 'herald_migration';
export const MIGRATION_LOCK_TABLE = 'herald_migration_lock';

/**
 * Whether the store records exactly this build's migrations, read in one query: then there is
 * nothing to do (what the migrator would conclude too, after creating-if-missing its tables,
 * introspecting the schema and taking its lock). Any other answer, an error included (no table
 * yet), leaves it to the migrator.
 */
async function upToDate(db: Kysely<DB>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    const known = Object.keys(migrations);
    const applied = new Set(rows.map((row) => row.name));
    return applied.size === known.length && known.every((name) => applied.has(name));
  } catch {
    return false;
  }
}

/**
 * Applies every pending migration. Safe to call on every start and from several instances at once:
 * Kysely's migrator takes a lock (a row lock on PostgreSQL, the single writer on SQLite) and skips
 * migrations already recorded. Returns the names applied by this call.
 */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  if (await upToDate(db)) return [];
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
