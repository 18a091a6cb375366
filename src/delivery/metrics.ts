/**
 * Prometheus metrics: this instance's attempt counters and duration histogram (counted
 * beside the dispatcher, in its thread), and the shared queue's state read from the database at scrape time.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import { DURATION_BUCKETS_S, type DispatcherStats } from './stats.ts';

/** A Prometheus label value, escaped (text format 0.0.4). */
export const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createMetrics(deps: {
  db: Kysely<DB>;
  stats: () => Promise<DispatcherStats>;
  /** More families, rendered last (the synchronous hooks' counters). */
  extra?: () => string[];
  clock?: () => number;
}) {
  const now = deps.clock ?? Date.now;

  return {
    /** The exposition text (Prometheus text format 0.0.4). */
    async render(): Promise<string> {
      const at = now();
      const {
        attempts,
        durationBuckets: buckets,
        durationSum,
        durationCount,
        inFlight,
        unrecorded,
      } = await deps.stats();
      const lines: string[] = [];
      const metric = (name: string, type: string, help: string) =>
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

      metric('herald_delivery_attempts_total', 'counter', 'Delivery attempts made by this instance, by outcome.');
      for (const [outcome, n] of Object.entries(attempts))
        lines.push(`herald_delivery_attempts_total{outcome="${outcome}"} ${n}`);

      metric(
        'herald_delivery_attempt_duration_seconds',
        'histogram',
        'Duration of delivery attempts made by this instance.',
      );
      for (const [i, le] of DURATION_BUCKETS_S.entries())
        lines.push(`herald_delivery_attempt_duration_seconds_bucket{le="${le}"} ${buckets[i]}`);
      lines.push(`herald_delivery_attempt_duration_seconds_bucket{le="+Inf"} ${durationCount}`);
      lines.push(
        `herald_delivery_attempt_duration_seconds_sum ${durationSum}`,
        `herald_delivery_attempt_duration_seconds_count ${durationCount}`,
      );

      const memory = process.memoryUsage();
      metric('process_resident_memory_bytes', 'gauge', 'Resident set size of this process.');
      lines.push(`process_resident_memory_bytes ${memory.rss}`);
      metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use by this process.');
      lines.push(`nodejs_heap_used_bytes ${memory.heapUsed}`);
      metric(
        'herald_results_unrecorded',
        'gauge',
        "Results of this instance's attempts waiting to be written to the store.",
      );
      lines.push(`herald_results_unrecorded ${unrecorded}`);
      metric('herald_deliveries_in_flight', 'gauge', 'Requests this instance has in flight.');
      lines.push(`herald_deliveries_in_flight ${inFlight}`);

      const byStatus = await deps.db
        .selectFrom('deliveries')
        .select(['status'])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .groupBy('status')
        .execute();
      metric('herald_deliveries', 'gauge', 'Deliveries in the store, by status (all instances).');
      for (const status of ['pending', 'delivering', 'succeeded', 'failed']) {
        lines.push(
          `herald_deliveries{status="${status}"} ${Number(byStatus.find((r) => r.status === status)?.n ?? 0)}`,
        );
      }

      const due = await deps.db
        .selectFrom('deliveries as d')
        .innerJoin('hooks as h', 'h.id', 'd.hook_id')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('d.next_attempt_at').as('oldest')])
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', at)
        .where('h.enabled', '=', true)
        .executeTakeFirst();
      metric('herald_queue_depth', 'gauge', 'Deliveries of enabled hooks that are due now and not yet claimed.');
      lines.push(`herald_queue_depth ${Number(due?.n ?? 0)}`);
      metric(
        'herald_oldest_due_delivery_age_seconds',
        'gauge',
        'How long the oldest due, unclaimed delivery has waited.',
      );
      const oldest = due?.oldest === null || due?.oldest === undefined ? undefined : Number(due.oldest);
      lines.push(
        `herald_oldest_due_delivery_age_seconds ${oldest === undefined ? 0 : Math.max(0, (at - oldest) / 1000)}`,
      );

      const hooks = await deps.db.selectFrom('hooks').select(['id', 'name', 'enabled', 'failing_since']).execute();
      metric('herald_hooks', 'gauge', 'Hooks by state.');
      lines.push(`herald_hooks{state="enabled"} ${hooks.filter((h) => Boolean(h.enabled)).length}`);
      lines.push(`herald_hooks{state="disabled"} ${hooks.filter((h) => !h.enabled).length}`);
      metric('herald_hook_failure_streak_seconds', 'gauge', 'How long each failing hook has failed without a success.');
      for (const h of hooks) {
        if (h.failing_since !== null)
          lines.push(
            `herald_hook_failure_streak_seconds{hook_id="${h.id}",hook_name="${escapeLabel(h.name)}"} ${Math.max(0, (at - h.failing_since) / 1000)}`,
          );
      }
      if (deps.extra) lines.push(...deps.extra());
      return `${lines.join('\n')}\n`;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
