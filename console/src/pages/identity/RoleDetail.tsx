/**
 * A role (`#/roles/<id>`): its settings, its permissions (the scopes of the API resources, picked
 * grouped by resource), the users or applications holding it, and deletion. Everything goes through
 * the public API, so each action emits the events the API does (Role.Data.Updated,
 * Role.Scopes.Updated, User.Roles.Updated, Role.Deleted).
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Api } from '../../api';
import { ConfirmDialog, ErrorMessage, Loading, Notice, Pager } from '../../components/ui';
import { PAGE_SIZE, setFlash, useFlash, useAction, useLoad, usePaged } from '../../hooks';
import { navigate } from '../../router';
import type { Role, RoleScope } from '../../../../src/identity/roles/schemas.ts';
import type { ResourceWithScopes } from '../../../../src/identity/resources/schemas.ts';
import type { User } from '../../../../src/identity/users/schemas.ts';
import type { Application } from '../../../../src/identity/schemas.ts';
import './roles.css';

// ---------------------------------------------------------------------------------------------
// Shared by the roles and API resources pages (the paged loader, pager, flash and action helper are in
// ../../hooks and ../../components/ui).

/** What a confirmation dialog asks, and what it does once confirmed. */
export interface Confirmation {
  title: string;
  body: ReactNode;
  label: string;
  run: () => Promise<void>;
}

export const ROLE_TYPE_WORDS: Record<Role['type'], string> = {
  User: 'User',
  MachineToMachine: 'Machine-to-machine',
};

// ---------------------------------------------------------------------------------------------

export function RoleDetail({ api, roleId }: { api: Api; roleId: string }) {
  const base = `/api/roles/${encodeURIComponent(roleId)}`;
  const role = useLoad<Role>(api, base);
  const [flash] = useFlash();
  const [confirm, setConfirm] = useState<Confirmation | null>(null);
  const [confirmBusy, setConfirmBusy] = useState(false);
  const deletion = useAction();

  if (role.error && !role.data)
    return (
      <section aria-labelledby="role-title">
        <p className="crumbs">
          <a href="#/roles">Roles</a>
        </p>
        <h1 id="role-title">Role</h1>
        <ErrorMessage error={role.error} />
        <p>
          <a className="button" href="#/roles">
            Back to all roles
          </a>
        </p>
      </section>
    );
  if (!role.data) return <Loading what="the role" />;
  const r = role.data;

  async function confirmed() {
    if (!confirm) return;
    setConfirmBusy(true);
    await confirm.run();
    setConfirmBusy(false);
    setConfirm(null);
  }

  return (
    <section aria-labelledby="role-title" className="rr-identity-detail">
      <p className="crumbs">
        <a href="#/roles">Roles</a>
      </p>
      <div className="page-head">
        <div className="rr-identity-title">
          <h1 id="role-title">{r.name}</h1>
          <p className="meta">
            <span className="badge rr-type">{ROLE_TYPE_WORDS[r.type]} role</span>
            {r.isDefault && (
              <>
                {' '}
                <span className="badge badge-succeeded">Default</span>
              </>
            )}{' '}
            <span className="rr-identity-id">
              id <code>{r.id}</code>
            </span>
          </p>
        </div>
      </div>
      <Notice text={flash} />

      <RoleSettings api={api} role={r} onSaved={role.set} />
      <RolePermissions api={api} roleId={r.id} ask={setConfirm} />
      <RoleHolders api={api} role={r} ask={setConfirm} />

      <section aria-labelledby="role-delete" className="rr-danger-zone">
        <h2 id="role-delete">Delete this role</h2>
        <p className="hint">
          {r.type === 'User' ? 'Users' : 'Applications'} holding it lose it and the permissions it gives. This cannot be
          undone.
        </p>
        <ErrorMessage error={deletion.error} />
        <button
          type="button"
          className="danger"
          onClick={() =>
            setConfirm({
              title: `Delete the role ${r.name}?`,
              body: <p>Everyone holding it loses its permissions. This cannot be undone.</p>,
              label: 'Delete role',
              run: async () => {
                const ok = await deletion.run(async () => {
                  await api.send('DELETE', base);
                  return undefined;
                });
                if (ok) {
                  setFlash(`Role ${r.name} deleted.`);
                  navigate('/roles');
                }
              },
            })
          }
        >
          Delete role
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

function RoleSettings({ api, role, onSaved }: { api: Api; role: Role; onSaved: (role: Role) => void }) {
  const [name, setName] = useState(role.name);
  const [description, setDescription] = useState(role.description);
  const [isDefault, setIsDefault] = useState(role.isDefault);
  const action = useAction();
  const id = useId();

  async function save(e: FormEvent) {
    e.preventDefault();
    await action.run(async () => {
      const patch: Partial<Pick<Role, 'name' | 'description' | 'isDefault'>> = {};
      if (name !== role.name) patch.name = name;
      if (description !== role.description) patch.description = description;
      if (isDefault !== role.isDefault) patch.isDefault = isDefault;
      if (Object.keys(patch).length === 0) return 'Nothing to save: no field changed.';
      const saved = await api.send<Role>('PATCH', `/api/roles/${encodeURIComponent(role.id)}`, patch);
      onSaved(saved);
      return 'Role saved.';
    });
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Settings</h2>
      <form onSubmit={(e) => void save(e)} className="rr-identity-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
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
        {role.type === 'User' && (
          <div className="field">
            <label className="check rr-check" htmlFor={`${id}-default`}>
              <input
                id={`${id}-default`}
                type="checkbox"
                checked={isDefault}
                onChange={(e) => setIsDefault(e.target.checked)}
              />
              Default role: given to every new user
            </label>
          </div>
        )}
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

function RolePermissions({ api, roleId, ask }: { api: Api; roleId: string; ask: (c: Confirmation) => void }) {
  const base = `/api/roles/${encodeURIComponent(roleId)}/scopes`;
  // Unpaged on purpose: the picker needs every linked scope to offer only the others.
  const scopes = useLoad<RoleScope[]>(api, base);
  const resources = useLoad<ResourceWithScopes[]>(api, '/api/resources?includeScopes=true');
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  const [filter, setFilter] = useState('');
  const action = useAction();
  const id = useId();

  const linked = new Set((scopes.data ?? []).map((s) => s.id));
  const needle = filter.trim().toLowerCase();
  const groups = (resources.data ?? [])
    .map((resource) => ({
      resource,
      free: (resource.scopes ?? []).filter(
        (s) =>
          !linked.has(s.id) &&
          (!needle ||
            s.name.toLowerCase().includes(needle) ||
            (s.description ?? '').toLowerCase().includes(needle) ||
            resource.name.toLowerCase().includes(needle)),
      ),
    }))
    .filter((g) => (g.resource.scopes ?? []).length > 0);
  const anyScope = groups.length > 0;

  function toggle(scopeId: string, on: boolean) {
    setPicked((current) => {
      const next = new Set(current);
      if (on) next.add(scopeId);
      else next.delete(scopeId);
      return next;
    });
  }

  async function assign(e: FormEvent) {
    e.preventDefault();
    const ids = [...picked].filter((s) => !linked.has(s));
    if (ids.length === 0) return;
    const ok = await action.run(async () => {
      await api.send('POST', base, { scopeIds: ids });
      return `${ids.length === 1 ? 'Permission' : `${ids.length} permissions`} assigned.`;
    });
    if (ok) {
      setPicked(new Set());
      await scopes.reload();
    }
  }

  function remove(scope: RoleScope) {
    ask({
      title: `Remove the permission ${scope.name}?`,
      body: (
        <p>
          The role no longer grants <code>{scope.name}</code> of {scope.resource.name}.
        </p>
      ),
      label: 'Remove permission',
      run: async () => {
        const ok = await action.run(async () => {
          await api.send('DELETE', `${base}/${encodeURIComponent(scope.id)}`);
          return `Permission ${scope.name} removed.`;
        });
        if (ok) await scopes.reload();
      },
    });
  }

  const pickedCount = [...picked].filter((s) => !linked.has(s)).length;

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Permissions</h2>
      <p className="hint">The scopes of API resources this role grants.</p>
      <ErrorMessage error={scopes.error} />
      <ErrorMessage error={action.error} />
      <Notice text={action.notice} />
      {!scopes.data && scopes.loading && <Loading what="permissions" />}
      {scopes.data && scopes.data.length === 0 && <p className="empty">This role grants no permission yet.</p>}
      {scopes.data && scopes.data.length > 0 && (
        <div className="table-wrap">
          <table className="rr-stack-table" aria-labelledby={`${id}-title`}>
            <thead>
              <tr>
                <th scope="col">Permission</th>
                <th scope="col">Description</th>
                <th scope="col">API resource</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {scopes.data.map((s) => (
                <tr key={s.id}>
                  <td data-label="Permission">
                    <code className="rr-wrap">{s.name}</code>
                  </td>
                  <td data-label="Description" className="rr-wrap">
                    {s.description || '—'}
                  </td>
                  <td data-label="API resource" className="rr-wrap">
                    <a href={`#/resources/${s.resource.id}`}>{s.resource.name}</a>
                    <div className="meta rr-wrap">{s.resource.indicator}</div>
                  </td>
                  <td>
                    <button type="button" onClick={() => remove(s)}>
                      Remove <span className="visually-hidden">the permission {s.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form onSubmit={(e) => void assign(e)} className="rr-assign-permissions" aria-labelledby={`${id}-assign`}>
        <h3 id={`${id}-assign`}>Assign permissions</h3>
        <ErrorMessage error={resources.error} />
        {!resources.data && resources.loading && <Loading what="API resources" />}
        {resources.data && !anyScope && (
          <p className="empty">
            No API resource has a permission yet. <a href="#/resources">Create an API resource</a> and its permissions
            first.
          </p>
        )}
        {anyScope && (
          <>
            <div className="field">
              <label htmlFor={`${id}-filter`}>Filter permissions</label>
              <input
                id={`${id}-filter`}
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                autoComplete="off"
              />
            </div>
            {groups.map(({ resource, free }) => (
              <fieldset key={resource.id} className="rr-scope-group">
                <legend>
                  {resource.name} <span className="meta">({free.length} to assign)</span>
                </legend>
                <p className="meta rr-wrap">{resource.indicator}</p>
                {free.length === 0 ? (
                  <p className="hint">
                    {needle ? 'No permission matches the filter.' : 'The role has every permission of this resource.'}
                  </p>
                ) : (
                  <ul className="plain rr-scope-choices">
                    {free.map((s) => (
                      <li key={s.id}>
                        <label>
                          <input
                            type="checkbox"
                            checked={picked.has(s.id)}
                            onChange={(e) => toggle(s.id, e.target.checked)}
                          />
                          <code className="rr-wrap">{s.name}</code>
                          {s.description && <span className="hint">{s.description}</span>}
                        </label>
                      </li>
                    ))}
                  </ul>
                )}
              </fieldset>
            ))}
            <div className="actions">
              <button type="submit" className="primary" disabled={action.busy || pickedCount === 0}>
                Assign{' '}
                {pickedCount === 0 ? 'permissions' : pickedCount === 1 ? '1 permission' : `${pickedCount} permissions`}
              </button>
            </div>
          </>
        )}
      </form>
    </section>
  );
}

interface Holder {
  id: string;
  title: string;
  detail: string;
  href: string;
}

/** The users of a User role, or the applications of a machine-to-machine role; each can be removed. */
function RoleHolders({ api, role, ask }: { api: Api; role: Role; ask: (c: Confirmation) => void }) {
  const users = role.type === 'User';
  const base = `/api/roles/${encodeURIComponent(role.id)}/${users ? 'users' : 'applications'}`;
  const [page, setPage] = useState(1);
  const list = usePaged<User | Application>(api, base, page);
  const action = useAction();
  const id = useId();
  const noun: [string, string] = users ? ['user', 'users'] : ['application', 'applications'];

  const holders: Holder[] | undefined = list.rows?.map((row) => {
    if (users) {
      const u = row as User;
      return {
        id: u.id,
        title: u.name || u.username || u.primaryEmail || u.primaryPhone || u.id,
        detail: [u.primaryEmail, u.username ? `@${u.username}` : null].filter(Boolean).join(' · '),
        href: `#/users/${u.id}`,
      };
    }
    const a = row as Application;
    return { id: a.id, title: a.name, detail: a.description ?? '', href: `#/applications/${a.id}` };
  });

  function remove(h: Holder) {
    ask({
      title: `Remove ${h.title} from this role?`,
      body: (
        <p>
          {h.title} loses the role {role.name} and the permissions it gives.
        </p>
      ),
      label: users ? 'Remove user' : 'Remove application',
      run: async () => {
        const ok = await action.run(async () => {
          await api.send('DELETE', `${base}/${encodeURIComponent(h.id)}`);
          return `${h.title} no longer has this role.`;
        });
        if (ok) {
          if (page > 1 && list.rows?.length === 1) setPage(page - 1);
          else await list.reload();
        }
      },
    });
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{users ? 'Users' : 'Applications'} with this role</h2>
      <ErrorMessage error={list.error} />
      <ErrorMessage error={action.error} />
      <Notice text={action.notice} />
      {!holders && list.loading && <Loading what={noun[1]} />}
      {holders && holders.length === 0 && (
        <p className="empty">
          {users
            ? 'No user has this role. Give it to a user from the user’s page.'
            : 'No application has this role. Give it to a machine-to-machine application from its page.'}
        </p>
      )}
      {holders && holders.length > 0 && (
        <div className="table-wrap">
          <table className="rr-stack-table" aria-labelledby={`${id}-title`} aria-busy={list.loading}>
            <thead>
              <tr>
                <th scope="col">{users ? 'User' : 'Application'}</th>
                <th scope="col">{users ? 'Email / username' : 'Description'}</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {holders.map((h) => (
                <tr key={h.id}>
                  <td data-label={users ? 'User' : 'Application'} className="rr-wrap">
                    <a href={h.href}>{h.title}</a>
                  </td>
                  <td data-label={users ? 'Email / username' : 'Description'} className="rr-wrap">
                    {h.detail || '—'}
                  </td>
                  <td>
                    <button type="button" onClick={() => remove(h)}>
                      Remove <span className="visually-hidden">{h.title}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label={`${users ? 'Users' : 'Applications'} pages`}
        page={page}
        pageSize={PAGE_SIZE}
        total={list.total}
        noun={noun}
        onPage={setPage}
      />
    </section>
  );
}
