import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { errorText, type Api } from '../api';
import { dateTime, pretty } from '../format';
import type { SyncDecision, SyncHook, SyncHookCall } from '../../../src/sync-hooks/schemas.ts';
import { DecisionBadge, EffectBadge, ErrorMessage, Loading } from './ui';

const DECISIONS: [SyncDecision | '', string][] = [
  ['', 'Any decision'],
  ['allow', 'Allow'],
  ['deny', 'Deny'],
  ['failed', 'Failed'],
];
const PAGE_SIZE = 20;
/** While the page is open, new calls show up without a click. */
const REFRESH_MS = 5000;
const COLUMNS = 7;

function CallDetails({ call }: { call: SyncHookCall }) {
  return (
    <div className="call-details">
      <dl className="facts">
        <dt>Call id (webhook-id)</dt>
        <dd>
          <code>{call.id}</code>
        </dd>
        <dt>Interaction</dt>
        <dd>{call.interactionEvent ?? 'POST /api/users (Management API)'}</dd>
        {call.sessionId && (
          <>
            <dt>Session</dt>
            <dd>
              <code>{call.sessionId}</code>
            </dd>
          </>
        )}
        {call.denyCode !== null && (
          <>
            <dt>Deny code</dt>
            <dd>
              <code>{call.denyCode}</code>
            </dd>
            <dt>Deny message</dt>
            <dd>{call.denyMessage ?? '—'}</dd>
          </>
        )}
      </dl>
      {call.error !== null && (
        <>
          <h4>Error</h4>
          <p className="error-text">{call.error}</p>
        </>
      )}
      <h4>Request</h4>
      <pre className="body" tabIndex={0} aria-label={`Request of the call ${call.id}`}>
        {pretty(call.request)}
      </pre>
      <h4>Response</h4>
      {call.responseBody === null ? (
        <p className="hint">No response.</p>
      ) : (
        <pre className="body" tabIndex={0} aria-label={`Response of the call ${call.id}`}>
          {call.responseBody === '' ? '(empty body)' : pretty(call.responseBody)}
        </pre>
      )}
    </div>
  );
}

export function SyncCalls({ api, hook }: { api: Api; hook: SyncHook }) {
  const [decision, setDecision] = useState<SyncDecision | ''>('');
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<SyncHookCall[]>();
  const [total, setTotal] = useState(0);
  /** Any request in flight, the timed ones too: shown with aria-busy, never by disabling buttons. */
  const [loading, setLoading] = useState(true);
  /** A refresh the user asked for: its button waits for it. */
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [updatedAt, setUpdatedAt] = useState<number>();
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  /** Answers for an earlier filter or page are dropped. */
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const mine = generation.current;
    setLoading(true);
    try {
      const params = new URLSearchParams({ page: String(page), page_size: String(PAGE_SIZE) });
      if (decision) params.set('decision', decision);
      const result = await api.getPage<SyncHookCall>(`/api/sync-hooks/${hook.id}/calls?${params}`);
      if (mine !== generation.current) return;
      setRows(result.data);
      setTotal(result.total);
      setError(undefined);
      setUpdatedAt(Date.now());
    } catch (e) {
      if (mine === generation.current) setError(errorText(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [api, hook.id, page, decision]);

  useEffect(() => {
    generation.current++;
    setRows(undefined);
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

  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="sync-calls">
      <h2>Calls</h2>
      <p className="hint">
        Every call of this hook by a real sign-up, sign-in or password reset, newest first: what the endpoint answered
        (decision) and what Herald did with the request (effect), the failure policy applied.
      </p>
      <div className="filters" role="search">
        <div className="field">
          <label htmlFor="filter-decision">Decision</label>
          <select
            id="filter-decision"
            value={decision}
            onChange={(e) => {
              setDecision(e.target.value as SyncDecision | '');
              setPage(1);
            }}
          >
            {DECISIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
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
      {!rows && loading && <Loading what="calls" />}
      {rows && rows.length === 0 && (
        <p className="empty">
          {decision
            ? 'No calls match this filter.'
            : `No calls yet. When a ${hook.phase} request reaches this hook, its call appears here. Tests are not recorded.`}
        </p>
      )}
      {rows && rows.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Calls table">
          <table aria-label="Calls" aria-busy={loading}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Decision</th>
                <th scope="col">Effect</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">User id</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const expanded = open.has(c.id);
                const detailsId = `call-${c.id}`;
                return (
                  <Fragment key={c.id}>
                    <tr>
                      <td>{dateTime(c.createdAt)}</td>
                      <td>
                        <DecisionBadge decision={c.decision} />
                        {c.denyCode && (
                          <>
                            {' '}
                            <code>{c.denyCode}</code>
                          </>
                        )}
                      </td>
                      <td>
                        <EffectBadge effect={c.effect} patched={c.patched} />
                      </td>
                      <td>{c.statusCode ?? '—'}</td>
                      <td>{c.durationMs} ms</td>
                      <td>{c.userId ? <code>{c.userId}</code> : '—'}</td>
                      <td>
                        <button
                          type="button"
                          aria-expanded={expanded}
                          aria-controls={expanded ? detailsId : undefined}
                          onClick={() => toggle(c.id)}
                        >
                          {expanded ? 'Hide' : 'Details'}{' '}
                          <span className="visually-hidden">of the call at {dateTime(c.createdAt)}</span>
                        </button>
                      </td>
                    </tr>
                    {expanded && (
                      <tr id={detailsId} className="call-details-row">
                        <td colSpan={COLUMNS}>
                          <CallDetails call={c} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {rows && total > 0 && (
        <nav className="pager" aria-label="Calls pages">
          <button type="button" onClick={() => setPage((p) => p - 1)} disabled={page <= 1}>
            Newer calls
          </button>
          <span>
            Page {page} of {pages} · {total} {total === 1 ? 'call' : 'calls'}
          </span>
          <button type="button" onClick={() => setPage((p) => p + 1)} disabled={page >= pages}>
            Older calls
          </button>
        </nav>
      )}
    </div>
  );
}
