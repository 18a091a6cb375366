/**
 * Issue 23 (roles part), through Logto's own client on both stores: default roles given to new
 * users (Management API and Experience registration), machine-to-machine roles of applications
 * (`/roles/:id/applications`, `/applications/:id/roles`), `PATCH /resources/:id/is-default`, the
 * list filters Logto's clients send, and which events these routes emit at a real receiver (none
 * of Logto's; no Herald `User.Roles.Updated` for a default-role grant).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { HOOK_EVENTS } from '../src/events/index.ts';
import { interactionBrowser } from './helpers/interaction-browser.ts';
import type { Received } from './helpers/receiver.ts';
import { assertNoOpenServers } from './helpers/server.ts';
import { countRows, fails, ok, unique, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

for (const store of stores) {
  describe(`Logto roles, application roles, default roles (${store})`, () => {
    const ctx = useServer(store, { receiver: true, hook: { name: 'all', events: HOOK_EVENTS } });

    const db = () => ctx.t.server.database.db;
    const eventCount = () => countRows(ctx.t, 'events');
    const linkCount = () => countRows(ctx.t, 'applications_roles');
    const newRole = (type: 'User' | 'MachineToMachine', extra: { isDefault?: boolean } = {}) => {
      const name = unique(`${type}-role`);
      return ctx.api
        .POST('/api/roles', { body: { name, description: name, type, ...extra } })
        .then((r) => ok<{ id: string; name: string; type: string; isDefault: boolean }>(r));
    };
    const newApp = (type: 'MachineToMachine' | 'SPA' | 'Traditional', name = unique(`${type}-app`)) =>
      ctx.api
        .POST('/api/applications', { body: { name, type } })
        .then((r) => ok<{ id: string; name: string; type: string }>(r));
    const roleApps = (id: string, query: Record<string, unknown> = {}) =>
      ctx.api.GET('/api/roles/{id}/applications', { params: { path: { id }, query: query as never } });
    const appRoles = (applicationId: string, query: Record<string, unknown> = {}) =>
      ctx.api.GET('/api/applications/{applicationId}/roles', {
        params: { path: { applicationId }, query: query as never },
      });
    const userRoles = async (userId: string) =>
      ids(ok(await ctx.api.GET('/api/users/{userId}/roles', { params: { path: { userId } } })));
    /** A Logto event that surely reaches the receiver after everything before it: a role's PATCH. */
    async function marker(): Promise<Received[]> {
      const role = await newRole('User');
      ok(
        await ctx.api.PATCH('/api/roles/{id}', { params: { path: { id: role.id } }, body: { description: 'marker' } }),
      );
      return ctx.receiver.waitFor((rs) =>
        rs.some((r) => r.json?.event === 'Role.Data.Updated' && r.json?.params?.id === role.id),
      );
    }

    it('gives every User-type default role to users created through POST /api/users and Experience registration; emits no extra event', async () => {
      const [d1, d2] = [await newRole('User', { isDefault: true }), await newRole('User', { isDefault: true })];
      const m2mDefault = await newRole('MachineToMachine', { isDefault: true });
      assert.equal(m2mDefault.isDefault, true, 'the flag is stored on a machine-to-machine role, and ignored');
      await newRole('User');

      const user = ok(await ctx.api.POST('/api/users', { body: { username: unique('defaulted') } }));
      assert.deepEqual(await userRoles(user.id), [d1.id, d2.id].sort());

      // Experience API registration, over HTTP.
      const b = interactionBrowser(ctx.t, { 'user-agent': 'logto-roles-test' });
      const username = unique('registered');
      assert.equal((await b.call('PUT', '/api/experience', { interactionEvent: 'Register' })).status, 204);
      assert.equal(
        (await b.call('POST', '/api/experience/profile', { type: 'username', value: username })).status,
        204,
      );
      assert.equal(
        (await b.call('POST', '/api/experience/profile', { type: 'password', value: 'a-good-password-1' })).status,
        204,
      );
      assert.equal((await b.call('POST', '/api/experience/identification', {})).status, 201);
      const submitted = await b.call('POST', '/api/experience/submit');
      assert.equal(submitted.status, 200, JSON.stringify(submitted.json));
      const registered = submitted.json as { userId: string };
      assert.deepEqual(await userRoles(registered.userId), [d1.id, d2.id].sort());

      // A failed creation stores no user and no role link.
      const links = (await db().selectFrom('users_roles').select('user_id').execute()).length;
      fails(
        await ctx.api.POST('/api/users', { body: { username: user.username } }),
        422,
        'user.username_already_in_use',
      );
      assert.equal((await db().selectFrom('users_roles').select('user_id').execute()).length, links);

      // At the receiver: User.Created carries the user as Logto's does (no roles), and no
      // User.Roles.Updated is sent for either new user.
      const received = await marker();
      for (const id of [user.id, registered.userId]) {
        const created = received.filter((r) => r.json?.event === 'User.Created' && r.json?.data?.id === id);
        assert.equal(created.length, 1, `one User.Created for ${id}`);
        assert.ok(!('roles' in created[0]!.json.data));
        assert.equal(received.filter((r) => r.json?.event === 'User.Roles.Updated' && r.json?.userId === id).length, 0);
      }

      // Unset the defaults: later users get none.
      for (const role of [d1, d2, m2mDefault])
        ok(await ctx.api.PATCH('/api/roles/{id}', { params: { path: { id: role.id } }, body: { isDefault: false } }));
      const later = ok(await ctx.api.POST('/api/users', { body: { username: unique('plain') } }));
      assert.deepEqual(await userRoles(later.id), []);
    });

    it('assigns machine-to-machine roles to applications through /api/roles/:id/applications, with Logto’s errors', async () => {
      const role = await newRole('MachineToMachine');
      const userRole = await newRole('User');
      const prefix = unique('m2m-app');
      const [a1, a2] = [
        await newApp('MachineToMachine', `${prefix}-1`),
        await newApp('MachineToMachine', `${prefix}-2`),
      ];
      const spa = await newApp('SPA');

      assert.equal(
        (
          await ctx.api.POST('/api/roles/{id}/applications', {
            params: { path: { id: role.id } },
            body: { applicationIds: [a1.id, a2.id] },
          })
        ).response.status,
        201,
      );
      const listed = await roleApps(role.id);
      assert.deepEqual(ids(ok(listed)), [a1.id, a2.id].sort());
      assert.equal(listed.response.headers.get('total-number'), '2', 'paged by default, as Logto');
      const paged = await roleApps(role.id, { page: 1, page_size: 1 });
      assert.equal(ok<unknown[]>(paged).length, 1);
      assert.deepEqual(ok(await roleApps(role.id, { search: '%not-there%' })), []);
      assert.equal(ok<unknown[]>(await roleApps(role.id, { search: `%${prefix}%` })).length, 2);

      // GET /api/roles: excludeApplicationId, type, and the application summary.
      const m2mRoles = ok<any[]>(
        await ctx.api.GET('/api/roles', { params: { query: { type: 'MachineToMachine', page_size: 100 } as never } }),
      );
      const summary = m2mRoles.find((r) => r.id === role.id);
      assert.equal(summary.applicationsCount, 2);
      assert.deepEqual(summary.featuredApplications.map((a: { id: string }) => a.id).sort(), [a1.id, a2.id].sort());
      assert.deepEqual(Object.keys(summary.featuredApplications[0]).sort(), ['id', 'name', 'type']);
      const excluded = ok<any[]>(
        await ctx.api.GET('/api/roles', {
          params: { query: { excludeApplicationId: a1.id, page_size: 100 } as never },
        }),
      );
      assert.ok(!excluded.some((r) => r.id === role.id));
      assert.ok(excluded.some((r) => r.id === userRole.id));

      // GET /api/applications?excludeRoleId
      const apps = ok<any[]>(
        await ctx.api.GET('/api/applications', {
          params: { query: { excludeRoleId: role.id, types: ['MachineToMachine', 'SPA'] } },
        }),
      );
      assert.ok(!apps.some((a) => a.id === a1.id || a.id === a2.id));
      assert.ok(apps.some((a) => a.id === spa.id));

      // Failures: Logto's statuses and codes, nothing stored, no event.
      const [links, events] = [await linkCount(), await eventCount()];
      const post = (id: string, applicationIds: string[]) =>
        ctx.api.POST('/api/roles/{id}/applications', { params: { path: { id } }, body: { applicationIds } as never });
      const exists = await post(role.id, [a1.id]);
      fails(exists, 422, 'role.application_exists');
      assert.equal(
        (exists.error as unknown as { data: { userId: string } }).data.userId,
        a1.id,
        'Logto names the application in data.userId',
      );
      fails(await post('no-such-role', [a1.id]), 404, 'entity.not_exists_with_id');
      const a3 = await newApp('MachineToMachine');
      fails(await post(role.id, [a3.id, 'no-such-app']), 404, 'entity.not_exists_with_id');
      fails(await post(role.id, []), 400);
      fails(await post(role.id, ['']), 400);
      fails(await post(userRole.id, [a3.id]), 422, 'entity.db_constraint_violated');
      fails(await post(role.id, [a3.id, spa.id]), 422, 'application.invalid_type');
      fails(await roleApps('no-such-role'), 404, 'entity.not_exists_with_id');
      assert.equal(await linkCount(), links);

      // DELETE
      const del = (id: string, applicationId: string) =>
        ctx.api.DELETE('/api/roles/{id}/applications/{applicationId}', { params: { path: { id, applicationId } } });
      assert.equal((await del(role.id, a1.id)).response.status, 204);
      fails(await del(role.id, a1.id), 404, 'entity.not_found');
      fails(await del('no-such-role', a2.id), 404);
      fails(await del(role.id, 'no-such-app'), 404);
      assert.deepEqual(ids(ok(await roleApps(role.id))), [a2.id]);
      assert.equal(await eventCount(), events, 'Logto emits no data event for these routes; neither does Herald');
    });

    it('reads and changes an application’s roles through /api/applications/:id/roles', async () => {
      const app = await newApp('MachineToMachine');
      const spa = await newApp('SPA');
      const [r1, r2, r3] = [
        await newRole('MachineToMachine'),
        await newRole('MachineToMachine'),
        await newRole('MachineToMachine'),
      ];
      const userRole = await newRole('User');
      const path = { applicationId: app.id };

      const empty = await appRoles(app.id);
      assert.deepEqual(ok(empty), []);
      assert.equal(empty.response.headers.get('total-number'), '0', 'paged by default, as Logto');

      const first = ok(
        await ctx.api.POST('/api/applications/{applicationId}/roles', {
          params: { path },
          body: { roleIds: [r1.id, r2.id] },
        }),
      );
      assert.deepEqual(first, { roleIds: [r1.id, r2.id], addedRoleIds: [r1.id, r2.id] });
      const again = await ctx.api.POST('/api/applications/{applicationId}/roles', {
        params: { path },
        body: { roleIds: [r1.id] },
      });
      assert.equal(again.response.status, 201);
      assert.deepEqual(ok(again), { roleIds: [r1.id], addedRoleIds: [] }, 'already-held roles are skipped');
      assert.deepEqual(ids(ok(await appRoles(app.id))), [r1.id, r2.id].sort());
      assert.deepEqual(ids(ok(await appRoles(app.id, { search: r1.name }))), [r1.id]);
      assert.deepEqual(ids(ok(await roleApps(r1.id))), [app.id], 'the same links, seen from the role');

      const [links, events] = [await linkCount(), await eventCount()];
      const spaPath = { applicationId: spa.id };
      fails(await appRoles(spa.id), 422, 'application.invalid_type');
      fails(
        await ctx.api.POST('/api/applications/{applicationId}/roles', {
          params: { path: spaPath },
          body: { roleIds: [r3.id] },
        }),
        422,
        'application.invalid_type',
      );
      fails(
        await ctx.api.PUT('/api/applications/{applicationId}/roles', {
          params: { path: spaPath },
          body: { roleIds: [r3.id] },
        }),
        422,
        'application.invalid_type',
      );
      fails(
        await ctx.api.DELETE('/api/applications/{applicationId}/roles/{roleId}', {
          params: { path: { ...spaPath, roleId: r3.id } },
        }),
        422,
        'application.invalid_type',
      );
      fails(await appRoles('no-such-app'), 404, 'entity.not_exists_with_id');
      fails(
        await ctx.api.POST('/api/applications/{applicationId}/roles', {
          params: { path },
          body: { roleIds: [r3.id, userRole.id] },
        }),
        422,
        'application.invalid_role_type',
      );
      fails(
        await ctx.api.POST('/api/applications/{applicationId}/roles', {
          params: { path },
          body: { roleIds: [r3.id, 'no-such-role'] },
        }),
        404,
        'entity.not_exists_with_id',
      );
      fails(
        await ctx.api.PUT('/api/applications/{applicationId}/roles', {
          params: { path },
          body: { roleIds: [r3.id, 'no-such-role'] },
        }),
        404,
        'entity.not_exists_with_id',
      );
      fails(
        await ctx.api.PUT('/api/applications/{applicationId}/roles', {
          params: { path },
          body: { roleIds: [userRole.id] },
        }),
        422,
        'entity.db_constraint_violated',
      );
      assert.equal(await linkCount(), links);
      assert.deepEqual(ids(ok(await appRoles(app.id))), [r1.id, r2.id].sort());

      const put = await ctx.api.PUT('/api/applications/{applicationId}/roles', {
        params: { path },
        body: { roleIds: [r2.id, r3.id] },
      });
      assert.equal(put.response.status, 200);
      assert.equal(put.response.headers.get('content-length'), '0', 'no body');
      assert.deepEqual(ids(ok(await appRoles(app.id))), [r2.id, r3.id].sort());

      assert.equal(
        (
          await ctx.api.DELETE('/api/applications/{applicationId}/roles/{roleId}', {
            params: { path: { ...path, roleId: r2.id } },
          })
        ).response.status,
        204,
      );
      fails(
        await ctx.api.DELETE('/api/applications/{applicationId}/roles/{roleId}', {
          params: { path: { ...path, roleId: r1.id } },
        }),
        404,
        'entity.not_found',
      );
      assert.deepEqual(ids(ok(await appRoles(app.id))), [r3.id]);
      assert.equal(await eventCount(), events, 'no event from any of these routes');
    });

    it('removes the links when the role or the application is deleted', async () => {
      const [role, other] = [await newRole('MachineToMachine'), await newRole('MachineToMachine')];
      const [app, gone] = [await newApp('MachineToMachine'), await newApp('MachineToMachine')];
      ok(
        await ctx.api.POST('/api/applications/{applicationId}/roles', {
          params: { path: { applicationId: app.id } },
          body: { roleIds: [role.id, other.id] },
        }),
      );
      ok(
        await ctx.api.POST('/api/applications/{applicationId}/roles', {
          params: { path: { applicationId: gone.id } },
          body: { roleIds: [other.id] },
        }),
      );
      const linksOf = async (column: 'role_id' | 'application_id', id: string) =>
        (await db().selectFrom('applications_roles').select('role_id').where(column, '=', id).execute()).length;

      assert.equal(
        (await ctx.api.DELETE('/api/roles/{id}', { params: { path: { id: role.id } } })).response.status,
        204,
      );
      assert.equal(await linksOf('role_id', role.id), 0);
      assert.deepEqual(ids(ok(await appRoles(app.id))), [other.id]);

      assert.equal(
        (await ctx.api.DELETE('/api/applications/{id}', { params: { path: { id: gone.id } } })).response.status,
        204,
      );
      assert.equal(await linksOf('application_id', gone.id), 0);
      assert.deepEqual(ids(ok(await roleApps(other.id))), [app.id]);
    });

    it('GET /api/applications accepts every Logto type, excludeRoleId and excludeOrganizationId (not both)', async () => {
      const protectedOnly = await ctx.api.GET('/api/applications', { params: { query: { types: 'Protected' } } });
      assert.deepEqual(ok(protectedOnly), []);
      assert.equal(protectedOnly.response.headers.get('total-number'), null, 'no paging unless asked, as Logto');
      assert.deepEqual(
        ok(await ctx.api.GET('/api/applications', { params: { query: { types: ['SAML', 'Protected'] } } })),
        [],
      );
      const spa = await newApp('SPA');
      assert.ok(
        ok<any[]>(await ctx.api.GET('/api/applications', { params: { query: { types: ['Protected', 'SPA'] } } })).some(
          (a) => a.id === spa.id,
        ),
      );
      fails(await ctx.api.GET('/api/applications', { params: { query: { types: 'Desktop' } as never } }), 400);

      const org = ok(await ctx.api.POST('/api/organizations', { body: { name: unique('org') } }));
      const member = await newApp('MachineToMachine');
      const added = await ctx.t.request('POST', `/api/organizations/${org.id}/applications`, {
        body: { applicationIds: [member.id] },
      });
      assert.equal(added.status, 201, JSON.stringify(added.json));
      const outside = ok<any[]>(
        await ctx.api.GET('/api/applications', { params: { query: { excludeOrganizationId: org.id } } }),
      );
      assert.ok(!outside.some((a) => a.id === member.id));
      assert.ok(outside.some((a) => a.id === spa.id));
      fails(
        await ctx.api.GET('/api/applications', {
          params: { query: { excludeOrganizationId: org.id, excludeRoleId: 'r' } },
        }),
        400,
        'request.invalid_input',
      );
    });

    it('device flow: only for Native applications, and fixed once created (Logto’s 422s)', async () => {
      for (const type of ['SPA', 'Traditional', 'MachineToMachine'] as const) {
        fails(
          await ctx.api.POST('/api/applications', {
            body: { name: unique('df'), type, customClientMetadata: { isDeviceFlow: true } },
          }),
          422,
          'application.device_flow_native_only',
        );
      }
      const device = ok(
        await ctx.api.POST('/api/applications', {
          body: { name: unique('df'), type: 'Native', customClientMetadata: { isDeviceFlow: true } },
        }),
      );
      const path = { params: { path: { id: device.id } } };
      fails(
        await ctx.api.PATCH('/api/applications/{id}', {
          ...path,
          body: { customClientMetadata: { isDeviceFlow: false } },
        }),
        422,
        'application.device_flow_not_changeable',
      );
      fails(
        await ctx.api.PATCH('/api/applications/{id}', {
          ...path,
          body: { customClientMetadata: { idTokenTtl: 3600 } },
        }),
        422,
        'application.device_flow_not_changeable',
      );
      const kept = ok(
        await ctx.api.PATCH('/api/applications/{id}', {
          ...path,
          body: { customClientMetadata: { isDeviceFlow: true, idTokenTtl: 3600 } },
        }),
      );
      assert.deepEqual(kept.customClientMetadata, { isDeviceFlow: true, idTokenTtl: 3600 });
      const plain = ok(await ctx.api.POST('/api/applications', { body: { name: unique('df'), type: 'Native' } }));
      fails(
        await ctx.api.PATCH('/api/applications/{id}', {
          params: { path: { id: plain.id } },
          body: { customClientMetadata: { isDeviceFlow: true } },
        }),
        422,
        'application.device_flow_not_changeable',
      );
      assert.equal(
        ok(
          await ctx.api.PATCH('/api/applications/{id}', {
            params: { path: { id: plain.id } },
            body: { name: 'renamed' },
          }),
        ).name,
        'renamed',
      );
    });

    it('PATCH /api/resources/:id/is-default keeps one default resource; no event', async () => {
      const r1 = ok(
        await ctx.api.POST('/api/resources', {
          body: { name: 'one', indicator: `https://${unique('one').replace('_', '-')}.example.com` },
        }),
      );
      const r2 = ok(
        await ctx.api.POST('/api/resources', {
          body: { name: 'two', indicator: `https://${unique('two').replace('_', '-')}.example.com` },
        }),
      );
      const events = await eventCount();
      const set = (id: string, isDefault: boolean) =>
        ctx.api.PATCH('/api/resources/{id}/is-default', { params: { path: { id } }, body: { isDefault } });
      const one = ok(await set(r1.id, true));
      assert.deepEqual(
        one,
        {
          tenantId: r1.tenantId,
          id: r1.id,
          name: r1.name,
          indicator: r1.indicator,
          isDefault: true,
          accessTokenTtl: r1.accessTokenTtl,
        },
        "Logto's Resource, no scopes",
      );
      ok(await set(r2.id, true));
      const defaults = () =>
        ctx.api.GET('/api/resources').then((r) =>
          ok<any[]>(r)
            .filter((x) => x.isDefault)
            .map((x) => x.id),
        );
      assert.deepEqual(await defaults(), [r2.id]);
      assert.equal(ok(await set(r2.id, false)).isDefault, false);
      assert.deepEqual(await defaults(), []);
      fails(await set('no-such-resource', true), 404, 'entity.not_exists_with_id');
      fails(
        await ctx.api.PATCH('/api/resources/{id}/is-default', { params: { path: { id: r1.id } }, body: {} as never }),
        400,
      );
      assert.deepEqual(await defaults(), []);
      assert.equal(await eventCount(), events);
    });

    it('sends nothing to the receiver for the new routes', async () => {
      // Everything above ran with a hook on every event; after a marker, nothing from these paths arrived.
      const received = await marker();
      const paths = received.map((r) => String(r.json?.path ?? ''));
      const ours = /^\/(roles\/[^/]+\/applications|applications\/[^/]+\/roles|resources\/[^/]+\/is-default)/;
      assert.ok(paths.length > 0);
      assert.deepEqual(
        paths.filter((p) => ours.test(p)),
        [],
      );
    });
  });
}
