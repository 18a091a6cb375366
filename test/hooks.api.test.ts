import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { devFeatureHookEvents, Hooks, hookEvents, hookResponseGuard } from '@logto/schemas';
import { assertNoOpenServers } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const validHook = {
  name: 'crm sync',
  events: ['User.Created', 'User.Data.Updated'],
  config: { url: 'https://example.com/hook' },
};

for (const store of stores) {
  describe(`/api/hooks (${store})`, () => {
    const ctx = useServer(store);

    it('creates a hook (201) that parses with Logto’s hook guard, with a fresh 32-character signing key', async () => {
      const res = await ctx.t.request('POST', '/api/hooks', {
        body: { ...validHook, events: ['User.Created', 'User.Created', 'User.Data.Updated'] },
      });
      assert.equal(res.status, 201);
      const hook = Hooks.guard.parse(res.json);
      assert.equal(hook.tenantId, 'default');
      assert.match(hook.id, /^[0-9a-z]{21}$/);
      assert.deepEqual(hook.events, ['User.Created', 'User.Data.Updated'], 'events are de-duplicated');
      assert.equal(hook.event, null);
      assert.equal(hook.enabled, true);
      assert.match(hook.signingKey, /^[0-9a-zA-Z]{32}$/);
      assert.equal(res.json.standardSigningKey, `whsec_${Buffer.from(hook.signingKey).toString('base64')}`);
      assert.equal(typeof hook.createdAt, 'number');

      const other = await ctx.t.request('POST', '/api/hooks', { body: validHook });
      assert.notEqual(other.json.signingKey, hook.signingKey);
    });

    it('accepts the legacy single `event`, and a hook without a name', async () => {
      const res = await ctx.t.request('POST', '/api/hooks', {
        body: { event: 'PostSignIn', config: { url: 'http://example.com/x' } },
      });
      assert.equal(res.status, 201);
      assert.equal(res.json.event, 'PostSignIn');
      assert.deepEqual(res.json.events, []);
      assert.equal(res.json.name, '');
      Hooks.guard.parse(res.json);
    });

    it('answers 400 hook.missing_events without events, and guard.invalid_input for empty or unknown events', async () => {
      const missing = await ctx.t.request('POST', '/api/hooks', {
        body: { name: 'x', config: { url: 'https://example.com' } },
      });
      assert.equal(missing.status, 400);
      assert.equal(missing.json.code, 'hook.missing_events');

      const empty = await ctx.t.request('POST', '/api/hooks', { body: { ...validHook, events: [] } });
      assert.equal(empty.status, 400);
      assert.equal(empty.json.code, 'guard.invalid_input');
      assert.equal(empty.json.data.field, 'body.events');

      const unknown = await ctx.t.request('POST', '/api/hooks', { body: { ...validHook, events: ['User.Exploded'] } });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.json.code, 'guard.invalid_input');
      assert.equal(unknown.json.data.field, 'body.events[0]');
    });

    it('stores any non-empty endpoint URL as Logto does (an empty one is 400), and refuses invalid or duplicated header names', async () => {
      for (const url of ['ftp://example.com/x', '/relative/path', 'not a url', 'javascript:alert(1)', 'not_work_url']) {
        const res = await ctx.t.request('POST', '/api/hooks', { body: { ...validHook, config: { url, retries: 2 } } });
        assert.equal(res.status, 201, url);
        assert.deepEqual(res.json.config, { url, retries: 2 }, url);
        await ctx.t.request('DELETE', `/api/hooks/${res.json.id}`);
      }
      const empty = await ctx.t.request('POST', '/api/hooks', { body: { ...validHook, config: { url: '' } } });
      assert.equal(empty.status, 400);
      assert.equal(empty.json.data.field, 'body.config.url');
      const cases: Record<string, string>[] = [
        { 'bad header': 'x' },
        { 'x-ok': 'line\r\nbreak' },
        { 'X-Token': 'a', 'x-token': 'b' },
        { 'Logto-Signature-Sha-256': 'forged' },
        { Host: 'evil.example' },
      ];
      for (const headers of cases) {
        const res = await ctx.t.request('POST', '/api/hooks', {
          body: { ...validHook, config: { url: 'https://example.com', headers } },
        });
        assert.equal(res.status, 400, JSON.stringify(headers));
        assert.equal(res.json.code, 'guard.invalid_input');
        assert.equal(res.json.data.field, 'body.config.headers');
      }
      const missingConfig = await ctx.t.request('POST', '/api/hooks', {
        body: { name: 'x', events: ['User.Created'] },
      });
      assert.equal(missingConfig.status, 400);
      assert.equal(missingConfig.json.data.field, 'body.config');
    });

    it('gets a hook, and answers 404 entity.not_exists_with_id for an unknown one', async () => {
      const created = (await ctx.t.request('POST', '/api/hooks', { body: validHook })).json;
      const res = await ctx.t.request('GET', `/api/hooks/${created.id}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, created);
      const stats = await ctx.t.request('GET', `/api/hooks/${created.id}?includeExecutionStats=true`);
      assert.deepEqual(hookResponseGuard.parse(stats.json).executionStats, { requestCount: 0, successCount: 0 });

      const missing = await ctx.t.request('GET', '/api/hooks/aaaaaaaaaaaaaaaaaaaaa');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, 'entity.not_exists_with_id');
    });

    it('patches a hook: config replaced whole, signingKey ignored, 404 for an unknown hook', async () => {
      const created = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { ...validHook, config: { url: 'https://a.example/x', headers: { 'x-a': '1' } } },
        })
      ).json;
      const res = await ctx.t.request('PATCH', `/api/hooks/${created.id}`, {
        body: {
          name: 'renamed',
          config: { url: 'https://b.example/y' },
          enabled: false,
          signingKey: 'mine',
          events: ['Role.Created'],
        },
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.name, 'renamed');
      assert.deepEqual(res.json.config, { url: 'https://b.example/y' }, 'headers dropped: config is replaced whole');
      assert.equal(res.json.enabled, false);
      assert.deepEqual(res.json.events, ['Role.Created']);
      assert.equal(res.json.signingKey, created.signingKey, 'signingKey in the body is ignored');
      Hooks.guard.parse(res.json);

      const bad = await ctx.t.request('PATCH', `/api/hooks/${created.id}`, {
        body: { config: { url: 'https://b.example/y', headers: { 'bad header': 'x' } } },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.code, 'guard.invalid_input');
      assert.deepEqual(
        (await ctx.t.request('GET', `/api/hooks/${created.id}`)).json.config,
        { url: 'https://b.example/y' },
        'a refused patch changes nothing',
      );
      const anyUrl = await ctx.t.request('PATCH', `/api/hooks/${created.id}`, {
        body: { config: { url: 'gopher://x' } },
      });
      assert.equal(anyUrl.status, 200, 'any non-empty URL is stored, as Logto does');
      await ctx.t.request('PATCH', `/api/hooks/${created.id}`, { body: { config: { url: 'https://b.example/y' } } });

      // Logto's update query finds no row: 404 entity.not_exists, "The hook does not exist."
      const missing = await ctx.t.request('PATCH', '/api/hooks/aaaaaaaaaaaaaaaaaaaaa', { body: { name: 'x' } });
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, 'entity.not_exists');
      assert.equal(missing.json.message, 'The hook does not exist.');
    });

    it('regenerates the signing key', async () => {
      const created = (await ctx.t.request('POST', '/api/hooks', { body: validHook })).json;
      const res = await ctx.t.request('PATCH', `/api/hooks/${created.id}/signing-key`);
      assert.equal(res.status, 200);
      assert.match(res.json.signingKey, /^[0-9a-zA-Z]{32}$/);
      assert.notEqual(res.json.signingKey, created.signingKey);
      assert.equal((await ctx.t.request('GET', `/api/hooks/${created.id}`)).json.signingKey, res.json.signingKey);
      const missing = await ctx.t.request('PATCH', '/api/hooks/aaaaaaaaaaaaaaaaaaaaa/signing-key');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, 'entity.not_exists');
    });

    it('deletes a hook (204), then 404 entity.not_found', async () => {
      const created = (await ctx.t.request('POST', '/api/hooks', { body: validHook })).json;
      const res = await ctx.t.request('DELETE', `/api/hooks/${created.id}`);
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      assert.equal((await ctx.t.request('GET', `/api/hooks/${created.id}`)).status, 404);
      const again = await ctx.t.request('DELETE', `/api/hooks/${created.id}`);
      assert.equal(again.status, 404);
      assert.equal(again.json.code, 'entity.not_found');
    });

    it('lists hooks newest first; pages with Total-Number and Link; includeExecutionStats parses with hookResponseGuard', async () => {
      const all = await ctx.t.request('GET', '/api/hooks');
      assert.equal(all.status, 200);
      assert.equal(all.headers.get('total-number'), null, 'no paging unless asked');
      const createdAts = all.json.map((h: { createdAt: number }) => h.createdAt);
      assert.deepEqual(
        createdAts,
        [...createdAts].sort((a, b) => b - a),
      );
      for (const hook of all.json) Hooks.guard.parse(hook);

      const page = await ctx.t.request('GET', '/api/hooks?page=2&page_size=2');
      assert.equal(page.status, 200);
      assert.equal(page.json.length, 2);
      assert.deepEqual(
        page.json.map((h: { id: string }) => h.id),
        all.json.slice(2, 4).map((h: { id: string }) => h.id),
      );
      assert.equal(page.headers.get('total-number'), String(all.json.length));
      const link = page.headers.get('link') ?? '';
      assert.match(link, /page=1&page_size=2>; rel="first"/);
      assert.match(link, /page=1&page_size=2>; rel="prev"/);
      assert.match(link, /page=3&page_size=2>; rel="next"/);
      assert.match(link, new RegExp(`page=${Math.ceil(all.json.length / 2)}&page_size=2>; rel="last"`));

      for (const bad of ['page=0', 'page_size=101', 'page=abc']) {
        const res = await ctx.t.request('GET', `/api/hooks?${bad}`);
        assert.equal(res.status, 400, bad);
        assert.equal(res.json.code, 'guard.invalid_pagination', bad);
      }

      const withStats = await ctx.t.request('GET', '/api/hooks?includeExecutionStats=true');
      for (const hook of withStats.json) hookResponseGuard.parse(hook);
      const without = await ctx.t.request('GET', '/api/hooks?includeExecutionStats=false');
      assert.equal(without.json[0].executionStats, undefined);
    });

    it('lists the event catalog: exactly Logto’s hookEvents, then Herald’s extensions marked as such, each with a description and an example payload', async () => {
      const res = await ctx.t.request('GET', '/api/hook-events');
      assert.equal(res.status, 200);
      const logto = res.json.filter((e: { extension: boolean }) => !e.extension);
      assert.deepEqual(
        logto.map((e: { name: string }) => e.name),
        [...hookEvents],
      );
      // Logto's development-only events are listed, but not available to hooks.
      assert.deepEqual(
        res.json.filter((e: { available: boolean }) => !e.available).map((e: { name: string }) => e.name),
        [...devFeatureHookEvents],
      );
      const extensions = res.json.filter((e: { extension: boolean }) => e.extension);
      assert.deepEqual(
        extensions.map((e: { name: string; group: string }) => [e.name, e.group]),
        [
          ['Organization.Membership.Roles.Updated', 'Herald extensions'],
          ['User.Roles.Updated', 'Herald extensions'],
          ['SyncHook.Denied', 'Herald extensions'],
          ['SyncHook.Failed', 'Herald extensions'],
        ],
      );
      assert.deepEqual(res.json.slice(0, hookEvents.length), logto, 'Logto’s events come first');
      for (const entry of res.json) {
        assert.ok(['interaction', 'data', 'exception'].includes(entry.category));
        assert.ok(entry.description.length > 10);
        assert.equal(entry.examplePayload.event, entry.name);
        // The event reference (docs/events.md) travels with each event a hook may take.
        assert.ok(Array.isArray(entry.emittedBy));
        if (!entry.available) {
          assert.equal(entry.payloadSchema, undefined);
          continue;
        }
        assert.equal(entry.payloadSchema.type, 'object', entry.name);
        assert.ok(entry.payloadSchema.properties.hookId, `${entry.name} schema has hookId`);
        assert.equal(entry.example.event, entry.name);
        assert.ok(entry.firesWhen.length > 10);
      }
      const userCreated = res.json.find((e: { name: string }) => e.name === 'User.Created');
      assert.ok(userCreated.emittedBy.includes('POST /api/users'), JSON.stringify(userCreated.emittedBy));
    });

    it('shows a rotation grace period only while it lasts, in a hook and in the list alike', async () => {
      const created = await ctx.t.request('POST', '/api/hooks', {
        body: { name: 'grace', events: ['User.Created'], config: { url: 'https://example.com/grace' } },
      });
      const rotated = await ctx.t.request('PATCH', `/api/hooks/${created.json.id}/signing-key`, {
        body: { gracePeriodSeconds: 1 },
      });
      assert.ok(rotated.json.previousSigningKeyExpiresAt > Date.now());
      const listed = async () =>
        (await ctx.t.request('GET', '/api/hooks')).json.find((h: { id: string }) => h.id === created.json.id);
      assert.equal((await listed()).previousSigningKeyExpiresAt, rotated.json.previousSigningKeyExpiresAt);
      await new Promise((r) => setTimeout(r, rotated.json.previousSigningKeyExpiresAt - Date.now() + 50));
      assert.equal(
        (await ctx.t.request('GET', `/api/hooks/${created.json.id}`)).json.previousSigningKeyExpiresAt,
        null,
      );
      assert.equal((await listed()).previousSigningKeyExpiresAt, null, 'the list judges expiry by the time, too');
      await ctx.t.request('DELETE', `/api/hooks/${created.json.id}`);
    });

    it('is documented in the OpenAPI document', async () => {
      const doc = (await ctx.t.request('GET', '/api/swagger.json', { key: null })).json;
      for (const path of [
        '/api/hooks',
        '/api/hooks/{id}',
        '/api/hooks/{id}/signing-key',
        '/api/hooks/{id}/test',
        '/api/hooks/{id}/recent-logs',
        '/api/hooks/{id}/deliveries',
        '/api/hooks/{id}/deliveries/{deliveryId}',
        '/api/hook-events',
      ]) {
        assert.ok(doc.paths[path], path);
      }
    });
  });
}
