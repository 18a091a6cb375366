/**
 * Coverage: every route of Logto's `managementApiHooksRegistration`, organizations included, driven
 * through Logto's own client, delivers its event to a real receiver with Logto's payload and valid
 * signatures; plus Logto's explicit events (User.Deleted, Role.Scopes.Updated on role creation).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { managementApiHooksRegistration, userInfoSelectFields } from '@logto/schemas';
import { Webhook } from 'standardwebhooks';
import { HOOK_EVENTS } from '../src/events/index.ts';
import type { Received } from './helpers/receiver.ts';
import { assertNoOpenServers } from './helpers/server.ts';
import { ok, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

interface Performed {
  params: Record<string, string>;
  status: number;
  data: unknown;
}

for (const store of stores) {
  describe(`identity events (${store})`, () => {
    const ctx = useServer(store, { receiver: true, hook: { name: 'all', events: HOOK_EVENTS } });

    const newUser = async (username: string) =>
      ok(await ctx.api.POST('/api/users', { body: { username, password: 'initial-password' } })) as { id: string };
    const newResource = async (indicator: string) =>
      ok(await ctx.api.POST('/api/resources', { body: { name: indicator, indicator } })) as { id: string };
    const newScope = async (resourceId: string, name: string) =>
      ok(
        await ctx.api.POST('/api/resources/{resourceId}/scopes', { params: { path: { resourceId } }, body: { name } }),
      ) as { id: string };
    const newRole = async (name: string) =>
      ok(await ctx.api.POST('/api/roles', { body: { name, description: name } })) as { id: string };
    const newOrganization = async (name: string) =>
      ok(await ctx.api.POST('/api/organizations', { body: { name } })) as { id: string };
    const newOrgRole = async (name: string) =>
      ok(
        await ctx.api.POST('/api/organization-roles', {
          body: { name, organizationScopeIds: [], resourceScopeIds: [] },
        }),
      ) as { id: string };
    const newOrgScope = async (name: string) =>
      ok(await ctx.api.POST('/api/organization-scopes', { body: { name } })) as { id: string };

    /** One way to perform each registered route; the map's keys must cover the registration table. */
    const perform: Record<string, () => Promise<Performed>> = {
      'POST /users': async () => {
        const res = await ctx.api.POST('/api/users', {
          body: { username: 'created_user', primaryEmail: 'created@example.com', name: 'Created' },
        });
        return { params: {}, status: 200, data: ok(res) };
      },
      'PATCH /users/:userId': async () => {
        const user = await newUser('patched_user');
        const res = await ctx.api.PATCH('/api/users/{userId}', {
          params: { path: { userId: user.id } },
          body: { name: 'Patched', customData: { plan: 'pro' } },
        });
        return { params: { userId: user.id }, status: 200, data: ok(res) };
      },
      'PATCH /users/:userId/custom-data': async () => {
        const user = await newUser('custom_user');
        const res = await ctx.api.PATCH('/api/users/{userId}/custom-data', {
          params: { path: { userId: user.id } },
          body: { customData: { tier: 2 } },
        });
        return { params: { userId: user.id }, status: 200, data: ok(res) };
      },
      'PATCH /users/:userId/profile': async () => {
        const user = await newUser('profile_user');
        const res = await ctx.api.PATCH('/api/users/{userId}/profile', {
          params: { path: { userId: user.id } },
          body: { profile: { nickname: 'nick' } },
        });
        return { params: { userId: user.id }, status: 200, data: ok(res) };
      },
      'PATCH /users/:userId/password': async () => {
        const user = await newUser('password_user');
        const res = await ctx.api.PATCH('/api/users/{userId}/password', {
          params: { path: { userId: user.id } },
          body: { password: 'a-new-password' },
        });
        return { params: { userId: user.id }, status: 200, data: ok(res) };
      },
      'PATCH /users/:userId/is-suspended': async () => {
        const user = await newUser('suspended_user');
        const res = await ctx.api.PATCH('/api/users/{userId}/is-suspended', {
          params: { path: { userId: user.id } },
          body: { isSuspended: true },
        });
        return { params: { userId: user.id }, status: 200, data: ok(res) };
      },
      'POST /roles': async () => {
        const res = await ctx.api.POST('/api/roles', { body: { name: 'created-role', description: 'Created role' } });
        return { params: {}, status: 200, data: ok(res) };
      },
      'DELETE /roles/:id': async () => {
        const role = await newRole('deleted-role');
        const res = await ctx.api.DELETE('/api/roles/{id}', { params: { path: { id: role.id } } });
        assert.equal(res.response.status, 204);
        return { params: { id: role.id }, status: 204, data: undefined };
      },
      'PATCH /roles/:id': async () => {
        const role = await newRole('patched-role');
        const res = await ctx.api.PATCH('/api/roles/{id}', {
          params: { path: { id: role.id } },
          body: { description: 'Patched role' },
        });
        return { params: { id: role.id }, status: 200, data: ok(res) };
      },
      'POST /roles/:id/scopes': async () => {
        const role = await newRole('scoped-role');
        const resource = await newResource('https://api.example.com/scoped');
        const scope = await newScope(resource.id, 'read:things');
        const res = await ctx.api.POST('/api/roles/{id}/scopes', {
          params: { path: { id: role.id } },
          body: { scopeIds: [scope.id] },
        });
        assert.equal(res.response.status, 201);
        return { params: { id: role.id }, status: 201, data: ok(res) };
      },
      'DELETE /roles/:id/scopes/:scopeId': async () => {
        const role = await newRole('unscoped-role');
        const resource = await newResource('https://api.example.com/unscoped');
        const scope = await newScope(resource.id, 'write:things');
        ok(
          await ctx.api.POST('/api/roles/{id}/scopes', {
            params: { path: { id: role.id } },
            body: { scopeIds: [scope.id] },
          }),
        );
        const res = await ctx.api.DELETE('/api/roles/{id}/scopes/{scopeId}', {
          params: { path: { id: role.id, scopeId: scope.id } },
        });
        assert.equal(res.response.status, 204);
        return { params: { id: role.id, scopeId: scope.id }, status: 204, data: undefined };
      },
      'POST /resources/:resourceId/scopes': async () => {
        const resource = await newResource('https://api.example.com/created-scope');
        const res = await ctx.api.POST('/api/resources/{resourceId}/scopes', {
          params: { path: { resourceId: resource.id } },
          body: { name: 'create:scope', description: 'd' },
        });
        assert.equal(res.response.status, 201);
        return { params: { resourceId: resource.id }, status: 201, data: ok(res) };
      },
      'DELETE /resources/:resourceId/scopes/:scopeId': async () => {
        const resource = await newResource('https://api.example.com/deleted-scope');
        const scope = await newScope(resource.id, 'delete:scope');
        const res = await ctx.api.DELETE('/api/resources/{resourceId}/scopes/{scopeId}', {
          params: { path: { resourceId: resource.id, scopeId: scope.id } },
        });
        assert.equal(res.response.status, 204);
        return { params: { resourceId: resource.id, scopeId: scope.id }, status: 204, data: undefined };
      },
      'POST /organizations': async () => {
        const res = await ctx.api.POST('/api/organizations', {
          body: { name: 'Created org', description: 'B2B', customData: { plan: 'team' } },
        });
        assert.equal(res.response.status, 201);
        return { params: {}, status: 201, data: ok(res) };
      },
      'PATCH /organizations/:id': async () => {
        const org = await newOrganization('Patched org');
        const res = await ctx.api.PATCH('/api/organizations/{id}', {
          params: { path: { id: org.id } },
          body: { description: 'patched', isMfaRequired: true },
        });
        return { params: { id: org.id }, status: 200, data: ok(res) };
      },
      'DELETE /organizations/:id': async () => {
        const org = await newOrganization('Deleted org');
        const res = await ctx.api.DELETE('/api/organizations/{id}', { params: { path: { id: org.id } } });
        assert.equal(res.response.status, 204);
        return { params: { id: org.id }, status: 204, data: undefined };
      },
      'POST /organization-roles': async () => {
        const res = await ctx.api.POST('/api/organization-roles', {
          body: { name: 'created-org-role', description: 'd', organizationScopeIds: [], resourceScopeIds: [] },
        });
        assert.equal(res.response.status, 201);
        return { params: {}, status: 201, data: ok(res) };
      },
      'PATCH /organization-roles/:id': async () => {
        const role = await newOrgRole('patched-org-role');
        const res = await ctx.api.PATCH('/api/organization-roles/{id}', {
          params: { path: { id: role.id } },
          body: { description: 'patched' },
        });
        return { params: { id: role.id }, status: 200, data: ok(res) };
      },
      'DELETE /organization-roles/:id': async () => {
        const role = await newOrgRole('deleted-org-role');
        const res = await ctx.api.DELETE('/api/organization-roles/{id}', { params: { path: { id: role.id } } });
        assert.equal(res.response.status, 204);
        return { params: { id: role.id }, status: 204, data: undefined };
      },
      'POST /organization-roles/:id/scopes': async () => {
        const role = await newOrgRole('scoped-org-role');
        const scope = await newOrgScope('read:members');
        const res = await ctx.api.POST('/api/organization-roles/{id}/scopes', {
          params: { path: { id: role.id } },
          body: { organizationScopeIds: [scope.id] },
        });
        assert.equal(res.response.status, 201);
        return { params: { id: role.id }, status: 201, data: undefined };
      },
      'PUT /organization-roles/:id/scopes': async () => {
        const role = await newOrgRole('replaced-org-role');
        const scope = await newOrgScope('write:members');
        const res = await ctx.api.PUT('/api/organization-roles/{id}/scopes', {
          params: { path: { id: role.id } },
          body: { organizationScopeIds: [scope.id] },
        });
        assert.equal(res.response.status, 204);
        return { params: { id: role.id }, status: 204, data: undefined };
      },
      'DELETE /organization-roles/:id/scopes/:organizationScopeId': async () => {
        const role = await newOrgRole('unscoped-org-role');
        const scope = await newOrgScope('delete:members');
        ok(
          await ctx.api.POST('/api/organization-roles/{id}/scopes', {
            params: { path: { id: role.id } },
            body: { organizationScopeIds: [scope.id] },
          }),
        );
        const res = await ctx.api.DELETE('/api/organization-roles/{id}/scopes/{organizationScopeId}', {
          params: { path: { id: role.id, organizationScopeId: scope.id } },
        });
        assert.equal(res.response.status, 204);
        return { params: { id: role.id, organizationScopeId: scope.id }, status: 204, data: undefined };
      },
      'POST /organization-scopes': async () => {
        const res = await ctx.api.POST('/api/organization-scopes', {
          body: { name: 'created:scope', description: 'd' },
        });
        assert.equal(res.response.status, 201);
        return { params: {}, status: 201, data: ok(res) };
      },
      'PATCH /organization-scopes/:id': async () => {
        const scope = await newOrgScope('patched:scope');
        const res = await ctx.api.PATCH('/api/organization-scopes/{id}', {
          params: { path: { id: scope.id } },
          body: { description: 'patched' },
        });
        return { params: { id: scope.id }, status: 200, data: ok(res) };
      },
      'DELETE /organization-scopes/:id': async () => {
        const scope = await newOrgScope('deleted:scope');
        const res = await ctx.api.DELETE('/api/organization-scopes/{id}', { params: { path: { id: scope.id } } });
        assert.equal(res.response.status, 204);
        return { params: { id: scope.id }, status: 204, data: undefined };
      },
      'PATCH /resources/:resourceId/scopes/:scopeId': async () => {
        const resource = await newResource('https://api.example.com/patched-scope');
        const scope = await newScope(resource.id, 'patch:scope');
        const res = await ctx.api.PATCH('/api/resources/{resourceId}/scopes/{scopeId}', {
          params: { path: { resourceId: resource.id, scopeId: scope.id } },
          body: { description: 'patched' },
        });
        return { params: { resourceId: resource.id, scopeId: scope.id }, status: 200, data: ok(res) };
      },
    };

    function assertSigned(req: Received) {
      assert.equal(
        req.headers['logto-signature-sha-256'],
        createHmac('sha256', ctx.hook.signingKey).update(req.body).digest('hex'),
      );
      new Webhook(ctx.hook.standardSigningKey).verify(req.body, {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      });
    }

    const registered = Object.entries(managementApiHooksRegistration);

    it('covers every registration, organizations included', () => {
      assert.deepEqual(Object.keys(perform).sort(), registered.map(([key]) => key).sort());
    });

    for (const [key, event] of registered) {
      it(`${key} → ${event}`, async () => {
        const [method, route] = key.split(' ') as [string, string];
        const performed = await perform[key]!();
        const path = Object.entries(performed.params).reduce((p, [name, value]) => p.replace(`:${name}`, value), route);
        // Creations share a path with the set-up of other cases: tell them apart by the created id.
        const createdId = (performed.data as { id?: unknown } | undefined)?.id;
        const matches = (r: Received) =>
          r.json?.event === event &&
          r.json.path === path &&
          r.json.method === method &&
          (createdId === undefined || r.json.data?.id === createdId);
        const [req] = (await ctx.receiver.waitFor((rs) => rs.some(matches))).filter(matches);
        assert.ok(req);
        const body = req.json;
        assert.equal(body.matchedRoute, route);
        assert.equal(body.status, performed.status);
        assert.deepEqual(body.params, performed.params);
        assert.deepEqual(body.data, performed.data, 'data is the response body');
        if (performed.data === undefined) assert.ok(!('data' in body), 'no data when the response has none');
        assert.equal(body.hookId, ctx.hook.id);
        assert.equal(typeof body.userAgent, 'string');
        assert.equal(body.ip, '127.0.0.1');
        assert.match(body.createdAt, /Z$/);
        assert.deepEqual(Object.keys(body), [
          'event',
          'createdAt',
          'userAgent',
          'ip',
          'path',
          'method',
          'status',
          'params',
          'matchedRoute',
          ...(performed.data === undefined ? [] : ['data']),
          'hookId',
        ]);
        assertSigned(req);
      });
    }

    it('DELETE /users/:userId → User.Deleted carrying the user as it was (userInfoSelectFields)', async () => {
      const user = ok(
        await ctx.api.POST('/api/users', { body: { username: 'doomed', primaryEmail: 'doomed@example.com' } }),
      ) as Record<string, unknown> & { id: string };
      const res = await ctx.api.DELETE('/api/users/{userId}', { params: { path: { userId: user.id } } });
      assert.equal(res.response.status, 204);
      const matches = (r: Received) => r.json?.event === 'User.Deleted' && r.json.params?.userId === user.id;
      const [req] = (await ctx.receiver.waitFor((rs) => rs.some(matches))).filter(matches);
      assert.ok(req);
      assert.equal(req.json.status, 204);
      assert.equal(req.json.matchedRoute, '/users/:userId');
      assert.deepEqual(Object.keys(req.json.data).sort(), [...userInfoSelectFields].sort());
      assert.equal(req.json.data.username, 'doomed');
      assertSigned(req);
    });

    it('POST /roles with scopeIds → Role.Created and Role.Scopes.Updated with roleId and the scopes', async () => {
      const resource = await newResource('https://api.example.com/preassigned');
      const scope = await newScope(resource.id, 'pre:assigned');
      const role = ok(
        await ctx.api.POST('/api/roles', {
          body: { name: 'preassigned', description: 'with scopes', scopeIds: [scope.id] },
        }),
      ) as { id: string };
      const updated = (r: Received) => r.json?.event === 'Role.Scopes.Updated' && r.json.roleId === role.id;
      const created = (r: Received) => r.json?.event === 'Role.Created' && r.json.data?.id === role.id;
      const requests = await ctx.receiver.waitFor((rs) => rs.some(updated) && rs.some(created));
      const req = requests.find(updated)!;
      assert.equal(req.json.path, '/roles');
      assert.equal(req.json.matchedRoute, '/roles');
      assert.deepEqual(
        req.json.data.map((s: { id: string }) => s.id),
        [scope.id],
      );
      assertSigned(req);
    });
  });
}
