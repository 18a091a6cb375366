import './applications.css';
import { useId, useState, type FormEvent } from 'react';
import { errorText, type Api } from '../../api';
import { ErrorMessage, Loading, Notice, Pager, SearchForm } from '../../components/ui';
import { containing, PAGE_SIZE, setFlash, useFlash, usePage } from '../../hooks';
import { dateTime } from '../../format';
import { navigate } from '../../router';
import type { Application } from '../../../../src/identity/schemas.ts';
import { ApplicationDetail, APPLICATION_TYPES } from './ApplicationDetail';

export function Applications({ api, rest }: { api: Api; rest: string[] }) {
  if (rest[0])
    return (
      <ApplicationDetail
        api={api}
        id={rest[0]}
        onDeleted={(text) => {
          setFlash(text);
          navigate('/applications');
        }}
      />
    );
  return <ApplicationList api={api} />;
}

function ApplicationList({ api }: { api: Api }) {
  const [notice, setNotice] = useFlash();
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const path = `/api/applications?page=${page}&page_size=${PAGE_SIZE}${
    query ? `&search=${encodeURIComponent(containing(query))}` : ''
  }`;
  const list = usePage<Application>(api, path);
  const formId = useId();

  return (
    <section aria-labelledby="apps-title" className="apps">
      <div className="page-head">
        <h1 id="apps-title">Applications</h1>
        <button
          type="button"
          className="primary"
          aria-expanded={creating}
          aria-controls={formId}
          onClick={() => setCreating(!creating)}
        >
          Create application
        </button>
      </div>
      <p className="meta">
        The OIDC clients that sign users in through Herald (Native, single-page, traditional web) and the
        machine-to-machine clients that call APIs.
      </p>
      <Notice text={notice} />
      {creating && (
        <CreateApplication
          api={api}
          id={formId}
          onCreated={(app) => {
            setCreating(false);
            setNotice(`Application “${app.name}” created.`);
            setSearch('');
            setQuery('');
            setPage(1);
            void list.reload();
          }}
          onCancel={() => setCreating(false)}
        />
      )}

      <SearchForm
        id="app-search"
        className="app-search"
        label="Search applications"
        placeholder="Name, description or id"
        value={search}
        onChange={setSearch}
        active={Boolean(query)}
        onSearch={() => {
          setPage(1);
          setQuery(search.trim());
        }}
        onClear={() => {
          setSearch('');
          setQuery('');
          setPage(1);
        }}
      />

      <ErrorMessage error={list.error} />
      {list.loading && !list.data && <Loading what="applications" />}
      {list.data && list.data.data.length === 0 && (
        <div className="empty">
          {query ? (
            <>
              <h2>No application matches “{query}”</h2>
              <p>The search looks at each application's name, description and id.</p>
            </>
          ) : (
            <>
              <h2>No applications yet</h2>
              <p>
                An application is a client of Herald's sign-in: your web or mobile app, or a service that calls your
                APIs with its own credentials.
              </p>
              <p>
                <button type="button" className="primary" onClick={() => setCreating(true)}>
                  Create your first application
                </button>
              </p>
            </>
          )}
        </div>
      )}
      {list.data && list.data.data.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="app-cards">
              <caption className="visually-hidden">Applications, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">ID</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((app) => (
                  <tr key={app.id}>
                    <td data-label="Name" className="app-wrap">
                      <a href={`#/applications/${app.id}`}>{app.name}</a>
                      {app.description && <div className="meta">{app.description}</div>}
                    </td>
                    <td data-label="Type">{APPLICATION_TYPES[app.type]?.label ?? app.type}</td>
                    <td data-label="ID">
                      <code className="app-id" title={app.id}>
                        {app.id}
                      </code>
                    </td>
                    <td data-label="Created">{dateTime(app.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager label="Application pages" page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

function CreateApplication(props: {
  api: Api;
  id: string;
  onCreated: (app: Application) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [type, setType] = useState<Application['type']>('Traditional');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const app = await props.api.send<Application>('POST', '/api/applications', {
        name: name.trim(),
        type,
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      props.onCreated(app);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form id={props.id} className="app-panel" onSubmit={submit} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>New application</h2>
      <div className="field">
        <label htmlFor={`${props.id}-name`}>Name</label>
        <input id={`${props.id}-name`} maxLength={256} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <fieldset className="app-types">
        <legend>Type</legend>
        {(Object.keys(APPLICATION_TYPES) as Application['type'][]).map((t) => (
          <label key={t} className="app-type">
            <input type="radio" name={`${props.id}-type`} value={t} checked={type === t} onChange={() => setType(t)} />
            <span>
              {APPLICATION_TYPES[t].label}
              <span className="hint"> — {APPLICATION_TYPES[t].hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <p className="hint">The type cannot change once the application exists.</p>
      <div className="field">
        <label htmlFor={`${props.id}-description`}>Description (optional)</label>
        <input id={`${props.id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Create
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
