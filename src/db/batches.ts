/**
 * Bound parameter lists: SQLite refuses a statement with more than 32 766 parameters (PostgreSQL
 * 65 535), so writes and lookups over lists that come from stored rows or large request bodies go
 * in batches of this many items.
 */
export const BATCH_SIZE = 500;

export function batches<T>(items: readonly T[], size: number = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `run` per batch, one after the other, and concatenates the answers. */
export async function inBatches<T, R>(items: readonly T[], run: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (const batch of batches(items)) out.push(...(await run(batch)));
  return out;
}
