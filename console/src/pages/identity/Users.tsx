import './users.css';
import { useId, useState, type FormEvent } from 'react';
import { errorText, type Api } from '../../api';
import { ErrorMessage, Loading, Notice, Pager } from '../../components/ui';
import { containing, PAGE_SIZE, usePaged } from '../../hooks';
import { dateTime } from '../../format';
import type { User } from '../../../../src/identity/users/schemas.ts';
import { UserDetail } from './UserDetail';

/** A user's words in a list: the name, else the username, else the email, else the id. */
export const userTitle = (u: Pick<User, 'id' | 'name' | 'username' | 'primaryEmail' | 'primaryPhone'>): string =>
  u.name || u.username || u.primaryEmail || u.primaryPhone || u.id;

export function Users({ api, rest }: { api: Api; rest: string[] }) {
  if (rest[0]) return <UserDetail api={api} userId={rest[0]} />;
  return <UserList api={api} />;
}

function UserList({ api }: { api: Api }) {
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState<string>();
  const [creating, setCreating] = useState(false);
  const searchId = useId();
  const search = query.trim() ? `?${new URLSearchParams({ search: containing(query.trim()) })}` : '';
  const { rows, total, loading, error, reload } = usePaged<User>(api, `/api/users${search}`, page);

  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <section aria-labelledby="users-title" className="users">
      <div className="page-head">
        <div>
          <h1 id="users-title">Users</h1>
          <p className="meta">The people who sign in through Herald's identity core, newest first.</p>
        </div>
        <div className="actions">
          <button
            type="button"
            className="primary"
            aria-expanded={creating}
            aria-controls="user-create"
            onClick={() => setCreating(!creating)}
          >
            Create user
          </button>
        </div>
      </div>

      {creating && (
        <CreateUser
          api={api}
          onCancel={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            setNotice(`User ${userTitle(user)} created.`);
            setPage(1);
            void reload();
          }}
        />
      )}
      <Notice text={notice} />

      <form
        className="user-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setQuery(typed);
        }}
      >
        <label htmlFor={searchId}>Search users</label>
        <div className="search-row">
          <input
            id={searchId}
            type="search"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="Username, email, phone, name or id"
          />
          <button type="submit">Search</button>
          {query && (
            <button
              type="button"
              onClick={() => {
                setTyped('');
                setQuery('');
                setPage(1);
              }}
            >
              Clear
            </button>
          )}
        </div>
      </form>

      <ErrorMessage error={error} />
      {loading && !rows && <Loading what="users" />}
      {rows && rows.length === 0 && (
        <div className="empty">
          {query ? (
            <p>No user matches “{query}”.</p>
          ) : (
            <>
              <h2>No users yet</h2>
              <p>
                Users are created when people register, or here with “Create user”. Each creation emits{' '}
                <code>User.Created</code> to the webhooks subscribed to it.
              </p>
            </>
          )}
        </div>
      )}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="users-table">
            <caption className="visually-hidden">
              Users{query ? ` matching “${query}”` : ''}, page {page} of {pages}
            </caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Email</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((user) => (
                <tr key={user.id}>
                  <th scope="row" data-label="User">
                    <a href={`#/users/${encodeURIComponent(user.id)}`}>{userTitle(user)}</a>
                    {user.username && user.username !== userTitle(user) && <div className="meta">@{user.username}</div>}
                  </th>
                  <td data-label="Email" className="user-email" title={user.primaryEmail ?? undefined}>
                    {user.primaryEmail ?? '—'}
                  </td>
                  <td data-label="Created">{dateTime(user.createdAt)}</td>
                  <td data-label="Status">
                    {user.isSuspended ? (
                      <span className="badge badge-failed">Suspended</span>
                    ) : (
                      <span className="badge badge-succeeded">Active</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows && total > 0 && (
        <Pager
          label="Users pages"
          page={page}
          pageSize={PAGE_SIZE}
          total={total}
          noun={['user', 'users']}
          buttons={['Previous page', 'Next page']}
          always
          busy={loading}
          onPage={setPage}
        />
      )}
    </section>
  );
}

function CreateUser({ api, onCreated, onCancel }: { api: Api; onCreated: (user: User) => void; onCancel: () => void }) {
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ids = { username: useId(), email: useId(), name: useId(), password: useId(), hint: useId() };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const body: Record<string, string> = {};
    if (username.trim()) body.username = username.trim();
    if (email.trim()) body.primaryEmail = email.trim();
    if (name.trim()) body.name = name.trim();
    if (password) body.password = password;
    if (!body.username && !body.primaryEmail) {
      setError('Give a username or a primary email: a user needs a way to be found.');
      return;
    }
    setBusy(true);
    try {
      onCreated(await api.send<User>('POST', '/api/users', body));
    } catch (error) {
      setError(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form id="user-create" className="user-create" onSubmit={submit} noValidate aria-labelledby="user-create-title">
      <h2 id="user-create-title">Create a user</h2>
      <div className="field">
        <label htmlFor={ids.username}>Username</label>
        <input
          id={ids.username}
          value={username}
          autoComplete="off"
          onChange={(e) => setUsername(e.target.value)}
          aria-describedby={ids.hint}
        />
        <span className="hint" id={ids.hint}>
          A letter or underscore, then letters, digits or underscores.
        </span>
      </div>
      <div className="field">
        <label htmlFor={ids.email}>Primary email</label>
        <input
          id={ids.email}
          type="email"
          value={email}
          autoComplete="off"
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.name}>Name (optional)</label>
        <input id={ids.name} value={name} autoComplete="off" onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.password}>Password (optional)</label>
        <input
          id={ids.password}
          type="password"
          value={password}
          autoComplete="new-password"
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Create user
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
