/**
 * The API keys page (#/keys) and the users pages (#/users, #/users/<id>) of the admin console, in a
 * real browser (Debian's Chromium driven by playwright-core) against the real server on each store:
 * - a key created in the console is shown once and works against the API; revoked, it is refused;
 * - a user created in the console is found by search, suspended, given custom data (bad JSON is
 *   refused before anything is sent), given and relieved of a role, and deleted; the console goes
 *   through the public API, so a webhook receives User.Created and User.SuspensionStatus.Updated.
 * Each page is checked at laptop and phone widths (no sideways scroll, axe-core) and photographed
 * under test-results/console-users-keys/<store>/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  collectErrors,
  consoleSession,
  LAPTOP,
  signIn,
  until,
  withChromium,
} from './helpers/browser.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import type { TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

withChromium();

for (const store of stores) {
  describe(`API keys and users in the admin console, in Chromium (${store})`, () => {
    const session = consoleSession(store, { folder: `console-users-keys/${store}` });
    const { errors, shot, bothWidths } = session;
    let t: TestServer;
    let page: Page;
    let receiver: Receiver;
    let roleId = '';
    let orgId = '';
    let userId = '';
    /** The secret the console showed once, kept by the test as a user would. */
    let secret = '';

    before(async () => {
      ({ t, page } = session);
      receiver = await startReceiver();
      const hook = await t.request('POST', '/api/hooks', {
        body: {
          name: 'User audit',
          events: ['User.Created', 'User.SuspensionStatus.Updated'],
          config: { url: receiver.url },
        },
      });
      assert.equal(hook.status, 201, hook.text);
      const role = await t.request('POST', '/api/roles', { body: { name: 'Auditor', description: 'Reads the logs' } });
      assert.equal(role.status, 200, role.text);
      roleId = role.json.id;
      const org = await t.request('POST', '/api/organizations', { body: { name: 'Acme Corporation' } });
      assert.equal(org.status, 201, org.text);
      orgId = org.json.id;
      const other = await t.request('POST', '/api/users', {
        body: { username: 'grace_hopper', primaryEmail: 'grace@example.com' },
      });
      assert.equal(other.status, 200, other.text);
    });
    after(async () => {
      await receiver?.close();
    });

    it('creates an API key, shows its secret once, and the secret works against the API', async () => {
      await signIn(page, t.url, t.adminKey, '#/keys');
      await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
      await page.getByText('No API keys yet').waitFor();
      await bothWidths('the empty API keys page', 'keys-empty');

      // A name is required: said next to the field, nothing created.
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByText('Give the key a name').waitFor();
      assert.deepEqual((await t.request('GET', '/api/keys')).json, []);

      await page.getByLabel('Key name').fill('CI deploy');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByRole('note').filter({ hasText: 'It will not be shown again' }).waitFor();
      secret = (await page.locator('.secret-key').innerText()).trim();
      assert.match(secret, /^hk_[0-9a-z]{21}_\S+$/);
      await page.getByRole('status').filter({ hasText: 'API key “CI deploy” created' }).waitFor();
      const withKey = await t.request('GET', '/api/hooks', { key: secret });
      assert.equal(withKey.status, 200, withKey.text);

      // Copy: the clipboard when the browser allows it, else the key is selected with a word on how to copy it.
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await page
        .locator('.copy-note')
        .filter({ hasText: /Copied|did not allow copying/ })
        .waitFor();

      // The list shows the key without its secret.
      const row = page.getByRole('row', { name: /CI deploy/ });
      await row.waitFor();
      const rowText = await row.innerText();
      assert.doesNotMatch(rowText, new RegExp(secret.slice(-12)), 'the list never shows the secret');
      assert.match(rowText, /Active/);
      await bothWidths('the API keys page with the new secret', 'keys-created');
      await page.emulateMedia({ colorScheme: 'dark' });
      await assertAccessible(page, 'the API keys page with the new secret, dark');
      await shot('keys-created-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // Once hidden, the secret is gone from the page.
      await page.getByRole('button', { name: 'Done, hide the key' }).click();
      assert.equal(await page.locator('.secret-key').count(), 0);
      assert.equal((await page.content()).includes(secret), false);
    });

    it('revokes the key after a confirmation: the API refuses it from then on', async () => {
      const keyId = (await t.request('GET', '/api/keys')).json[0].id as string;
      const row = page.getByRole('row', { name: /CI deploy/ });
      await row.getByRole('button', { name: 'Revoke CI deploy' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke CI deploy?' });
      await dialog.waitFor();
      await assertAccessible(page, 'the revoke dialog');
      await shot('keys-revoke-dialog');
      // Cancel first: nothing happens.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      assert.equal((await t.request('GET', '/api/keys')).json[0].revokedAt, null);
      await row.getByRole('button', { name: 'Revoke CI deploy' }).click();
      await dialog.getByRole('button', { name: 'Revoke key' }).click();
      await page.getByRole('status').filter({ hasText: 'API key “CI deploy” revoked' }).waitFor();
      await row.getByText('Revoked').waitFor();
      const keys = (await t.request('GET', '/api/keys')).json as { id: string; revokedAt: number | null }[];
      assert.equal(keys.find((k) => k.id === keyId)?.revokedAt !== null, true);
      const refused = await t.request('GET', '/api/hooks', { key: secret });
      assert.equal(refused.status, 401, refused.text);
      await bothWidths('the API keys page with a revoked key', 'keys-revoked');
    });

    it('signs out when the key the console is signed in with is revoked, saying why', async () => {
      const made = await t.request('POST', '/api/keys', { body: { name: 'Console session' } });
      const key = made.json.key as string;
      const own = await session.browser.newContext({ viewport: LAPTOP });
      const ownPage = await own.newPage();
      ownPage.setDefaultTimeout(10_000);
      const ownErrors = collectErrors(ownPage);
      try {
        await signIn(ownPage, t.url, key, '#/keys');
        const row = ownPage.getByRole('row', { name: /Console session/ });
        await row.getByText('The key you are signed in with').waitFor();
        await row.getByRole('button', { name: 'Revoke Console session' }).click();
        const dialog = ownPage.getByRole('dialog', { name: 'Revoke Console session?' });
        await dialog.getByText('This is the key you are signed in with').waitFor();
        await dialog.getByRole('button', { name: 'Revoke key' }).click();
        await ownPage.getByText('Herald no longer accepts that key').waitFor();
        assert.equal((await t.request('GET', '/api/hooks', { key })).status, 401);
        // The browser logged the 401 of the reload as a failed resource; nothing else went wrong.
        assert.deepEqual(
          ownErrors.filter((e) => !/Failed to load resource: the server responded with a status of 401/.test(e)),
          [],
        );
      } finally {
        await own.close();
      }
    });

    it('creates a user from the list; the webhook receives User.Created', async () => {
      await page.goto(`${t.url}/console/#/users`);
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await page.getByRole('row', { name: /grace_hopper/ }).waitFor();
      await bothWidths('the users list', 'users-list');

      await page.getByRole('button', { name: 'Create user' }).first().click();
      const form = page.locator('#user-create');
      // A bad username: the API's message is shown, nothing created.
      await form.getByLabel('Username').fill('1bad name');
      await form.getByRole('button', { name: 'Create user' }).click();
      await form.getByRole('alert').waitFor();
      assert.equal((await t.request('GET', '/api/users?page=1&page_size=20')).headers.get('total-number'), '1');
      await form.getByLabel('Username').fill('ada_lovelace');
      await form.getByLabel('Primary email').fill('ada@example.com');
      await form.getByLabel('Password (optional)').fill('correct horse battery staple');
      await bothWidths('the create-user form', 'users-create-form');
      await form.getByRole('button', { name: 'Create user' }).click();
      await page.getByRole('status').filter({ hasText: 'User ada_lovelace created' }).waitFor();
      const found = await t.request('GET', '/api/users?search=ada_lovelace&page=1&page_size=20');
      assert.equal(found.json.length, 1);
      userId = found.json[0].id;
      assert.equal(found.json[0].primaryEmail, 'ada@example.com');
      assert.equal(found.json[0].hasPassword, true);
      await receiver.waitFor((rs) => rs.some((r) => r.json?.event === 'User.Created' && r.json?.data?.id === userId));
    });

    it('finds the user by search', async () => {
      await page.getByLabel('Search users').fill('lovelace');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await until(async () => {
        assert.equal(await page.getByRole('row', { name: /grace_hopper/ }).count(), 0);
        assert.equal(await page.getByRole('row', { name: /ada_lovelace/ }).count(), 1);
      });
      await page.getByText('Page 1 of 1 · 1 user').waitFor();
      await bothWidths('the users list, searched', 'users-search');
      await page.getByLabel('Search users').fill('nobody_here');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('No user matches “nobody_here”').waitFor();
      // By email too.
      await page.getByLabel('Search users').fill('grace@example');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('Page 1 of 1 · 1 user').waitFor();
      await page.getByRole('row', { name: /grace_hopper/ }).waitFor();
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.getByRole('row', { name: /ada_lovelace/ }).waitFor();
    });

    it('pages through the users, newest first', async () => {
      for (let i = 1; i <= 20; i++) {
        const made = await t.request('POST', '/api/users', {
          body: { username: `bulk_${String(i).padStart(2, '0')}` },
        });
        assert.equal(made.status, 200, made.text);
      }
      await page.reload();
      await page.getByText('Page 1 of 2 · 22 users').waitFor();
      await page.getByRole('row', { name: /bulk_20/ }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Previous page' }).isDisabled(), true);
      await page.getByRole('button', { name: 'Next page' }).click();
      await page.getByText('Page 2 of 2 · 22 users').waitFor();
      await page.getByRole('row', { name: /ada_lovelace/ }).waitFor();
      await page.getByRole('row', { name: /grace_hopper/ }).waitFor();
      assert.equal(await page.getByRole('row', { name: /bulk_/ }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
      await bothWidths('the users list, page 2', 'users-page-2');
    });

    it('suspends the user after a confirmation; the webhook receives User.SuspensionStatus.Updated', async () => {
      await t.request('POST', `/api/organizations/${orgId}/users`, { body: { userIds: [userId] } });
      await page.getByRole('link', { name: 'ada_lovelace' }).click();
      await page.getByRole('heading', { name: 'ada_lovelace', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Acme Corporation' }).waitFor();
      assert.equal(
        await page.getByRole('link', { name: 'Acme Corporation' }).getAttribute('href'),
        `#/organizations/${orgId}`,
      );
      await bothWidths('the user page', 'user-detail');

      await page.getByRole('button', { name: 'Suspend', exact: true }).click();
      await page
        .getByRole('dialog', { name: 'Suspend ada_lovelace?' })
        .getByRole('button', { name: 'Suspend user' })
        .click();
      await page.getByRole('status').filter({ hasText: 'User suspended' }).waitFor();
      await page.getByRole('button', { name: 'Reactivate' }).waitFor();
      assert.equal((await t.request('GET', `/api/users/${userId}`)).json.isSuspended, true);
      await receiver.waitFor((rs) =>
        rs.some(
          (r) =>
            r.json?.event === 'User.SuspensionStatus.Updated' &&
            r.json?.data?.id === userId &&
            r.json?.data?.isSuspended === true,
        ),
      );
      await shot('user-suspended');
    });

    it('edits the profile', async () => {
      await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByRole('status').filter({ hasText: 'Profile saved' }).waitFor();
      await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
      const user = (await t.request('GET', `/api/users/${userId}`)).json;
      assert.equal(user.name, 'Ada Lovelace');
      assert.equal(user.username, 'ada_lovelace');
      // A bad email: the API's message, nothing changed.
      await page.getByLabel('Primary email').fill('not-an-email');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.locator('.user-panel .error').waitFor();
      assert.equal((await t.request('GET', `/api/users/${userId}`)).json.primaryEmail, 'ada@example.com');
      await page.getByLabel('Primary email').fill('ada@example.com');
    });

    it('refuses bad JSON in custom data without sending it, and saves good JSON', async () => {
      const box = page.getByLabel('Custom data (JSON)');
      await box.fill('{"plan": "pro",');
      await page.getByRole('button', { name: 'Save custom data' }).click();
      await page.getByText('Not valid JSON, nothing was saved').waitFor();
      assert.equal(await box.getAttribute('aria-invalid'), 'true');
      assert.deepEqual((await t.request('GET', `/api/users/${userId}`)).json.customData, {});
      await shot('user-custom-data-bad-json');
      await box.fill('["not", "an", "object"]');
      await page.getByRole('button', { name: 'Save custom data' }).click();
      await page.getByText('Custom data is a JSON object').waitFor();
      assert.deepEqual((await t.request('GET', `/api/users/${userId}`)).json.customData, {});

      await box.fill('{"plan": "pro", "seats": 3}');
      await page.getByRole('button', { name: 'Save custom data' }).click();
      await page.getByRole('status').filter({ hasText: 'Custom data saved' }).waitFor();
      assert.deepEqual((await t.request('GET', `/api/users/${userId}`)).json.customData, { plan: 'pro', seats: 3 });
      assert.equal(await page.getByLabel('Custom data (JSON)').getAttribute('aria-invalid'), null);
    });

    it('assigns a role and removes it after a confirmation', async () => {
      await page.getByLabel('Assign a role').selectOption({ label: 'Auditor' });
      await page.getByRole('button', { name: 'Assign', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Role Auditor assigned' }).waitFor();
      await page.getByRole('button', { name: 'Remove role Auditor' }).waitFor();
      const held = (await t.request('GET', `/api/users/${userId}/roles?page=1&page_size=20`)).json as { id: string }[];
      assert.deepEqual(
        held.map((r) => r.id),
        [roleId],
      );
      await bothWidths('the user page with a role', 'user-with-role');
      await page.emulateMedia({ colorScheme: 'dark' });
      await assertAccessible(page, 'the user page with a role, dark');
      await shot('user-with-role-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      await page.getByRole('button', { name: 'Remove role Auditor' }).click();
      await page
        .getByRole('dialog', { name: 'Remove role Auditor?' })
        .getByRole('button', { name: 'Remove role' })
        .click();
      await page.getByRole('status').filter({ hasText: 'Role Auditor removed' }).waitFor();
      await page.getByText('No roles assigned.').waitFor();
      assert.deepEqual((await t.request('GET', `/api/users/${userId}/roles?page=1&page_size=20`)).json, []);
    });

    it('reactivates, then deletes the user after a confirmation', async () => {
      await page.getByRole('button', { name: 'Reactivate' }).click();
      await page.getByRole('status').filter({ hasText: 'User reactivated' }).waitFor();
      assert.equal((await t.request('GET', `/api/users/${userId}`)).json.isSuspended, false);
      await receiver.waitFor(
        (rs) =>
          rs.filter((r) => r.json?.event === 'User.SuspensionStatus.Updated' && r.json?.data?.id === userId).length ===
          2,
      );

      await page.getByRole('button', { name: 'Delete user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete Ada Lovelace?' });
      await dialog.waitFor();
      await assertAccessible(page, 'the delete-user dialog');
      await shot('user-delete-dialog');
      await dialog.getByRole('button', { name: 'Delete user' }).click();
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      assert.equal((await t.request('GET', `/api/users/${userId}`)).status, 404);
      await page.getByText('Page 1 of 2 · 21 users').waitFor();
      await page.getByLabel('Search users').fill('ada');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('No user matches “ada”').waitFor();

      // An unknown user: the API's message, a way back.
      await page.goto(`${t.url}/console/#/users/${userId}`);
      await page.getByRole('alert').waitFor();
      await page.getByRole('link', { name: 'Users' }).last().waitFor();
      await bothWidths('an unknown user', 'user-unknown');
      // The API's refusals (400, 404, 422) that the pages showed are logged by Chromium as failed loads: no script errors.
      assert.deepEqual(
        errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e)),
        [],
      );
    });
  });
}
