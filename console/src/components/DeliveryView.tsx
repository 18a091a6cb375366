import { useState } from 'react';
import { errorText, type Api } from '../api';
import { dateTime, pretty } from '../format';
import { useLoad } from '../hooks';
import type { DeliveryDetail } from '../../../src/delivery/schemas.ts';
import type { Hook } from '../../../src/hooks/schemas.ts';
import { ErrorMessage, Loading, Notice, StatusBadge } from './ui';

function HeaderTable({ headers, label }: { headers: Record<string, string>; label: string }) {
  return (
    <table className="headers-table" aria-label={label}>
      <tbody>
        {Object.entries(headers).map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DeliveryView({ api, hook, deliveryId }: { api: Api; hook: Hook; deliveryId: string }) {
  const delivery = useLoad<DeliveryDetail>(api, `/api/hooks/${hook.id}/deliveries/${encodeURIComponent(deliveryId)}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const back = (
    <p className="crumbs">
      <a href={`#/hooks/${hook.id}/deliveries`}>All deliveries</a> ›
    </p>
  );
  if (!delivery.data) {
    return (
      <div>
        {back}
        <ErrorMessage error={delivery.error} />
        {delivery.loading && <Loading what="the delivery" />}
      </div>
    );
  }
  const d = delivery.data;

  async function retry() {
    setBusy(true);
    setError(undefined);
    try {
      await api.send('POST', `/api/hooks/${hook.id}/deliveries/${d.id}/retry`);
      setNotice(
        hook.enabled ? 'Queued: Herald sends it again now.' : 'Queued: it is sent once the webhook is enabled again.',
      );
      // The new attempt lands within moments; show it.
      await delivery.reload();
      setTimeout(() => void delivery.reload(), 1500);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="delivery">
      {back}
      <div className="page-head">
        <h2>
          <code>{d.event}</code> <StatusBadge status={d.status} />
        </h2>
        <div className="actions">
          <button type="button" onClick={() => void delivery.reload()} disabled={delivery.loading}>
            Refresh
          </button>
          <button type="button" className="primary" onClick={retry} disabled={busy || d.status === 'delivering'}>
            Retry now
          </button>
        </div>
      </div>
      <ErrorMessage error={error} />
      <Notice text={notice} />
      <dl className="facts">
        <dt>Delivery id (webhook-id)</dt>
        <dd>
          <code>{d.id}</code>
        </dd>
        <dt>Created</dt>
        <dd>{dateTime(d.createdAt)}</dd>
        <dt>Attempts</dt>
        <dd>{d.attempts}</dd>
        <dt>Next attempt</dt>
        <dd>{d.status === 'pending' ? dateTime(d.nextAttemptAt) : '—'}</dd>
        <dt>Completed</dt>
        <dd>{dateTime(d.completedAt)}</dd>
      </dl>

      <h3>Request</h3>
      <p>
        POST <span className="url">{d.request.url}</span>
      </p>
      <HeaderTable headers={d.request.headers} label="Request headers" />
      <p className="hint">
        Each attempt also sends {d.request.perAttemptHeaders.map((h, i) => [i > 0 && ', ', <code key={h}>{h}</code>])},
        computed for its own time and key.
      </p>
      <pre className="body" tabIndex={0} aria-label="Request body">
        {pretty(d.request.body)}
      </pre>

      <h3>Attempts</h3>
      {d.attemptLog.length === 0 && <p>No attempt yet.</p>}
      <ol className="attempts" aria-label="Attempts">
        {d.attemptLog.map((a) => (
          <li key={a.attempt} className={`attempt attempt-${a.result}`}>
            <h4>
              Attempt {a.attempt}: {a.result === 'success' ? 'delivered' : 'failed'}
              {a.statusCode !== null ? ` · ${a.statusCode}` : ''} · {a.durationMs} ms · {dateTime(a.startedAt)}
            </h4>
            {a.error && <p className="error-text">{a.error}</p>}
            {a.responseHeaders && (
              <details>
                <summary>Response headers</summary>
                <HeaderTable headers={a.responseHeaders} label={`Response headers of attempt ${a.attempt}`} />
              </details>
            )}
            {a.responseBody !== null && (
              <pre className="body" tabIndex={0} aria-label={`Response body of attempt ${a.attempt}`}>
                {a.responseBody === '' ? '(empty body)' : pretty(a.responseBody)}
              </pre>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
