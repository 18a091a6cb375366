import { useEffect } from 'react';
import type { Api } from '../api';
import { groupCatalog, useLoad } from '../hooks';
import { ErrorMessage, Loading } from '../components/ui';
import type { CatalogEvent } from '../../../src/hooks/schemas.ts';

interface FieldSchema {
  type?: string | string[];
  const?: unknown;
  description?: string;
  title?: string;
  anyOf?: FieldSchema[];
  items?: FieldSchema;
}

/** A JSON Schema's type in a few words: `string`, `string | null`, `"POST"`, `array of string`, `object (User)`. */
function typeOf(schema: FieldSchema | undefined): string {
  if (!schema) return 'any';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
  if (schema.type === 'array') return `array of ${typeOf(schema.items)}`;
  if (schema.type === 'object') return schema.title ? `object (${schema.title})` : 'object';
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return schema.type ?? (schema.title ? `object (${schema.title})` : 'any');
}

function Fields({ event }: { event: CatalogEvent }) {
  const schema = event.payloadSchema as
    | { properties?: Record<string, FieldSchema>; required?: string[]; anyOf?: unknown[] }
    | undefined;
  const properties = Object.entries(schema?.properties ?? {});
  if (properties.length === 0) return null;
  const required = new Set(schema?.required ?? []);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`${event.name} payload fields`}>
      <table>
        <caption className="visually-hidden">{event.name} payload fields</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Type</th>
            <th scope="col">Always there</th>
            <th scope="col">What it is</th>
          </tr>
        </thead>
        <tbody>
          {properties.map(([name, field]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
              </td>
              <td>{typeOf(field)}</td>
              <td>{required.has(name) ? 'yes' : 'no'}</td>
              <td>{field.description ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The event reference: what docs/events.md says, from the same schemas (GET /api/hook-events). */
export function EventCatalog({ api, focus }: { api: Api; focus?: string | undefined }) {
  const catalog = useLoad<CatalogEvent[]>(api, '/api/hook-events');
  const groups = catalog.data ? groupCatalog(catalog.data) : [];
  // `#/events/User.Created` opens the reference at that event.
  useEffect(() => {
    if (focus && catalog.data) document.getElementById(`event-${focus}`)?.scrollIntoView();
  }, [focus, catalog.data]);
  return (
    <section aria-labelledby="events-title">
      <div className="page-head">
        <h1 id="events-title">Events</h1>
      </div>
      <p>
        Every event a hook can subscribe to: when it fires, what emits it, the fields of its payload and an example
        delivery. Every delivery also carries <code>logto-signature-sha-256</code> and the Standard Webhooks headers;
        the same reference is in the repository's <code>docs/events.md</code>, and receivers in Node can type these
        payloads with the <code>herald-webhooks</code> package.
      </p>
      <ErrorMessage error={catalog.error} />
      {catalog.loading && !catalog.data && <Loading what="events" />}
      {groups.length > 0 && (
        <nav aria-label="Event groups" className="event-index">
          <ul>
            {groups.map(([group, events]) => (
              <li key={group}>
                {group}:{' '}
                {events.map((e, i) => (
                  <span key={e.name}>
                    {i > 0 && ', '}
                    <a href={`#/events/${e.name}`}>{e.name}</a>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </nav>
      )}
      {groups.map(([group, events]) => (
        <section key={group} aria-labelledby={`group-${group}`}>
          <h2 id={`group-${group}`}>{group}</h2>
          {events.map((event) => (
            <article key={event.name} id={`event-${event.name}`} className="event-reference">
              <h3>
                <code>{event.name}</code>
              </h3>
              <p>{event.firesWhen ?? event.description}</p>
              <p>
                <strong>Emitted by:</strong>{' '}
                {event.emittedBy.length
                  ? event.emittedBy.join('; ')
                  : 'nothing in Herald (kept for Logto compatibility)'}
              </p>
              <Fields event={event} />
              {event.example && (
                <details>
                  <summary>Example delivery</summary>
                  <pre className="json" tabIndex={0} aria-label={`Example ${event.name} delivery`}>
                    {JSON.stringify(event.example, null, 2)}
                  </pre>
                </details>
              )}
            </article>
          ))}
        </section>
      ))}
    </section>
  );
}
