/**
 * The read side of deliveries, for the API: Logto's recent-logs and execution stats, and Herald's
 * deliveries list and detail. Sensitive values are masked in everything returned here: the stored
 * payload by Logto's rule, what receivers sent back and error texts by redact.ts's broader one.
 * Stored JSON is never handed to anything recursive unbounded (util/json-text.ts).
 */
import type { Kysely } from 'kysely';
import type { DB, DeliveryAttemptsTable } from '../db/types.ts';
import { deliveryBody, viewPayload } from '../events/payloads.ts';
import { maskHeaders, maskResponseBody, scrubError, scrubErrorOrNull, viewResponseBody } from '../outbound/redact.ts';
import * as logStore from './log.store.ts';
import * as store from './queries.store.ts';
import type { Attempt, Delivery, DeliveryLogEntry, HealthBucket, RecentLog } from './schemas.ts';

export const EXECUTION_STATS_WINDOW_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

const toAttemptView = (a: DeliveryAttemptsTable): Attempt => ({
  attempt: a.attempt,
  startedAt: a.started_at,
  durationMs: a.duration_ms,
  result: a.result,
  statusCode: a.status_code,
  // Herald wrote these headers itself: a flat object of strings, safe to parse.
  responseHeaders: a.response_headers ? maskHeaders(JSON.parse(a.response_headers) as Record<string, string>) : null,
  responseBody: a.response_body === null ? null : maskResponseBody(a.response_body),
  error: scrubErrorOrNull(a.error),
});

const toDeliveryView = (d: store.DeliveryRow): Delivery => ({
  id: d.id,
  hookId: d.hook_id,
  eventId: d.event_id,
  event: d.event_name,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? d.next_attempt_at : null,
  lastStatusCode: d.last_status_code,
  lastError: scrubErrorOrNull(d.last_error),
  createdAt: d.created_at,
  updatedAt: d.updated_at,
  completedAt: d.completed_at,
});

export function createDeliveryQueries(deps: { db: Kysely<DB>; clock?: () => number }) {
  const { db } = deps;
  const now = deps.clock ?? Date.now;

  async function bodies(rows: store.DeliveryRow[]): Promise<Map<string, unknown>> {
    const payloads = new Map(
      (await store.findEventPayloads(db, [...new Set(rows.map((r) => r.event_id))])).map((e) => [e.id, e.payload]),
    );
    const out = new Map<string, unknown>();
    for (const r of rows) {
      const payload = payloads.get(r.event_id);
      if (payload !== undefined) out.set(r.id, viewPayload(deliveryBody(payload, r.hook_id)));
    }
    return out;
  }

  return {
    /** executionStats per hook over the last 24 hours: deliveries sent at least once, and those that succeeded. */
    executionStats(hookIds: readonly string[]) {
      return store.countExecutionStats(db, hookIds, now() - EXECUTION_STATS_WINDOW_MS);
    },

    /** Logto's recent-logs: one entry per delivery that has been attempted, newest first. */
    async recentLogs(
      hookId: string,
      options: {
        since: number | undefined;
        until: number | undefined;
        eventName: string | undefined;
        offset: number;
        limit: number;
      },
    ): Promise<{ total: number; logs: RecentLog[] }> {
      const filter = {
        hookId,
        since: options.since,
        until: options.until,
        eventName: options.eventName,
        onlyAttempted: true,
      };
      // The page first, then the count: deliveries only ever gain attempts, so the total is never
      // below what the page shows (counted first, a delivery sent in between made it 1 beside 3 rows).
      const rows = await store.listDeliveriesPage(db, filter, options.offset, options.limit);
      const total = await store.countDeliveries(db, filter);
      const requestBodies = await bodies(rows);
      const attempts = await store.listLastAttempts(
        db,
        rows.map((r) => r.id),
      );
      const logs = rows.map((r): RecentLog => {
        const key = `TriggerHook.${r.event_name}`;
        const last = attempts.get(r.id);
        const payload: RecentLog['payload'] = {
          key,
          result: r.status === 'succeeded' ? 'Success' : 'Error',
          hookId: r.hook_id,
          hookRequest: { body: requestBodies.get(r.id) },
        };
        if (last?.status_code !== null && last?.status_code !== undefined) {
          payload.response = {
            statusCode: last.status_code,
            body: last.response_body === null ? '' : viewResponseBody(last.response_body),
          };
        }
        if (last?.error && last.result === 'error') payload.error = scrubError(last.error);
        return { id: r.id, key, payload, createdAt: r.created_at };
      });
      return { total, logs };
    },

    /**
     * Delivery health per hour, oldest first, ending with the current hour: attempts that
     * delivered and attempts that failed. Every hour of the window is present, empty ones as 0.
     */
    async health(hookId: string, hours: number): Promise<HealthBucket[]> {
      const currentHour = Math.floor(now() / HOUR_MS);
      const firstHour = currentHour - hours + 1;
      const counted = new Map(
        (await store.countAttemptsByBucket(db, hookId, firstHour * HOUR_MS, HOUR_MS)).map((r) => [r.bucket, r]),
      );
      return Array.from({ length: hours }, (_, i) => {
        const hour = firstHour + i;
        const row = counted.get(hour);
        return { start: hour * HOUR_MS, delivered: row?.succeeded ?? 0, failed: row?.failed ?? 0 };
      });
    },

    /**
     * The global delivery log: every hook's deliveries the filter matches, newest first, with the
     * hook's name, and how many match in all (log.store.ts: `q` scans payloads bounded).
     */
    async log(
      filter: logStore.DeliveryLogFilter,
      page: { offset: number; limit: number },
    ): Promise<{ total: number; entries: DeliveryLogEntry[] } | undefined> {
      if (filter.hookId !== undefined && !(await logStore.hookExists(db, filter.hookId))) return undefined;
      const rows = await logStore.listLog(db, filter, page.offset, page.limit);
      const total = await logStore.countLog(db, filter);
      return {
        total: Math.max(total, page.offset + rows.length),
        entries: rows.map((r) => ({ ...toDeliveryView(r), hookName: r.hook_name })),
      };
    },

    async listDeliveries(filter: store.DeliveryFilter): Promise<Delivery[]> {
      return (await store.listDeliveries(db, filter)).map(toDeliveryView);
    },

    /** The delivery alone, without its request body and attempts. */
    async getDeliveryView(hookId: string, id: string): Promise<Delivery | undefined> {
      const row = await store.findDeliveryById(db, hookId, id);
      return row ? toDeliveryView(row) : undefined;
    },

    async getDelivery(
      hookId: string,
      id: string,
    ): Promise<(Delivery & { request: { body: unknown }; attemptLog: Attempt[] }) | undefined> {
      const row = await store.findDeliveryById(db, hookId, id);
      if (!row) return undefined;
      const requestBodies = await bodies([row]);
      const attempts = await store.listAttemptsByDeliveryIds(db, [row.id]);
      return {
        ...toDeliveryView(row),
        request: { body: requestBodies.get(row.id) },
        attemptLog: attempts.map(toAttemptView),
      };
    },
  };
}

export type DeliveryQueries = ReturnType<typeof createDeliveryQueries>;
