/**
 * Roles and API resources in the admin console, in a real browser (Debian's Chromium driven by
 * playwright-core) against the real server (each store), with a real receiver subscribed to the
 * events these pages cause:
 * - an API resource and two permissions created, one edited, made the default (each checked through
 *   the API), a duplicate permission refused with the API's message;
 * - a role created, a permission assigned and removed, a user removed from it, renamed, searched for,
 *   a duplicate name refused with the API's message, deleted; then the resource deleted;
 * - Role.Created, Scope.Created and Role.Scopes.Updated reach the receiver as the API sends them;
 * - every page at laptop and phone widths: no sideways scroll, no serious axe violation, no script
 *   error. Screenshots under test-results/console-roles-resources/<store>/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { consoleSession, signIn, withChromium } from './helpers/browser.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import type { TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

withChromium();

const INDICATOR = 'https://api.example.com/orders/v1/a-rather-long-identifier-that-must-not-widen-a-phone';

for (const store of stores) {
  describe(`roles and API resources in the admin console, in Chromium (${store})`, () => {
    const session = consoleSession(store, { folder: `console-roles-resources/${store}` });
    const { errors, shot, bothWidths } = session;
    let t: TestServer;
    let page: Page;
    let receiver: Receiver;
    let resourceId = '';
    let roleId = '';

    const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text });
    const received = (event: string) => receiver.requests.filter((r) => r.json?.event === event);

    before(async () => {
      ({ t, page } = session);
      receiver = await startReceiver();
      const hook = await t.request('POST', '/api/hooks', {
        body: {
          name: 'Permissions audit',
          events: ['Role.Created', 'Role.Scopes.Updated', 'Scope.Created'],
          config: { url: receiver.url },
        },
      });
      assert.equal(hook.status, 201, hook.text);
    });
    after(async () => {
      await receiver?.close();
    });

    it('creates an API resource and its permissions, edits one and makes the resource the default', async () => {
      await signIn(page, t.url, t.adminKey, '#/resources');
      await page.getByRole('heading', { name: 'API resources', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'No API resources yet' }).waitFor();
      await bothWidths('resources-empty');

      await page.getByRole('button', { name: 'Create API resource' }).click();
      await page.getByLabel('API name').fill('Orders API');
      await page.getByLabel('API identifier').fill(INDICATOR);
      await page.getByLabel('Access token expiration (seconds)').fill('7200');
      await shot('resource-create-form');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('heading', { name: 'Orders API', level: 1 }).waitFor();
      await status('API resource Orders API created.').waitFor();
      resourceId = /#\/resources\/([^/]+)$/.exec(page.url())![1]!;
      const stored = (await t.request('GET', `/api/resources/${resourceId}`)).json;
      assert.equal(stored.name, 'Orders API');
      assert.equal(stored.indicator, INDICATOR);
      assert.equal(stored.accessTokenTtl, 7200);
      assert.equal(stored.isDefault, false);

      // Two permissions, through the create form.
      await page.getByRole('paragraph').filter({ hasText: 'No permission yet' }).waitFor();
      const create = page.getByRole('form', { name: 'Create a permission' });
      for (const [name, description] of [
        ['read:orders', 'Read orders'],
        ['write:orders', 'Change orders'],
      ] as const) {
        await create.getByLabel('Permission name').fill(name);
        await create.getByLabel('Permission description').fill(description);
        await create.getByRole('button', { name: 'Create permission' }).click();
        await status(`Permission ${name} created.`).waitFor();
        await page.getByRole('row', { name: new RegExp(name) }).waitFor();
      }
      const scopes = (await t.request('GET', `/api/resources/${resourceId}/scopes?page=1&page_size=20`)).json as {
        name: string;
        description: string;
      }[];
      assert.deepEqual(scopes.map((s) => [s.name, s.description]).sort(), [
        ['read:orders', 'Read orders'],
        ['write:orders', 'Change orders'],
      ]);
      await receiver.waitFor(() => received('Scope.Created').length === 2);
      assert.deepEqual(
        received('Scope.Created')
          .map((r) => r.json.data.name)
          .sort(),
        ['read:orders', 'write:orders'],
      );

      // The API's refusal of a duplicate permission, in its words.
      await create.getByLabel('Permission name').fill('read:orders');
      await create.getByRole('button', { name: 'Create permission' }).click();
      await page.getByRole('alert').filter({ hasText: 'The scope name read:orders is already in use.' }).waitFor();
      assert.equal((await t.request('GET', `/api/resources/${resourceId}/scopes?page=1&page_size=20`)).json.length, 2);
      await shot('resource-duplicate-permission');
      await create.getByLabel('Permission name').fill('');

      // Editing a permission.
      await page.getByRole('button', { name: 'Edit the permission write:orders' }).click();
      const edit = page.getByRole('form', { name: 'Edit the permission write:orders' });
      await edit.getByLabel('Permission description').fill('Create and change orders');
      await edit.getByRole('button', { name: 'Save permission' }).click();
      await status('Permission write:orders saved.').waitFor();
      await page.getByRole('row', { name: /Create and change orders/ }).waitFor();
      const edited = (await t.request('GET', `/api/resources/${resourceId}/scopes?page=1&page_size=20`)).json as {
        name: string;
        description: string;
      }[];
      assert.equal(edited.find((s) => s.name === 'write:orders')!.description, 'Create and change orders');

      // Settings and the default flag.
      await page.getByLabel('Name', { exact: true }).fill('Orders');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await status('API resource saved.').waitFor();
      await page.getByRole('heading', { name: 'Orders', level: 1, exact: true }).waitFor();
      assert.equal((await t.request('GET', `/api/resources/${resourceId}`)).json.name, 'Orders');
      await page.getByRole('button', { name: 'Make it the default' }).click();
      await status('Orders is now the default API resource.').waitFor();
      assert.equal((await t.request('GET', `/api/resources/${resourceId}`)).json.isDefault, true);
      await page.getByRole('button', { name: 'Stop being the default' }).waitFor();
      await bothWidths('resource-detail');

      // The list shows it, with its identifier, token expiration and default flag.
      await page.getByRole('link', { name: 'API resources' }).first().click();
      const row = page.getByRole('row', { name: /Orders/ });
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, /7200 s \(2 h\)/);
      assert.match(text, /Default/);
      assert.equal(await row.getByTitle(INDICATOR).count(), 1, 'the whole identifier is in its title');
      await bothWidths('resources-list');
    });

    it('creates a role, assigns a permission and removes it, removes a user, renames it', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles' }).click();
      await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'No roles yet' }).waitFor();
      await bothWidths('roles-empty');

      await page.getByRole('button', { name: 'Create role' }).click();
      await page.getByLabel('Role name').fill('Order manager');
      await page.getByLabel('Description', { exact: true }).fill('Manages the orders');
      await shot('role-create-form');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('heading', { name: 'Order manager', level: 1 }).waitFor();
      await status('Role Order manager created.').waitFor();
      roleId = /#\/roles\/([^/]+)$/.exec(page.url())![1]!;
      const role = (await t.request('GET', `/api/roles/${roleId}`)).json;
      assert.equal(role.name, 'Order manager');
      assert.equal(role.description, 'Manages the orders');
      assert.equal(role.type, 'User');
      await receiver.waitFor(() => received('Role.Created').length === 1);
      assert.equal(received('Role.Created')[0]!.json.data.id, roleId);
      await page.getByText('This role grants no permission yet.').waitFor();

      // Assign one of the resource's permissions, picked under its resource.
      const group = page.getByRole('group', { name: /Orders/ });
      await group.getByRole('checkbox', { name: /^read:orders/ }).check();
      await page.getByRole('button', { name: 'Assign 1 permission' }).click();
      await status('Permission assigned.').waitFor();
      await page.getByRole('row', { name: /read:orders/ }).waitFor();
      const linked = (await t.request('GET', `/api/roles/${roleId}/scopes`)).json as { name: string }[];
      assert.deepEqual(
        linked.map((s) => s.name),
        ['read:orders'],
      );
      await receiver.waitFor(() => received('Role.Scopes.Updated').length === 1);
      const assigned = received('Role.Scopes.Updated')[0]!.json;
      assert.equal(assigned.params.id, roleId);
      assert.deepEqual(
        assigned.data.map((s: { name: string }) => s.name),
        ['read:orders'],
      );
      // Only what the role lacks is offered.
      assert.equal(await group.getByRole('checkbox', { name: /^read:orders/ }).count(), 0);
      assert.equal(await group.getByRole('checkbox', { name: /^write:orders/ }).count(), 1);

      // A user holding the role, given through the API, shown on the page.
      const user = await t.request('POST', '/api/users', {
        body: { username: `ada_${store}`, primaryEmail: `ada.lovelace.${store}@example.com` },
      });
      assert.equal(user.status, 200, user.text);
      const given = await t.request('POST', `/api/roles/${roleId}/users`, { body: { userIds: [user.json.id] } });
      assert.equal(given.status, 201, given.text);
      await page.reload();
      await page.getByRole('row', { name: new RegExp(`ada_${store}`) }).waitFor();
      await bothWidths('role-detail');

      // Remove the permission, confirmed.
      await page.getByRole('button', { name: 'Remove the permission read:orders' }).click();
      const dialog = page.getByRole('dialog', { name: 'Remove the permission read:orders?' });
      await dialog.waitFor();
      await shot('role-remove-permission-dialog');
      await dialog.getByRole('button', { name: 'Remove permission' }).click();
      await status('Permission read:orders removed.').waitFor();
      await page.getByText('This role grants no permission yet.').waitFor();
      assert.deepEqual((await t.request('GET', `/api/roles/${roleId}/scopes`)).json, []);
      await receiver.waitFor(() => received('Role.Scopes.Updated').length === 2);
      assert.equal(received('Role.Scopes.Updated')[1]!.json.method, 'DELETE');

      // Remove the user, confirmed.
      await page.getByRole('button', { name: `Remove ada_${store}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove user' }).click();
      await status(`ada_${store} no longer has this role.`).waitFor();
      await page.getByText('No user has this role.').waitFor();
      assert.deepEqual((await t.request('GET', `/api/roles/${roleId}/users?page=1&page_size=20`)).json, []);

      // Rename.
      await page.getByLabel('Name', { exact: true }).fill('Order admin');
      await page.getByLabel('Description', { exact: true }).fill('Administers the orders');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await status('Role saved.').waitFor();
      await page.getByRole('heading', { name: 'Order admin', level: 1 }).waitFor();
      const renamed = (await t.request('GET', `/api/roles/${roleId}`)).json;
      assert.equal(renamed.name, 'Order admin');
      assert.equal(renamed.description, 'Administers the orders');
    });

    it('refuses a duplicate role name with the API’s message, searches, and deletes the role', async () => {
      const support = await t.request('POST', '/api/roles', {
        body: { name: 'Support', description: 'Answers customers', type: 'MachineToMachine' },
      });
      assert.equal(support.status, 200, support.text);
      await page.getByRole('link', { name: 'Roles', exact: true }).first().click();
      await page.getByRole('row', { name: /Support/ }).waitFor();
      await page.getByRole('button', { name: 'Create role' }).click();
      await page.getByLabel('Role name').fill('Support');
      await page.getByLabel('Description', { exact: true }).fill('A second one');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'This role name Support is already in use.' }).waitFor();
      const all = (await t.request('GET', '/api/roles?page=1&page_size=20')).json as { name: string }[];
      assert.deepEqual(all.map((r) => r.name).sort(), ['Order admin', 'Support']);
      await bothWidths('roles-duplicate-name');
      await page.getByRole('button', { name: 'Cancel' }).click();

      // Search and the type filter narrow the list.
      await page.getByLabel('Search by name, description or id').fill('admin');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('row', { name: /Support/ }).waitFor({ state: 'detached' });
      await page.getByRole('row', { name: /Order admin/ }).waitFor();
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.getByLabel('Type').selectOption('MachineToMachine');
      await page.getByRole('row', { name: /Order admin/ }).waitFor({ state: 'detached' });
      await page.getByRole('row', { name: /Support/ }).waitFor();
      await page.getByLabel('Type').selectOption('');
      await page.getByRole('row', { name: /Order admin/ }).waitFor();
      await bothWidths('roles-list');

      // A machine-to-machine role lists applications, and has no default flag.
      await page.getByRole('link', { name: 'Support' }).click();
      await page.getByRole('heading', { name: 'Support', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Applications with this role' }).waitFor();
      await page.getByText('No application has this role.').waitFor();
      assert.match(await page.locator('.page-head').innerText(), /Machine-to-machine role/);
      assert.equal(await page.getByLabel(/Default role/).count(), 0);
      await bothWidths('role-m2m-detail');
      await page.getByRole('link', { name: 'Roles', exact: true }).first().click();

      // Delete, confirmed.
      await page.getByRole('link', { name: 'Order admin' }).click();
      await page.getByRole('heading', { name: 'Order admin', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Delete role' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete the role Order admin?' });
      await dialog.waitFor();
      await shot('role-delete-dialog');
      await dialog.getByRole('button', { name: 'Delete role' }).click();
      await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
      await status('Role Order admin deleted.').waitFor();
      assert.equal((await t.request('GET', `/api/roles/${roleId}`)).status, 404);
      assert.equal(await page.getByRole('row', { name: /Order admin/ }).count(), 0);
    });

    it('deletes a permission and then the API resource', async () => {
      await page.goto(`${t.url}/console/#/resources/${resourceId}`);
      await page.getByRole('heading', { name: 'Orders', level: 1, exact: true }).waitFor();
      await page.getByRole('button', { name: 'Delete the permission write:orders' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete permission' }).click();
      await status('Permission write:orders deleted.').waitFor();
      const left = (await t.request('GET', `/api/resources/${resourceId}/scopes?page=1&page_size=20`)).json as {
        name: string;
      }[];
      assert.deepEqual(
        left.map((s) => s.name),
        ['read:orders'],
      );
      await page.getByRole('button', { name: 'Delete API resource' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete API resource' }).click();
      await page.getByRole('heading', { name: 'API resources', level: 1 }).waitFor();
      await status('API resource Orders deleted.').waitFor();
      assert.equal((await t.request('GET', `/api/resources/${resourceId}`)).status, 404);

      // A role or resource that does not exist: the API's error, with a way back.
      await page.goto(`${t.url}/console/#/roles/nope`);
      await page.getByRole('alert').waitFor();
      await page.getByRole('link', { name: 'Roles', exact: true }).last().waitFor();
      await bothWidths('role-not-found');
      // The refusals (422) and the unknown role (404) are the only failed requests the browser logs.
      assert.deepEqual(
        errors.filter((e) => !/Failed to load resource: the server responded with a status of (404|422)/.test(e)),
        [],
      );
    });
  });
}
