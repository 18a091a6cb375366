import { useState, type FormEvent } from 'react';
import { errorText, type Api } from '../api';
import { pretty } from '../format';
import { DECISION_WORDS, phaseLabel } from '../sync';
import type { SyncHook, SyncHookTestReport } from '../../../src/sync-hooks/schemas.ts';
import { DecisionBadge, EffectBadge, ErrorMessage } from './ui';

export function SyncTest({ api, hook }: { api: Api; hook: SyncHook }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [report, setReport] = useState<SyncHookTestReport>();

  async function run(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      setReport(await api.send<SyncHookTestReport>('POST', `/api/sync-hooks/${hook.id}/test`, {}));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={run} className="sync-test" noValidate>
      <h2>Test</h2>
      <p>
        Calls <span className="url">{hook.config.url}</span> with a sample {phaseLabel(hook.phase).toLowerCase()}{' '}
        request (<code>{hook.phase}</code>, a fake user and application), signed with this hook's key, and shows what it
        answered. Nothing is recorded in the calls log and no event is sent.
      </p>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Calling…' : 'Run test'}
      </button>
      <ErrorMessage error={error} />
      <p role="status" className="visually-hidden">
        {report &&
          `Test done: ${DECISION_WORDS[report.decision]}${report.denyCode ? ` (${report.denyCode})` : ''}, ${report.statusCode ?? 'no status'}, ${report.durationMs} ms.`}
      </p>
      {report && (
        <section className="test-report" aria-label="Test result">
          <h3>
            Result: <DecisionBadge decision={report.decision} />
          </h3>
          <dl className="facts">
            <dt>Decision</dt>
            <dd>
              {report.decision === 'allow' && 'The endpoint allowed the request.'}
              {report.decision === 'deny' && 'The endpoint denied the request.'}
              {report.decision === 'failed' &&
                (report.blocked
                  ? 'Failed: the destination is refused (internal address); nothing was sent.'
                  : 'Failed: the endpoint gave no answer Herald could read.')}
            </dd>
            <dt>A real request would be</dt>
            <dd>
              <EffectBadge effect={report.effect} patched={report.patch !== null} />
              {report.decision === 'failed' &&
                ` (failure policy ${hook.failurePolicy === 'closed' ? 'closed: 503 hook.sync_unavailable' : 'open'})`}
              {report.decision === 'deny' && ' (403 hook.denied)'}
            </dd>
            <dt>Status</dt>
            <dd>{report.statusCode ?? '—'}</dd>
            <dt>Latency</dt>
            <dd>{report.durationMs} ms</dd>
            {report.denyCode !== null && (
              <>
                <dt>Deny code</dt>
                <dd>
                  <code>{report.denyCode}</code>
                </dd>
                <dt>Deny message</dt>
                <dd>{report.denyMessage ?? '(none: the user sees “The request was denied.”)'}</dd>
              </>
            )}
            {report.error !== null && (
              <>
                <dt>Error</dt>
                <dd className="error-text">{report.error}</dd>
              </>
            )}
          </dl>
          {report.patch !== null && (
            <>
              <h4>Patch</h4>
              <pre className="body" tabIndex={0} aria-label="Patch">
                {pretty(report.patch)}
              </pre>
            </>
          )}
          {report.responseBody !== null && (
            <>
              <h4>Response body</h4>
              <pre className="body" tabIndex={0} aria-label="Response body">
                {report.responseBody === '' ? '(empty body)' : pretty(report.responseBody)}
              </pre>
            </>
          )}
          <h4>Sample request sent</h4>
          <pre className="body" tabIndex={0} aria-label="Sample request sent">
            {pretty(report.request)}
          </pre>
        </section>
      )}
    </form>
  );
}
