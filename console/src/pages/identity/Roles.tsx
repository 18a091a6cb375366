/**
 * Roles (`#/roles`): search, filter by type, page through, create; `#/roles/<id>` is RoleDetail.
 * Creating goes through POST /api/roles, so it emits Role.Created as the API does.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Api } from '../../api';
import { ErrorMessage, Loading, Notice, Pager } from '../../components/ui';
import { containing, PAGE_SIZE, setFlash, useFlash, useAction, usePaged } from '../../hooks';
import { navigate } from '../../router';
import type { Role, RoleWithCounts } from '../../../../src/identity/roles/schemas.ts';
import { ROLE_TYPE_WORDS, RoleDetail } from './RoleDetail';
import './roles.css';

export function Roles({ api, rest }: { api: Api; rest: string[] }) {
  if (rest[0]) return <RoleDetail api={api} roleId={rest[0]} />;
  return <RoleList api={api} />;
}

function RoleList({ api }: { api: Api }) {
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [type, setType] = useState<'' | Role['type']>('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [flash] = useFlash();
  const id = useId();

  const params = new URLSearchParams();
  if (search) params.set('search', containing(search));
  if (type) params.set('type', type);
  const query = params.toString();
  const list = usePaged<RoleWithCounts>(api, `/api/roles${query ? `?${query}` : ''}`, page);
  const filtered = Boolean(search || type);

  return (
    <section aria-labelledby="roles-title" className="rr-identity-list">
      <div className="page-head">
        <h1 id="roles-title">Roles</h1>
        <button
          type="button"
          className="primary"
          aria-expanded={creating}
          aria-controls={`${id}-create`}
          onClick={() => setCreating(!creating)}
        >
          Create role
        </button>
      </div>
      <p className="hint">
        A role groups permissions (the scopes of API resources). User roles go to users; machine-to-machine roles go to
        machine-to-machine applications.
      </p>
      <Notice text={flash} />
      <div id={`${id}-create`}>{creating && <CreateRole api={api} onCancel={() => setCreating(false)} />}</div>

      <form
        className="filters"
        role="search"
        aria-label="Roles"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(typed.trim());
          setPage(1);
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-search`}>Search by name, description or id</label>
          <input
            id={`${id}-search`}
            type="search"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Type</label>
          <select
            id={`${id}-type`}
            value={type}
            onChange={(e) => {
              setType(e.target.value as '' | Role['type']);
              setPage(1);
            }}
          >
            <option value="">All types</option>
            <option value="User">User</option>
            <option value="MachineToMachine">Machine-to-machine</option>
          </select>
        </div>
        <button type="submit">Search</button>
        {filtered && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setTyped('');
              setSearch('');
              setType('');
              setPage(1);
            }}
          >
            Clear
          </button>
        )}
      </form>

      <ErrorMessage error={list.error} />
      {!list.rows && list.loading && <Loading what="roles" />}
      {list.rows && list.rows.length === 0 && (
        <div className="empty">
          {filtered ? (
            <p>No role matches this search.</p>
          ) : (
            <>
              <h2>No roles yet</h2>
              <p>Create a role, give it permissions from your API resources, then give it to users or applications.</p>
            </>
          )}
        </div>
      )}
      {list.rows && list.rows.length > 0 && (
        <div className="table-wrap">
          <table className="rr-stack-table" aria-busy={list.loading}>
            <caption className="visually-hidden">Roles</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Type</th>
                <th scope="col">Assigned to</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.id}>
                  <td data-label="Name" className="rr-wrap">
                    <a href={`#/roles/${r.id}`}>{r.name}</a>
                    {r.isDefault && (
                      <>
                        {' '}
                        <span className="badge badge-succeeded">Default</span>
                      </>
                    )}
                  </td>
                  <td data-label="Description" className="rr-wrap">
                    {r.description}
                  </td>
                  <td data-label="Type">{ROLE_TYPE_WORDS[r.type]}</td>
                  <td data-label="Assigned to">
                    {r.type === 'User'
                      ? `${r.usersCount} ${r.usersCount === 1 ? 'user' : 'users'}`
                      : `${r.applicationsCount} ${r.applicationsCount === 1 ? 'application' : 'applications'}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Roles pages"
        page={page}
        pageSize={PAGE_SIZE}
        total={list.total}
        noun={['role', 'roles']}
        onPage={setPage}
      />
    </section>
  );
}

function CreateRole({ api, onCancel }: { api: Api; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState<Role['type']>('User');
  const action = useAction();
  const id = useId();

  async function create(e: FormEvent) {
    e.preventDefault();
    let created: Role | undefined;
    await action.run(async () => {
      created = await api.send<Role>('POST', '/api/roles', { name, description, type });
      return undefined;
    });
    if (created) {
      setFlash(`Role ${created.name} created.`);
      navigate(`/roles/${created.id}`);
    }
  }

  return (
    <form className="rr-create-panel" onSubmit={(e) => void create(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New role</h2>
      <div className="field">
        <label htmlFor={`${id}-name`}>Role name</label>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus
          required
          maxLength={128}
          autoComplete="off"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <input
          id={`${id}-description`}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          required
          maxLength={128}
          autoComplete="off"
        />
      </div>
      <fieldset className="rr-role-type">
        <legend>Type</legend>
        <label>
          <input type="radio" name={`${id}-type`} checked={type === 'User'} onChange={() => setType('User')} />
          User — given to users
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-type`}
            checked={type === 'MachineToMachine'}
            onChange={() => setType('MachineToMachine')}
          />
          Machine-to-machine — given to applications
        </label>
      </fieldset>
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
