import './delivery-log.css';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { errorText, type Api } from '../api';
import { ConfirmDialog, ErrorMessage, Loading, Notice, StatusBadge } from '../components/ui';
import { dateTime, toLocalInput } from '../format';
import { useLoad, usePage } from '../hooks';
import type { Delivery, DeliveryLogEntry, RecoverResult } from '../../../src/delivery/schemas.ts';
import type { CatalogEvent, Hook } from '../../../src/hooks/schemas.ts';

type Status = Delivery['status'] | '';

/** The log's filters, as they stand in the hash (`#/deliveries/?status=failed&q=…`) so a view can be linked. */
interface Filters {
  hookId: string;
  event: string;
  status: Status;
  /** As in the hash: ISO 8601 (what the form writes) or epoch ms; the API judges it. */
  since: string;
  until: string;
  q: string;
  page: number;
}

const STATUSES: [Status, string][] = [
  ['', 'Any status'],
  ['pending', 'Pending'],
  ['delivering', 'Delivering'],
  ['succeeded', 'Delivered'],
  ['failed', 'Failed'],
];
const PAGE_SIZE = 20;
/** While the page is open, statuses move on without a click. */
const REFRESH_MS = 5000;
/** The server's bound on the payload search (GET /api/deliveries). */
const SCAN_LIMIT = '10 000';

function readFilters(): Filters {
  const hash = window.location.hash;
  const at = hash.indexOf('?');
  const params = new URLSearchParams(at >= 0 ? hash.slice(at + 1) : '');
  const status = params.get('status') ?? '';
  const page = Number(params.get('page') ?? '1');
  return {
    hookId: params.get('hookId') ?? '',
    event: params.get('event') ?? '',
    status: STATUSES.some(([s]) => s === status) ? (status as Status) : '',
    since: params.get('since') ?? '',
    until: params.get('until') ?? '',
    q: params.get('q') ?? '',
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

/** The filters as query parameters, the empty ones (and page 1) left out. */
function filterParams(f: Filters, withPage: boolean): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['hookId', 'event', 'status', 'since', 'until', 'q'] as const) if (f[key]) params.set(key, f[key]);
  if (withPage && f.page > 1) params.set('page', String(f.page));
  return params;
}

function hashOf(f: Filters): string {
  const query = filterParams(f, true).toString();
  // `/?` keeps the first path part `deliveries` for the console's router, which does not strip a query.
  return query ? `#/deliveries/?${query}` : '#/deliveries';
}

/** A time of the hash as epoch ms (ISO 8601 or digits), or undefined. */
function timeOf(value: string): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** What the datetime-local inputs show for a time of the hash. */
function localOf(value: string): string {
  const ms = timeOf(value);
  return ms === undefined ? '' : toLocalInput(ms);
}

/** A datetime-local value (the browser's time zone) as ISO 8601 UTC for the hash and the API. */
function isoOf(local: string): string {
  if (!local) return '';
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : local;
}

export function DeliveryLog({ api }: { api: Api; rest: string[] }) {
  const [filters, setFilters] = useState(readFilters);
  const [draft, setDraft] = useState(() => ({
    ...filters,
    since: localOf(filters.since),
    until: localOf(filters.until),
  }));
  const hooks = useLoad<Hook[]>(api, '/api/hooks');
  const catalog = useLoad<CatalogEvent[]>(api, '/api/hook-events');
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [retrying, setRetrying] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [recovering, setRecovering] = useState(false);
  const searchHint = useId();

  // The hash is the truth: a link opened, Back or Forward, or the nav link set the filters.
  useEffect(() => {
    const update = () => {
      if (!window.location.hash.startsWith('#/deliveries')) return;
      const next = readFilters();
      setNotice(undefined);
      setActionError(undefined);
      setFilters(next);
      setDraft({ ...next, since: localOf(next.since), until: localOf(next.until) });
    };
    window.addEventListener('hashchange', update);
    window.addEventListener('popstate', update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener('popstate', update);
    };
  }, []);

  /** Shows `next` and records it in the hash (a history entry, so Back returns to the previous view). */
  const apply = useCallback((next: Filters) => {
    const hash = hashOf(next);
    if (hash !== window.location.hash) window.history.pushState(null, '', hash);
    setFilters(next);
  }, []);

  const query = filterParams(filters, false);
  query.set('page', String(filters.page));
  query.set('page_size', String(PAGE_SIZE));
  const path = `/api/deliveries?${query.toString()}`;

  // Each filter shows nothing of the previous one while it loads; the shown page refreshes itself.
  const { data: result, loading, error, reload: load } = usePage<DeliveryLogEntry>(api, path, { keep: false });
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(undefined);
    apply({ ...draft, q: draft.q.trim(), since: isoOf(draft.since), until: isoOf(draft.until), page: 1 });
  }

  function clear() {
    setNotice(undefined);
    const empty: Filters = { hookId: '', event: '', status: '', since: '', until: '', q: '', page: 1 };
    setDraft(empty);
    apply(empty);
  }

  async function retry(d: DeliveryLogEntry) {
    setRetrying(d.id);
    setActionError(undefined);
    setNotice(undefined);
    try {
      await api.send('POST', `/api/hooks/${d.hookId}/deliveries/${d.id}/retry`);
      setNotice(`${d.event} to ${d.hookName || d.hookId}: queued to be sent again.`);
      await load();
    } catch (err) {
      setActionError(errorText(err));
    } finally {
      setRetrying(undefined);
    }
  }

  async function recover() {
    setRecovering(true);
    setActionError(undefined);
    setNotice(undefined);
    try {
      const body: Record<string, string> = {};
      for (const key of ['hookId', 'event', 'q', 'since', 'until'] as const) if (filters[key]) body[key] = filters[key];
      const { queued } = await api.send<RecoverResult>('POST', '/api/deliveries/recover', body);
      setNotice(
        queued === 0
          ? 'No failed deliveries match these filters.'
          : `${queued} failed ${queued === 1 ? 'delivery' : 'deliveries'} queued to be sent again.`,
      );
      setConfirming(false);
      await load();
    } catch (err) {
      setConfirming(false);
      setActionError(errorText(err));
    } finally {
      setRecovering(false);
    }
  }

  const hookNames = new Map((hooks.data ?? []).map((h) => [h.id, h.name || h.id]));
  const eventNames = (catalog.data ?? [])
    .filter((e) => e.available)
    .map((e) => e.name)
    .sort();
  const filtered = filterParams(filters, false).toString() !== '';
  const rows = result?.data;
  const total = result?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const canRecover = filters.status === '' || filters.status === 'failed';
  const scope = [
    filters.hookId && `of ${hookNames.get(filters.hookId) ?? filters.hookId}`,
    filters.event && `for ${filters.event}`,
    filters.q && `matching “${filters.q}”`,
    filters.since ? `created since ${dateTime(timeOf(filters.since))}` : 'created in the last 14 days',
    filters.until && `and until ${dateTime(timeOf(filters.until))}`,
  ].filter(Boolean);

  return (
    <section className="delivery-log" aria-labelledby="delivery-log-title">
      <div className="page-head">
        <div>
          <h1 id="delivery-log-title">Deliveries</h1>
          <p className="meta">Every webhook's deliveries, newest first.</p>
        </div>
        {canRecover && (
          <button type="button" onClick={() => setConfirming(true)}>
            Recover failed deliveries
          </button>
        )}
      </div>

      <form className="log-filters" role="search" aria-label="Filter deliveries" onSubmit={submit} noValidate>
        <div className="field log-search">
          <label htmlFor="log-q">Search</label>
          <input
            id="log-q"
            type="search"
            value={draft.q}
            maxLength={256}
            placeholder="Delivery id, event id, user id or email"
            aria-describedby={searchHint}
            onChange={(e) => setDraft({ ...draft, q: e.target.value })}
          />
          <span className="hint" id={searchHint}>
            Ids match exactly. A user id or email is looked for in the payloads of the newest {SCAN_LIMIT} events of the
            time window: set Since and Until to search older ones.
          </span>
        </div>
        <div className="field">
          <label htmlFor="log-hook">Webhook</label>
          <select id="log-hook" value={draft.hookId} onChange={(e) => setDraft({ ...draft, hookId: e.target.value })}>
            <option value="">Any webhook</option>
            {draft.hookId && !hookNames.has(draft.hookId) && <option value={draft.hookId}>{draft.hookId}</option>}
            {(hooks.data ?? []).map((h) => (
              <option key={h.id} value={h.id}>
                {h.name || h.id}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-event">Event</label>
          <select id="log-event" value={draft.event} onChange={(e) => setDraft({ ...draft, event: e.target.value })}>
            <option value="">Any event</option>
            {draft.event && !eventNames.includes(draft.event) && <option value={draft.event}>{draft.event}</option>}
            {eventNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-status">Status</label>
          <select
            id="log-status"
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: e.target.value as Status })}
          >
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-since">Since</label>
          <input
            id="log-since"
            type="datetime-local"
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="log-until">Until</label>
          <input
            id="log-until"
            type="datetime-local"
            value={draft.until}
            onChange={(e) => setDraft({ ...draft, until: e.target.value })}
          />
        </div>
        <div className="log-buttons">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button type="button" onClick={clear} disabled={!filtered}>
            Clear
          </button>
        </div>
      </form>

      <ErrorMessage error={hooks.error ?? catalog.error} />
      <ErrorMessage error={actionError} />
      <Notice text={notice} />
      <ErrorMessage error={error} />
      {!rows && loading && <Loading what="deliveries" />}
      {rows && rows.length === 0 && (
        <div className="empty">
          {filtered ? (
            <>
              <p>No deliveries match these filters.</p>
              {filters.q && (
                <p className="hint">
                  The payload search reads the newest {SCAN_LIMIT} events of the time window; narrow Since and Until to
                  reach older ones.
                </p>
              )}
            </>
          ) : (
            <p>
              No deliveries yet. When an event a webhook subscribes to happens, its delivery appears here.{' '}
              <a href="#/hooks">See the webhooks</a>.
            </p>
          )}
        </div>
      )}
      {rows && rows.length > 0 && (
        <>
          <div className="table-wrap">
            <table aria-busy={loading}>
              <caption className="visually-hidden">Deliveries of every webhook, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Webhook</th>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.id}>
                    <td data-label="Time">
                      <a href={`#/hooks/${d.hookId}/deliveries/${d.id}`} title={`Open delivery ${d.id}`}>
                        {dateTime(d.createdAt)}
                      </a>
                    </td>
                    <td data-label="Webhook" className="log-hook">
                      <a href={`#/hooks/${d.hookId}`} title={d.hookName || d.hookId}>
                        {d.hookName || d.hookId}
                      </a>
                    </td>
                    <td data-label="Event" className="log-event">
                      {d.event}
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={d.status} />
                    </td>
                    <td data-label="Attempts">{d.attempts}</td>
                    <td data-label="Last status" className="log-last" title={d.lastError ?? undefined}>
                      {d.lastStatusCode ?? (d.lastError ? 'Error' : '—')}
                    </td>
                    <td data-label="" className="log-actions">
                      {d.status === 'failed' && (
                        <button
                          type="button"
                          onClick={() => void retry(d)}
                          disabled={retrying === d.id}
                          aria-label={`Retry ${d.event} to ${d.hookName || d.hookId}, ${dateTime(d.createdAt)}`}
                        >
                          {retrying === d.id ? 'Retrying…' : 'Retry'}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages of deliveries">
            <button
              type="button"
              disabled={filters.page <= 1}
              onClick={() => apply({ ...filters, page: filters.page - 1 })}
            >
              Newer
            </button>
            <span>
              Page {filters.page} of {pages} · {total} {total === 1 ? 'delivery' : 'deliveries'}
            </span>
            <button
              type="button"
              disabled={filters.page >= pages}
              onClick={() => apply({ ...filters, page: filters.page + 1 })}
            >
              Older
            </button>
          </nav>
        </>
      )}

      <ConfirmDialog
        open={confirming}
        title="Recover failed deliveries?"
        confirmLabel={recovering ? 'Recovering…' : 'Recover'}
        busy={recovering}
        onConfirm={() => void recover()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          Every failed delivery {scope.join(' ')} is sent again now, with its original webhook-id. Recovery reaches at
          most 14 days back.
        </p>
      </ConfirmDialog>
    </section>
  );
}
