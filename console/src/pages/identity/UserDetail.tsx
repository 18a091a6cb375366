import './users.css';
import { useId, useState, type FormEvent } from 'react';
import { errorText, type Api } from '../../api';
import { ConfirmDialog, ErrorMessage, Loading, Notice } from '../../components/ui';
import { dateTime } from '../../format';
import { useLoad } from '../../hooks';
import { navigate } from '../../router';
import type { User } from '../../../../src/identity/users/schemas.ts';
import type { Role, RoleWithCounts } from '../../../../src/identity/roles/schemas.ts';
import type { OrganizationWithRoles } from '../../../../src/identity/organizations/schemas.ts';

const title = (u: User): string => u.name || u.username || u.primaryEmail || u.primaryPhone || u.id;

type Confirm = { kind: 'delete' } | { kind: 'suspend' } | { kind: 'remove-role'; role: Role };

export function UserDetail({ api, userId }: { api: Api; userId: string }) {
  const base = `/api/users/${encodeURIComponent(userId)}`;
  const user = useLoad<User>(api, base);
  const roles = useLoad<Role[]>(api, `${base}/roles?page=1&page_size=100`);
  const organizations = useLoad<OrganizationWithRoles[]>(api, `${base}/organizations`);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [confirm, setConfirm] = useState<Confirm>();

  if (!user.data) {
    return (
      <section aria-labelledby="user-title">
        <p className="crumbs">
          <a href="#/users">Users</a> ›
        </p>
        <h1 id="user-title">User</h1>
        <ErrorMessage error={user.error} />
        {user.loading && <Loading what="the user" />}
      </section>
    );
  }
  const u = user.data;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setActionError(undefined);
    try {
      await action();
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(false);
      setConfirm(undefined);
    }
  }

  const setSuspended = (isSuspended: boolean) =>
    run(async () => {
      user.set(await api.send<User>('PATCH', `${base}/is-suspended`, { isSuspended }));
      setNotice(
        isSuspended
          ? 'User suspended: their sessions end and they cannot sign in until reactivated.'
          : 'User reactivated: they can sign in again.',
      );
    });

  const remove = () =>
    run(async () => {
      await api.send('DELETE', base);
      navigate('/users');
    });

  const removeRole = (role: Role) =>
    run(async () => {
      await api.send('DELETE', `${base}/roles/${encodeURIComponent(role.id)}`);
      await roles.reload();
      setNotice(`Role ${role.name} removed.`);
    });

  return (
    <section aria-labelledby="user-title" className="users user-detail">
      <p className="crumbs">
        <a href="#/users">Users</a> ›
      </p>
      <div className="page-head">
        <div className="user-head">
          <h1 id="user-title">{title(u)}</h1>
          <p className="meta">
            {u.isSuspended ? (
              <span className="badge badge-failed">Suspended</span>
            ) : (
              <span className="badge badge-succeeded">Active</span>
            )}{' '}
            id <code>{u.id}</code> · created {dateTime(u.createdAt)} · last sign-in {dateTime(u.lastSignInAt)}
            {u.hasPassword ? ' · has a password' : ' · no password'}
          </p>
        </div>
        <div className="actions">
          {u.isSuspended ? (
            <button type="button" onClick={() => setSuspended(false)} disabled={busy}>
              Reactivate
            </button>
          ) : (
            <button type="button" onClick={() => setConfirm({ kind: 'suspend' })} disabled={busy}>
              Suspend
            </button>
          )}
          <button type="button" className="danger" onClick={() => setConfirm({ kind: 'delete' })} disabled={busy}>
            Delete user
          </button>
        </div>
      </div>
      <ErrorMessage error={actionError} />
      <Notice text={notice} />

      <Profile
        key={`profile-${u.updatedAt}`}
        user={u}
        onSave={async (patch) => {
          user.set(await api.send<User>('PATCH', base, patch));
          setNotice('Profile saved.');
        }}
      />

      <CustomData
        key={`custom-${u.updatedAt}`}
        user={u}
        onSave={async (customData) => {
          user.set(await api.send<User>('PATCH', base, { customData }));
          setNotice('Custom data saved.');
        }}
      />

      <section aria-labelledby="user-roles-title" className="user-panel">
        <h2 id="user-roles-title">Roles</h2>
        <ErrorMessage error={roles.error} />
        {roles.loading && !roles.data && <Loading what="roles" />}
        {roles.data && roles.data.length === 0 && <p className="empty">No roles assigned.</p>}
        {roles.data && roles.data.length > 0 && (
          <ul className="role-list">
            {roles.data.map((role) => (
              <li key={role.id}>
                <div>
                  <a href={`#/roles/${encodeURIComponent(role.id)}`}>{role.name}</a>
                  {role.description && <div className="meta">{role.description}</div>}
                </div>
                <button
                  type="button"
                  className="danger"
                  aria-label={`Remove role ${role.name}`}
                  onClick={() => setConfirm({ kind: 'remove-role', role })}
                  disabled={busy}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <AssignRole
          api={api}
          userId={u.id}
          held={roles.data ?? []}
          onAssigned={async (role) => {
            await roles.reload();
            setNotice(`Role ${role.name} assigned.`);
          }}
        />
      </section>

      <section aria-labelledby="user-orgs-title" className="user-panel">
        <h2 id="user-orgs-title">Organizations</h2>
        <ErrorMessage error={organizations.error} />
        {organizations.loading && !organizations.data && <Loading what="organizations" />}
        {organizations.data && organizations.data.length === 0 && (
          <p className="empty">Not a member of any organization.</p>
        )}
        {organizations.data && organizations.data.length > 0 && (
          <ul className="org-list">
            {organizations.data.map((org) => (
              <li key={org.id}>
                <a href={`#/organizations/${encodeURIComponent(org.id)}`}>{org.name}</a>
                <span className="meta">
                  {' '}
                  {org.organizationRoles.length
                    ? `· ${org.organizationRoles.map((r) => r.name).join(', ')}`
                    : '· no organization role'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ConfirmDialog
        open={confirm?.kind === 'suspend'}
        title={`Suspend ${title(u)}?`}
        confirmLabel="Suspend user"
        danger
        busy={busy}
        onConfirm={() => setSuspended(true)}
        onCancel={() => setConfirm(undefined)}
      >
        <p>The user's sessions end and they cannot sign in until they are reactivated.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm?.kind === 'remove-role'}
        title={`Remove role ${confirm?.kind === 'remove-role' ? confirm.role.name : ''}?`}
        confirmLabel="Remove role"
        danger
        busy={busy}
        onConfirm={() => confirm?.kind === 'remove-role' && removeRole(confirm.role)}
        onCancel={() => setConfirm(undefined)}
      >
        <p>The user loses the permissions this role grants.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm?.kind === 'delete'}
        title={`Delete ${title(u)}?`}
        confirmLabel="Delete user"
        danger
        busy={busy}
        onConfirm={remove}
        onCancel={() => setConfirm(undefined)}
      >
        <p>The user, their roles and memberships are deleted. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

type ProfilePatch = Partial<Record<'username' | 'primaryEmail' | 'primaryPhone' | 'name', string | null>>;

/** The user's identifiers and name; only changed fields are sent, an emptied one is cleared. */
function Profile({ user, onSave }: { user: User; onSave: (patch: ProfilePatch) => Promise<void> }) {
  const initial = {
    name: user.name ?? '',
    username: user.username ?? '',
    primaryEmail: user.primaryEmail ?? '',
    primaryPhone: user.primaryPhone ?? '',
  };
  const [values, setValues] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [info, setInfo] = useState<string>();
  const ids = { name: useId(), username: useId(), primaryEmail: useId(), primaryPhone: useId() };
  const fields = [
    ['name', 'Name', 'text'],
    ['username', 'Username', 'text'],
    ['primaryEmail', 'Primary email', 'email'],
    ['primaryPhone', 'Primary phone', 'tel'],
  ] as const;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setInfo(undefined);
    const patch: ProfilePatch = {};
    for (const [field] of fields) {
      const value = values[field].trim();
      if (value !== initial[field]) patch[field] = value === '' ? null : value;
    }
    if (Object.keys(patch).length === 0) {
      setInfo('Nothing changed.');
      return;
    }
    setBusy(true);
    try {
      await onSave(patch);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="user-panel" onSubmit={submit} noValidate aria-labelledby="user-profile-title">
      <h2 id="user-profile-title">Profile</h2>
      <div className="profile-grid">
        {fields.map(([field, label, type]) => (
          <div className="field" key={field}>
            <label htmlFor={ids[field]}>{label}</label>
            <input
              id={ids[field]}
              type={type}
              value={values[field]}
              autoComplete="off"
              onChange={(e) => setValues({ ...values, [field]: e.target.value })}
            />
          </div>
        ))}
      </div>
      <ErrorMessage error={error} />
      {info && <p className="meta">{info}</p>}
      <button type="submit" className="primary" disabled={busy}>
        Save profile
      </button>
    </form>
  );
}

/** Custom data as JSON; checked here (an object) before anything is sent, then stored as a whole. */
function CustomData({ user, onSave }: { user: User; onSave: (customData: Record<string, unknown>) => Promise<void> }) {
  const [text, setText] = useState(() => JSON.stringify(user.customData ?? {}, null, 2));
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const problemId = useId();
  const hintId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      setProblem(`Not valid JSON, nothing was saved: ${errorText(error)}`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      setProblem('Custom data is a JSON object ({ … }), nothing was saved.');
      return;
    }
    setBusy(true);
    try {
      await onSave(value as Record<string, unknown>);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="user-panel" onSubmit={submit} noValidate aria-labelledby="user-custom-title">
      <h2 id="user-custom-title">Custom data</h2>
      <div className="field custom-data-field">
        <label htmlFor={id}>Custom data (JSON)</label>
        <span className="hint" id={hintId}>
          A JSON object; it replaces the stored custom data as a whole.
        </span>
        <textarea
          id={id}
          className="json"
          rows={Math.min(14, Math.max(4, text.split('\n').length + 1))}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${hintId} ${problemId}`}
        />
        <span className="field-problem" id={problemId} role="alert">
          {problem}
        </span>
      </div>
      <button type="submit" className="primary" disabled={busy}>
        Save custom data
      </button>
    </form>
  );
}

/** A select of the User roles the user does not hold yet, and Assign. */
function AssignRole({
  api,
  userId,
  held,
  onAssigned,
}: {
  api: Api;
  userId: string;
  held: Role[];
  onAssigned: (role: RoleWithCounts) => Promise<void>;
}) {
  const available = useLoad<RoleWithCounts[]>(api, '/api/roles?type=User&page=1&page_size=100');
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const id = useId();
  const options = (available.data ?? []).filter((r) => !held.some((h) => h.id === r.id));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const role = options.find((r) => r.id === chosen);
    if (!role) {
      setError('Choose a role to assign.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.send('POST', `/api/users/${encodeURIComponent(userId)}/roles`, { roleIds: [role.id] });
      setChosen('');
      await onAssigned(role);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (available.error) return <ErrorMessage error={available.error} />;
  if (!available.data) return <Loading what="the roles to assign" />;
  if (available.data.length === 0)
    return (
      <p className="meta">
        No user roles exist yet: <a href="#/roles">create one</a> to assign it here.
      </p>
    );
  return (
    <form className="assign-role" onSubmit={submit}>
      <div className="field">
        <label htmlFor={id}>Assign a role</label>
        <div className="assign-row">
          <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)} disabled={options.length === 0}>
            <option value="">{options.length ? 'Choose a role…' : 'Every role is assigned'}</option>
            {options.map((role) => (
              <option key={role.id} value={role.id}>
                {role.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy || options.length === 0}>
            Assign
          </button>
        </div>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
