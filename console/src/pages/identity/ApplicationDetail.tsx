import { useState, type FormEvent } from 'react';
import { errorText, type Api } from '../../api';
import { ConfirmDialog, ErrorMessage, Loading, Notice } from '../../components/ui';
import { dateTime } from '../../format';
import { useLoad } from '../../hooks';
import type { Application } from '../../../../src/identity/schemas.ts';

/** The types Herald creates (the API's `type` enum), in words; a Record, so a type added to the API fails to compile here. */
export const APPLICATION_TYPES: Record<Application['type'], { label: string; hint: string }> = {
  Traditional: { label: 'Traditional web', hint: 'a server-rendered web app; has a client secret' },
  SPA: { label: 'Single-page app', hint: 'runs in the browser; no secret' },
  Native: { label: 'Native', hint: 'a mobile or desktop app; no secret' },
  MachineToMachine: { label: 'Machine-to-machine', hint: 'a service calling APIs with its own credentials' },
};

export function ApplicationDetail({
  api,
  id,
  onDeleted,
}: {
  api: Api;
  id: string;
  onDeleted: (notice: string) => void;
}) {
  const app = useLoad<Application>(api, `/api/applications/${encodeURIComponent(id)}`);
  const [notice, setNotice] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();

  if (app.error && !app.data)
    return (
      <section aria-labelledby="app-title">
        <p className="crumbs">
          <a href="#/applications">Applications</a> ›
        </p>
        <h1 id="app-title">Application not found</h1>
        <ErrorMessage error={app.error} />
        <p>
          <a href="#/applications">Back to the applications</a>
        </p>
      </section>
    );
  if (!app.data) return <Loading what="the application" />;
  const a = app.data;

  async function remove() {
    setBusy(true);
    setActionError(undefined);
    try {
      await api.send('DELETE', `/api/applications/${encodeURIComponent(a.id)}`);
      onDeleted(`Application “${a.name}” deleted.`);
    } catch (e) {
      setActionError(errorText(e));
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  }

  const redirects = a.oidcClientMetadata.redirectUris;
  return (
    <section aria-labelledby="app-title" className="app-detail">
      <p className="crumbs">
        <a href="#/applications">Applications</a> ›
      </p>
      <div className="page-head">
        <div className="app-head">
          <h1 id="app-title">{a.name}</h1>
          <p className="meta">
            {APPLICATION_TYPES[a.type]?.label ?? a.type}
            {a.isThirdParty ? ' · third-party' : ''} · created {dateTime(a.createdAt)}
          </p>
        </div>
        <button
          type="button"
          className="danger"
          onClick={() => {
            setNotice(undefined);
            setConfirmDelete(true);
          }}
        >
          Delete application
        </button>
      </div>
      <ErrorMessage error={actionError} />
      <Notice text={notice} />

      <dl className="app-facts">
        <dt>App ID (client id)</dt>
        <dd>
          <code className="app-wrap">{a.id}</code>
        </dd>
        <dt>Client secret</dt>
        <dd>
          {a.secret
            ? 'Set. The console never shows it; read it through the API (GET /api/applications/:id) where it is needed.'
            : 'None: this type of client has no secret.'}
        </dd>
        <dt>Redirect URIs</dt>
        <dd>
          {redirects.length ? (
            <ul className="app-list">
              {redirects.map((u) => (
                <li key={u} className="app-wrap">
                  {u}
                </li>
              ))}
            </ul>
          ) : (
            'None yet (set through the API, PATCH /api/applications/:id).'
          )}
        </dd>
      </dl>

      <Settings
        api={api}
        app={a}
        onSaved={(updated) => {
          app.set(updated);
          setNotice('Application saved.');
        }}
      />

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${a.name}?`}
        confirmLabel="Delete application"
        danger
        busy={busy}
        onConfirm={remove}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          Sign-ins through this client stop working, and its roles and organization memberships go with it. This cannot
          be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function Settings({ api, app, onSaved }: { api: Api; app: Application; onSaved: (app: Application) => void }) {
  const [name, setName] = useState(app.name);
  const [description, setDescription] = useState(app.description ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const changed = name !== app.name || description !== (app.description ?? '');

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.send<Application>('PATCH', `/api/applications/${encodeURIComponent(app.id)}`, {
        name: name.trim(),
        description: description.trim() || null,
      });
      setName(updated.name);
      setDescription(updated.description ?? '');
      onSaved(updated);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="app-panel" onSubmit={save} aria-labelledby="app-settings-title">
      <h2 id="app-settings-title">Settings</h2>
      <div className="field">
        <label htmlFor="app-name">Name</label>
        <input id="app-name" maxLength={256} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="app-description">Description</label>
        <input id="app-description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !changed}>
          Save
        </button>
      </div>
    </form>
  );
}
