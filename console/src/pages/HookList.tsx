import type { Api } from '../api';
import { hookHealth, subscribedEvents, successRate } from '../format';
import { useLoad } from '../hooks';
import { ErrorMessage, Loading } from '../components/ui';
import type { Hook } from '../../../src/hooks/schemas.ts';

export function HookList({ api }: { api: Api }) {
  const hooks = useLoad<Hook[]>(api, '/api/hooks?includeExecutionStats=true');

  return (
    <section aria-labelledby="hooks-title">
      <div className="page-head">
        <h1 id="hooks-title">Webhooks</h1>
        <a className="button primary" href="#/hooks/new">
          Create webhook
        </a>
      </div>
      <ErrorMessage error={hooks.error} />
      {hooks.loading && !hooks.data && <Loading what="webhooks" />}
      {hooks.data && hooks.data.length === 0 && (
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
      {hooks.data && hooks.data.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Webhooks">
          <table className="cards">
            <caption className="visually-hidden">Webhooks, with their requests over the last 24 hours</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Events</th>
                <th scope="col">Health</th>
                <th scope="col">Success rate (24 h)</th>
                <th scope="col">Requests (24 h)</th>
              </tr>
            </thead>
            <tbody>
              {hooks.data.map((hook) => (
                <tr key={hook.id}>
                  <td data-label="Name">
                    <a href={`#/hooks/${hook.id}`}>{hook.name || hook.id}</a>
                  </td>
                  <td className="url" data-label="Endpoint">
                    <span className="truncate" title={hook.config.url}>
                      {hook.config.url}
                    </span>
                    {hook.destinationWarning && (
                      <div className="reason" title={hook.destinationWarning}>
                        The SSRF guard refuses this destination
                      </div>
                    )}
                  </td>
                  <td data-label="Events">{subscribedEvents(hook).length}</td>
                  <td data-label="Health">
                    <span className={`badge badge-tone-${hookHealth(hook).tone}`}>{hookHealth(hook).word}</span>
                    {!hook.enabled && hook.paused && (
                      <>
                        {' '}
                        <span className="badge badge-paused">Paused</span>
                      </>
                    )}
                    {!hook.enabled && hook.disabledReason && <div className="reason">{hook.disabledReason}</div>}
                  </td>
                  <td className={`rate rate-${hookHealth(hook).tone}`} data-label="Success rate (24 h)">
                    {successRate(hook.executionStats)}
                  </td>
                  <td data-label="Requests (24 h)">{hook.executionStats?.requestCount ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
