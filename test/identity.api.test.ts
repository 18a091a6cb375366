/** Identity routes through Logto's own client: behaviour, Logto's error codes, and no event on failure. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { logtoClient } from './helpers/logto-client.ts';
import { assertNoOpenServers } from './helpers/server.ts';
import { countRows, fails, ok, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

for (const store of stores) {
  describe(`identity API (${store})`, () => {
    const ctx = useServer(store);

    const eventCount = () => countRows(ctx.t, 'events');

    it('refuses the client without a valid key', async () => {
      const res = await logtoClient(ctx.t, 'wrong-key-wrong-key').GET('/api/users');
      fails(res, 401, 'auth.unauthorized');
    });

    it('creates, reads, lists, searches, updates and deletes users', async () => {
      const user = ok(
        await ctx.api.POST('/api/users', {
          body: {
            username: 'grace',
            primaryEmail: 'Grace@Example.com',
            primaryPhone: '15550001',
            password: 'pw-123456',
            name: 'Grace',
            customData: { a: 1 },
            profile: { givenName: 'Grace' },
          },
        }),
      );
      assert.match(user.id, /^[0-9a-z]{21}$/);
      assert.equal(user.hasPassword, true);
      assert.ok(!('password' in user) && !('passwordEncrypted' in user) && !JSON.stringify(user).includes('pw-123456'));
      assert.deepEqual(ok(await ctx.api.GET('/api/users/{userId}', { params: { path: { userId: user.id } } })), user);

      const page = await ctx.api.GET('/api/users', {
        params: { query: { page: 1, page_size: 1, search: '%grac%' } as never },
      });
      assert.equal(ok<unknown[]>(page).length, 1);
      assert.equal(page.response.headers.get('total-number'), '1');
      const none = await ctx.api.GET('/api/users', { params: { query: { 'search.username': 'nobody' } as never } });
      assert.deepEqual(ok(none), []);
      const badSearch = await ctx.api.GET('/api/users', { params: { query: { 'search.password': 'x' } as never } });
      fails(badSearch, 400, 'request.invalid_input');

      const patched = ok(
        await ctx.api.PATCH('/api/users/{userId}', {
          params: { path: { userId: user.id } },
          body: { primaryPhone: null, customData: { b: 2 } },
        }),
      );
      assert.equal(patched.primaryPhone, null);
      assert.deepEqual(patched.customData, { b: 2 }, 'PATCH replaces customData');
      assert.ok(patched.updatedAt >= user.updatedAt);

      const merged = ok(
        await ctx.api.PATCH('/api/users/{userId}/custom-data', {
          params: { path: { userId: user.id } },
          body: { customData: { c: 3 } },
        }),
      );
      assert.deepEqual(merged, { b: 2, c: 3 }, 'custom-data merges');
      const profile = ok(
        await ctx.api.PATCH('/api/users/{userId}/profile', {
          params: { path: { userId: user.id } },
          body: { profile: { nickname: 'g' } },
        }),
      );
      assert.deepEqual(profile, { givenName: 'Grace', nickname: 'g' });

      const verify = await ctx.api.POST('/api/users/{userId}/password/verify', {
        params: { path: { userId: user.id } },
        body: { password: 'pw-123456' },
      });
      assert.equal(verify.response.status, 204);
      fails(
        await ctx.api.POST('/api/users/{userId}/password/verify', {
          params: { path: { userId: user.id } },
          body: { password: 'wrong' },
        }),
        422,
        'session.invalid_credentials',
      );
      ok(
        await ctx.api.PATCH('/api/users/{userId}/password', {
          params: { path: { userId: user.id } },
          body: { password: 'new-password' },
        }),
      );
      assert.equal(
        (
          await ctx.api.POST('/api/users/{userId}/password/verify', {
            params: { path: { userId: user.id } },
            body: { password: 'new-password' },
          })
        ).response.status,
        204,
      );

      const suspended = ok(
        await ctx.api.PATCH('/api/users/{userId}/is-suspended', {
          params: { path: { userId: user.id } },
          body: { isSuspended: true },
        }),
      );
      assert.equal(suspended.isSuspended, true);

      assert.equal(
        (await ctx.api.DELETE('/api/users/{userId}', { params: { path: { userId: user.id } } })).response.status,
        204,
      );
      fails(
        await ctx.api.GET('/api/users/{userId}', { params: { path: { userId: user.id } } }),
        404,
        'entity.not_found',
      );
    });

    it('answers conflicts with 422 and Logto’s codes, bad input with 400, unknown ids with 404 — and emits nothing for any of them', async () => {
      ok(
        await ctx.api.POST('/api/users', {
          body: { username: 'taken', primaryEmail: 'taken@example.com', primaryPhone: '15550002' },
        }),
      );
      const other = ok(await ctx.api.POST('/api/users', { body: { username: 'other' } }));
      const before = await eventCount();

      fails(await ctx.api.POST('/api/users', { body: { username: 'taken' } }), 422, 'user.username_already_in_use');
      fails(
        await ctx.api.POST('/api/users', { body: { primaryEmail: 'TAKEN@example.com' } }),
        422,
        'user.email_already_in_use',
      );
      fails(await ctx.api.POST('/api/users', { body: { primaryPhone: '15550002' } }), 422, 'user.phone_already_in_use');
      fails(
        await ctx.api.PATCH('/api/users/{userId}', {
          params: { path: { userId: other.id } },
          body: { username: 'taken' },
        }),
        422,
        'user.username_already_in_use',
      );
      fails(await ctx.api.POST('/api/users', { body: { username: '1starts-with-digit' } }), 400, 'guard.invalid_input');
      fails(await ctx.api.POST('/api/users', { body: { primaryEmail: 'not-an-email' } }), 400, 'guard.invalid_input');
      fails(await ctx.api.POST('/api/users', { body: { primaryPhone: '+1 555' } }), 400, 'guard.invalid_input');
      fails(
        await ctx.api.POST('/api/users', {
          body: { password: 'x', passwordDigest: 'y', passwordAlgorithm: 'Argon2id' },
        }),
        400,
        'user.password_and_digest',
      );
      fails(
        await ctx.api.PATCH('/api/users/{userId}', {
          params: { path: { userId: 'aaaaaaaaaaaaaaaaaaaaa' } },
          body: { name: 'x' },
        }),
        404,
        'entity.not_found',
      );
      fails(
        await ctx.api.PATCH('/api/users/{userId}/is-suspended', {
          params: { path: { userId: other.id } },
          body: { isSuspended: 'yes' as never },
        }),
        400,
        'guard.invalid_input',
      );
      fails(
        await ctx.api.DELETE('/api/users/{userId}', { params: { path: { userId: 'aaaaaaaaaaaaaaaaaaaaa' } } }),
        404,
        'entity.not_found',
      );

      ok(await ctx.api.POST('/api/roles', { body: { name: 'dup-role', description: 'd' } }));
      fails(
        await ctx.api.POST('/api/roles', { body: { name: 'dup-role', description: 'd' } }),
        422,
        'role.name_in_use',
      );
      fails(
        await ctx.api.POST('/api/roles', { body: { name: 'no-description' } as never }),
        400,
        'guard.invalid_input',
      );
      fails(
        await ctx.api.POST('/api/roles', {
          body: { name: 'bad-scopes', description: 'd', scopeIds: ['aaaaaaaaaaaaaaaaaaaaa'] },
        }),
        404,
        'entity.not_exists_with_id',
      );
      const afterRoleFailure = await ctx.api.GET('/api/roles', {
        params: { query: { 'search.name': 'bad-scopes' } as never },
      });
      assert.deepEqual(ok(afterRoleFailure), [], 'the role of a failed create is rolled back');
      fails(
        await ctx.api.PATCH('/api/roles/{id}', {
          params: { path: { id: 'aaaaaaaaaaaaaaaaaaaaa' } },
          body: { name: 'x' },
        }),
        404,
        'entity.not_exists_with_id',
      );

      const resource = ok(
        await ctx.api.POST('/api/resources', { body: { name: 'Orders', indicator: 'https://orders.example.com' } }),
      );
      fails(
        await ctx.api.POST('/api/resources', { body: { name: 'Again', indicator: 'https://orders.example.com' } }),
        422,
        'resource.resource_identifier_in_use',
      );
      ok(
        await ctx.api.POST('/api/resources/{resourceId}/scopes', {
          params: { path: { resourceId: resource.id } },
          body: { name: 'read:orders' },
        }),
      );
      fails(
        await ctx.api.POST('/api/resources/{resourceId}/scopes', {
          params: { path: { resourceId: resource.id } },
          body: { name: 'read:orders' },
        }),
        422,
        'scope.name_exists',
      );
      fails(
        await ctx.api.POST('/api/resources/{resourceId}/scopes', {
          params: { path: { resourceId: resource.id } },
          body: { name: 'has space' },
        }),
        400,
        'scope.name_with_space',
      );
      fails(
        await ctx.api.POST('/api/resources/{resourceId}/scopes', {
          params: { path: { resourceId: 'aaaaaaaaaaaaaaaaaaaaa' } },
          body: { name: 'x' },
        }),
        404,
        'entity.not_exists_with_id',
      );
      fails(
        await ctx.api.DELETE('/api/resources/{resourceId}/scopes/{scopeId}', {
          params: { path: { resourceId: resource.id, scopeId: 'aaaaaaaaaaaaaaaaaaaaa' } },
        }),
        404,
        'entity.not_found',
      );

      // Creating the resource and one scope above emitted exactly one event (Scope.Created); the failures none.
      assert.equal(await eventCount(), before + 2, 'only the successful role and scope creations emitted');
    });

    it('assigns roles to users in both directions, with Logto’s rules', async () => {
      const user = ok(await ctx.api.POST('/api/users', { body: { username: 'assignee' } }));
      const r1 = ok(await ctx.api.POST('/api/roles', { body: { name: 'reader', description: 'r' } }));
      const r2 = ok(await ctx.api.POST('/api/roles', { body: { name: 'writer', description: 'w' } }));
      const m2m = ok(
        await ctx.api.POST('/api/roles', { body: { name: 'machine', description: 'm', type: 'MachineToMachine' } }),
      );

      const added = await ctx.api.POST('/api/users/{userId}/roles', {
        params: { path: { userId: user.id } },
        body: { roleIds: [r1.id] },
      });
      assert.equal(added.response.status, 201);
      assert.deepEqual(ok(added), { roleIds: [r1.id], addedRoleIds: [r1.id] });
      assert.deepEqual(
        ok(
          await ctx.api.POST('/api/users/{userId}/roles', {
            params: { path: { userId: user.id } },
            body: { roleIds: [r1.id, r2.id] },
          }),
        ),
        { roleIds: [r1.id, r2.id], addedRoleIds: [r2.id] },
      );
      fails(
        await ctx.api.POST('/api/users/{userId}/roles', {
          params: { path: { userId: user.id } },
          body: { roleIds: [m2m.id] },
        }),
        422,
        'user.invalid_role_type',
      );
      const roles = ok<{ id: string }[]>(
        await ctx.api.GET('/api/users/{userId}/roles', { params: { path: { userId: user.id } } }),
      );
      assert.deepEqual(roles.map((r) => r.id).sort(), [r1.id, r2.id].sort());

      assert.deepEqual(
        ok(
          await ctx.api.PUT('/api/users/{userId}/roles', {
            params: { path: { userId: user.id } },
            body: { roleIds: [r2.id] },
          }),
        ),
        { roleIds: [r2.id] },
      );
      assert.deepEqual(
        ok<{ id: string }[]>(
          await ctx.api.GET('/api/users/{userId}/roles', { params: { path: { userId: user.id } } }),
        ).map((r) => r.id),
        [r2.id],
      );

      fails(
        await ctx.api.POST('/api/roles/{id}/users', { params: { path: { id: r2.id } }, body: { userIds: [user.id] } }),
        422,
        'role.user_exists',
      );
      const viaRole = await ctx.api.POST('/api/roles/{id}/users', {
        params: { path: { id: r1.id } },
        body: { userIds: [user.id] },
      });
      assert.equal(viaRole.response.status, 201);
      const holders = ok<{ id: string }[]>(
        await ctx.api.GET('/api/roles/{id}/users', { params: { path: { id: r1.id } } }),
      );
      assert.deepEqual(
        holders.map((u) => u.id),
        [user.id],
      );
      const listed = ok<{ id: string; usersCount: number; featuredUsers: { id: string }[] }[]>(
        await ctx.api.GET('/api/roles', { params: { query: { 'search.name': 'reader' } as never } }),
      );
      assert.equal(listed[0]?.usersCount, 1);
      assert.equal(listed[0]?.featuredUsers[0]?.id, user.id);

      assert.equal(
        (
          await ctx.api.DELETE('/api/users/{userId}/roles/{roleId}', {
            params: { path: { userId: user.id, roleId: r1.id } },
          })
        ).response.status,
        204,
      );
      fails(
        await ctx.api.DELETE('/api/users/{userId}/roles/{roleId}', {
          params: { path: { userId: user.id, roleId: r1.id } },
        }),
        404,
        'entity.not_found',
      );
      assert.equal(
        (await ctx.api.DELETE('/api/roles/{id}/users/{userId}', { params: { path: { id: r2.id, userId: user.id } } }))
          .response.status,
        204,
      );
      fails(
        await ctx.api.DELETE('/api/roles/{id}/users/{userId}', { params: { path: { id: r2.id, userId: user.id } } }),
        404,
        'entity.not_found',
      );
    });

    it('links scopes to roles and lists them with their resource', async () => {
      const resource = ok(
        await ctx.api.POST('/api/resources', { body: { name: 'Billing', indicator: 'https://billing.example.com' } }),
      );
      const scope = ok(
        await ctx.api.POST('/api/resources/{resourceId}/scopes', {
          params: { path: { resourceId: resource.id } },
          body: { name: 'read:invoices' },
        }),
      );
      const role = ok(await ctx.api.POST('/api/roles', { body: { name: 'billing', description: 'b' } }));
      ok(
        await ctx.api.POST('/api/roles/{id}/scopes', {
          params: { path: { id: role.id } },
          body: { scopeIds: [scope.id] },
        }),
      );
      fails(
        await ctx.api.POST('/api/roles/{id}/scopes', {
          params: { path: { id: role.id } },
          body: { scopeIds: [scope.id] },
        }),
        422,
        'role.scope_exists',
      );
      fails(
        await ctx.api.POST('/api/roles/{id}/scopes', { params: { path: { id: role.id } }, body: { scopeIds: [] } }),
        400,
        'guard.invalid_input',
      );
      const scopes = ok<{ id: string; resource: { id: string } }[]>(
        await ctx.api.GET('/api/roles/{id}/scopes', { params: { path: { id: role.id } } }),
      );
      assert.equal(scopes[0]?.id, scope.id);
      assert.equal(scopes[0]?.resource.id, resource.id);
      const withScopes = ok<{ id: string; scopes: { id: string }[] }[]>(
        await ctx.api.GET('/api/resources', { params: { query: { includeScopes: 'true' } } }),
      );
      assert.deepEqual(
        withScopes.find((r) => r.id === resource.id)?.scopes.map((s) => s.id),
        [scope.id],
      );
      assert.equal(
        (await ctx.api.DELETE('/api/resources/{id}', { params: { path: { id: resource.id } } })).response.status,
        204,
      );
      assert.deepEqual(
        ok(await ctx.api.GET('/api/roles/{id}/scopes', { params: { path: { id: role.id } } })),
        [],
        'scopes of a deleted resource are gone from roles',
      );
    });

    it('manages applications', async () => {
      const spa = ok(
        await ctx.api.POST('/api/applications', {
          body: {
            name: 'Web',
            type: 'SPA',
            oidcClientMetadata: { redirectUris: ['https://app.example.com/cb'], postLogoutRedirectUris: [] },
          } as never,
        }),
      );
      assert.equal(spa.type, 'SPA');
      assert.deepEqual(spa.oidcClientMetadata.redirectUris, ['https://app.example.com/cb']);
      const m2m = ok(await ctx.api.POST('/api/applications', { body: { name: 'Worker', type: 'MachineToMachine' } }));
      assert.match(m2m.secret, /^[0-9A-Za-z]{32}$/);
      fails(
        await ctx.api.POST('/api/applications', { body: { name: 'x', type: 'MachineToMachine', isThirdParty: true } }),
        400,
        'application.invalid_third_party_application_type',
      );
      fails(
        await ctx.api.POST('/api/applications', { body: { name: 'x', type: 'Mainframe' as never } }),
        400,
        'guard.invalid_input',
      );
      const onlySpa = ok<{ id: string }[]>(
        await ctx.api.GET('/api/applications', { params: { query: { types: ['SPA'] } as never } }),
      );
      assert.ok(onlySpa.every((a) => a.id !== m2m.id) && onlySpa.some((a) => a.id === spa.id));
      const patched = ok(
        await ctx.api.PATCH('/api/applications/{id}', {
          params: { path: { id: spa.id } },
          body: { name: 'Web 2', type: 'Native' } as never,
        }),
      );
      assert.equal(patched.name, 'Web 2');
      assert.equal(patched.type, 'SPA', 'the type cannot change');
      assert.equal(
        ok(await ctx.api.GET('/api/applications/{id}', { params: { path: { id: spa.id } } })).isAdmin,
        false,
      );
      assert.equal(
        (await ctx.api.DELETE('/api/applications/{id}', { params: { path: { id: spa.id } } })).response.status,
        204,
      );
      fails(
        await ctx.api.GET('/api/applications/{id}', { params: { path: { id: spa.id } } }),
        404,
        'entity.not_exists_with_id',
      );
    });
  });
}

for (const store of stores) {
  describe(`identity edge cases (${store})`, () => {
    const ctx = useServer(store);

    it('answers odd search keys and unpaired backslashes with 400, and escapes the same on both stores', async () => {
      for (const query of [
        'search.constructor=x',
        'search.__proto__=x',
        'search.toString=x',
        'search=%5C',
        'search.username=ab%5C',
      ]) {
        const res = await ctx.t.request('GET', `/api/users?${query}`);
        assert.equal(res.status, 400, `${query}: ${res.text}`);
        assert.equal(res.json.code, 'request.invalid_input');
      }
      await ctx.t.request('POST', '/api/users', { body: { username: 'under_score' } });
      await ctx.t.request('POST', '/api/users', { body: { username: 'underXscore' } });
      const literal = await ctx.t.request('GET', `/api/users?search.username=${encodeURIComponent('under\\_score')}`);
      assert.deepEqual(
        literal.json.map((u: { username: string }) => u.username),
        ['under_score'],
        'an escaped _ matches only itself',
      );
    });

    it('keeps every key of concurrent custom-data merges', async () => {
      const user = (await ctx.t.request('POST', '/api/users', { body: { username: 'merger' } })).json;
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          ctx.t.request('PATCH', `/api/users/${user.id}/custom-data`, { body: { customData: { [`k${i}`]: i } } }),
        ),
      );
      const final = (await ctx.t.request('GET', `/api/users/${user.id}`)).json;
      assert.equal(Object.keys(final.customData).length, 10);
    });

    it('answers concurrent duplicate creates and role assignments with Logto’s codes, never 500', async () => {
      const creates = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          ctx.t.request('POST', '/api/users', { body: { primaryEmail: i % 2 ? 'Race@x.com' : 'race@x.com' } }),
        ),
      );
      assert.equal(creates.filter((r) => r.status === 200).length, 1, 'exactly one email wins, whatever its case');
      for (const r of creates.filter((r) => r.status !== 200)) assert.equal(r.json.code, 'user.email_already_in_use');

      const user = (await ctx.t.request('POST', '/api/users', { body: { username: 'racer' } })).json;
      const roles: string[] = [];
      for (let i = 0; i < 4; i++)
        roles.push(
          (await ctx.t.request('POST', '/api/roles', { body: { name: `race-${i}`, description: 'r' } })).json.id,
        );
      const results = await Promise.all([
        ...Array.from({ length: 4 }, () =>
          ctx.t.request('POST', `/api/users/${user.id}/roles`, { body: { roleIds: roles } }),
        ),
        ctx.t.request('PUT', `/api/users/${user.id}/roles`, { body: { roleIds: [...roles].reverse() } }),
        ctx.t.request('PUT', `/api/users/${user.id}/roles`, { body: { roleIds: roles } }),
      ]);
      for (const r of results) assert.ok(r.status < 500 || r.json.code === 'database.busy', `${r.status} ${r.text}`);
      assert.ok(
        results.slice(0, 4).every((r) => r.status === 201),
        'POST skips roles already held, even when another request just added them',
      );
    });

    it('refuses imported password digests it could not verify at a bounded cost', async () => {
      const res = await ctx.t.request('POST', '/api/users', {
        body: {
          username: 'imported',
          passwordDigest: '$argon2id$v=19$m=19456,t=2,p=0$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA',
          passwordAlgorithm: 'Argon2id',
        },
      });
      assert.equal(res.status, 400);
      assert.equal(res.json.data.field, 'body.passwordDigest');
    });

    it('accepts a DELETE carrying a JSON content type and no body', async () => {
      const role = (
        await ctx.t.request('POST', '/api/roles', { body: { name: 'deleted-with-header', description: 'd' } })
      ).json;
      const res = await ctx.t.request('DELETE', `/api/roles/${role.id}`, {
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 204, res.text);
    });
  });
}
