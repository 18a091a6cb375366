import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { errorText, type Api } from '../api';
import { dateTime, subscribedEvents, toLocalInput } from '../format';
import type { Delivery, DeliveryPage, RecoverResult } from '../../../src/delivery/schemas.ts';
import type { CatalogEvent, Hook } from '../../../src/hooks/schemas.ts';
import { ErrorMessage, Loading, Notice, StatusBadge } from './ui';

const STATUSES: [Delivery['status'] | '', string][] = [
  ['', 'Any status'],
  ['pending', 'Pending'],
  ['delivering', 'Delivering'],
  ['succeeded', 'Delivered'],
  ['failed', 'Failed'],
];
const PAGE = 20;
/** While the page is open, new deliveries show up without a click. */
const REFRESH_MS = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The API's limit for recovery. */
const RECOVER_MAX_MS = 14 * DAY_MS;

export function Deliveries({ api, hook, catalog }: { api: Api; hook: Hook; catalog: CatalogEvent[] }) {
  const [status, setStatus] = useState<Delivery['status'] | ''>('');
  const [event, setEvent] = useState('');
  const [rows, setRows] = useState<Delivery[]>();
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  /** Any request in flight, the timed ones too: shown with aria-busy, never by disabling buttons. */
  const [loading, setLoading] = useState(true);
  /** A request the user asked for: its button waits for it. */
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [updatedAt, setUpdatedAt] = useState<number>();
  /** Answers for earlier filters are dropped. */
  const generation = useRef(0);
  /** Older pages shown: a refresh then updates the newest page and keeps them. */
  const older = useRef(false);

  const query = useCallback(
    (cursor?: string) => {
      const params = new URLSearchParams({ limit: String(PAGE) });
      if (status) params.set('status', status);
      if (event) params.set('event', event);
      if (cursor) params.set('cursor', cursor);
      return api.get<DeliveryPage>(`/api/hooks/${hook.id}/deliveries?${params}`);
    },
    [api, hook.id, status, event],
  );

  const refresh = useCallback(async () => {
    const mine = generation.current;
    setLoading(true);
    try {
      const page = await query();
      if (mine !== generation.current) return;
      if (older.current) {
        // Keep the older pages: the newest page, then what was shown beyond it.
        const ids = new Set(page.data.map((d) => d.id));
        const oldest = page.data.at(-1);
        setRows((current) => [
          ...page.data,
          ...(current ?? []).filter((d) => !ids.has(d.id) && (!oldest || d.createdAt <= oldest.createdAt)),
        ]);
      } else {
        setRows(page.data);
        setNextCursor(page.nextCursor);
      }
      setError(undefined);
      setUpdatedAt(Date.now());
    } catch (e) {
      if (mine === generation.current) setError(errorText(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [query]);

  useEffect(() => {
    // New filters: start again from the newest page, and drop answers for the old ones.
    generation.current++;
    older.current = false;
    setRows(undefined);
    setNextCursor(null);
    void refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  async function refreshNow() {
    setBusy(true);
    await refresh();
    setBusy(false);
  }

  async function more() {
    if (!nextCursor) return;
    const mine = generation.current;
    setBusy(true);
    try {
      const page = await query(nextCursor);
      if (mine !== generation.current) return;
      older.current = true;
      setRows((current) => [...(current ?? []), ...page.data]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      if (mine === generation.current) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const eventNames = [...subscribedEvents(hook)].sort();
  const descriptions = new Map(catalog.map((e) => [e.name, e.description]));

  return (
    <div className="deliveries">
      <h2>Deliveries</h2>
      <div className="filters" role="search">
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as Delivery['status'] | '')}
          >
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-event">Event</label>
          <select id="filter-event" value={event} onChange={(e) => setEvent(e.target.value)}>
            <option value="">Any event</option>
            {eventNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={() => void refreshNow()} disabled={busy}>
          Refresh
        </button>
        <span className="hint" aria-live="off">
          {updatedAt ? `Updated ${new Date(updatedAt).toLocaleTimeString()}` : ''}
        </span>
      </div>
      <ErrorMessage error={error} />
      {!rows && loading && <Loading what="deliveries" />}
      {rows && rows.length === 0 && (
        <p className="empty">
          {status || event
            ? 'No deliveries match these filters.'
            : 'No deliveries yet. When an event this webhook subscribes to happens, its delivery appears here.'}
        </p>
      )}
      {rows && rows.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Deliveries table">
          <table aria-label="Deliveries" aria-busy={loading}>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Event</th>
                <th scope="col">Created</th>
                <th scope="col">Attempts</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Last response</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>
                    <a href={`#/hooks/${hook.id}/deliveries/${d.id}`} title={descriptions.get(d.event)}>
                      {d.event}
                    </a>
                  </td>
                  <td>{dateTime(d.createdAt)}</td>
                  <td>{d.attempts}</td>
                  <td>{d.status === 'pending' ? dateTime(d.nextAttemptAt) : '—'}</td>
                  <td className="last-response">{d.lastStatusCode ?? d.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && (
        <button type="button" onClick={() => void more()} disabled={busy}>
          Show older deliveries
        </button>
      )}
      <Recover api={api} hook={hook} onQueued={() => void refresh()} />
    </div>
  );
}

function Recover({ api, hook, onQueued }: { api: Api; hook: Hook; onQueued: () => void }) {
  const [since, setSince] = useState(() => toLocalInput(Date.now() - DAY_MS));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ms = new Date(since).getTime();
    if (!Number.isFinite(ms)) return setError('Pick a date and time.');
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const { queued } = await api.send<RecoverResult>('POST', `/api/hooks/${hook.id}/recover`, { since: ms });
      setNotice(
        queued === 0
          ? 'No failed deliveries created since then.'
          : `${queued} failed ${queued === 1 ? 'delivery' : 'deliveries'} queued to be sent again.`,
      );
      onQueued();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="recover" onSubmit={submit} noValidate>
      <h3>Recover failed deliveries</h3>
      <p className="hint" id="recover-hint">
        Every delivery created since this time (at most 14 days back) that has failed for good is sent again now, with
        its original webhook-id.
      </p>
      <div className="field">
        <label htmlFor="recover-since">Created since</label>
        <input
          id="recover-since"
          type="datetime-local"
          value={since}
          min={toLocalInput(Date.now() - RECOVER_MAX_MS)}
          onChange={(e) => setSince(e.target.value)}
          aria-describedby="recover-hint"
        />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Recovering…' : 'Recover failed deliveries'}
      </button>
      <ErrorMessage error={error} />
      <Notice text={notice} />
    </form>
  );
}
