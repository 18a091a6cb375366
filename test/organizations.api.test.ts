/**
 * The organization routes' behaviour and Logto's error codes, driven through Logto's own client:
 * organizations, members and their roles, application members, organization roles and scopes,
 * invitations.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { assertNoOpenServers } from './helpers/server.ts';
import { expectError, ok, unique, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

for (const store of stores) {
  describe(`organizations API (${store})`, () => {
    const ctx = useServer(store);

    const newUser = async (email?: string) =>
      ok(
        await ctx.api.POST('/api/users', {
          body: { username: unique('u'), ...(email ? { primaryEmail: email } : {}) },
        }),
      ) as { id: string; primaryEmail: string | null };
    const newOrganization = async () =>
      ok(await ctx.api.POST('/api/organizations', { body: { name: unique('Org') } })) as { id: string };
    const newOrgRole = async (type: 'User' | 'MachineToMachine' = 'User') =>
      ok(
        await ctx.api.POST('/api/organization-roles', {
          body: { name: unique('role'), type, organizationScopeIds: [], resourceScopeIds: [] },
        }),
      ) as { id: string; name: string };

    it('creates, reads, updates and deletes an organization with Logto’s shape and codes', async () => {
      const created = await ctx.api.POST('/api/organizations', {
        body: { name: 'Acme', description: 'B2B', customData: { a: 1 }, color: { primaryColor: '#abc' } },
      });
      assert.equal(created.response.status, 201);
      const org = created.data as Record<string, unknown> & { id: string };
      assert.equal(org.id.length, 12, 'organization ids are 12 characters, as in Logto');
      assert.deepEqual(
        { ...org, id: undefined, createdAt: undefined },
        {
          tenantId: 'default',
          id: undefined,
          name: 'Acme',
          description: 'B2B',
          customData: { a: 1 },
          isMfaRequired: false,
          isTrustedDeviceAllowed: true,
          color: { primaryColor: '#abc' },
          branding: {},
          customCss: null,
          createdAt: undefined,
        },
      );
      assert.deepEqual(ok(await ctx.api.GET('/api/organizations/{id}', { params: { path: { id: org.id } } })), org);
      const patched = ok(
        await ctx.api.PATCH('/api/organizations/{id}', {
          params: { path: { id: org.id } },
          body: { customData: { b: 2 }, description: null },
        }),
      ) as Record<string, unknown>;
      assert.deepEqual(patched.customData, { b: 2 }, 'JSON fields are replaced, not merged');
      assert.equal(patched.description, null);
      assert.equal(patched.name, 'Acme');

      await expectError(ctx.t, 'GET', '/api/organizations/nope', 404, 'entity.not_exists_with_id');
      await expectError(ctx.t, 'PATCH', '/api/organizations/nope', 404, 'entity.not_exists', { name: 'x' });
      await expectError(ctx.t, 'POST', '/api/organizations', 400, 'guard.invalid_input', { name: '' });
      await expectError(ctx.t, 'POST', '/api/organizations', 400, 'guard.invalid_input', {
        name: 'x',
        customData: 'b',
      });
      await expectError(ctx.t, 'POST', '/api/organizations', 400, 'guard.invalid_input', {
        name: 'x',
        color: { primaryColor: 'red' },
      });
      await expectError(ctx.t, 'POST', '/api/organizations', 400, 'guard.invalid_input', { name: 'x'.repeat(129) });

      assert.equal(
        (await ctx.api.DELETE('/api/organizations/{id}', { params: { path: { id: org.id } } })).response.status,
        204,
      );
      await expectError(ctx.t, 'DELETE', `/api/organizations/${org.id}`, 404, 'entity.not_found');
    });

    it('lists organizations paged, searches with q, and features up to three members with showFeatured', async () => {
      const marker = unique('Listed');
      const orgs: { id: string }[] = [];
      for (let i = 0; i < 3; i++)
        orgs.push(ok(await ctx.api.POST('/api/organizations', { body: { name: `${marker} ${i}` } })) as { id: string });
      const page = await ctx.api.GET('/api/organizations', {
        params: { query: { q: marker.toLowerCase(), page: 1, page_size: 2 } },
      });
      assert.equal(page.response.headers.get('total-number'), '3');
      assert.equal((page.data as unknown[]).length, 2);
      const users = [await newUser(), await newUser(), await newUser(), await newUser()];
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: orgs[0]!.id } },
          body: { userIds: users.map((u) => u.id) },
        }),
      );
      const featured = ok(
        await ctx.api.GET('/api/organizations', { params: { query: { q: marker, showFeatured: 'true' } } }),
      ) as { id: string; usersCount: number; featuredUsers: { id: string }[] }[];
      const first = featured.find((o) => o.id === orgs[0]!.id)!;
      assert.equal(first.usersCount, 4);
      assert.equal(first.featuredUsers.length, 3);
      assert.ok(first.featuredUsers.every((u) => users.some((x) => x.id === u.id)));
      assert.deepEqual(featured.find((o) => o.id === orgs[1]!.id)!.featuredUsers, []);
      const plain = ok(await ctx.api.GET('/api/organizations', { params: { query: { q: marker } } })) as Record<
        string,
        unknown
      >[];
      assert.ok(plain.every((o) => !('usersCount' in o) && !('featuredUsers' in o)));
      await expectError(ctx.t, 'GET', '/api/organizations?page_size=101', 400, 'guard.invalid_pagination');
    });

    it('lists members with their organization roles; filters by q and organizationRoleId', async () => {
      const org = await newOrganization();
      const [alice, bob] = [await newUser(`${unique('alice')}@example.com`), await newUser()];
      const [admin, viewer] = [await newOrgRole(), await newOrgRole()];
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org.id } },
          body: { userIds: [alice.id, bob.id] },
        }),
      );
      ok(
        await ctx.api.POST('/api/organizations/{id}/users/{userId}/roles', {
          params: { path: { id: org.id, userId: alice.id } },
          body: { organizationRoleIds: [viewer.id], organizationRoleNames: [admin.name] },
        }),
      );
      const members = await ctx.api.GET('/api/organizations/{id}/users', { params: { path: { id: org.id } } });
      assert.equal(members.response.headers.get('total-number'), '2');
      const listed = members.data as { id: string; organizationRoles: { id: string; name: string }[] }[];
      const a = listed.find((u) => u.id === alice.id)!;
      assert.deepEqual(
        a.organizationRoles,
        [admin, viewer].map((r) => ({ id: r.id, name: r.name })).sort((x, y) => x.name.localeCompare(y.name)),
      );
      assert.ok(!('hasPassword' in a));
      assert.deepEqual(listed.find((u) => u.id === bob.id)!.organizationRoles, []);
      const searched = ok(
        await ctx.api.GET('/api/organizations/{id}/users', {
          params: { path: { id: org.id }, query: { q: alice.primaryEmail!.slice(0, 8).toUpperCase() } },
        }),
      ) as { id: string }[];
      assert.deepEqual(
        searched.map((u) => u.id),
        [alice.id],
      );
      const holders = ok(
        await ctx.api.GET('/api/organizations/{id}/users', {
          params: { path: { id: org.id }, query: { organizationRoleId: admin.id } },
        }),
      ) as { id: string }[];
      assert.deepEqual(
        holders.map((u) => u.id),
        [alice.id],
      );
      assert.deepEqual(
        ok(await ctx.api.GET('/api/organizations/{id}/users', { params: { path: { id: 'no-such-org' } } })),
        [],
      );
    });

    it('guards member roles: membership, role names, role type, unknown ids; removes a held role only', async () => {
      const org = await newOrganization();
      const member = await newUser();
      const outsider = await newUser();
      const role = await newOrgRole();
      const machineRole = await newOrgRole('MachineToMachine');
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org.id } },
          body: { userIds: [member.id] },
        }),
      );
      const base = `/api/organizations/${org.id}/users`;
      await expectError(ctx.t, 'GET', `${base}/${outsider.id}/roles`, 422, 'organization.require_membership');
      await expectError(ctx.t, 'POST', `${base}/${outsider.id}/roles`, 422, 'organization.require_membership', {
        organizationRoleIds: [role.id],
      });
      const names = await expectError(
        ctx.t,
        'POST',
        `${base}/${member.id}/roles`,
        422,
        'organization.role_names_not_found',
        { organizationRoleNames: ['ghost', role.name] },
      );
      assert.deepEqual(names.data.names, ['ghost']);
      await expectError(ctx.t, 'POST', `${base}/${member.id}/roles`, 422, 'entity.db_constraint_violated', {
        organizationRoleIds: [machineRole.id],
      });
      await expectError(ctx.t, 'PUT', `${base}/${member.id}/roles`, 422, 'entity.relation_foreign_key_not_found', {
        organizationRoleIds: ['no-such-role'],
      });
      await expectError(ctx.t, 'DELETE', `${base}/${member.id}/roles/${role.id}`, 404, 'entity.not_found');
      ok(
        await ctx.api.POST('/api/organizations/{id}/users/{userId}/roles', {
          params: { path: { id: org.id, userId: member.id } },
          body: { organizationRoleIds: [role.id] },
        }),
      );
      const paged = await ctx.api.GET('/api/organizations/{id}/users/{userId}/roles', {
        params: { path: { id: org.id, userId: member.id }, query: { page: 1, page_size: 10 } },
      });
      assert.equal(paged.response.headers.get('total-number'), '1');
      assert.deepEqual(
        (paged.data as { id: string }[]).map((r) => r.id),
        [role.id],
      );

      // Leaving the organization takes the roles along; joining again starts with none.
      assert.equal(
        (
          await ctx.api.DELETE('/api/organizations/{id}/users/{userId}', {
            params: { path: { id: org.id, userId: member.id } },
          })
        ).response.status,
        204,
      );
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org.id } },
          body: { userIds: [member.id] },
        }),
      );
      assert.deepEqual(
        ok(
          await ctx.api.GET('/api/organizations/{id}/users/{userId}/roles', {
            params: { path: { id: org.id, userId: member.id } },
          }),
        ),
        [],
      );
      await expectError(ctx.t, 'POST', `${base}`, 400, 'guard.invalid_input', { userIds: [] });
    });

    it('keeps application members machine-to-machine and lists them', async () => {
      const org = await newOrganization();
      const m2m = ok(
        await ctx.api.POST('/api/applications', { body: { name: 'worker', type: 'MachineToMachine' } }),
      ) as { id: string };
      const native = ok(await ctx.api.POST('/api/applications', { body: { name: 'phone', type: 'Native' } })) as {
        id: string;
      };
      await expectError(
        ctx.t,
        'POST',
        `/api/organizations/${org.id}/applications`,
        422,
        'entity.db_constraint_violated',
        { applicationIds: [native.id] },
      );
      await expectError(
        ctx.t,
        'POST',
        `/api/organizations/${org.id}/applications`,
        422,
        'entity.relation_foreign_key_not_found',
        { applicationIds: ['nope'] },
      );
      ok(
        await ctx.api.POST('/api/organizations/{id}/applications', {
          params: { path: { id: org.id } },
          body: { applicationIds: [m2m.id] },
        }),
      );
      const listed = await ctx.api.GET('/api/organizations/{id}/applications', { params: { path: { id: org.id } } });
      assert.equal(listed.response.headers.get('total-number'), '1');
      const [app] = listed.data as { id: string; type: string; organizationRoles: unknown[] }[];
      assert.equal(app!.id, m2m.id);
      assert.equal(app!.type, 'MachineToMachine');
      assert.deepEqual(app!.organizationRoles, []);
      await expectError(
        ctx.t,
        'DELETE',
        `/api/organizations/${org.id}/applications/${native.id}`,
        404,
        'entity.not_found',
      );
    });

    it('organization roles: unique names, scopes and resource scopes in the list, atomic creation, codes', async () => {
      const scopeB = ok(await ctx.api.POST('/api/organization-scopes', { body: { name: unique('b:scope') } })) as {
        id: string;
        name: string;
      };
      const scopeA = ok(
        await ctx.api.POST('/api/organization-scopes', { body: { name: unique('a:scope'), description: 'first' } }),
      ) as { id: string; name: string };
      const resource = ok(
        await ctx.api.POST('/api/resources', {
          body: { name: 'Billing', indicator: `https://${unique('billing')}.example.com` },
        }),
      ) as { id: string; name: string };
      const resourceScope = ok(
        await ctx.api.POST('/api/resources/{resourceId}/scopes', {
          params: { path: { resourceId: resource.id } },
          body: { name: unique('bill') },
        }),
      ) as { id: string; name: string };
      const name = unique('Admin');
      const role = ok(
        await ctx.api.POST('/api/organization-roles', {
          body: {
            name,
            description: null,
            organizationScopeIds: [scopeB.id, scopeA.id],
            resourceScopeIds: [resourceScope.id],
          },
        }),
      ) as Record<string, unknown> & { id: string };
      assert.deepEqual(role, { tenantId: 'default', id: role.id, name, description: null, type: 'User' });
      const got = ok(
        await ctx.api.GET('/api/organization-roles/{id}', { params: { path: { id: role.id } } }),
      ) as Record<string, unknown>;
      assert.ok(!('scopes' in got), 'the single role is the plain role');
      const list = ok(await ctx.api.GET('/api/organization-roles', { params: { query: { q: name } } })) as {
        id: string;
        scopes: unknown[];
        resourceScopes: unknown[];
      }[];
      assert.deepEqual(
        list.map((r) => r.id),
        [role.id],
      );
      assert.deepEqual(
        list[0]!.scopes,
        [scopeA, scopeB].map((s) => ({ id: s.id, name: s.name })),
      );
      assert.deepEqual(list[0]!.resourceScopes, [
        { id: resourceScope.id, name: resourceScope.name, resource: { id: resource.id, name: resource.name } },
      ]);

      await expectError(ctx.t, 'POST', '/api/organization-roles', 422, 'entity.unique_integrity_violation', { name });
      const ghost = unique('Ghost');
      await expectError(ctx.t, 'POST', '/api/organization-roles', 422, 'entity.relation_foreign_key_not_found', {
        name: ghost,
        organizationScopeIds: ['no-such-scope'],
      });
      assert.deepEqual(
        ok(await ctx.api.GET('/api/organization-roles', { params: { query: { q: ghost } } })),
        [],
        'a failed creation leaves no role behind',
      );
      await expectError(ctx.t, 'GET', '/api/organization-roles/nope', 404, 'entity.not_found');
      await expectError(ctx.t, 'PATCH', '/api/organization-roles/nope', 404, 'entity.not_exists', { name: 'x' });
      await expectError(ctx.t, 'DELETE', '/api/organization-roles/nope', 404, 'entity.not_found');
      await expectError(ctx.t, 'GET', '/api/organization-roles/nope/scopes', 404, 'entity.not_found');
      await expectError(
        ctx.t,
        'POST',
        '/api/organization-roles/nope/scopes',
        422,
        'entity.relation_foreign_key_not_found',
        { organizationScopeIds: [scopeA.id] },
      );
      await expectError(ctx.t, 'DELETE', `/api/organization-roles/${role.id}/scopes/nope`, 404, 'entity.not_found');

      assert.equal(
        (
          await ctx.api.PUT('/api/organization-roles/{id}/scopes', {
            params: { path: { id: role.id } },
            body: { organizationScopeIds: [scopeB.id] },
          })
        ).response.status,
        204,
      );
      assert.deepEqual(
        (
          ok(await ctx.api.GET('/api/organization-roles/{id}/scopes', { params: { path: { id: role.id } } })) as {
            id: string;
          }[]
        ).map((s) => s.id),
        [scopeB.id],
      );
      // Deleting a scope unlinks it from every role.
      assert.equal(
        (await ctx.api.DELETE('/api/organization-scopes/{id}', { params: { path: { id: scopeB.id } } })).response
          .status,
        204,
      );
      assert.deepEqual(
        ok(await ctx.api.GET('/api/organization-roles/{id}/scopes', { params: { path: { id: role.id } } })),
        [],
      );
    });

    it('concurrent PUTs of a role’s scopes end with one body’s scopes; PATCH may change the type unless users hold the role', async () => {
      const scopes = await Promise.all(
        Array.from({ length: 4 }, () =>
          ctx.api
            .POST('/api/organization-scopes', { body: { name: unique('c:scope') } })
            .then((r) => (ok(r) as { id: string }).id),
        ),
      );
      const role = await newOrgRole();
      const bodies = [scopes.slice(0, 2), scopes.slice(2)];
      const answers = await Promise.all(
        [...bodies, ...bodies].map((organizationScopeIds) =>
          ctx.t.request('PUT', `/api/organization-roles/${role.id}/scopes`, { body: { organizationScopeIds } }),
        ),
      );
      assert.deepEqual(
        answers.map((r) => r.status),
        [204, 204, 204, 204],
      );
      const linked = (
        ok(await ctx.api.GET('/api/organization-roles/{id}/scopes', { params: { path: { id: role.id } } })) as {
          id: string;
        }[]
      )
        .map((s) => s.id)
        .sort();
      assert.ok(
        bodies.some((b) => JSON.stringify([...b].sort()) === JSON.stringify(linked)),
        `one body wins: ${linked}`,
      );

      const machine = ok(
        await ctx.api.PATCH('/api/organization-roles/{id}', {
          params: { path: { id: role.id } },
          body: { type: 'MachineToMachine' },
        }),
      ) as { type: string };
      assert.equal(machine.type, 'MachineToMachine');
      ok(
        await ctx.api.PATCH('/api/organization-roles/{id}', {
          params: { path: { id: role.id } },
          body: { type: 'User' },
        }),
      );
      const org = await newOrganization();
      const user = await newUser();
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org.id } },
          body: { userIds: [user.id] },
        }),
      );
      ok(
        await ctx.api.POST('/api/organizations/{id}/users/{userId}/roles', {
          params: { path: { id: org.id, userId: user.id } },
          body: { organizationRoleIds: [role.id] },
        }),
      );
      await expectError(ctx.t, 'PATCH', `/api/organization-roles/${role.id}`, 422, 'entity.db_constraint_violated', {
        type: 'MachineToMachine',
      });
    });

    it('keeps only the known keys of color and branding', async () => {
      const org = ok(
        await ctx.api.POST('/api/organizations', {
          body: {
            name: unique('Branded'),
            color: { primaryColor: '#123456', extra: 'x' } as never,
            branding: { logoUrl: 'https://example.com/l.png', tracking: 'y' } as never,
          },
        }),
      ) as Record<string, any>;
      assert.deepEqual(org.color, { primaryColor: '#123456' });
      assert.deepEqual(org.branding, { logoUrl: 'https://example.com/l.png' });
      const stored = await ctx.t.server.database.db
        .selectFrom('organizations')
        .select(['color', 'branding'])
        .where('id', '=', org.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [JSON.parse(stored.color), JSON.parse(stored.branding)],
        [{ primaryColor: '#123456' }, { logoUrl: 'https://example.com/l.png' }],
      );
    });

    it('organization scopes: unique names, listed by name, Logto’s not-found codes', async () => {
      const prefix = unique('scope');
      const b = ok(await ctx.api.POST('/api/organization-scopes', { body: { name: `${prefix}:b` } })) as { id: string };
      const a = ok(await ctx.api.POST('/api/organization-scopes', { body: { name: `${prefix}:a` } })) as { id: string };
      const listed = await ctx.api.GET('/api/organization-scopes', { params: { query: { q: prefix } } });
      assert.equal(
        listed.response.headers.get('total-number'),
        null,
        'not paged unless asked (Logto’s optional paging)',
      );
      assert.deepEqual(
        (listed.data as { id: string }[]).map((s) => s.id),
        [a.id, b.id],
      );
      await expectError(ctx.t, 'POST', '/api/organization-scopes', 422, 'entity.unique_integrity_violation', {
        name: `${prefix}:a`,
      });
      await expectError(ctx.t, 'PATCH', `/api/organization-scopes/${b.id}`, 422, 'entity.unique_integrity_violation', {
        name: `${prefix}:a`,
      });
      await expectError(ctx.t, 'GET', '/api/organization-scopes/nope', 404, 'entity.not_exists_with_id');
      await expectError(ctx.t, 'PATCH', '/api/organization-scopes/nope', 404, 'entity.not_exists', {
        description: 'x',
      });
      await expectError(ctx.t, 'DELETE', '/api/organization-scopes/nope', 404, 'entity.not_found');
    });

    it('invitations: create, list, accept, revoke, expire, with Logto’s codes', async () => {
      const org = await newOrganization();
      const role = await newOrgRole();
      const inviter = await newUser();
      const email = `${unique('invitee')}@example.com`;
      const invitee = await newUser(email);
      const hour = Date.now() + 3_600_000;
      const created = await ctx.api.POST('/api/organization-invitations', {
        body: {
          inviterId: inviter.id,
          invitee: email,
          organizationId: org.id,
          expiresAt: hour,
          organizationRoleIds: [role.id],
          messagePayload: false,
        },
      });
      assert.equal(created.response.status, 201);
      const invitation = created.data as Record<string, unknown> & { id: string };
      assert.equal(invitation.status, 'Pending');
      assert.equal(invitation.inviterId, inviter.id);
      assert.equal(invitation.acceptedUserId, null);
      assert.deepEqual(invitation.organizationRoles, [{ id: role.id, name: role.name }]);
      assert.equal(invitation.expiresAt, hour);

      const body = (extra: Record<string, unknown>) => ({
        invitee: email,
        organizationId: org.id,
        expiresAt: hour,
        ...extra,
      });
      await expectError(
        ctx.t,
        'POST',
        '/api/organization-invitations',
        422,
        'entity.unique_integrity_violation',
        body({}),
      );
      await expectError(
        ctx.t,
        'POST',
        '/api/organization-invitations',
        400,
        'request.invalid_input',
        body({ invitee: `x${email}`, expiresAt: Date.now() - 1 }),
      );
      await expectError(
        ctx.t,
        'POST',
        '/api/organization-invitations',
        422,
        'entity.relation_foreign_key_not_found',
        body({ invitee: `y${email}`, organizationId: 'nope' }),
      );
      await expectError(
        ctx.t,
        'POST',
        '/api/organization-invitations',
        501,
        'connector.not_found',
        body({ invitee: `z${email}`, messagePayload: { link: 'https://example.com/join' } }),
      );
      await expectError(
        ctx.t,
        'POST',
        '/api/organization-invitations',
        400,
        'guard.invalid_input',
        body({ invitee: 'not-an-email' }),
      );

      const listed = ok(
        await ctx.api.GET('/api/organization-invitations', { params: { query: { invitee: email.toUpperCase() } } }),
      ) as { id: string }[];
      assert.deepEqual(
        listed.map((i) => i.id),
        [invitation.id],
      );
      assert.deepEqual(
        ok(await ctx.api.GET('/api/organization-invitations/{id}', { params: { path: { id: invitation.id } } })),
        invitation,
      );

      const status = `/api/organization-invitations/${invitation.id}/status`;
      await expectError(ctx.t, 'PUT', status, 422, 'request.invalid_input', { status: 'Accepted' });
      await expectError(ctx.t, 'PUT', status, 404, 'entity.not_found', {
        status: 'Accepted',
        acceptedUserId: 'no-such-user',
      });
      await expectError(ctx.t, 'PUT', status, 422, 'request.invalid_input', {
        status: 'Accepted',
        acceptedUserId: inviter.id,
      });
      const accepted = ok(
        await ctx.api.PUT('/api/organization-invitations/{id}/status', {
          params: { path: { id: invitation.id } },
          body: { status: 'Accepted', acceptedUserId: invitee.id },
        }),
      ) as Record<string, unknown>;
      assert.equal(accepted.status, 'Accepted');
      assert.equal(accepted.acceptedUserId, invitee.id);
      const members = ok(await ctx.api.GET('/api/organizations/{id}/users', { params: { path: { id: org.id } } })) as {
        id: string;
        organizationRoles: { id: string }[];
      }[];
      assert.deepEqual(
        members.map((m) => [m.id, m.organizationRoles.map((r) => r.id)]),
        [[invitee.id, [role.id]]],
      );
      await expectError(ctx.t, 'PUT', status, 422, 'request.invalid_input', { status: 'Revoked' });
      await expectError(ctx.t, 'POST', '/api/organization-invitations', 422, 'request.invalid_input', body({}));

      // Revoked: final.
      const otherEmail = `${unique('other')}@example.com`;
      const other = ok(
        await ctx.api.POST('/api/organization-invitations', {
          body: { invitee: otherEmail, organizationId: org.id, expiresAt: hour, messagePayload: false },
        }),
      ) as { id: string };
      assert.equal(
        (
          ok(
            await ctx.api.PUT('/api/organization-invitations/{id}/status', {
              params: { path: { id: other.id } },
              body: { status: 'Revoked' },
            }),
          ) as { status: string }
        ).status,
        'Revoked',
      );
      await expectError(
        ctx.t,
        'PUT',
        `/api/organization-invitations/${other.id}/status`,
        422,
        'request.invalid_input',
        { status: 'Accepted', acceptedUserId: invitee.id },
      );

      // Expired: reads as Expired, cannot be accepted, and no longer blocks a new invitation.
      const lateEmail = `${unique('late')}@example.com`;
      const late = await newUser(lateEmail);
      const soon = ok(
        await ctx.api.POST('/api/organization-invitations', {
          body: { invitee: lateEmail, organizationId: org.id, expiresAt: hour, messagePayload: false },
        }),
      ) as { id: string };
      // Time passes: the expiry moves into the past.
      await ctx.t.server.database.db
        .updateTable('organization_invitations')
        .set({ expires_at: Date.now() - 1 })
        .where('id', '=', soon.id)
        .execute();
      assert.equal(
        (
          ok(await ctx.api.GET('/api/organization-invitations/{id}', { params: { path: { id: soon.id } } })) as {
            status: string;
          }
        ).status,
        'Expired',
      );
      await expectError(ctx.t, 'PUT', `/api/organization-invitations/${soon.id}/status`, 422, 'request.invalid_input', {
        status: 'Accepted',
        acceptedUserId: late.id,
      });
      assert.deepEqual(
        ok(
          await ctx.api.GET('/api/organizations/{id}/users', {
            params: { path: { id: org.id }, query: { q: late.id } },
          }),
        ),
        [],
      );
      const renewed = await ctx.api.POST('/api/organization-invitations', {
        body: { invitee: lateEmail, organizationId: org.id, expiresAt: hour, messagePayload: false },
      });
      assert.equal(renewed.response.status, 201);

      assert.equal(
        (await ctx.api.DELETE('/api/organization-invitations/{id}', { params: { path: { id: other.id } } })).response
          .status,
        204,
      );
      await expectError(ctx.t, 'GET', `/api/organization-invitations/${other.id}`, 404, 'entity.not_found');
      await expectError(ctx.t, 'DELETE', `/api/organization-invitations/${other.id}`, 404, 'entity.not_found');
    });

    it('deleting an organization takes its members, roles and invitations with it; users stay', async () => {
      const org = await newOrganization();
      const user = await newUser(`${unique('gone')}@example.com`);
      const role = await newOrgRole();
      ok(
        await ctx.api.POST('/api/organizations/{id}/users', {
          params: { path: { id: org.id } },
          body: { userIds: [user.id] },
        }),
      );
      ok(
        await ctx.api.POST('/api/organizations/{id}/users/{userId}/roles', {
          params: { path: { id: org.id, userId: user.id } },
          body: { organizationRoleIds: [role.id] },
        }),
      );
      const inv = ok(
        await ctx.api.POST('/api/organization-invitations', {
          body: {
            invitee: `${unique('x')}@example.com`,
            organizationId: org.id,
            expiresAt: Date.now() + 60_000,
            messagePayload: false,
          },
        }),
      ) as { id: string };
      assert.equal(
        (await ctx.api.DELETE('/api/organizations/{id}', { params: { path: { id: org.id } } })).response.status,
        204,
      );
      assert.deepEqual(
        ok(await ctx.api.GET('/api/organizations/{id}/users', { params: { path: { id: org.id } } })),
        [],
      );
      await expectError(ctx.t, 'GET', `/api/organization-invitations/${inv.id}`, 404, 'entity.not_found');
      assert.equal(
        (await ctx.api.GET('/api/users/{userId}', { params: { path: { userId: user.id } } })).response.status,
        200,
      );
      assert.equal(
        (await ctx.api.GET('/api/organization-roles/{id}', { params: { path: { id: role.id } } })).response.status,
        200,
      );
    });

    it('documents every organization route in the OpenAPI document', async () => {
      const doc = (await ctx.t.request('GET', '/api/swagger.json', { key: null })).json;
      for (const path of [
        '/api/organizations',
        '/api/organizations/{id}',
        '/api/organizations/{id}/users',
        '/api/organizations/{id}/users/{userId}',
        '/api/organizations/{id}/users/{userId}/roles',
        '/api/organizations/{id}/users/{userId}/roles/{organizationRoleId}',
        '/api/organizations/{id}/applications',
        '/api/organizations/{id}/applications/{applicationId}',
        '/api/organization-roles',
        '/api/organization-roles/{id}',
        '/api/organization-roles/{id}/scopes',
        '/api/organization-roles/{id}/scopes/{organizationScopeId}',
        '/api/organization-scopes',
        '/api/organization-scopes/{id}',
        '/api/organization-invitations',
        '/api/organization-invitations/{id}',
        '/api/organization-invitations/{id}/status',
      ]) {
        assert.ok(doc.paths[path], path);
      }
    });
  });
}
