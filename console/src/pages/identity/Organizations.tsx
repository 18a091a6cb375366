import './organizations.css';
import { useId, useState, type FormEvent } from 'react';
import { errorText, type Api } from '../../api';
import { ErrorMessage, Loading, Notice, Pager, SearchForm } from '../../components/ui';
import { PAGE_SIZE, setFlash, useFlash, usePage } from '../../hooks';
import { dateTime } from '../../format';
import { navigate } from '../../router';
import type { OrganizationWithFeatured } from '../../../../src/identity/organizations/schemas.ts';
import { OrganizationDetail } from './OrganizationDetail';

export function Organizations({ api, rest }: { api: Api; rest: string[] }) {
  if (rest[0])
    return (
      <OrganizationDetail
        api={api}
        id={rest[0]}
        onDeleted={(text) => {
          setFlash(text);
          navigate('/organizations');
        }}
      />
    );
  return <OrganizationList api={api} />;
}

function OrganizationList({ api }: { api: Api }) {
  const [notice, setNotice] = useFlash();
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const path = `/api/organizations?showFeatured=true&page=${page}&page_size=${PAGE_SIZE}${
    query ? `&q=${encodeURIComponent(query)}` : ''
  }`;
  const list = usePage<OrganizationWithFeatured>(api, path);
  const formId = useId();

  return (
    <section aria-labelledby="orgs-title" className="orgs">
      <div className="page-head">
        <h1 id="orgs-title">Organizations</h1>
        <button
          type="button"
          className="primary"
          aria-expanded={creating}
          aria-controls={formId}
          onClick={() => setCreating(!creating)}
        >
          Create organization
        </button>
      </div>
      <p className="meta">
        Organizations group users (members) for multi-tenant apps; each member can hold organization roles. Adding or
        removing a member emits <code>Organization.Membership.Updated</code>.
      </p>
      <Notice text={notice} />
      {creating && (
        <CreateOrganization
          api={api}
          id={formId}
          onCreated={(org) => {
            setCreating(false);
            setNotice(`Organization “${org.name}” created.`);
            setQuery('');
            setSearch('');
            setPage(1);
            void list.reload();
          }}
          onCancel={() => setCreating(false)}
        />
      )}

      <SearchForm
        id="org-search"
        className="org-search"
        label="Search organizations"
        placeholder="Name or id"
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
      {list.loading && !list.data && <Loading what="organizations" />}
      {list.data && list.data.data.length === 0 && (
        <div className="empty">
          {query ? (
            <>
              <h2>No organization matches “{query}”</h2>
              <p>The search looks at each organization's name and id.</p>
            </>
          ) : (
            <>
              <h2>No organizations yet</h2>
              <p>
                An organization is a tenant of your app: a company or team whose users are its members, each with their
                organization roles.
              </p>
              <p>
                <button type="button" className="primary" onClick={() => setCreating(true)}>
                  Create your first organization
                </button>
              </p>
            </>
          )}
        </div>
      )}
      {list.data && list.data.data.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="org-cards">
              <caption className="visually-hidden">Organizations, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Description</th>
                  <th scope="col">Members</th>
                  <th scope="col">ID</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((org) => (
                  <tr key={org.id}>
                    <td data-label="Name" className="org-name">
                      <a href={`#/organizations/${org.id}`}>{org.name}</a>
                    </td>
                    <td data-label="Description" className="org-wrap">
                      {org.description || <span className="meta">—</span>}
                    </td>
                    <td data-label="Members">{org.usersCount ?? '—'}</td>
                    <td data-label="ID">
                      <code className="org-id" title={org.id}>
                        {org.id}
                      </code>
                    </td>
                    <td data-label="Created">{dateTime(org.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager label="Organization pages" page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

function CreateOrganization(props: {
  api: Api;
  id: string;
  onCreated: (org: { id: string; name: string }) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const org = await props.api.send<{ id: string; name: string }>('POST', '/api/organizations', {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      props.onCreated(org);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form id={props.id} className="org-panel" onSubmit={submit} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>New organization</h2>
      <div className="field">
        <label htmlFor={`${props.id}-name`}>Name</label>
        <input id={`${props.id}-name`} maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${props.id}-description`}>Description (optional)</label>
        <input
          id={`${props.id}-description`}
          maxLength={256}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
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
