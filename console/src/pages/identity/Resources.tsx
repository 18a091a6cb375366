/**
 * API resources (`#/resources`): page through, create; `#/resources/<id>` is ResourceDetail.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Api } from '../../api';
import { ErrorMessage, Loading, Notice, Pager } from '../../components/ui';
import { PAGE_SIZE, setFlash, useFlash, useAction, usePaged } from '../../hooks';
import { navigate } from '../../router';
import type { Resource, ResourceWithScopes } from '../../../../src/identity/resources/schemas.ts';
import { ResourceDetail, ttlText } from './ResourceDetail';
import './resources.css';

export function Resources({ api, rest }: { api: Api; rest: string[] }) {
  if (rest[0]) return <ResourceDetail api={api} resourceId={rest[0]} />;
  return <ResourceList api={api} />;
}

function ResourceList({ api }: { api: Api }) {
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [flash] = useFlash();
  const list = usePaged<Resource>(api, '/api/resources', page);
  const id = useId();

  return (
    <section aria-labelledby="resources-title" className="rr-identity-list">
      <div className="page-head">
        <h1 id="resources-title">API resources</h1>
        <button
          type="button"
          className="primary"
          aria-expanded={creating}
          aria-controls={`${id}-create`}
          onClick={() => setCreating(!creating)}
        >
          Create API resource
        </button>
      </div>
      <p className="hint">
        An API resource is one of your APIs, named by its identifier (the audience of its access tokens). Its
        permissions (scopes) are what roles grant.
      </p>
      <Notice text={flash} />
      <div id={`${id}-create`}>{creating && <CreateResource api={api} onCancel={() => setCreating(false)} />}</div>

      <ErrorMessage error={list.error} />
      {!list.rows && list.loading && <Loading what="API resources" />}
      {list.rows && list.rows.length === 0 && (
        <div className="empty">
          <h2>No API resources yet</h2>
          <p>Create one for each API whose access tokens Herald issues, then give it permissions.</p>
        </div>
      )}
      {list.rows && list.rows.length > 0 && (
        <div className="table-wrap">
          <table className="rr-stack-table" aria-busy={list.loading}>
            <caption className="visually-hidden">API resources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">API identifier</th>
                <th scope="col">Token expiration</th>
                <th scope="col">Default</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.id}>
                  <td data-label="Name" className="rr-wrap">
                    <a href={`#/resources/${r.id}`}>{r.name}</a>
                  </td>
                  <td data-label="API identifier" className="rr-indicator">
                    <code title={r.indicator}>{r.indicator}</code>
                  </td>
                  <td data-label="Token expiration">{ttlText(r.accessTokenTtl)}</td>
                  <td data-label="Default">
                    {r.isDefault ? (
                      <span className="badge badge-succeeded">Default</span>
                    ) : (
                      <span className="meta">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="API resources pages"
        page={page}
        pageSize={PAGE_SIZE}
        total={list.total}
        noun={['resource', 'resources']}
        onPage={setPage}
      />
    </section>
  );
}

function CreateResource({ api, onCancel }: { api: Api; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [indicator, setIndicator] = useState('');
  const [ttl, setTtl] = useState('3600');
  const action = useAction();
  const id = useId();

  async function create(e: FormEvent) {
    e.preventDefault();
    let created: ResourceWithScopes | undefined;
    await action.run(async () => {
      created = await api.send<ResourceWithScopes>('POST', '/api/resources', {
        name,
        indicator: indicator.trim(),
        accessTokenTtl: Number(ttl),
      });
      return undefined;
    });
    if (created) {
      setFlash(`API resource ${created.name} created.`);
      navigate(`/resources/${created.id}`);
    }
  }

  return (
    <form className="rr-create-panel" onSubmit={(e) => void create(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New API resource</h2>
      <div className="field">
        <label htmlFor={`${id}-name`}>API name</label>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus
          required
          maxLength={256}
          autoComplete="off"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-indicator`}>API identifier</label>
        <input
          id={`${id}-indicator`}
          type="url"
          value={indicator}
          onChange={(e) => setIndicator(e.target.value)}
          required
          maxLength={2048}
          placeholder="https://api.example.com"
          autoComplete="off"
          aria-describedby={`${id}-indicator-hint`}
        />
        <span className="hint" id={`${id}-indicator-hint`}>
          A URL naming the API, unique; it cannot change later.
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
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          Create
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
