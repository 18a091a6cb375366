import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { errorText, type Api, type Paged } from '../../api';
import { ConfirmDialog, ErrorMessage, Loading, Notice, Pager } from '../../components/ui';
import { dateTime, toLocalInput } from '../../format';
import { containing, useLoad, usePage } from '../../hooks';
import type { Invitation } from '../../../../src/identity/organization-invitations/schemas.ts';
import type { OrganizationRoleWithScopes } from '../../../../src/identity/organization-roles/schemas.ts';
import type { Organization } from '../../../../src/identity/organizations/schemas.ts';
import type { RoleBrief } from '../../../../src/identity/schemas.ts';
import type { User } from '../../../../src/identity/users/schemas.ts';

type Member = Pick<User, 'id' | 'username' | 'primaryEmail' | 'name'> & { organizationRoles: RoleBrief[] };
type Person = Pick<User, 'id' | 'username' | 'primaryEmail' | 'name'>;

/** The words a person is shown by: their name, else username, else email, else id. */
const who = (u: Person): string => u.name || u.username || u.primaryEmail || u.id;

/** The part of the page an action belongs to: its notice and error show there. */
type Where = 'top' | 'settings' | 'members' | 'roles' | 'invitations';
interface Said {
  where: Where;
  text: string;
}

/** A destructive action waiting for confirmation; `run` answers the notice to show. */
interface Pending {
  where: Where;
  title: string;
  body: ReactNode;
  label: string;
  run: () => Promise<string | undefined>;
}

const MEMBER_PAGE_SIZE = 20;
const WEEK = 7 * 24 * 3600_000;

export function OrganizationDetail({
  api,
  id,
  onDeleted,
}: {
  api: Api;
  id: string;
  onDeleted: (notice: string) => void;
}) {
  const org = useLoad<Organization>(api, `/api/organizations/${encodeURIComponent(id)}`);
  const roles = usePage<OrganizationRoleWithScopes>(api, '/api/organization-roles?page=1&page_size=100');
  const [notice, setNotice] = useState<Said>();
  const [actionError, setActionError] = useState<Said>();
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);

  const userRoles = (roles.data?.data ?? []).filter((r) => r.type === 'User');

  async function confirm() {
    if (!pending) return;
    setBusy(true);
    setActionError(undefined);
    try {
      const text = await pending.run();
      if (text) setNotice({ where: pending.where, text });
    } catch (e) {
      setActionError({ where: pending.where, text: errorText(e) });
    } finally {
      setBusy(false);
      setPending(undefined);
    }
  }

  if (org.error && !org.data)
    return (
      <section aria-labelledby="org-title">
        <p className="crumbs">
          <a href="#/organizations">Organizations</a> ›
        </p>
        <h1 id="org-title">Organization not found</h1>
        <ErrorMessage error={org.error} />
        <p>
          <a href="#/organizations">Back to the organizations</a>
        </p>
      </section>
    );
  if (!org.data) return <Loading what="the organization" />;
  const o = org.data;
  const act = (p: Pending) => {
    setNotice(undefined);
    setActionError(undefined);
    setPending(p);
  };
  /** What a section shows: the notice and action error that belong to it, and how it says something. */
  const sectionProps = (where: Where) => ({
    notice: notice?.where === where ? notice.text : undefined,
    actionError: actionError?.where === where ? actionError.text : undefined,
    onNotice: (text: string) => {
      setActionError(undefined);
      setNotice({ where, text });
    },
  });

  return (
    <section aria-labelledby="org-title" className="org-detail">
      <p className="crumbs">
        <a href="#/organizations">Organizations</a> ›
      </p>
      <div className="page-head">
        <div className="org-head">
          <h1 id="org-title">{o.name}</h1>
          {o.description && <p className="org-wrap">{o.description}</p>}
          <p className="meta">
            <code className="org-id" title={o.id}>
              {o.id}
            </code>{' '}
            · created {dateTime(o.createdAt)}
          </p>
        </div>
        <button
          type="button"
          className="danger"
          onClick={() =>
            act({
              where: 'top',
              title: `Delete ${o.name}?`,
              label: 'Delete organization',
              body: (
                <p>
                  Its members leave it (their user accounts stay), their organization roles in it and its invitations go
                  with it. This emits <code>Organization.Deleted</code> and cannot be undone.
                </p>
              ),
              run: async () => {
                await api.send('DELETE', `/api/organizations/${encodeURIComponent(o.id)}`);
                onDeleted(`Organization “${o.name}” deleted.`);
                return undefined;
              },
            })
          }
        >
          Delete organization
        </button>
      </div>
      <ErrorMessage error={actionError?.where === 'top' ? actionError.text : undefined} />

      <Settings
        api={api}
        org={o}
        {...sectionProps('settings')}
        onSaved={(updated) => {
          org.set(updated);
          setNotice({ where: 'settings', text: 'Organization saved.' });
        }}
      />

      <Members
        api={api}
        orgId={o.id}
        roles={userRoles}
        rolesLoaded={!!roles.data}
        {...sectionProps('members')}
        act={act}
      />

      <OrganizationRoles
        api={api}
        roles={userRoles}
        loading={roles.loading && !roles.data}
        error={roles.error}
        notice={sectionProps('roles').notice}
        onCreated={(name) => {
          setNotice({ where: 'roles', text: `Organization role “${name}” created.` });
          void roles.reload();
        }}
      />

      <Invitations api={api} orgId={o.id} roles={userRoles} {...sectionProps('invitations')} act={act} />

      <ConfirmDialog
        open={pending !== undefined}
        title={pending?.title ?? ''}
        confirmLabel={pending?.label ?? ''}
        danger
        busy={busy}
        onConfirm={confirm}
        onCancel={() => setPending(undefined)}
      >
        {pending?.body}
      </ConfirmDialog>
    </section>
  );
}

interface SectionProps {
  notice: string | undefined;
  actionError: string | undefined;
  onNotice: (text: string) => void;
}

function Settings({
  api,
  org,
  notice,
  onSaved,
}: SectionProps & { api: Api; org: Organization; onSaved: (org: Organization) => void }) {
  const [name, setName] = useState(org.name);
  const [description, setDescription] = useState(org.description ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const changed = name !== org.name || description !== (org.description ?? '');

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.send<Organization>('PATCH', `/api/organizations/${encodeURIComponent(org.id)}`, {
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
    <form className="org-panel" onSubmit={save} aria-labelledby="org-settings-title">
      <h2 id="org-settings-title">Settings</h2>
      <div className="field">
        <label htmlFor="org-name">Name</label>
        <input id="org-name" maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="org-description">Description</label>
        <input
          id="org-description"
          maxLength={256}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !changed}>
          Save
        </button>
      </div>
      <Notice text={notice} />
    </form>
  );
}

function Members(
  props: SectionProps & {
    api: Api;
    orgId: string;
    roles: OrganizationRoleWithScopes[];
    rolesLoaded: boolean;
    act: (p: Pending) => void;
  },
) {
  const { api, orgId, act } = props;
  const [page, setPage] = useState(1);
  const base = `/api/organizations/${encodeURIComponent(orgId)}/users`;
  const members = usePage<Member>(api, `${base}?page=${page}&page_size=${MEMBER_PAGE_SIZE}`);
  const [rowError, setRowError] = useState<string>();

  async function give(member: Member, roleId: string) {
    setRowError(undefined);
    try {
      await api.send('POST', `${base}/${encodeURIComponent(member.id)}/roles`, { organizationRoleIds: [roleId] });
      const role = props.roles.find((r) => r.id === roleId);
      props.onNotice(`${who(member)} now holds the organization role “${role?.name ?? roleId}”.`);
      await members.reload();
    } catch (e) {
      setRowError(errorText(e));
    }
  }

  return (
    <section className="org-section" aria-labelledby="org-members-title">
      <h2 id="org-members-title">Members</h2>
      <AddMember
        api={api}
        orgId={orgId}
        onAdded={async (user) => {
          props.onNotice(`${who(user)} added to the organization.`);
          setPage(1);
          await members.reload();
        }}
      />
      <Notice text={props.notice} />
      <ErrorMessage error={members.error ?? rowError ?? props.actionError} />
      {members.loading && !members.data && <Loading what="members" />}
      {members.data && members.data.total === 0 && (
        <p className="empty">No members yet: find a user above and add them.</p>
      )}
      {members.data && members.data.data.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="org-cards">
              <caption className="visually-hidden">Members and their organization roles</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Organization roles</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.data.data.map((m) => (
                  <tr key={m.id}>
                    <td data-label="Member" className="org-wrap">
                      <a href={`#/users/${m.id}`}>{who(m)}</a>
                      {m.primaryEmail && who(m) !== m.primaryEmail && <div className="meta">{m.primaryEmail}</div>}
                    </td>
                    <td data-label="Organization roles">
                      <ul className="org-chips" aria-label={`Organization roles of ${who(m)}`}>
                        {m.organizationRoles.length === 0 && <li className="meta">None</li>}
                        {m.organizationRoles.map((r) => (
                          <li key={r.id} className="org-chip">
                            {r.name}
                            <button
                              type="button"
                              className="link"
                              aria-label={`Take ${r.name} from ${who(m)}`}
                              title={`Take ${r.name} from ${who(m)}`}
                              onClick={() =>
                                act({
                                  where: 'members',
                                  title: `Take “${r.name}” from ${who(m)}?`,
                                  label: 'Take role',
                                  body: (
                                    <p>
                                      {who(m)} stays a member but loses the organization role and its permissions in
                                      this organization.
                                    </p>
                                  ),
                                  run: async () => {
                                    await api.send(
                                      'DELETE',
                                      `${base}/${encodeURIComponent(m.id)}/roles/${encodeURIComponent(r.id)}`,
                                    );
                                    await members.reload();
                                    return `${who(m)} no longer holds “${r.name}”.`;
                                  },
                                })
                              }
                            >
                              ×
                            </button>
                          </li>
                        ))}
                      </ul>
                      <GiveRole member={m} roles={props.roles} rolesLoaded={props.rolesLoaded} onGive={give} />
                    </td>
                    <td data-label="Actions">
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Remove ${who(m)} from the organization`}
                        onClick={() =>
                          act({
                            where: 'members',
                            title: `Remove ${who(m)}?`,
                            label: 'Remove member',
                            body: (
                              <p>
                                {who(m)} leaves the organization and loses their organization roles in it; their user
                                account stays. This emits <code>Organization.Membership.Updated</code>.
                              </p>
                            ),
                            run: async () => {
                              await api.send('DELETE', `${base}/${encodeURIComponent(m.id)}`);
                              await members.reload();
                              return `${who(m)} removed from the organization.`;
                            },
                          })
                        }
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Member pages"
            page={page}
            pageSize={MEMBER_PAGE_SIZE}
            total={members.data.total}
            onPage={setPage}
          />
        </>
      )}
    </section>
  );
}

/** A select of the organization roles a member does not hold yet, and a button to give the one chosen. */
function GiveRole(props: {
  member: Member;
  roles: OrganizationRoleWithScopes[];
  rolesLoaded: boolean;
  onGive: (member: Member, roleId: string) => Promise<void>;
}) {
  const selectId = useId();
  const [roleId, setRoleId] = useState('');
  const [busy, setBusy] = useState(false);
  const held = new Set(props.member.organizationRoles.map((r) => r.id));
  const offered = props.roles.filter((r) => !held.has(r.id));
  if (!props.rolesLoaded) return null;
  if (props.roles.length === 0)
    return <p className="meta">No organization roles exist yet (see Organization roles below).</p>;
  if (offered.length === 0) return null;
  return (
    <form
      className="org-give"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!roleId) return;
        setBusy(true);
        await props.onGive(props.member, roleId);
        setRoleId('');
        setBusy(false);
      }}
    >
      <label htmlFor={selectId} className="visually-hidden">
        Organization role to give {who(props.member)}
      </label>
      <select id={selectId} value={roleId} onChange={(e) => setRoleId(e.target.value)}>
        <option value="">Choose a role…</option>
        {offered.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
      <button type="submit" disabled={busy || !roleId} aria-label={`Assign the role to ${who(props.member)}`}>
        Assign
      </button>
    </form>
  );
}

/** Finds users who are not members yet (GET /api/users, excludeOrganizationId) and adds the one picked. */
function AddMember({ api, orgId, onAdded }: { api: Api; orgId: string; onAdded: (user: Person) => Promise<void> }) {
  const [term, setTerm] = useState('');
  const [results, setResults] = useState<Paged<Person>>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function find(e?: FormEvent) {
    e?.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const search = term.trim() ? `&search=${encodeURIComponent(containing(term.trim()))}` : '';
      setResults(
        await api.getPage<Person>(
          `/api/users?page=1&page_size=10&excludeOrganizationId=${encodeURIComponent(orgId)}${search}`,
        ),
      );
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function add(user: Person) {
    setError(undefined);
    try {
      await api.send('POST', `/api/organizations/${encodeURIComponent(orgId)}/users`, { userIds: [user.id] });
      setResults(undefined);
      setTerm('');
      await onAdded(user);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div className="org-add">
      <form role="search" onSubmit={find} aria-label="Find a user to add">
        <label htmlFor="org-user-search">Add a member: find a user</label>
        <div className="org-search-row">
          <input
            id="org-user-search"
            type="search"
            value={term}
            placeholder="Name, username, email or id"
            onChange={(e) => setTerm(e.target.value)}
          />
          <button type="submit" disabled={busy}>
            Find users
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {results && results.data.length === 0 && (
        <p className="meta" role="status">
          No user who is not already a member matches{term.trim() ? ` “${term.trim()}”` : ''}.
        </p>
      )}
      {results && results.data.length > 0 && (
        <ul className="org-results" aria-label="Users found">
          {results.data.map((u) => (
            <li key={u.id}>
              <span className="org-wrap">
                {who(u)}
                {u.primaryEmail && who(u) !== u.primaryEmail && <span className="meta"> · {u.primaryEmail}</span>}
              </span>
              <button type="button" onClick={() => add(u)} aria-label={`Add ${who(u)} to the organization`}>
                Add
              </button>
            </li>
          ))}
          {results.total > results.data.length && (
            <li className="meta">
              {results.total - results.data.length} more match; narrow the search to find the one you want.
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

function OrganizationRoles(props: {
  api: Api;
  roles: OrganizationRoleWithScopes[];
  loading: boolean;
  error: string | undefined;
  notice: string | undefined;
  onCreated: (name: string) => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const role = await props.api.send<{ name: string }>('POST', '/api/organization-roles', {
        name: name.trim(),
        type: 'User',
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setName('');
      setDescription('');
      props.onCreated(role.name);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const form = (
    <form className="org-role-form" onSubmit={create} aria-label="Create organization role">
      <div className="field">
        <label htmlFor="org-role-name">Role name</label>
        <input id="org-role-name" maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="org-role-description">Role description (optional)</label>
        <input
          id="org-role-description"
          maxLength={256}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy}>
        Create organization role
      </button>
    </form>
  );

  return (
    <section className="org-section" aria-labelledby="org-roles-title">
      <h2 id="org-roles-title">Organization roles</h2>
      <p className="meta">
        Organization roles are shared by every organization; a member holds them in one organization. They are managed
        through <code>/api/organization-roles</code> (with their permissions, the organization scopes).
      </p>
      <Notice text={props.notice} />
      <ErrorMessage error={props.error} />
      {props.loading && <Loading what="organization roles" />}
      {!props.loading && !props.error && props.roles.length === 0 && (
        <div className="empty">
          <p>
            <strong>No organization roles exist yet</strong>, so members cannot be given any. Create one below, or with{' '}
            <code>POST /api/organization-roles</code>.
          </p>
          {form}
        </div>
      )}
      {props.roles.length > 0 && (
        <>
          <p>
            Roles members can hold: <span className="org-wrap">{props.roles.map((r) => r.name).join(', ')}</span>
          </p>
          <details>
            <summary>Create another organization role</summary>
            {form}
          </details>
        </>
      )}
    </section>
  );
}

const INVITATION_BADGE: Record<Invitation['status'], string> = {
  Pending: 'pending',
  Accepted: 'succeeded',
  Revoked: 'failed',
  Expired: 'paused',
};

function Invitations(
  props: SectionProps & {
    api: Api;
    orgId: string;
    roles: OrganizationRoleWithScopes[];
    act: (p: Pending) => void;
  },
) {
  const { api, orgId, act } = props;
  const invitations = useLoad<Invitation[]>(
    api,
    `/api/organization-invitations?organizationId=${encodeURIComponent(orgId)}`,
  );
  const [invitee, setInvitee] = useState('');
  const [expires, setExpires] = useState(() => toLocalInput(Date.now() + WEEK));
  const [roleId, setRoleId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function invite(e: FormEvent) {
    e.preventDefault();
    const expiresAt = new Date(expires).getTime();
    if (!Number.isFinite(expiresAt)) {
      setError('Choose when the invitation expires.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.send<Invitation>('POST', '/api/organization-invitations', {
        invitee: invitee.trim(),
        organizationId: orgId,
        expiresAt,
        ...(roleId ? { organizationRoleIds: [roleId] } : {}),
      });
      setInvitee('');
      setRoleId('');
      props.onNotice(`Invitation for ${created.invitee} created; it expires ${dateTime(created.expiresAt)}.`);
      await invitations.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const list = invitations.data ?? [];
  return (
    <section className="org-section" aria-labelledby="org-invitations-title">
      <h2 id="org-invitations-title">Invitations</h2>
      <form className="org-panel" onSubmit={invite} noValidate aria-label="Invite someone">
        <div className="org-invite-fields">
          <div className="field">
            <label htmlFor="org-invitee">Invitee email</label>
            <input
              id="org-invitee"
              type="email"
              autoComplete="off"
              value={invitee}
              onChange={(e) => setInvitee(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="org-invite-expires">Expires</label>
            <input
              id="org-invite-expires"
              type="datetime-local"
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
            />
          </div>
          {props.roles.length > 0 && (
            <div className="field">
              <label htmlFor="org-invite-role">Organization role on joining (optional)</label>
              <select id="org-invite-role" value={roleId} onChange={(e) => setRoleId(e.target.value)}>
                <option value="">None</option>
                {props.roles.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        <p className="hint">
          Herald records the invitation; the invitee joins when your app accepts it (
          <code>PUT /api/organization-invitations/:id/status</code>). No email is sent from here.
        </p>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Invite
        </button>
      </form>
      <Notice text={props.notice} />
      <ErrorMessage error={invitations.error ?? props.actionError} />
      {invitations.loading && !invitations.data && <Loading what="invitations" />}
      {invitations.data && list.length === 0 && <p className="empty">No invitations yet.</p>}
      {list.length > 0 && (
        <div className="table-wrap">
          <table className="org-cards">
            <caption className="visually-hidden">Invitations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Invitee</th>
                <th scope="col">Status</th>
                <th scope="col">Roles</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((inv) => (
                <tr key={inv.id}>
                  <td data-label="Invitee" className="org-wrap">
                    {inv.invitee}
                  </td>
                  <td data-label="Status">
                    <span className={`badge badge-${INVITATION_BADGE[inv.status]}`}>{inv.status}</span>
                  </td>
                  <td data-label="Roles" className="org-wrap">
                    {inv.organizationRoles.map((r) => r.name).join(', ') || <span className="meta">None</span>}
                  </td>
                  <td data-label="Expires">{dateTime(inv.expiresAt)}</td>
                  <td data-label="Actions">
                    {inv.status === 'Pending' && (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Revoke the invitation for ${inv.invitee}`}
                        onClick={() =>
                          act({
                            where: 'invitations',
                            title: `Revoke the invitation for ${inv.invitee}?`,
                            label: 'Revoke invitation',
                            body: <p>The invitation can no longer be accepted. This cannot be undone.</p>,
                            run: async () => {
                              await api.send(
                                'PUT',
                                `/api/organization-invitations/${encodeURIComponent(inv.id)}/status`,
                                {
                                  status: 'Revoked',
                                },
                              );
                              await invitations.reload();
                              return `Invitation for ${inv.invitee} revoked.`;
                            },
                          })
                        }
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
