/** A fresh database per scenario, and direct enqueueing through emit() for backlogs. */
import { parseDatabaseUrl } from '../../src/config.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { transaction } from '../../src/db/tx.ts';
import { createEmitter } from '../../src/delivery/outbox.ts';
import type { HookEvent } from '../../src/events/index.ts';

/** A fresh database per scenario: the same helper the test suite uses (SQLite file in a temp dir, or a new PostgreSQL database). */
export { createTestDatabase as createBenchDatabase, type StoreName as Store } from '../../test/helpers/stores.ts';

/** A payload shaped like a Management API `User.Created` (about 700 bytes once signed and sent). */
export function userCreatedContext(n: number): Record<string, unknown> {
  const at = Date.now();
  return {
    userAgent: 'bench/1.0',
    ip: '127.0.0.1',
    path: '/users',
    method: 'POST',
    status: 200,
    params: {},
    matchedRoute: '/users',
    data: {
      id: `u${String(n).padStart(20, '0')}`,
      username: `user_${n}`,
      primaryEmail: `user${n}@example.com`,
      primaryPhone: null,
      name: `User ${n}`,
      avatar: null,
      customData: { plan: 'pro', seats: 5 },
      identities: {},
      lastSignInAt: null,
      createdAt: at,
      updatedAt: at,
      profile: {},
      applicationId: null,
      isSuspended: false,
    },
  };
}

/**
 * Emits `count` events through Herald's own emit(), `batch` per transaction, from this process (the
 * server may be down meanwhile): one delivery per subscribed hook each. Answers the seconds taken.
 */
export async function enqueue(
  url: string,
  count: number,
  options: { event?: HookEvent; batch?: number; onProgress?: (done: number) => void } = {},
): Promise<number> {
  const database = await connectDatabase(parseDatabaseUrl(url, 'DATABASE_URL'));
  await migrateToLatest(database.db);
  const emitter = createEmitter({ dialect: database.dialect, wake: () => undefined });
  const batch = options.batch ?? 2000;
  const started = performance.now();
  try {
    for (let done = 0; done < count; ) {
      const size = Math.min(batch, count - done);
      const inputs = Array.from({ length: size }, (_, i) => ({
        event: options.event ?? ('User.Created' as const),
        context: userCreatedContext(done + i),
      }));
      await transaction(database.db, (tx) => emitter.emitMany(tx, inputs));
      done += size;
      options.onProgress?.(done);
    }
  } finally {
    await database.close();
  }
  return (performance.now() - started) / 1000;
}
