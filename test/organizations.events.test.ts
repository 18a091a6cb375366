/**
 * Organization events as a receiver sees them: `Organization.Membership.Updated` deltas for every
 * membership case (present and absent fields), `OrganizationRole.Scopes.Updated` on role creation,
 * and Herald's two extensions (`Organization.Membership.Roles.Updated`, `User.Roles.Updated`),
 * which reach only the hooks that name them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOGTO_HOOK_EVENTS } from '../src/events/index.ts';
import { generateId } from '../src/util/id.ts';
import type { Received } from './helpers/receiver.ts';
import { assertNoOpenServers } from './helpers/server.ts';
import { ok, unique, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const CONTEXT_KEYS = ['event', 'createdAt', 'userAgent', 'ip', 'path', 'method', 'status', 'params', 'matchedRoute'];
const DELTA_KEYS = ['addedUserIds', 'removedUserIds', 'addedApplicationIds', 'removedApplicationIds'];

for (const store of stores) {
  describe(`organization events (${store})`, () => {
    const ctx = useServer(store, { receiver: true });
    let logtoHook: { id: string };
    let extensionHook: { id: string };

    before(async () => {
      logtoHook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: {
            name: 'everything Logto has',
            events: LOGTO_HOOK_EVENTS,
            config: { url: `${ctx.receiver.url}/logto` },
          },
        })
      ).json;
      extensionHook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: {
            name: 'extensions',
            events: ['Organization.Membership.Roles.Updated', 'User.Roles.Updated'],
            config: { url: `${ctx.receiver.url}/ext` },
          },
        })
      ).json;
      assert.ok(logtoHook.id && extensionHook.id);
    });

    const newUser = async (email?: string) =>
      (
        ok(
          await ctx.api.POST('/api/users', {
            body: { username: unique('member'), ...(email ? { primaryEmail: email } : {}) },
          }),
        ) as { id: string }
      ).id;
    const newOrganization = async () =>
      (ok(await ctx.api.POST('/api/organizations', { body: { name: unique('org') } })) as { id: string }).id;
    const newM2mApp = async () =>
      (
        ok(await ctx.api.POST('/api/applications', { body: { name: unique('m2m'), type: 'MachineToMachine' } })) as {
          id: string;
        }
      ).id;
    const newOrgRole = async () =>
      (
        ok(
          await ctx.api.POST('/api/organization-roles', {
            body: { name: unique('org-role'), organizationScopeIds: [], resourceScopeIds: [] },
          }),
        ) as { id: string }
      ).id;

    const fromHook = (hookId: string) => (r: Received) => r.json?.hookId === hookId;
    /**
     * The events stored for `name` whose payload matches `where` (events are written in the
     * request's transaction, so once the request has answered, this count is final).
     */
    async function storedEvents(
      name: string,
      where: (payload: Record<string, any>) => boolean,
    ): Promise<Record<string, any>[]> {
      const rows = await ctx.t.server.database.db
        .selectFrom('events')
        .select('payload')
        .where('name', '=', name)
        .execute();
      return rows.map((r) => JSON.parse(r.payload) as Record<string, any>).filter(where);
    }
    /**
     * Exactly `count` membership events of one organization were emitted; waits until the Logto
     * hook has received them and returns the bodies as received.
     */
    async function membershipEvents(organizationId: string, count: number): Promise<Record<string, any>[]> {
      const stored = await storedEvents('Organization.Membership.Updated', (p) => p.organizationId === organizationId);
      assert.equal(stored.length, count, 'one membership event per change request, no more');
      const matches = (r: Received) =>
        fromHook(logtoHook.id)(r) &&
        r.json.event === 'Organization.Membership.Updated' &&
        r.json.organizationId === organizationId;
      return (await ctx.receiver.waitFor((rs) => rs.filter(matches).length >= count))
        .filter(matches)
        .map((r) => r.json);
    }
    function assertDelta(body: Record<string, any>, delta: Record<string, string[]>) {
      assert.deepEqual(Object.keys(body), [
        ...CONTEXT_KEYS,
        'organizationId',
        ...DELTA_KEYS.filter((k) => k in delta),
        'hookId',
      ]);
      for (const key of DELTA_KEYS) {
        if (key in delta) assert.deepEqual([...body[key]].sort(), [...delta[key]!].sort(), key);
        else assert.ok(!(key in body), `${key} is left out when empty`);
      }
      assert.ok(!('data' in body), 'membership events carry no data');
    }
    /** Deliveries to the Logto hook of one event name (the emitted events, whether delivered yet or not). */
    async function logtoDeliveries(event: string): Promise<number> {
      const row = await ctx.t.server.database.db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('hook_id', '=', logtoHook.id)
        .where('event_name', '=', event)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }

    it('POST users reports only the truly new members; a POST of existing members reports no delta', async () => {
      const org = await newOrganization();
      const [u1, u2, u3] = [await newUser(), await newUser(), await newUser()];
      const first = await ctx.api.POST('/api/organizations/{id}/users', {
        params: { path: { id: org } },
        body: { userIds: [u1, u2, u1] },
      });
      assert.equal(first.response.status, 201);
      assert.deepEqual(first.data, { userIds: [u1, u2, u1] });
      assertDelta((await membershipEvents(org, 1))[0]!, { addedUserIds: [u1, u2] });
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org } },
          body: { userIds: [u1, u3] },
        }),
      );
      const second = (await membershipEvents(org, 2)).find((e) => e.addedUserIds?.includes(u3));
      assert.ok(second);
      assertDelta(second, { addedUserIds: [u3] });
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', { params: { path: { id: org } }, body: { userIds: [u2] } }),
      );
      const events = await membershipEvents(org, 3);
      const none = events.find((e) => !('addedUserIds' in e));
      assert.ok(none, 'the event is sent even with nothing new');
      assertDelta(none, {});
      assert.equal(none.path, `/organizations/${org}/users`);
      assert.equal(none.matchedRoute, '/organizations/:id/users');
      assert.equal(none.method, 'POST');
      assert.equal(none.status, 201);
      assert.deepEqual(none.params, { id: org });
    });

    it('PUT users reports both sides; the same set again reports no delta; [] removes everyone', async () => {
      const org = await newOrganization();
      const [u1, u2, u3] = [await newUser(), await newUser(), await newUser()];
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org } },
          body: { userIds: [u1, u2] },
        }),
      );
      const put = await ctx.api.PUT('/api/organizations/{id}/users', {
        params: { path: { id: org } },
        body: { userIds: [u2, u3] },
      });
      assert.equal(put.response.status, 204);
      let events = await membershipEvents(org, 2);
      const replaced = events.find((e) => e.method === 'PUT')!;
      assertDelta(replaced, { addedUserIds: [u3], removedUserIds: [u1] });
      assert.equal(replaced.status, 204);
      ok(
        await ctx.api.PUT('/api/organizations/{id}/users', {
          params: { path: { id: org } },
          body: { userIds: [u3, u2] },
        }),
      );
      events = await membershipEvents(org, 3);
      assert.equal(
        events.filter((e) => e.method === 'PUT' && !('addedUserIds' in e) && !('removedUserIds' in e)).length,
        1,
      );
      ok(await ctx.api.PUT('/api/organizations/{id}/users', { params: { path: { id: org } }, body: { userIds: [] } }));
      events = await membershipEvents(org, 4);
      assertDelta(events.find((e) => e.removedUserIds?.length === 2)!, { removedUserIds: [u2, u3] });
      const members = ok(await ctx.api.GET('/api/organizations/{id}/users', { params: { path: { id: org } } }));
      assert.deepEqual(members, []);
    });

    it('DELETE a member reports removedUserIds; removing a non-member is 404 and emits nothing', async () => {
      const org = await newOrganization();
      const u1 = await newUser();
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', { params: { path: { id: org } }, body: { userIds: [u1] } }),
      );
      const removed = await ctx.api.DELETE('/api/organizations/{id}/users/{userId}', {
        params: { path: { id: org, userId: u1 } },
      });
      assert.equal(removed.response.status, 204);
      const again = await ctx.t.request('DELETE', `/api/organizations/${org}/users/${u1}`);
      assert.equal(again.status, 404);
      assert.equal(again.json.code, 'entity.not_found');
      const events = await membershipEvents(org, 2);
      const deleted = events.find((e) => e.method === 'DELETE')!;
      assertDelta(deleted, { removedUserIds: [u1] });
      assert.deepEqual(deleted.params, { id: org, userId: u1 });
      assert.equal(deleted.matchedRoute, '/organizations/:id/users/:userId');
    });

    it('application members: POST reports new ones, PUT both sides, DELETE the removed; a non-M2M app is refused without an event', async () => {
      const org = await newOrganization();
      const [a1, a2] = [await newM2mApp(), await newM2mApp()];
      const spa = (
        ok(await ctx.api.POST('/api/applications', { body: { name: 'spa', type: 'SPA' } })) as { id: string }
      ).id;
      const before = await logtoDeliveries('Organization.Membership.Updated');
      const refused = await ctx.t.request('POST', `/api/organizations/${org}/applications`, {
        body: { applicationIds: [spa] },
      });
      assert.equal(refused.status, 422);
      assert.equal(refused.json.code, 'entity.db_constraint_violated');
      assert.equal(await logtoDeliveries('Organization.Membership.Updated'), before, 'a refused change emits nothing');

      const added = await ctx.api.POST('/api/organizations/{id}/applications', {
        params: { path: { id: org } },
        body: { applicationIds: [a1] },
      });
      assert.equal(added.response.status, 201);
      assertDelta((await membershipEvents(org, 1))[0]!, { addedApplicationIds: [a1] });
      ok(
        await ctx.api.POST('/api/organizations/{id}/applications', {
          params: { path: { id: org } },
          body: { applicationIds: [a1] },
        }),
      );
      let events = await membershipEvents(org, 2);
      assert.equal(
        events.filter((e) => !DELTA_KEYS.some((k) => k in e)).length,
        1,
        're-adding a member reports no delta',
      );
      ok(
        await ctx.api.PUT('/api/organizations/{id}/applications', {
          params: { path: { id: org } },
          body: { applicationIds: [a2] },
        }),
      );
      events = await membershipEvents(org, 3);
      assertDelta(events.find((e) => e.method === 'PUT')!, { addedApplicationIds: [a2], removedApplicationIds: [a1] });
      const deleted = await ctx.api.DELETE('/api/organizations/{id}/applications/{applicationId}', {
        params: { path: { id: org, applicationId: a2 } },
      });
      assert.equal(deleted.response.status, 204);
      events = await membershipEvents(org, 4);
      assertDelta(events.find((e) => e.method === 'DELETE')!, { removedApplicationIds: [a2] });
    });

    it('an accepted invitation reports the new member; re-accepting as an existing member reports no delta', async () => {
      const org = await newOrganization();
      const expiresAt = Date.now() + 3_600_000;
      const newcomer = await newUser(`${unique('newcomer')}@example.com`);
      const newcomerEmail = (
        ok(await ctx.api.GET('/api/users/{userId}', { params: { path: { userId: newcomer } } })) as {
          primaryEmail: string;
        }
      ).primaryEmail;
      const invitation = ok(
        await ctx.api.POST('/api/organization-invitations', {
          body: { invitee: newcomerEmail.toUpperCase(), organizationId: org, expiresAt, messagePayload: false },
        }),
      ) as { id: string };
      const accepted = await ctx.api.PUT('/api/organization-invitations/{id}/status', {
        params: { path: { id: invitation.id } },
        body: { status: 'Accepted', acceptedUserId: newcomer },
      });
      assert.equal(accepted.response.status, 200);
      assert.equal((accepted.data as { status: string }).status, 'Accepted');
      const event = (await membershipEvents(org, 1))[0]!;
      assertDelta(event, { addedUserIds: [newcomer] });
      assert.equal(event.path, `/organization-invitations/${invitation.id}/status`);
      assert.equal(event.matchedRoute, '/organization-invitations/:id/status');
      assert.equal(event.method, 'PUT');
      assert.equal(event.status, 200);

      // Invited, then added directly, then accepting: a member already, so no delta.
      const member = await newUser(`${unique('member')}@example.com`);
      const memberEmail = (
        ok(await ctx.api.GET('/api/users/{userId}', { params: { path: { userId: member } } })) as {
          primaryEmail: string;
        }
      ).primaryEmail;
      const second = ok(
        await ctx.api.POST('/api/organization-invitations', {
          body: { invitee: memberEmail, organizationId: org, expiresAt, messagePayload: false },
        }),
      ) as { id: string };
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org } },
          body: { userIds: [member] },
        }),
      );
      ok(
        await ctx.api.PUT('/api/organization-invitations/{id}/status', {
          params: { path: { id: second.id } },
          body: { status: 'Accepted', acceptedUserId: member },
        }),
      );
      const events = await membershipEvents(org, 3);
      const reaccepted = events.find((e) => e.path === `/organization-invitations/${second.id}/status`)!;
      assertDelta(reaccepted, {});
    });

    it('caps each delta list at 5000 ids', async () => {
      const org = await newOrganization();
      const at = Date.now();
      const ids = Array.from({ length: 5001 }, () => generateId());
      const db = ctx.t.server.database.db;
      for (let i = 0; i < ids.length; i += 500) {
        await db
          .insertInto('users')
          .values(
            ids.slice(i, i + 500).map((id) => ({
              id,
              username: `bulk_${id}`,
              primary_email: null,
              primary_phone: null,
              password_encrypted: null,
              password_encryption_method: null,
              name: null,
              avatar: null,
              custom_data: '{}',
              identities: '{}',
              profile: '{}',
              application_id: null,
              is_suspended: false,
              last_sign_in_at: null,
              created_at: at,
              updated_at: at,
            })),
          )
          .execute();
      }
      const res = await ctx.t.request('PUT', `/api/organizations/${org}/users`, { body: { userIds: ids } });
      assert.equal(res.status, 204, res.text);
      const event = (await membershipEvents(org, 1))[0]!;
      assert.equal(event.addedUserIds.length, 5000);
      assert.equal(new Set(event.addedUserIds).size, 5000);
      assert.ok(event.addedUserIds.every((id: string) => ids.includes(id)));
      const listed = await ctx.t.request('GET', `/api/organizations/${org}/users?page_size=1`);
      assert.equal(listed.headers.get('total-number'), '5001', 'all 5001 joined; only the event is capped');
      const emptied = await ctx.t.request('PUT', `/api/organizations/${org}/users`, { body: { userIds: [] } });
      assert.equal(emptied.status, 204, emptied.text);
      const removal = (await membershipEvents(org, 2)).find((e) => 'removedUserIds' in e)!;
      assert.equal(removal.removedUserIds.length, 5000);
      assert.ok(!('addedUserIds' in removal));
    });

    it('failed membership changes emit nothing', async () => {
      const org = await newOrganization();
      const before = await logtoDeliveries('Organization.Membership.Updated');
      const unknownUser = await ctx.t.request('POST', `/api/organizations/${org}/users`, {
        body: { userIds: ['no-such-user'] },
      });
      assert.equal(unknownUser.status, 422);
      assert.equal(unknownUser.json.code, 'entity.relation_foreign_key_not_found');
      const unknownOrg = await ctx.t.request('PUT', '/api/organizations/no-such-org/users', { body: { userIds: [] } });
      assert.equal(unknownOrg.status, 422);
      assert.equal(unknownOrg.json.code, 'entity.relation_foreign_key_not_found');
      assert.equal(await logtoDeliveries('Organization.Membership.Updated'), before);
    });

    it('concurrent PUTs of members end with one body, and the deltas account for every change exactly once', async () => {
      const org = await newOrganization();
      const users = await Promise.all(Array.from({ length: 6 }, () => newUser()));
      const [a, b] = [users.slice(0, 3).map((u) => u), users.slice(3).map((u) => u)];
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org } },
          body: { userIds: [a[0]!, b[0]!] },
        }),
      );
      const answers = await Promise.all(
        [a, b, a, b].map((userIds) => ctx.t.request('PUT', `/api/organizations/${org}/users`, { body: { userIds } })),
      );
      assert.deepEqual(
        answers.map((r) => r.status),
        [204, 204, 204, 204],
      );
      const members = (
        ok(await ctx.api.GET('/api/organizations/{id}/users', { params: { path: { id: org } } })) as { id: string }[]
      )
        .map((m) => m.id)
        .sort();
      assert.ok(
        [[...a].sort(), [...b].sort()].some((set) => JSON.stringify(set) === JSON.stringify(members)),
        `one body wins: ${members}`,
      );
      // Replaying the stored deltas from the starting set gives the final set.
      const events = await storedEvents(
        'Organization.Membership.Updated',
        (p) => p.organizationId === org && p.method === 'PUT',
      );
      assert.equal(events.length, 4);
      const net = new Map<string, number>([
        [a[0]!, 1],
        [b[0]!, 1],
      ]);
      for (const e of events) {
        for (const id of e.addedUserIds ?? []) net.set(id, (net.get(id) ?? 0) + 1);
        for (const id of e.removedUserIds ?? []) net.set(id, (net.get(id) ?? 0) - 1);
      }
      assert.ok(
        [...net.values()].every((n) => n === 0 || n === 1),
        'nobody added twice or removed twice in a row',
      );
      assert.deepEqual(
        [...net]
          .filter(([, n]) => n === 1)
          .map(([id]) => id)
          .sort(),
        members,
      );
    });

    it('POST /organization-roles with scopes → OrganizationRole.Created and OrganizationRole.Scopes.Updated with organizationRoleId', async () => {
      const scope = ok(await ctx.api.POST('/api/organization-scopes', { body: { name: unique('read:org') } })) as {
        id: string;
      };
      const role = ok(
        await ctx.api.POST('/api/organization-roles', {
          body: { name: unique('with-scopes'), organizationScopeIds: [scope.id], resourceScopeIds: [] },
        }),
      ) as { id: string };
      const updated = (r: Received) =>
        fromHook(logtoHook.id)(r) &&
        r.json.event === 'OrganizationRole.Scopes.Updated' &&
        r.json.organizationRoleId === role.id;
      const created = (r: Received) =>
        fromHook(logtoHook.id)(r) && r.json.event === 'OrganizationRole.Created' && r.json.data?.id === role.id;
      const requests = await ctx.receiver.waitFor((rs) => rs.some(updated) && rs.some(created));
      const body = requests.find(updated)!.json;
      assert.deepEqual(Object.keys(body), [...CONTEXT_KEYS, 'organizationRoleId', 'hookId']);
      assert.equal(body.path, '/organization-roles');
      assert.equal(body.status, 201);
      assert.deepEqual(body.params, {});
      const scopes = ok(
        await ctx.api.GET('/api/organization-roles/{id}/scopes', { params: { path: { id: role.id } } }),
      ) as { id: string }[];
      assert.deepEqual(
        scopes.map((s) => s.id),
        [scope.id],
      );

      // Without scopes: Created only.
      const plain = ok(
        await ctx.api.POST('/api/organization-roles', {
          body: { name: unique('plain'), organizationScopeIds: [], resourceScopeIds: [] },
        }),
      ) as { id: string };
      assert.equal((await storedEvents('OrganizationRole.Created', (p) => p.data?.id === plain.id)).length, 1);
      assert.equal(
        (await storedEvents('OrganizationRole.Scopes.Updated', (p) => p.organizationRoleId === plain.id)).length,
        0,
      );
    });

    it('Organization.Membership.Roles.Updated: from the member role routes and an accepted invitation, only to hooks that name it', async () => {
      const org = await newOrganization();
      const [r1, r2, r3] = [await newOrgRole(), await newOrgRole(), await newOrgRole()];
      const user = await newUser(`${unique('roled')}@example.com`);
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org } },
          body: { userIds: [user] },
        }),
      );
      const path = { id: org, userId: user };
      const added = await ctx.api.POST('/api/organizations/{id}/users/{userId}/roles', {
        params: { path },
        body: { organizationRoleIds: [r1, r2] },
      });
      assert.equal(added.response.status, 201);
      assert.deepEqual(added.data, { organizationRoleIds: [r1, r2] });
      ok(
        await ctx.api.POST('/api/organizations/{id}/users/{userId}/roles', {
          params: { path },
          body: { organizationRoleIds: [r1], messagePayload: false },
        }),
      ); // nothing new: no event
      assert.equal(
        (
          await ctx.api.PUT('/api/organizations/{id}/users/{userId}/roles', {
            params: { path },
            body: { organizationRoleIds: [r2, r3] },
          })
        ).response.status,
        204,
      );
      assert.equal(
        (
          await ctx.api.DELETE('/api/organizations/{id}/users/{userId}/roles/{organizationRoleId}', {
            params: { path: { ...path, organizationRoleId: r3 } },
          })
        ).response.status,
        204,
      );

      assert.equal(
        (await storedEvents('Organization.Membership.Roles.Updated', (p) => p.organizationId === org)).length,
        3,
        'a POST that adds nothing emits nothing',
      );
      const matches = (r: Received) =>
        fromHook(extensionHook.id)(r) &&
        r.json.event === 'Organization.Membership.Roles.Updated' &&
        r.json.organizationId === org;
      const events = (await ctx.receiver.waitFor((rs) => rs.filter(matches).length >= 3))
        .filter(matches)
        .map((r) => r.json);
      const byMethod = (m: string) => events.find((e) => e.method === m)!;
      assert.deepEqual(byMethod('POST').addedOrganizationRoleIds.sort(), [r1, r2].sort());
      assert.ok(!('removedOrganizationRoleIds' in byMethod('POST')));
      assert.deepEqual(byMethod('PUT').addedOrganizationRoleIds, [r3]);
      assert.deepEqual(byMethod('PUT').removedOrganizationRoleIds, [r1]);
      assert.deepEqual(byMethod('DELETE').removedOrganizationRoleIds, [r3]);
      assert.ok(!('addedOrganizationRoleIds' in byMethod('DELETE')));
      for (const e of events) {
        assert.equal(e.userId, user);
        assert.deepEqual(Object.keys(e).slice(0, CONTEXT_KEYS.length), CONTEXT_KEYS);
        assert.ok(!('data' in e));
      }

      // An invitation with roles, accepted: the member-roles event too.
      const invitee = await newUser(`${unique('invitee')}@example.com`);
      const email = (
        ok(await ctx.api.GET('/api/users/{userId}', { params: { path: { userId: invitee } } })) as {
          primaryEmail: string;
        }
      ).primaryEmail;
      const invitation = ok(
        await ctx.api.POST('/api/organization-invitations', {
          body: {
            invitee: email,
            organizationId: org,
            expiresAt: Date.now() + 60_000,
            organizationRoleIds: [r1],
            messagePayload: false,
          },
        }),
      ) as { id: string };
      ok(
        await ctx.api.PUT('/api/organization-invitations/{id}/status', {
          params: { path: { id: invitation.id } },
          body: { status: 'Accepted', acceptedUserId: invitee },
        }),
      );
      const viaInvitation = (r: Received) => matches(r) && r.json.userId === invitee;
      const [accepted] = (await ctx.receiver.waitFor((rs) => rs.some(viaInvitation))).filter(viaInvitation);
      assert.deepEqual(accepted!.json.addedOrganizationRoleIds, [r1]);
      const roles = ok(
        await ctx.api.GET('/api/organizations/{id}/users/{userId}/roles', {
          params: { path: { id: org, userId: invitee } },
        }),
      ) as { id: string }[];
      assert.deepEqual(
        roles.map((r) => r.id),
        [r1],
      );

      assert.equal(
        await logtoDeliveries('Organization.Membership.Roles.Updated'),
        0,
        'a hook with every Logto event does not get the extension',
      );
    });

    it('User.Roles.Updated: from the user role routes and the role user routes, only to hooks that name it', async () => {
      const user = await newUser();
      const [a, b, c] = await Promise.all(
        ['a', 'b', 'c'].map(
          async (n) =>
            (
              ok(await ctx.api.POST('/api/roles', { body: { name: unique(`role-${n}`), description: n } })) as {
                id: string;
              }
            ).id,
        ),
      );
      const path = { userId: user };
      ok(await ctx.api.POST('/api/users/{userId}/roles', { params: { path }, body: { roleIds: [a!, b!] } }));
      ok(await ctx.api.PUT('/api/users/{userId}/roles', { params: { path }, body: { roleIds: [b!, c!] } }));
      assert.equal(
        (await ctx.api.DELETE('/api/users/{userId}/roles/{roleId}', { params: { path: { userId: user, roleId: c! } } }))
          .response.status,
        204,
      );
      assert.equal(
        (await ctx.api.POST('/api/roles/{id}/users', { params: { path: { id: a! } }, body: { userIds: [user] } }))
          .response.status,
        201,
      );
      assert.equal(
        (await ctx.api.DELETE('/api/roles/{id}/users/{userId}', { params: { path: { id: a!, userId: user } } }))
          .response.status,
        204,
      );

      assert.equal((await storedEvents('User.Roles.Updated', (p) => p.userId === user)).length, 5);
      const matches = (r: Received) =>
        fromHook(extensionHook.id)(r) && r.json.event === 'User.Roles.Updated' && r.json.userId === user;
      const events = (await ctx.receiver.waitFor((rs) => rs.filter(matches).length >= 5))
        .filter(matches)
        .map((r) => r.json);
      const find = (method: string, route: string) =>
        events.find((e) => e.method === method && e.matchedRoute === route)!;
      assert.deepEqual(find('POST', '/users/:userId/roles').addedRoleIds.sort(), [a, b].sort());
      assert.deepEqual(find('PUT', '/users/:userId/roles').addedRoleIds, [c]);
      assert.deepEqual(find('PUT', '/users/:userId/roles').removedRoleIds, [a]);
      assert.deepEqual(find('DELETE', '/users/:userId/roles/:roleId').removedRoleIds, [c]);
      assert.ok(!('addedRoleIds' in find('DELETE', '/users/:userId/roles/:roleId')));
      assert.deepEqual(find('POST', '/roles/:id/users').addedRoleIds, [a]);
      assert.deepEqual(find('DELETE', '/roles/:id/users/:userId').removedRoleIds, [a]);
      assert.equal(
        await logtoDeliveries('User.Roles.Updated'),
        0,
        'a hook with every Logto event does not get the extension',
      );
    });
  });
}
