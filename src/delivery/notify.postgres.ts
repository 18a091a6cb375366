/**
 * LISTEN on PostgreSQL so that a commit in any instance wakes every idle dispatcher at once,
 * instead of after a poll interval. One dedicated connection per instance (LISTEN needs a session);
 * if it drops, it reconnects with backoff, and the dispatcher's poll covers the gap.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { DELIVERY_WAKE_CHANNEL } from './outbox.ts';

const RECONNECT_MAX_MS = 5000;

export function createPostgresWaker(options: { url: string; log: Logger; onWake: () => void }) {
  const log = options.log.child({ module: 'listen' });
  let client: pg.Client | undefined;
  let stopped = false;
  let backoffMs = 100;
  let retryTimer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    if (stopped) return;
    const next = new pg.Client({ connectionString: options.url });
    next.on('notification', () => options.onWake());
    next.on('error', (err) => {
      log.warn({ err }, 'LISTEN connection failed; reconnecting');
      scheduleReconnect(next);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${DELIVERY_WAKE_CHANNEL}`);
      if (stopped) {
        await next.end();
        return;
      }
      client = next;
      backoffMs = 100;
      // Work committed while disconnected: look now rather than at the next poll.
      options.onWake();
    } catch (err) {
      log.warn({ err }, 'could not LISTEN; retrying');
      scheduleReconnect(next);
    }
  }

  function scheduleReconnect(failed: pg.Client): void {
    failed.end().catch(() => undefined);
    if (client === failed) client = undefined;
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, backoffMs);
    backoffMs = Math.min(backoffMs * 2, RECONNECT_MAX_MS);
  }

  return {
    start: connect,
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
