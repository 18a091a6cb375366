/**
 * Prometheus metrics. Three sources, one exposition:
 *   - prom-client's registry (loaded after the server listens, never at start-up): Node's default
 *     process and event-loop metrics, and the HTTP request duration histogram (observeHttp);
 *   - this instance's attempt counters and duration histograms, instance-wide and per hook and
 *     outcome, counted beside the dispatcher (in its thread) and shipped in its `stats` snapshot;
 *   - the shared queue's state, read from the database at scrape time with bounded statements only
 *     (never a count of the whole deliveries table): see SCRAPE_SQL.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Histogram, Registry } from 'prom-client';
import type { DB, Dialect } from '../db/types.ts';
import { DURATION_BUCKETS_S, type DispatcherStats, type DurationHistogram, type Outcome } from './stats.ts';

/** A Prometheus label value, escaped (text format 0.0.4). */
export const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Most deliveries any one scrape statement reads: counts above it read as this number. */
export const SCRAPE_ROW_CAP = 10_000;

/** HTTP request durations (seconds): the API answers in milliseconds, a slow sign-up in a second. */
export const HTTP_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
/** HTTP observations kept until prom-client has loaded (the first moments after start). */
const EARLY_OBSERVATIONS_MAX = 1000;

/**
 * Every statement a scrape runs on deliveries, each bounded by `limit` (the `?` placeholders are
 * bound in order; `$cap` is SCRAPE_ROW_CAP or the test's cap):
 *   - pending and delivering: through the partial index deliveries__hook_due (status pending or
 *     delivering), exact up to the cap;
 *   - succeeded and failed: among the newest `cap` deliveries (a backward walk of the primary key,
 *     whose ids begin with their creation time): exact while the table holds fewer, else a window;
 *   - the due queue and its oldest entry: per enabled hook, an index range of deliveries__hook_due.
 */
export const SCRAPE_SQL = {
  open: `select count(*) as n from (select 1 from deliveries where status in ('pending', 'delivering') and status = ? limit ?) as t`,
  recent: `select status, count(*) as n from (select status from deliveries order by id desc limit ?) as t group by status`,
  due: `select count(*) as n, min(next_attempt_at) as oldest from (
      select next_attempt_at from deliveries
      where hook_id = ? and status in ('pending', 'delivering') and status = 'pending' and next_attempt_at <= ?
      order by next_attempt_at limit ?) as t`,
  hooks: 'select id, name, enabled, failing_since from hooks',
} as const;

type PromClient = typeof import('prom-client');

export function createMetrics(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  stats: () => Promise<DispatcherStats>;
  /** More families, rendered last (the synchronous hooks' counters). */
  extra?: () => string[];
  clock?: () => number;
  /** Most rows a scrape statement reads (tests lower it). */
  rowCap?: number;
}) {
  const now = deps.clock ?? Date.now;
  const cap = deps.rowCap ?? SCRAPE_ROW_CAP;
  let prom: { registry: Registry; http: Histogram<'method' | 'route' | 'status_code'> } | undefined;
  let loading: Promise<void> | undefined;
  let early: [string, string, string, number][] = [];

  /** SCRAPE_SQL's `?` placeholders, numbered for PostgreSQL. */
  const texts = new Map<string, string>();
  const textOf = (text: string) => {
    if (deps.dialect !== 'postgres') return text;
    let out = texts.get(text);
    if (out === undefined) {
      let n = 0;
      out = text.replace(/\?/g, () => `$${++n}`);
      texts.set(text, out);
    }
    return out;
  };
  async function runQuery<R>(text: string, parameters: unknown[]): Promise<R[]> {
    return (await deps.db.executeQuery<R>(CompiledQuery.raw(textOf(text), parameters))).rows;
  }

  /** Loads prom-client and starts the default metrics (the server calls it once it listens). */
  function start(): Promise<void> {
    loading ??= import('prom-client').then((client: PromClient) => {
      const registry = new client.Registry();
      client.collectDefaultMetrics({ register: registry });
      const http = new client.Histogram({
        name: 'http_request_duration_seconds',
        help: 'Duration of HTTP requests, by method, route pattern and status code.',
        labelNames: ['method', 'route', 'status_code'] as const,
        buckets: [...HTTP_BUCKETS_S],
        registers: [registry],
      });
      for (const [method, route, status, seconds] of early)
        http.observe({ method, route, status_code: status }, seconds);
      early = [];
      prom = { registry, http };
    });
    return loading;
  }

  function histogramLines(name: string, labels: string, h: DurationHistogram): string[] {
    const sep = labels ? `${labels},` : '';
    const lines = DURATION_BUCKETS_S.map((le, i) => `${name}_bucket{${sep}le="${le}"} ${h.buckets[i] ?? 0}`);
    lines.push(`${name}_bucket{${sep}le="+Inf"} ${h.count}`);
    const braces = labels ? `{${labels}}` : '';
    lines.push(`${name}_sum${braces} ${h.sum}`, `${name}_count${braces} ${h.count}`);
    return lines;
  }

  return {
    start,

    /** One answered request: `route` is the route's pattern (never the URL), absent when none matched. */
    observeHttp(method: string, route: string | undefined, statusCode: number, seconds: number): void {
      const path = route ?? 'unmatched';
      if (prom) prom.http.observe({ method, route: path, status_code: String(statusCode) }, seconds);
      else if (early.length < EARLY_OBSERVATIONS_MAX) early.push([method, path, String(statusCode), seconds]);
    },

    /** The exposition text (Prometheus text format 0.0.4). */
    async render(): Promise<string> {
      await start();
      const at = now();
      const stats = await deps.stats();
      const lines: string[] = [];
      const metric = (name: string, type: string, help: string) =>
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

      metric('herald_delivery_attempts_total', 'counter', 'Delivery attempts made by this instance, by outcome.');
      for (const [outcome, n] of Object.entries(stats.attempts))
        lines.push(`herald_delivery_attempts_total{outcome="${outcome}"} ${n}`);
      metric(
        'herald_delivery_attempt_duration_seconds',
        'histogram',
        'Duration of delivery attempts made by this instance.',
      );
      lines.push(
        ...histogramLines('herald_delivery_attempt_duration_seconds', '', {
          buckets: stats.durationBuckets,
          sum: stats.durationSum,
          count: stats.durationCount,
        }),
      );

      const byHook = Object.entries(stats.byHook).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      metric(
        'herald_hook_delivery_attempts_total',
        'counter',
        'Delivery attempts made by this instance, by hook and outcome.',
      );
      for (const [hookId, outcomes] of byHook)
        for (const [outcome, h] of Object.entries(outcomes) as [Outcome, DurationHistogram][])
          lines.push(
            `herald_hook_delivery_attempts_total{hook_id="${escapeLabel(hookId)}",outcome="${outcome}"} ${h.count}`,
          );
      metric(
        'herald_hook_delivery_attempt_duration_seconds',
        'histogram',
        'Duration of delivery attempts made by this instance, by hook and outcome.',
      );
      for (const [hookId, outcomes] of byHook)
        for (const [outcome, h] of Object.entries(outcomes) as [Outcome, DurationHistogram][])
          lines.push(
            ...histogramLines(
              'herald_hook_delivery_attempt_duration_seconds',
              `hook_id="${escapeLabel(hookId)}",outcome="${outcome}"`,
              h,
            ),
          );

      metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use by this process (also nodejs_heap_size_used_bytes).');
      lines.push(`nodejs_heap_used_bytes ${process.memoryUsage().heapUsed}`);
      metric(
        'herald_results_unrecorded',
        'gauge',
        "Results of this instance's attempts waiting to be written to the store.",
      );
      lines.push(`herald_results_unrecorded ${stats.unrecorded}`);
      metric('herald_deliveries_in_flight', 'gauge', 'Requests this instance has in flight.');
      lines.push(`herald_deliveries_in_flight ${stats.inFlight}`);

      const count = async (status: string) =>
        Number((await runQuery<{ n: number | string }>(SCRAPE_SQL.open, [status, cap]))[0]?.n ?? 0);
      const recent = await runQuery<{ status: string; n: number | string }>(SCRAPE_SQL.recent, [cap]);
      metric(
        'herald_deliveries',
        'gauge',
        `Deliveries in the store by status (all instances): pending and delivering counted up to ${cap}; succeeded and failed among the newest ${cap} deliveries.`,
      );
      lines.push(`herald_deliveries{status="pending"} ${await count('pending')}`);
      lines.push(`herald_deliveries{status="delivering"} ${await count('delivering')}`);
      for (const status of ['succeeded', 'failed'])
        lines.push(`herald_deliveries{status="${status}"} ${Number(recent.find((r) => r.status === status)?.n ?? 0)}`);

      const hooks = await runQuery<{
        id: string;
        name: string;
        enabled: boolean | number;
        failing_since: number | string | null;
      }>(SCRAPE_SQL.hooks, []);
      let depth = 0;
      let oldest: number | undefined;
      for (const hook of hooks) {
        if (!hook.enabled || depth >= cap) continue;
        const row = (
          await runQuery<{ n: number | string; oldest: number | string | null }>(SCRAPE_SQL.due, [
            hook.id,
            at,
            cap - depth,
          ])
        )[0];
        depth += Number(row?.n ?? 0);
        if (row?.oldest !== null && row?.oldest !== undefined)
          oldest = Math.min(oldest ?? Number.POSITIVE_INFINITY, Number(row.oldest));
      }
      metric(
        'herald_queue_depth',
        'gauge',
        `Deliveries of enabled hooks that are due now and not yet claimed (counted up to ${cap}).`,
      );
      lines.push(`herald_queue_depth ${depth}`);
      metric(
        'herald_oldest_due_delivery_age_seconds',
        'gauge',
        'How long the oldest due, unclaimed delivery has waited.',
      );
      lines.push(
        `herald_oldest_due_delivery_age_seconds ${oldest === undefined ? 0 : Math.max(0, (at - oldest) / 1000)}`,
      );

      metric('herald_hooks', 'gauge', 'Hooks by state.');
      lines.push(`herald_hooks{state="enabled"} ${hooks.filter((h) => Boolean(h.enabled)).length}`);
      lines.push(`herald_hooks{state="disabled"} ${hooks.filter((h) => !h.enabled).length}`);
      metric('herald_hook_failure_streak_seconds', 'gauge', 'How long each failing hook has failed without a success.');
      for (const h of hooks) {
        if (h.failing_since !== null)
          lines.push(
            `herald_hook_failure_streak_seconds{hook_id="${h.id}",hook_name="${escapeLabel(h.name)}"} ${Math.max(0, (at - Number(h.failing_since)) / 1000)}`,
          );
      }
      if (deps.extra) lines.push(...deps.extra());
      const standard = prom ? await prom.registry.metrics() : '';
      return `${lines.join('\n')}\n${standard}`;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
