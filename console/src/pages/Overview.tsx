/**
 * The landing page: the webhooks that need attention first, then the last 24 hours across every
 * webhook (attempts per hour, delivered and failed), then the latest failed deliveries. Built from
 * the public API: the hook list with its 24 h statistics, each hook's hourly health and its newest
 * failed deliveries (at most OVERVIEW_HOOKS hooks are read in detail; the page says when there are
 * more).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, type Api } from '../api';
import { Chart } from '../components/Health';
import { ErrorMessage, Loading } from '../components/ui';
import { dateTime } from '../format';
import type { Delivery, DeliveryPage, HookHealth } from '../../../src/delivery/schemas.ts';
import type { Hook } from '../../../src/hooks/schemas.ts';
import './overview.css';

/** Hooks whose hourly health and failures are read (one request each). */
const OVERVIEW_HOOKS = 25;
/** Failures shown. */
const LATEST_FAILURES = 10;
/** Below this share of attempts delivered in 24 h a hook needs attention. */
const FAILING_BELOW = 0.95;

type Severity = 'bad' | 'warn';
interface Attention {
  hook: Hook;
  severity: Severity;
  /** A word or two for the badge. */
  label: string;
  /** What happened, in a sentence. */
  detail: string;
}

/** Why a hook needs someone to look at it, worst first; undefined when it does not. */
export function attentionOf(hook: Hook): Attention | undefined {
  const stats = hook.executionStats;
  if (!hook.enabled && hook.disabledReason)
    return { hook, severity: 'bad', label: 'Disabled by Herald', detail: hook.disabledReason };
  if (hook.destinationWarning)
    return { hook, severity: 'bad', label: 'Destination refused', detail: hook.destinationWarning };
  if (hook.enabled && stats && stats.requestCount > 0 && stats.successCount / stats.requestCount < FAILING_BELOW) {
    const rate = Math.round((stats.successCount / stats.requestCount) * 1000) / 10;
    return {
      hook,
      severity: stats.successCount === 0 ? 'bad' : 'warn',
      label: stats.successCount === 0 ? 'Failing' : 'Degraded',
      detail: `${rate} % of ${stats.requestCount} requests delivered in the last 24 h.`,
    };
  }
  if (hook.paused)
    return {
      hook,
      severity: 'warn',
      label: 'Paused',
      detail: `Deliveries are held${hook.pausedAt ? ` since ${dateTime(hook.pausedAt)}` : ''}; resume to send them.`,
    };
  return undefined;
}

interface Loaded {
  hooks: Hook[];
  buckets: HookHealth['buckets'];
  failures: (Delivery & { hookName: string })[];
}

async function loadOverview(api: Api): Promise<Loaded> {
  const hooks = (await api.get<Hook[]>('/api/hooks?includeExecutionStats=true')).filter((h) => !h.listener);
  const detailed = hooks.slice(0, OVERVIEW_HOOKS);
  const [healths, failed] = await Promise.all([
    Promise.all(detailed.map((h) => api.get<HookHealth>(`/api/hooks/${h.id}/health?period=24h`))),
    Promise.all(
      detailed.map((h) =>
        api.get<DeliveryPage>(`/api/hooks/${h.id}/deliveries?status=failed&limit=${LATEST_FAILURES}`),
      ),
    ),
  ]);
  // The hours of every hook's health line up (the server's hour boundaries): add them up.
  const sums = new Map<number, { start: number; delivered: number; failed: number }>();
  for (const health of healths)
    for (const b of health.buckets) {
      const sum = sums.get(b.start) ?? { ...b, delivered: 0, failed: 0 };
      sum.delivered += b.delivered;
      sum.failed += b.failed;
      sums.set(b.start, sum);
    }
  const names = new Map(hooks.map((h) => [h.id, h.name || h.id]));
  const failures = failed
    .flatMap((page) => page.data)
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, LATEST_FAILURES)
    .map((d) => ({ ...d, hookName: names.get(d.hookId) ?? d.hookId }));
  return { hooks, buckets: [...sums.values()].sort((a, b) => a.start - b.start), failures };
}

export function Overview({ api }: { api: Api }) {
  const [data, setData] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const loaded = await loadOverview(api);
      if (mine === generation.current) {
        setData(loaded);
        setError(undefined);
      }
    } catch (e) {
      if (mine === generation.current) setError(errorText(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [api]);
  useEffect(() => {
    void reload();
    return () => {
      generation.current++;
    };
  }, [reload]);

  const attention = (data?.hooks ?? [])
    .map(attentionOf)
    .filter((a): a is Attention => a !== undefined)
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'bad' ? -1 : 1));
  const delivered = data?.buckets.reduce((n, b) => n + b.delivered, 0) ?? 0;
  const failed = data?.buckets.reduce((n, b) => n + b.failed, 0) ?? 0;
  const total = delivered + failed;

  return (
    <section aria-labelledby="overview-title" className="overview">
      <div className="page-head">
        <h1 id="overview-title">Overview</h1>
        <div className="actions">
          <button type="button" onClick={() => void reload()} disabled={loading}>
            Refresh
          </button>
          <a className="button primary" href="#/hooks/new">
            Create webhook
          </a>
        </div>
      </div>
      <ErrorMessage error={error} />
      {!data && loading && <Loading what="the overview" />}
      {data && data.hooks.length === 0 && (
        <div className="empty">
          <h2>No webhooks yet</h2>
          <p>
            A webhook tells another system when something happens in Herald: a user signs up, a role changes, an
            organization gains a member. Herald POSTs the event as JSON to the endpoint you give, signed so the receiver
            can trust it, and retries until it is delivered.
          </p>
          <p>
            <a className="button primary" href="#/hooks/new">
              Create your first webhook
            </a>
          </p>
        </div>
      )}
      {data && data.hooks.length > 0 && (
        <>
          <div className="tiles">
            <div className="tile">
              <span className="tile-value">{data.hooks.length}</span>
              <span className="tile-label">webhooks</span>
            </div>
            <div className={`tile ${attention.length ? 'tile-bad' : 'tile-ok'}`}>
              <span className="tile-value">{attention.length}</span>
              <span className="tile-label">{attention.length === 1 ? 'needs' : 'need'} attention</span>
            </div>
            <div className="tile">
              <span className="tile-value">{total}</span>
              <span className="tile-label">attempts in 24 h</span>
            </div>
            <div className={`tile ${total && failed / total >= 1 - FAILING_BELOW ? 'tile-bad' : 'tile-ok'}`}>
              <span className="tile-value">{total ? `${Math.round((delivered / total) * 1000) / 10} %` : '—'}</span>
              <span className="tile-label">delivered</span>
            </div>
          </div>

          <h2 id="attention-title">Needs attention</h2>
          {attention.length === 0 ? (
            <p className="all-well">Every webhook is delivering. Nothing needs attention.</p>
          ) : (
            <ul className="attention" aria-labelledby="attention-title">
              {attention.map((a) => (
                <li key={a.hook.id} className={`attention-${a.severity}`}>
                  <span className={`badge ${a.severity === 'bad' ? 'badge-failed' : 'badge-paused'}`}>{a.label}</span>{' '}
                  <a href={`#/hooks/${a.hook.id}`}>{a.hook.name || a.hook.id}</a>
                  <span className="attention-detail">{a.detail}</span>
                </li>
              ))}
            </ul>
          )}

          <h2>Last 24 hours</h2>
          {data.hooks.length > OVERVIEW_HOOKS && (
            <p className="meta">
              The chart and the failures below cover the first {OVERVIEW_HOOKS} of {data.hooks.length} webhooks.
            </p>
          )}
          <figure className="overview-chart">
            <div className="chart-wrap" tabIndex={0} role="region" aria-label="Attempts per hour across every webhook">
              <Chart buckets={data.buckets} period="24h" delivered={delivered} failed={failed} />
            </div>
            <figcaption>
              <span className="legend delivered-key">Delivered</span> {delivered}{' '}
              <span className="legend failed-key">Failed</span> {failed} attempts across every webhook
            </figcaption>
          </figure>

          <h2 id="failures-title">Latest failures</h2>
          {data.failures.length === 0 ? (
            <p className="meta">No delivery has failed for good.</p>
          ) : (
            <div className="table-wrap">
              <table aria-labelledby="failures-title" className="failures">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Webhook</th>
                    <th scope="col">Event</th>
                    <th scope="col">Last answer</th>
                  </tr>
                </thead>
                <tbody>
                  {data.failures.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <a href={`#/hooks/${d.hookId}/deliveries/${d.id}`}>{dateTime(d.updatedAt)}</a>
                      </td>
                      <td>{d.hookName}</td>
                      <td>
                        <code>{d.event}</code>
                      </td>
                      <td className="last-answer">
                        {d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '—')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
