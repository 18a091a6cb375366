import type { Api } from '../api';
import { useLoad } from '../hooks';
import { phaseLabel, policyWords } from '../sync';
import { ErrorMessage, Loading } from '../components/ui';
import type { SyncHook } from '../../../src/sync-hooks/schemas.ts';

export function SyncHookList({ api }: { api: Api }) {
  const hooks = useLoad<SyncHook[]>(api, '/api/sync-hooks');

  return (
    <section aria-labelledby="sync-hooks-title">
      <div className="page-head">
        <h1 id="sync-hooks-title">Sync hooks</h1>
        <a className="button primary" href="#/sync-hooks/new">
          Create sync hook
        </a>
      </div>
      <ErrorMessage error={hooks.error} />
      {hooks.loading && !hooks.data && <Loading what="sync hooks" />}
      {hooks.data && hooks.data.length === 0 && (
        <div className="empty">
          <h2>No sync hooks yet</h2>
          <p>
            A sync hook is an endpoint Herald asks while a sign-up, sign-in or password reset waits. It answers at once
            to allow the request, deny it with a code and a message the user sees, or allow it with a patch to the
            user's profile or custom data. Unlike a webhook, which hears about what already happened, a sync hook
            decides what happens.
          </p>
          <p>
            <a className="button primary" href="#/sync-hooks/new">
              Create your first sync hook
            </a>
          </p>
        </div>
      )}
      {hooks.data && hooks.data.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Sync hooks">
          <table>
            <caption className="visually-hidden">Sync hooks, by phase, in call order</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Phase</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Order</th>
                <th scope="col">Time limit</th>
                <th scope="col">On failure</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {hooks.data.map((hook) => (
                <tr key={hook.id}>
                  <td>
                    <a href={`#/sync-hooks/${hook.id}`}>{hook.name || hook.id}</a>
                  </td>
                  <td>
                    {phaseLabel(hook.phase)} <code className="phase">{hook.phase}</code>
                  </td>
                  <td className="url">{hook.config.url}</td>
                  <td>{hook.order}</td>
                  <td>{hook.timeoutMs} ms</td>
                  <td>{policyWords(hook.failurePolicy)}</td>
                  <td>
                    {hook.enabled ? (
                      <span className="badge badge-succeeded">Enabled</span>
                    ) : (
                      <span className="badge badge-failed">Disabled</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
