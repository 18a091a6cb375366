/**
 * The organization routes of Logto's Management API that Herald gained for issue 23, driven
 * through Logto's own `@logto/api` client on both stores: a user's organizations, organization
 * roles' API resource scopes, application members' organization roles (with their cascades),
 * member roles in bulk (and Herald's `Organization.Membership.Roles.Updated` for them, at a real
 * receiver), a member's organization scopes, invitation emails through a real connector endpoint,
 * and Logto's optional paging of organization scopes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOGTO_HOOK_EVENTS } from '../src/events/index.ts';
import type { Received } from './helpers/receiver.ts';
import { assertNoOpenServers } from './helpers/server.ts';
import { countRows, expectError, ok, unique, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

type Role = { tenantId: string; id: string; name: string; description: string | null; type: string };

for (const store of stores) {
  describe(`Logto organization routes (${store})`, () => {
    const ctx = useServer(store, { receiver: true, mail: true });
    let extensionHook: { id: string };

    before(async () => {
      ok(
        await ctx.api.POST('/api/hooks', {
          body: {
            name: 'logto',
            events: [...LOGTO_HOOK_EVENTS] as never,
            config: { url: `${ctx.receiver.url}/logto` },
          },
        }),
      );
      extensionHook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: {
            name: 'ext',
            events: ['Organization.Membership.Roles.Updated'],
            config: { url: `${ctx.receiver.url}/ext` },
          },
        })
      ).json;
    });
    const newUser = async (extra: Record<string, unknown> = {}) =>
      ok(await ctx.api.POST('/api/users', { body: { username: unique('u'), ...extra } })) as { id: string };
    const newOrganization = async () =>
      ok(await ctx.api.POST('/api/organizations', { body: { name: unique('Org') } })) as { id: string; name: string };
    const newOrgRole = async (type: 'User' | 'MachineToMachine' = 'User', organizationScopeIds: string[] = []) =>
      ok(
        await ctx.api.POST('/api/organization-roles', {
          body: { name: unique('role'), type, organizationScopeIds, resourceScopeIds: [] },
        }),
      ) as Role;
    const newOrgScope = async () =>
      ok(await ctx.api.POST('/api/organization-scopes', { body: { name: unique('scope') } })) as {
        id: string;
        name: string;
      };
    const newM2mApp = async () =>
      ok(await ctx.api.POST('/api/applications', { body: { name: unique('m2m'), type: 'MachineToMachine' } })) as {
        id: string;
      };
    /** Every event stored so far (events are written in the request's transaction: final once it answered). */
    const eventCount = () => countRows(ctx.t, 'events');
    const count = (
      table:
        | 'organization_application_roles'
        | 'organization_user_roles'
        | 'organization_role_resource_scopes'
        | 'organization_invitations',
    ) => countRows(ctx.t, table);

    it("GET /api/users/:userId/organizations: the user's organizations with their roles; 404 for an unknown user", async () => {
      const user = await newUser();
      const [a, b] = [await newOrganization(), await newOrganization()];
      const [r1, r2] = [await newOrgRole(), await newOrgRole()];
      assert.deepEqual(
        ok(await ctx.api.GET('/api/users/{userId}/organizations', { params: { path: { userId: user.id } } })),
        [],
      );
      for (const org of [a, b])
        ok(
          await ctx.api.POST('/api/organizations/{id}/users', {
            params: { path: { id: org.id } },
            body: { userIds: [user.id] },
          }),
        );
      ok(
        await ctx.api.POST('/api/organizations/{id}/users/{userId}/roles', {
          params: { path: { id: a.id, userId: user.id } },
          body: { organizationRoleIds: [r1.id, r2.id] },
        }),
      );
      const listed = ok(
        await ctx.api.GET('/api/users/{userId}/organizations', { params: { path: { userId: user.id } } }),
      ) as { id: string; name: string; tenantId: string; organizationRoles: { id: string; name: string }[] }[];
      assert.deepEqual(listed.map((o) => o.id).sort(), [a.id, b.id].sort());
      const inA = listed.find((o) => o.id === a.id)!;
      assert.equal(inA.name, a.name);
      assert.equal(inA.tenantId, 'default');
      assert.deepEqual(
        inA.organizationRoles,
        [r1, r2].map((r) => ({ id: r.id, name: r.name })).sort((x, y) => x.name.localeCompare(y.name)),
      );
      assert.deepEqual(listed.find((o) => o.id === b.id)!.organizationRoles, []);
      await expectError(ctx.t, 'GET', '/api/users/nope/organizations', 404, 'entity.not_found');
    });

    it("GET /api/applications/:id/organizations: the application's organizations with its roles, every one or a page; 404 for an unknown application", async () => {
      const app = await newM2mApp();
      const [a, b, c] = [await newOrganization(), await newOrganization(), await newOrganization()];
      const [m1, m2] = [await newOrgRole('MachineToMachine'), await newOrgRole('MachineToMachine')];
      const path = { params: { path: { id: app.id } } };
      assert.deepEqual(ok(await ctx.api.GET('/api/applications/{id}/organizations', path)), []);
      for (const org of [a, b, c])
        ok(
          await ctx.api.POST('/api/organizations/{id}/applications', {
            params: { path: { id: org.id } },
            body: { applicationIds: [app.id] },
          }),
        );
      ok(
        await ctx.api.POST('/api/organizations/{id}/applications/{applicationId}/roles', {
          params: { path: { id: b.id, applicationId: app.id } },
          body: { organizationRoleIds: [m2.id, m1.id] },
        }),
      );
      type Listed = { id: string; name: string; organizationRoles: { id: string; name: string }[] }[];
      const all = ok(await ctx.api.GET('/api/applications/{id}/organizations', path)) as Listed;
      assert.deepEqual(all.map((o) => o.id).sort(), [a.id, b.id, c.id].sort());
      assert.deepEqual(
        all.find((o) => o.id === b.id)!.organizationRoles,
        [m1, m2].map((r) => ({ id: r.id, name: r.name })).sort((x, y) => x.name.localeCompare(y.name)),
      );
      assert.deepEqual(all.find((o) => o.id === a.id)!.organizationRoles, []);
      const paged = await ctx.api.GET('/api/applications/{id}/organizations', {
        params: { path: { id: app.id }, query: { page: 2, page_size: 2 } as never },
      });
      assert.equal(paged.response.headers.get('total-number'), '3');
      assert.equal((paged.data as Listed).length, 1);
      assert.equal(
        all.some((o) => o.id === (paged.data as Listed)[0]!.id),
        true,
      );
      await expectError(ctx.t, 'GET', '/api/applications/nope/organizations', 404, 'entity.not_exists_with_id');
    });

    it('organization role resource scopes: list, add, replace, remove, with Logto’s codes and no event', async () => {
      const resource = ok(
        await ctx.api.POST('/api/resources', {
          body: { name: unique('api'), indicator: `https://${unique('api')}.example.com` },
        }),
      ) as { id: string };
      const scopes = [] as { id: string; name: string; resourceId: string }[];
      for (const name of ['read', 'write', 'admin'])
        scopes.push(
          ok(
            await ctx.api.POST('/api/resources/{resourceId}/scopes', {
              params: { path: { resourceId: resource.id } },
              body: { name: unique(name) },
            }),
          ) as never,
        );
      const [s1, s2, s3] = scopes as [(typeof scopes)[0], (typeof scopes)[0], (typeof scopes)[0]];
      const role = await newOrgRole();
      const before = await eventCount();
      const path = { params: { path: { id: role.id } } };

      const added = await ctx.api.POST('/api/organization-roles/{id}/resource-scopes', {
        ...path,
        body: { scopeIds: [s1.id, s2.id, s1.id] },
      });
      assert.equal(added.response.status, 201);
      const listed = ok(await ctx.api.GET('/api/organization-roles/{id}/resource-scopes', path)) as Record<
        string,
        unknown
      >[];
      assert.deepEqual(listed.map((s) => s.id).sort(), [s1.id, s2.id].sort());
      assert.deepEqual(Object.keys(listed[0]!).sort(), [
        'createdAt',
        'description',
        'id',
        'name',
        'resourceId',
        'tenantId',
      ]);
      assert.equal(listed[0]!.resourceId, resource.id);
      // The list of roles carries them too.
      const roles = ok(await ctx.api.GET('/api/organization-roles', { params: { query: { q: role.name } } })) as {
        id: string;
        resourceScopes: { id: string; resource: { id: string } }[];
      }[];
      assert.deepEqual(roles[0]!.resourceScopes.map((s) => s.id).sort(), [s1.id, s2.id].sort());

      // Optional paging, as Logto's relation routes.
      const paged = await ctx.api.GET('/api/organization-roles/{id}/resource-scopes', {
        params: { path: { id: role.id }, query: { page: 1, page_size: 1 } },
      });
      assert.equal((paged.data as unknown[]).length, 1);
      assert.equal(paged.response.headers.get('total-number'), '2');

      assert.equal(
        (
          await ctx.api.PUT('/api/organization-roles/{id}/resource-scopes', {
            ...path,
            body: { scopeIds: [s3.id, s2.id] },
          })
        ).response.status,
        204,
      );
      assert.deepEqual(
        (ok(await ctx.api.GET('/api/organization-roles/{id}/resource-scopes', path)) as { id: string }[])
          .map((s) => s.id)
          .sort(),
        [s2.id, s3.id].sort(),
      );
      assert.equal(
        (
          await ctx.api.DELETE('/api/organization-roles/{id}/resource-scopes/{scopeId}', {
            params: { path: { id: role.id, scopeId: s2.id } },
          })
        ).response.status,
        204,
      );
      assert.deepEqual(
        (ok(await ctx.api.GET('/api/organization-roles/{id}/resource-scopes', path)) as { id: string }[]).map(
          (s) => s.id,
        ),
        [s3.id],
      );

      // Failures store nothing.
      const links = await count('organization_role_resource_scopes');
      await expectError(
        ctx.t,
        'DELETE',
        `/api/organization-roles/${role.id}/resource-scopes/${s2.id}`,
        404,
        'entity.not_found',
      );
      await expectError(ctx.t, 'GET', '/api/organization-roles/nope/resource-scopes', 404, 'entity.not_found');
      await expectError(
        ctx.t,
        'POST',
        '/api/organization-roles/nope/resource-scopes',
        422,
        'entity.relation_foreign_key_not_found',
        { scopeIds: [s1.id] },
      );
      await expectError(
        ctx.t,
        'POST',
        `/api/organization-roles/${role.id}/resource-scopes`,
        422,
        'entity.relation_foreign_key_not_found',
        { scopeIds: [s1.id, 'nope'] },
      );
      await expectError(
        ctx.t,
        'PUT',
        `/api/organization-roles/${role.id}/resource-scopes`,
        422,
        'entity.relation_foreign_key_not_found',
        { scopeIds: ['nope'] },
      );
      await expectError(
        ctx.t,
        'POST',
        `/api/organization-roles/${role.id}/resource-scopes`,
        400,
        'guard.invalid_input',
        { scopeIds: [] },
      );
      assert.equal(await count('organization_role_resource_scopes'), links);
      assert.deepEqual(
        (ok(await ctx.api.GET('/api/organization-roles/{id}/resource-scopes', path)) as { id: string }[]).map(
          (s) => s.id,
        ),
        [s3.id],
      );

      // Logto registers no data event for resource-scope links: none was emitted.
      assert.equal(await eventCount(), before);
      // Deleting the scope unlinks it.
      ok(
        await ctx.api.DELETE('/api/resources/{resourceId}/scopes/{scopeId}', {
          params: { path: { resourceId: resource.id, scopeId: s3.id } },
        }),
      );
      assert.deepEqual(ok(await ctx.api.GET('/api/organization-roles/{id}/resource-scopes', path)), []);
    });

    it('application member roles: membership required, M2M roles only, replace, remove, listed with the application', async () => {
      const org = await newOrganization();
      const app = await newM2mApp();
      const [m1, m2, m3] = [
        await newOrgRole('MachineToMachine'),
        await newOrgRole('MachineToMachine'),
        await newOrgRole('MachineToMachine'),
      ];
      const userRole = await newOrgRole('User');
      const path = { params: { path: { id: org.id, applicationId: app.id } } };
      const base = `/api/organizations/${org.id}/applications/${app.id}/roles`;

      // Not a member yet: 422 on every route, as Logto's membership guard answers.
      await expectError(ctx.t, 'GET', base, 422, 'organization.require_membership');
      await expectError(ctx.t, 'POST', base, 422, 'organization.require_membership', { organizationRoleIds: [m1.id] });
      await expectError(ctx.t, 'PUT', base, 422, 'organization.require_membership', { organizationRoleIds: [m1.id] });
      await expectError(ctx.t, 'DELETE', `${base}/${m1.id}`, 422, 'organization.require_membership');

      ok(
        await ctx.api.POST('/api/organizations/{id}/applications', {
          params: { path: { id: org.id } },
          body: { applicationIds: [app.id] },
        }),
      );
      const before = await eventCount();
      assert.equal(
        (
          await ctx.api.POST('/api/organizations/{id}/applications/{applicationId}/roles', {
            ...path,
            body: { organizationRoleIds: [m1.id, m2.id] },
          })
        ).response.status,
        201,
      );
      const held = ok(await ctx.api.GET('/api/organizations/{id}/applications/{applicationId}/roles', path)) as Role[];
      assert.deepEqual(held.map((r) => r.id).sort(), [m1.id, m2.id].sort());
      assert.deepEqual(
        held.find((r) => r.id === m1.id),
        m1,
        'Logto’s organization role shape',
      );

      const stored = await count('organization_application_roles');
      await expectError(ctx.t, 'POST', base, 422, 'entity.db_constraint_violated', {
        organizationRoleIds: [m3.id, userRole.id],
      });
      await expectError(ctx.t, 'POST', base, 422, 'entity.relation_foreign_key_not_found', {
        organizationRoleIds: [m3.id, 'nope'],
      });
      await expectError(ctx.t, 'PUT', base, 422, 'entity.db_constraint_violated', {
        organizationRoleIds: [userRole.id],
      });
      await expectError(ctx.t, 'PUT', base, 400, 'guard.invalid_input', { organizationRoleIds: [] });
      await expectError(ctx.t, 'DELETE', `${base}/${m3.id}`, 404, 'entity.not_found');
      assert.equal(await count('organization_application_roles'), stored, 'failures store nothing');

      // Paging is optional (all of them without page/page_size).
      ok(
        await ctx.api.POST('/api/organizations/{id}/applications/{applicationId}/roles', {
          ...path,
          body: { organizationRoleIds: [m3.id] },
        }),
      );
      const all = await ctx.api.GET('/api/organizations/{id}/applications/{applicationId}/roles', path);
      assert.equal((all.data as unknown[]).length, 3);
      assert.equal(all.response.headers.get('total-number'), null);
      const page2 = await ctx.api.GET('/api/organizations/{id}/applications/{applicationId}/roles', {
        params: { ...path.params, query: { page: 2, page_size: 2 } },
      });
      assert.equal((page2.data as unknown[]).length, 1);
      assert.equal(page2.response.headers.get('total-number'), '3');

      assert.equal(
        (
          await ctx.api.PUT('/api/organizations/{id}/applications/{applicationId}/roles', {
            ...path,
            body: { organizationRoleIds: [m3.id, m2.id] },
          })
        ).response.status,
        204,
      );
      assert.equal(
        (
          await ctx.api.DELETE('/api/organizations/{id}/applications/{applicationId}/roles/{organizationRoleId}', {
            params: { path: { id: org.id, applicationId: app.id, organizationRoleId: m3.id } },
          })
        ).response.status,
        204,
      );
      assert.deepEqual(
        (ok(await ctx.api.GET('/api/organizations/{id}/applications/{applicationId}/roles', path)) as Role[]).map(
          (r) => r.id,
        ),
        [m2.id],
      );

      // The application list carries them now.
      const apps = ok(
        await ctx.api.GET('/api/organizations/{id}/applications', { params: { path: { id: org.id } } }),
      ) as { id: string; organizationRoles: { id: string; name: string }[] }[];
      assert.deepEqual(apps.find((a) => a.id === app.id)!.organizationRoles, [{ id: m2.id, name: m2.name }]);

      // A role held by an application cannot become a User role.
      await expectError(ctx.t, 'PATCH', `/api/organization-roles/${m2.id}`, 422, 'entity.db_constraint_violated', {
        type: 'User',
      });
      // Logto emits no data event for application roles; neither does Herald.
      assert.equal(await eventCount(), before);
    });

    it('application member roles cascade with the membership, the role, the application and the organization', async () => {
      const rolesOf = async (org: string, app: string) =>
        Number(
          (
            await ctx.t.server.database.db
              .selectFrom('organization_application_roles')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('organization_id', '=', org)
              .where('application_id', '=', app)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const setUp = async () => {
        const org = await newOrganization();
        const app = await newM2mApp();
        const role = await newOrgRole('MachineToMachine');
        ok(
          await ctx.api.POST('/api/organizations/{id}/applications', {
            params: { path: { id: org.id } },
            body: { applicationIds: [app.id] },
          }),
        );
        ok(
          await ctx.api.POST('/api/organizations/{id}/applications/{applicationId}/roles', {
            params: { path: { id: org.id, applicationId: app.id } },
            body: { organizationRoleIds: [role.id] },
          }),
        );
        assert.equal(await rolesOf(org.id, app.id), 1);
        return { org: org.id, app: app.id, role: role.id };
      };
      // Leaving the organization (DELETE and PUT), then coming back: no roles.
      const a = await setUp();
      ok(
        await ctx.api.DELETE('/api/organizations/{id}/applications/{applicationId}', {
          params: { path: { id: a.org, applicationId: a.app } },
        }),
      );
      assert.equal(await rolesOf(a.org, a.app), 0);
      ok(
        await ctx.api.POST('/api/organizations/{id}/applications', {
          params: { path: { id: a.org } },
          body: { applicationIds: [a.app] },
        }),
      );
      assert.deepEqual(
        ok(
          await ctx.api.GET('/api/organizations/{id}/applications/{applicationId}/roles', {
            params: { path: { id: a.org, applicationId: a.app } },
          }),
        ),
        [],
      );
      const b = await setUp();
      ok(
        await ctx.api.PUT('/api/organizations/{id}/applications', {
          params: { path: { id: b.org } },
          body: { applicationIds: [] },
        }),
      );
      assert.equal(await rolesOf(b.org, b.app), 0);
      const c = await setUp();
      ok(await ctx.api.DELETE('/api/organization-roles/{id}', { params: { path: { id: c.role } } }));
      assert.equal(await rolesOf(c.org, c.app), 0);
      const d = await setUp();
      ok(await ctx.api.DELETE('/api/applications/{id}', { params: { path: { id: d.app } } }));
      assert.equal(await rolesOf(d.org, d.app), 0);
      const e = await setUp();
      ok(await ctx.api.DELETE('/api/organizations/{id}', { params: { path: { id: e.org } } }));
      assert.equal(await rolesOf(e.org, e.app), 0);
    });

    it('POST /organizations/:id/applications/roles gives every member application every role, or nothing', async () => {
      const org = await newOrganization();
      const [a1, a2, outsider] = [await newM2mApp(), await newM2mApp(), await newM2mApp()];
      const [m1, m2] = [await newOrgRole('MachineToMachine'), await newOrgRole('MachineToMachine')];
      const userRole = await newOrgRole('User');
      ok(
        await ctx.api.POST('/api/organizations/{id}/applications', {
          params: { path: { id: org.id } },
          body: { applicationIds: [a1.id, a2.id] },
        }),
      );
      ok(
        await ctx.api.POST('/api/organizations/{id}/applications/{applicationId}/roles', {
          params: { path: { id: org.id, applicationId: a1.id } },
          body: { organizationRoleIds: [m1.id] },
        }),
      );
      const before = await eventCount();
      const stored = await count('organization_application_roles');
      const bulk = `/api/organizations/${org.id}/applications/roles`;
      await expectError(ctx.t, 'POST', bulk, 422, 'entity.relation_foreign_key_not_found', {
        applicationIds: [a1.id, outsider.id],
        organizationRoleIds: [m2.id],
      });
      await expectError(ctx.t, 'POST', bulk, 422, 'entity.db_constraint_violated', {
        applicationIds: [a1.id],
        organizationRoleIds: [m2.id, userRole.id],
      });
      await expectError(ctx.t, 'POST', bulk, 422, 'entity.relation_foreign_key_not_found', {
        applicationIds: [a1.id],
        organizationRoleIds: ['nope'],
      });
      await expectError(
        ctx.t,
        'POST',
        '/api/organizations/nope/applications/roles',
        422,
        'entity.relation_foreign_key_not_found',
        { applicationIds: [a1.id], organizationRoleIds: [m1.id] },
      );
      await expectError(ctx.t, 'POST', bulk, 400, 'guard.invalid_input', {
        applicationIds: [a1.id],
        organizationRoleIds: [],
      });
      assert.equal(await count('organization_application_roles'), stored);

      const res = await ctx.api.POST('/api/organizations/{id}/applications/roles', {
        params: { path: { id: org.id } },
        body: { applicationIds: [a1.id, a2.id], organizationRoleIds: [m1.id, m2.id] },
      });
      assert.equal(res.response.status, 201);
      for (const app of [a1, a2]) {
        const held = ok(
          await ctx.api.GET('/api/organizations/{id}/applications/{applicationId}/roles', {
            params: { path: { id: org.id, applicationId: app.id } },
          }),
        ) as Role[];
        assert.deepEqual(held.map((r) => r.id).sort(), [m1.id, m2.id].sort());
      }
      assert.equal(await eventCount(), before, 'no event, as in Logto');
    });

    it('POST /organizations/:id/users/roles gives every member every role and emits Herald’s roles event per user who gained one', async () => {
      const org = await newOrganization();
      const [u1, u2, outsider] = [await newUser(), await newUser(), await newUser()];
      const [r1, r2] = [await newOrgRole(), await newOrgRole()];
      const m2mRole = await newOrgRole('MachineToMachine');
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org.id } },
          body: { userIds: [u1.id, u2.id] },
        }),
      );
      ok(
        await ctx.api.POST('/api/organizations/{id}/users/{userId}/roles', {
          params: { path: { id: org.id, userId: u1.id } },
          body: { organizationRoleIds: [r1.id] },
        }),
      );
      const fromExt = (r: Received) => r.json?.hookId === extensionHook.id && r.json.organizationId === org.id;
      await ctx.receiver.waitFor((rs) => rs.filter(fromExt).length >= 1);

      const before = await eventCount();
      const stored = await count('organization_user_roles');
      const bulk = `/api/organizations/${org.id}/users/roles`;
      await expectError(ctx.t, 'POST', bulk, 422, 'entity.relation_foreign_key_not_found', {
        userIds: [u1.id, outsider.id],
        organizationRoleIds: [r2.id],
      });
      await expectError(ctx.t, 'POST', bulk, 422, 'entity.db_constraint_violated', {
        userIds: [u1.id],
        organizationRoleIds: [r2.id, m2mRole.id],
      });
      await expectError(ctx.t, 'POST', bulk, 422, 'entity.relation_foreign_key_not_found', {
        userIds: [u1.id],
        organizationRoleIds: ['nope'],
      });
      await expectError(
        ctx.t,
        'POST',
        '/api/organizations/nope/users/roles',
        422,
        'entity.relation_foreign_key_not_found',
        { userIds: [u1.id], organizationRoleIds: [r1.id] },
      );
      await expectError(ctx.t, 'POST', bulk, 400, 'guard.invalid_input', { userIds: [], organizationRoleIds: [r1.id] });
      // Members × roles is bounded (each pair a row): 300 × 200 ids is refused before anything is read.
      const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
      const tooMany = await expectError(ctx.t, 'POST', bulk, 400, 'guard.invalid_input', {
        userIds: many('u', 300),
        organizationRoleIds: many('r', 200),
      });
      assert.match(tooMany.message, /50000 pairs/);
      await expectError(ctx.t, 'POST', `/api/organizations/${org.id}/applications/roles`, 400, 'guard.invalid_input', {
        applicationIds: many('a', 300),
        organizationRoleIds: many('r', 200),
      });
      assert.equal(await count('organization_user_roles'), stored, 'failures store nothing');
      assert.equal(await eventCount(), before, 'failures emit nothing');

      const res = await ctx.api.POST('/api/organizations/{id}/users/roles', {
        params: { path: { id: org.id } },
        body: { userIds: [u1.id, u2.id], organizationRoleIds: [r1.id, r2.id] },
      });
      assert.equal(res.response.status, 201);
      for (const user of [u1, u2]) {
        const held = ok(
          await ctx.api.GET('/api/organizations/{id}/users/{userId}/roles', {
            params: { path: { id: org.id, userId: user.id } },
          }),
        ) as Role[];
        assert.deepEqual(held.map((r) => r.id).sort(), [r1.id, r2.id].sort());
      }
      // One event per user, naming only the roles that user gained (u1 held r1 already).
      const received = (await ctx.receiver.waitFor((rs) => rs.filter(fromExt).length >= 3)).filter(fromExt);
      const forUser = (id: string) =>
        received
          .filter((r) => r.json.userId === id && r.json.path === `/organizations/${org.id}/users/roles`)
          .map((r) => r.json);
      const [e1] = forUser(u1.id);
      const [e2] = forUser(u2.id);
      assert.ok(e1 && e2);
      assert.equal(e1.event, 'Organization.Membership.Roles.Updated');
      assert.deepEqual(e1.addedOrganizationRoleIds, [r2.id]);
      assert.deepEqual([...e2.addedOrganizationRoleIds].sort(), [r1.id, r2.id].sort());
      assert.ok(!('removedOrganizationRoleIds' in e1));
      assert.equal(e2.method, 'POST');
      assert.equal(e2.status, 201);
      assert.equal(e2.matchedRoute, '/organizations/:id/users/roles');
      assert.deepEqual(e2.params, { id: org.id });
      assert.equal(await eventCount(), before + 2, 'two events, nothing else (Logto itself emits nothing here)');

      // The same again: nothing gained, no event.
      ok(
        await ctx.api.POST('/api/organizations/{id}/users/roles', {
          params: { path: { id: org.id } },
          body: { userIds: [u1.id, u2.id], organizationRoleIds: [r1.id] },
        }),
      );
      assert.equal(await eventCount(), before + 2);
    });

    it("GET /organizations/:id/users/:userId/scopes: the member's organization scopes through their roles, each once", async () => {
      const org = await newOrganization();
      const [s1, s2, s3, other] = [await newOrgScope(), await newOrgScope(), await newOrgScope(), await newOrgScope()];
      const a = await newOrgRole('User', [s1.id, s2.id]);
      const b = await newOrgRole('User', [s2.id, s3.id]);
      await newOrgRole('User', [other.id]);
      const [member, outsider] = [await newUser(), await newUser()];
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org.id } },
          body: { userIds: [member.id] },
        }),
      );
      const scopesOf = async (userId: string) =>
        ok(
          await ctx.api.GET('/api/organizations/{id}/users/{userId}/scopes', {
            params: { path: { id: org.id, userId } },
          }),
        ) as Record<string, unknown>[];
      assert.deepEqual(await scopesOf(member.id), []);
      ok(
        await ctx.api.POST('/api/organizations/{id}/users/{userId}/roles', {
          params: { path: { id: org.id, userId: member.id } },
          body: { organizationRoleIds: [a.id, b.id] },
        }),
      );
      const scopes = await scopesOf(member.id);
      assert.deepEqual(scopes.map((s) => s.id).sort(), [s1.id, s2.id, s3.id].sort());
      assert.deepEqual(
        scopes.find((s) => s.id === s1.id),
        { tenantId: 'default', id: s1.id, name: s1.name, description: null },
      );
      assert.deepEqual(await scopesOf(outsider.id), [], 'a non-member has none (Logto answers the same)');
    });

    it('GET /api/organization-scopes returns every scope without paging, pages with page/page_size', async () => {
      for (let i = 0; i < 22; i++) await newOrgScope();
      const all = await ctx.api.GET('/api/organization-scopes', {});
      assert.equal(all.response.status, 200);
      const total = (all.data as unknown[]).length;
      assert.ok(total >= 22, `all ${total} scopes`);
      assert.equal(all.response.headers.get('total-number'), null);
      const paged = await ctx.api.GET('/api/organization-scopes', { params: { query: { page: 1, page_size: 20 } } });
      assert.equal((paged.data as unknown[]).length, 20);
      assert.equal(paged.response.headers.get('total-number'), String(total));
      await expectError(ctx.t, 'GET', '/api/organization-scopes?page=0', 400, 'guard.invalid_pagination');
      // The other organization lists still page by default (as Logto's koaPagination() does).
      const roles = await ctx.api.GET('/api/organization-roles', {});
      assert.ok(roles.response.headers.get('total-number'));
    });

    it('invitation emails go to the message connector: on creation with messagePayload and again through /message', async () => {
      const inviter = await newUser({ name: 'Ada', primaryEmail: `${unique('ada')}@example.com` });
      const org = await newOrganization();
      const invitee = `${unique('bob')}@example.com`;
      const forInvitee = (to: string) => (r: Received) => r.json?.to === to;
      const created = await ctx.api.POST('/api/organization-invitations', {
        body: {
          organizationId: org.id,
          inviterId: inviter.id,
          invitee,
          expiresAt: Date.now() + 3_600_000,
          messagePayload: { link: 'https://example.com/a', locale: 'en' },
        },
      });
      assert.equal(created.response.status, 201, JSON.stringify(created.error));
      const invitation = created.data as { id: string; status: string };
      assert.equal(invitation.status, 'Pending');
      const [first] = (await ctx.mail.waitFor((rs) => rs.some(forInvitee(invitee)))).filter(forInvitee(invitee));
      assert.match(first!.path, /\/send$/);
      assert.equal(first!.json.type, 'OrganizationInvitation');
      assert.equal(first!.json.payload.link, 'https://example.com/a');
      assert.equal(first!.json.payload.locale, 'en');
      assert.deepEqual(first!.json.payload.organization, { id: org.id, name: org.name, branding: {} });
      assert.equal(first!.json.payload.inviter.id, inviter.id);
      assert.equal(first!.json.payload.inviter.name, 'Ada');
      assert.deepEqual(Object.keys(first!.json.payload.inviter).sort(), [
        'avatar',
        'id',
        'name',
        'primaryEmail',
        'primaryPhone',
        'profile',
        'username',
      ]);

      const resent = await ctx.api.POST('/api/organization-invitations/{id}/message', {
        params: { path: { id: invitation.id } },
        body: { link: 'https://example.com/b' },
      });
      assert.equal(resent.response.status, 204);
      const both = (await ctx.mail.waitFor((rs) => rs.filter(forInvitee(invitee)).length >= 2)).filter(
        forInvitee(invitee),
      );
      assert.equal(both[1]!.json.payload.link, 'https://example.com/b');
      assert.equal(both[1]!.json.type, 'OrganizationInvitation');
      await expectError(ctx.t, 'POST', '/api/organization-invitations/nope/message', 404, 'entity.not_found', {
        link: 'https://example.com',
      });
      await expectError(
        ctx.t,
        'POST',
        `/api/organization-invitations/${invitation.id}/message`,
        400,
        'guard.invalid_input',
        { link: 5 },
      );

      // Without messagePayload (or with false) nothing is sent.
      const quiet = `${unique('quiet')}@example.com`;
      ok(
        await ctx.api.POST('/api/organization-invitations', {
          body: { organizationId: org.id, invitee: quiet, expiresAt: Date.now() + 3_600_000, messagePayload: false },
        }),
      );
      const other = (await newOrganization()).id;
      assert.equal(
        (
          await ctx.t.request('POST', '/api/organization-invitations', {
            body: { organizationId: other, invitee: quiet, expiresAt: Date.now() + 3_600_000 },
          })
        ).status,
        201,
      );
      assert.ok(!ctx.mail.requests.some(forInvitee(quiet)));
    });

    it('a failing connector: 502 connector.general, and the invitation is not left behind', async () => {
      const org = await newOrganization();
      const invitee = `${unique('fail')}@example.com`;
      const stored = await count('organization_invitations');
      ctx.mail.respondWith({ status: 500, body: 'down' });
      try {
        await expectError(ctx.t, 'POST', '/api/organization-invitations', 502, 'connector.general', {
          organizationId: org.id,
          invitee,
          expiresAt: Date.now() + 3_600_000,
          messagePayload: { link: 'https://x.example' },
        });
        assert.equal(await count('organization_invitations'), stored);
        assert.deepEqual(
          ok(await ctx.api.GET('/api/organization-invitations', { params: { query: { organizationId: org.id } } })),
          [],
        );
        ctx.mail.respondWith({ status: 200, body: 'ok' });
        const invitation = ok(
          await ctx.api.POST('/api/organization-invitations', {
            body: { organizationId: org.id, invitee, expiresAt: Date.now() + 3_600_000, messagePayload: false },
          }),
        ) as { id: string };
        ctx.mail.respondWith({ status: 500, body: 'down' });
        await expectError(
          ctx.t,
          'POST',
          `/api/organization-invitations/${invitation.id}/message`,
          502,
          'connector.general',
          { link: 'https://x.example' },
        );
      } finally {
        ctx.mail.respondWith({ status: 200, body: 'ok' });
      }
    });
  });

  describe(`Logto organization routes without a message connector (${store})`, () => {
    const ctx = useServer(store);

    it('invitation emails answer 501 connector.not_found, as Logto without an email connector; nothing is stored', async () => {
      const org = ok(await ctx.api.POST('/api/organizations', { body: { name: 'no-mail' } })) as { id: string };
      const created = await ctx.t.request('POST', '/api/organization-invitations', {
        body: {
          organizationId: org.id,
          invitee: 'x@example.com',
          expiresAt: Date.now() + 3_600_000,
          messagePayload: { link: 'https://example.com' },
        },
      });
      assert.equal(created.status, 501);
      assert.equal(created.json.code, 'connector.not_found');
      assert.deepEqual(ok(await ctx.api.GET('/api/organization-invitations', {})), []);
      const invitation = ok(
        await ctx.api.POST('/api/organization-invitations', {
          body: {
            organizationId: org.id,
            invitee: 'x@example.com',
            expiresAt: Date.now() + 3_600_000,
            messagePayload: false,
          },
        }),
      ) as { id: string };
      const message = await ctx.t.request('POST', `/api/organization-invitations/${invitation.id}/message`, {
        body: { link: 'https://example.com' },
      });
      assert.equal(message.status, 501);
      assert.equal(message.json.code, 'connector.not_found');
      const unknown = await ctx.t.request('POST', '/api/organization-invitations/nope/message', {
        body: { link: 'https://example.com' },
      });
      assert.equal(unknown.status, 404, 'an unknown invitation is named first, as in Logto');
    });
  });
}
