import { useState, type FormEvent } from 'react';
import { errorText, type Api } from '../api';
import { pretty, subscribedEvents } from '../format';
import type { Hook, HookTestReport, HookTestResult } from '../../../src/hooks/schemas.ts';
import { ErrorMessage } from './ui';

export function TestPayload({ api, hook }: { api: Api; hook: Hook }) {
  const subscribed = subscribedEvents(hook);
  const [selected, setSelected] = useState<Set<string>>(() => new Set(subscribed.slice(0, 1)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [results, setResults] = useState<HookTestResult[]>();

  async function send(event: FormEvent) {
    event.preventDefault();
    if (selected.size === 0) return setError('Pick at least one event to test.');
    setBusy(true);
    setError(undefined);
    setResults(undefined);
    try {
      const report = await api.send<HookTestReport>(
        'POST',
        `/api/hooks/${hook.id}/test`,
        { events: [...selected], config: hook.config },
        { prefer: 'return=representation' },
      );
      setResults(report.results);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={send} className="test-payload" noValidate>
      <h2>Send test payload</h2>
      <p>
        Sends Logto's test payload for each selected event to <span className="url">{hook.config.url}</span>, signed
        with this webhook's key. Nothing is recorded as a delivery.
      </p>
      <fieldset>
        <legend>Events to test</legend>
        <ul className="plain">
          {subscribed.map((name) => (
            <li key={name}>
              <label>
                <input
                  type="checkbox"
                  checked={selected.has(name)}
                  onChange={(e) =>
                    setSelected((current) => {
                      const next = new Set(current);
                      if (e.target.checked) next.add(name);
                      else next.delete(name);
                      return next;
                    })
                  }
                />
                <code>{name}</code>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send test payload'}
      </button>
      <ErrorMessage error={error} />
      {results && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Test results table">
          <table aria-label="Test results">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Result</th>
                <th scope="col">Status</th>
                <th scope="col">Time</th>
                <th scope="col">Response or error</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={r.event}>
                  <td>
                    <code>{r.event}</code>
                  </td>
                  <td>
                    <span className={`badge badge-${r.ok ? 'succeeded' : 'failed'}`}>
                      {r.ok ? 'Delivered' : r.blocked ? 'Refused' : 'Failed'}
                    </span>
                  </td>
                  <td>{r.statusCode ?? '—'}</td>
                  <td>{r.durationMs} ms</td>
                  <td>
                    {r.error && <p className="error-text">{r.error}</p>}
                    {r.responseBody !== null && r.responseBody !== '' && (
                      <pre tabIndex={0} aria-label={`Response body for ${r.event}`}>
                        {pretty(r.responseBody)}
                      </pre>
                    )}
                    {r.responseBody === '' && !r.error && <span className="hint">(empty body)</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
