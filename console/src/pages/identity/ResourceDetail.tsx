/**
 * An API resource (`#/resources/<id>`): its settings, whether it is the default, its permissions
 * (scopes: create, edit, delete), and deletion. Scope writes go through the public API, so they emit
 * Scope.Created, Scope.Data.Updated and Scope.Deleted as the API does.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Api } from '../../api';
import { ConfirmDialog, ErrorMessage, Loading, Notice, Pager } from '../../components/ui';
import { PAGE_SIZE, setFlash, useFlash, useAction, useLoad, usePaged } from '../../hooks';
import { navigate } from '../../router';
import type { Resource } from '../../../../src/identity/resources/schemas.ts';
import type { Scope } from '../../../../src/identity/schemas.ts';
import type { Confirmation } from './RoleDetail';
import './resources.css';

/** Seconds in words: "3600 s (1 h)". */
export function ttlText(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min'],
  ];
  for (const [size, unit] of units)
    if (seconds >= size && seconds % size === 0) return `${seconds} s (${seconds / size} ${unit})`;
  return `${seconds} s`;
}

export function ResourceDetail({ api, resourceId }: { api: Api; resourceId: string }) {
  const base = `/api/resources/${encodeURIComponent(resourceId)}`;
  const resource = useLoad<Resource>(api, base);
  const [flash] = useFlash();
  const [confirm, setConfirm] = useState<Confirmation | null>(null);
  const [confirmBusy, setConfirmBusy] = useState(false);
  const defaults = useAction();
  const deletion = useAction();

  if (resource.error && !resource.data)
    return (
      <section aria-labelledby="resource-title">
        <p className="crumbs">
          <a href="#/resources">API resources</a>
        </p>
        <h1 id="resource-title">API resource</h1>
        <ErrorMessage error={resource.error} />
        <p>
          <a className="button" href="#/resources">
            Back to all API resources
          </a>
        </p>
      </section>
    );
  if (!resource.data) return <Loading what="the API resource" />;
  const r = resource.data;

  async function confirmed() {
    if (!confirm) return;
    setConfirmBusy(true);
    await confirm.run();
    setConfirmBusy(false);
    setConfirm(null);
  }

  async function setDefault(isDefault: boolean) {
    await defaults.run(async () => {
      const saved = await api.send<Resource>('PATCH', `${base}/is-default`, { isDefault });
      resource.set(saved);
      return isDefault ? `${saved.name} is now the default API resource.` : `${saved.name} is no longer the default.`;
    });
  }

  return (
    <section aria-labelledby="resource-title" className="rr-identity-detail">
      <p className="crumbs">
        <a href="#/resources">API resources</a>
      </p>
      <div className="page-head">
        <div className="rr-identity-title">
          <h1 id="resource-title">{r.name}</h1>
          <p className="meta rr-wrap">
            <code title={r.indicator}>{r.indicator}</code>{' '}
            {r.isDefault && <span className="badge badge-succeeded">Default</span>}
          </p>
        </div>
      </div>
      <Notice text={flash} />

      <ResourceSettings api={api} resource={r} onSaved={resource.set} />

      <section aria-labelledby="resource-default" className="rr-resource-default">
        <h2 id="resource-default">Default API resource</h2>
        <p className="hint">
          {r.isDefault
            ? 'This is the default: an access token asked for without a resource is issued for it.'
            : 'When a resource is the default, an access token asked for without a resource is issued for it. At most one resource is the default.'}
        </p>
        <ErrorMessage error={defaults.error} />
        <Notice text={defaults.notice} />
        <button type="button" onClick={() => void setDefault(!r.isDefault)} disabled={defaults.busy}>
          {r.isDefault ? 'Stop being the default' : 'Make it the default'}
        </button>
      </section>

      <ResourceScopes api={api} resourceId={r.id} ask={setConfirm} />

      <section aria-labelledby="resource-delete" className="rr-danger-zone">
        <h2 id="resource-delete">Delete this API resource</h2>
        <p className="hint">
          Its permissions go with it, and the roles granting them lose them. This cannot be undone.
        </p>
        <ErrorMessage error={deletion.error} />
        <button
          type="button"
          className="danger"
          onClick={() =>
            setConfirm({
              title: `Delete the API resource ${r.name}?`,
              body: <p>Its permissions are deleted with it, and roles granting them lose them.</p>,
              label: 'Delete API resource',
              run: async () => {
                const ok = await deletion.run(async () => {
                  await api.send('DELETE', base);
                  return undefined;
                });
                if (ok) {
                  setFlash(`API resource ${r.name} deleted.`);
                  navigate('/resources');
                }
              },
            })
          }
        >
          Delete API resource
        </button>
      </section>

      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.title ?? ''}
        confirmLabel={confirm?.label ?? 'Confirm'}
        danger
        busy={confirmBusy}
        onConfirm={() => void confirmed()}
        onCancel={() => setConfirm(null)}
      >
        {confirm?.body}
      </ConfirmDialog>
    </section>
  );
}

function ResourceSettings({
  api,
  resource,
  onSaved,
}: {
  api: Api;
  resource: Resource;
  onSaved: (resource: Resource) => void;
}) {
  const [name, setName] = useState(resource.name);
  const [ttl, setTtl] = useState(String(resource.accessTokenTtl));
  const action = useAction();
  const id = useId();

  async function save(e: FormEvent) {
    e.preventDefault();
    await action.run(async () => {
      const patch: { name?: string; accessTokenTtl?: number } = {};
      if (name !== resource.name) patch.name = name;
      if (Number(ttl) !== resource.accessTokenTtl) patch.accessTokenTtl = Number(ttl);
      if (Object.keys(patch).length === 0) return 'Nothing to save: no field changed.';
      onSaved(await api.send<Resource>('PATCH', `/api/resources/${encodeURIComponent(resource.id)}`, patch));
      return 'API resource saved.';
    });
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Settings</h2>
      <form onSubmit={(e) => void save(e)}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={256}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-indicator`}>API identifier</label>
          <input id={`${id}-indicator`} value={resource.indicator} readOnly aria-describedby={`${id}-indicator-hint`} />
          <span className="hint" id={`${id}-indicator-hint`}>
            The audience of its access tokens; it cannot change.
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-ttl`}>Access token expiration (seconds)</label>
          <input
            id={`${id}-ttl`}
            type="number"
            inputMode="numeric"
            min={1}
            max={2_147_483_647}
            step={1}
            value={ttl}
            onChange={(e) => setTtl(e.target.value)}
            required
          />
        </div>
        <ErrorMessage error={action.error} />
        <Notice text={action.notice} />
        <div className="actions">
          <button type="submit" className="primary" disabled={action.busy}>
            Save changes
          </button>
        </div>
      </form>
    </section>
  );
}

function ResourceScopes({ api, resourceId, ask }: { api: Api; resourceId: string; ask: (c: Confirmation) => void }) {
  const base = `/api/resources/${encodeURIComponent(resourceId)}/scopes`;
  const [page, setPage] = useState(1);
  const list = usePaged<Scope>(api, base, page);
  const [editing, setEditing] = useState<Scope | null>(null);
  const action = useAction();
  const id = useId();

  function remove(scope: Scope) {
    ask({
      title: `Delete the permission ${scope.name}?`,
      body: <p>Roles granting it lose it. This cannot be undone.</p>,
      label: 'Delete permission',
      run: async () => {
        const ok = await action.run(async () => {
          await api.send('DELETE', `${base}/${encodeURIComponent(scope.id)}`);
          return `Permission ${scope.name} deleted.`;
        });
        if (ok) {
          if (editing?.id === scope.id) setEditing(null);
          if (page > 1 && list.rows?.length === 1) setPage(page - 1);
          else await list.reload();
        }
      },
    });
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Permissions</h2>
      <p className="hint">The scopes this API accepts; roles grant them to users and applications.</p>
      <ErrorMessage error={list.error} />
      <ErrorMessage error={action.error} />
      <Notice text={action.notice} />
      {!list.rows && list.loading && <Loading what="permissions" />}
      {list.rows && list.rows.length === 0 && <p className="empty">No permission yet: create the first below.</p>}
      {list.rows && list.rows.length > 0 && (
        <div className="table-wrap">
          <table className="rr-stack-table" aria-labelledby={`${id}-title`} aria-busy={list.loading}>
            <thead>
              <tr>
                <th scope="col">Permission</th>
                <th scope="col">Description</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((s) => (
                <tr key={s.id}>
                  <td data-label="Permission">
                    <code className="rr-wrap">{s.name}</code>
                  </td>
                  <td data-label="Description" className="rr-wrap">
                    {s.description || '—'}
                  </td>
                  <td>
                    <div className="rr-row-actions">
                      <button type="button" onClick={() => setEditing(s)} aria-pressed={editing?.id === s.id}>
                        Edit <span className="visually-hidden">the permission {s.name}</span>
                      </button>
                      <button type="button" className="danger" onClick={() => remove(s)}>
                        Delete <span className="visually-hidden">the permission {s.name}</span>
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Permissions pages"
        page={page}
        pageSize={PAGE_SIZE}
        total={list.total}
        noun={['permission', 'permissions']}
        onPage={setPage}
      />

      {editing && (
        <ScopeForm
          key={editing.id}
          title={`Edit the permission ${editing.name}`}
          submit="Save permission"
          initial={editing}
          busy={action.busy}
          onCancel={() => setEditing(null)}
          onSubmit={async (body) => {
            const ok = await action.run(async () => {
              const saved = await api.send<Scope>('PATCH', `${base}/${encodeURIComponent(editing.id)}`, body);
              return `Permission ${saved.name} saved.`;
            });
            if (ok) {
              setEditing(null);
              await list.reload();
            }
            return ok;
          }}
        />
      )}
      <ScopeForm
        title="Create a permission"
        submit="Create permission"
        busy={action.busy}
        onSubmit={async (body) => {
          const ok = await action.run(async () => {
            const created = await api.send<Scope>('POST', base, body);
            return `Permission ${created.name} created.`;
          });
          if (ok) await list.reload();
          return ok;
        }}
      />
    </section>
  );
}

function ScopeForm(props: {
  title: string;
  submit: string;
  initial?: Scope;
  busy: boolean;
  onSubmit: (body: { name: string; description: string | null }) => Promise<boolean>;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(props.initial?.name ?? '');
  const [description, setDescription] = useState(props.initial?.description ?? '');
  const id = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await props.onSubmit({ name: name.trim(), description: description.trim() || null });
    if (ok && !props.initial) {
      setName('');
      setDescription('');
    }
  }

  return (
    <form className="rr-scope-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{props.title}</h3>
      <div className="rr-scope-form-fields">
        <div className="field">
          <label htmlFor={`${id}-name`}>Permission name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={256}
            placeholder="read:orders"
            autoComplete="off"
            aria-describedby={`${id}-name-hint`}
            autoFocus={Boolean(props.initial)}
          />
          <span className="hint" id={`${id}-name-hint`}>
            No spaces; unique within this resource.
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>Permission description</label>
          <input
            id={`${id}-description`}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            autoComplete="off"
          />
        </div>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={props.busy}>
          {props.submit}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
