/**
 * Organizations and applications in the admin console, in a real browser (Debian's Chromium driven
 * by playwright-core) against the real server (each store), with a real webhook receiver on loopback:
 * - an organization is created, renamed, given a member (a user made through the API, found by a
 *   search), the member is given and loses an organization role (made through the API), an
 *   invitation is created and revoked, the member is removed and the organization deleted; every
 *   step is checked through the API, and the webhook subscribed to `Organization.Created` and
 *   `Organization.Membership.Updated` receives the events the console's actions emit;
 * - an application is created, renamed and deleted, its client secret never on the page.
 * Every page at laptop and phone width: no sideways scroll, axe-core clean, no script errors.
 * Screenshots under test-results/console-organizations/<store>/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { consoleSession, signIn, until, withChromium } from './helpers/browser.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import type { TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

withChromium();

for (const store of stores) {
  describe(`organizations and applications in the admin console, in Chromium (${store})`, () => {
    const session = consoleSession(store, { folder: `console-organizations/${store}` });
    const { errors, shot, bothWidths } = session;
    let t: TestServer;
    let page: Page;
    let receiver: Receiver;
    let userId = '';
    let roleId = '';
    let orgId = '';
    let appId = '';

    const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text });
    const dialog = () => page.getByRole('dialog');
    const events = (name: string) => receiver.requests.filter((r) => r.json?.event === name);

    before(async () => {
      ({ t, page } = session);
      receiver = await startReceiver();
      const hook = await t.request('POST', '/api/hooks', {
        body: {
          name: 'Tenant sync',
          events: ['Organization.Created', 'Organization.Membership.Updated'],
          config: { url: receiver.url },
        },
      });
      assert.equal(hook.status, 201, hook.text);
      const user = await t.request('POST', '/api/users', {
        body: { username: 'ada', name: 'Ada Lovelace', primaryEmail: 'ada@example.com' },
      });
      assert.equal(user.status, 200, user.text);
      userId = user.json.id;
      // A second user, so the search has something to leave out.
      const other = await t.request('POST', '/api/users', { body: { username: 'bob', name: 'Bob Other' } });
      assert.equal(other.status, 200, other.text);
    });
    after(async () => {
      await receiver?.close();
    });

    it('lists no organizations, then creates one from the console (Organization.Created is sent)', async () => {
      await signIn(page, t.url, t.adminKey, '#/organizations');
      await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'No organizations yet' }).waitFor();
      await bothWidths('organizations-empty');

      await page.getByRole('button', { name: 'Create organization' }).click();
      // Bad input shows the API's own message.
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('alert').waitFor();
      await bothWidths('organization-create-refused');
      assert.match(await page.getByRole('alert').innerText(), /name|characters|invalid/i);

      await page.getByLabel('Name', { exact: true }).fill('Acme Corp');
      await page.getByLabel('Description (optional)').fill('Our first tenant');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await status('Organization “Acme Corp” created.').waitFor();
      const list = await t.request('GET', '/api/organizations?q=Acme');
      assert.equal(list.status, 200);
      assert.equal(list.json.length, 1);
      assert.equal(list.json[0].description, 'Our first tenant');
      orgId = list.json[0].id;
      await page.getByRole('link', { name: 'Acme Corp' }).waitFor();
      await bothWidths('organizations-list');

      await receiver.waitFor(() => events('Organization.Created').length === 1);
      assert.equal(events('Organization.Created')[0]!.json.data.id, orgId);
    });

    it('searches the list and pages through it', async () => {
      await page.getByLabel('Search organizations').fill('nothing like it');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('heading', { name: /No organization matches/ }).waitFor();
      await shot('organizations-no-match');
      await page.getByLabel('Search organizations').fill('acme');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('link', { name: 'Acme Corp' }).waitFor();

      // 20 more: two pages, newest first, Acme on the second.
      for (let i = 1; i <= 20; i++) {
        const filler = await t.request('POST', '/api/organizations', { body: { name: `Filler ${i}` } });
        assert.equal(filler.status, 201, filler.text);
      }
      await page.getByRole('button', { name: 'Clear' }).click();
      const pager = page.getByRole('navigation', { name: 'Organization pages' });
      await pager.getByText('Page 1 of 2 · 21 in all').waitFor();
      await page.getByRole('link', { name: 'Filler 20' }).waitFor();
      assert.equal(await page.getByRole('link', { name: 'Acme Corp' }).count(), 0);
      await pager.getByRole('button', { name: 'Next' }).click();
      await pager.getByText('Page 2 of 2 · 21 in all').waitFor();
      await page.getByRole('link', { name: 'Acme Corp' }).click();
      await page.getByRole('heading', { name: 'Acme Corp', level: 1 }).waitFor();
    });

    it('says when no organization role exists, and edits the name', async () => {
      await page.getByText('No organization roles exist yet').waitFor();
      await bothWidths('organization-no-roles');
      await page.getByLabel('Name', { exact: true }).fill('Acme Corporation');
      await page.getByRole('button', { name: 'Save' }).click();
      await status('Organization saved.').waitFor();
      await page.getByRole('heading', { name: 'Acme Corporation', level: 1 }).waitFor();
      assert.equal((await t.request('GET', `/api/organizations/${orgId}`)).json.name, 'Acme Corporation');
    });

    it('adds a member found by a search (Organization.Membership.Updated is sent)', async () => {
      const role = await t.request('POST', '/api/organization-roles', {
        body: { name: 'Billing admin', type: 'User' },
      });
      assert.equal(role.status, 201, role.text);
      roleId = role.json.id;
      // Back to the list and in again: the page reads the roles anew.
      await page.getByRole('link', { name: 'Organizations' }).first().click();
      await page.getByLabel('Search organizations').fill('acme');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('link', { name: 'Acme Corporation' }).click();
      await page.getByRole('heading', { name: 'Acme Corporation', level: 1 }).waitFor();
      await page.getByText('Roles members can hold: Billing admin').waitFor();
      await page.getByText('No members yet').waitFor();

      // Another role, made on this page.
      await page.getByText('Create another organization role').click();
      await page.getByLabel('Role name').fill('Viewer');
      await page.getByRole('button', { name: 'Create organization role' }).click();
      await status('Organization role “Viewer” created.').waitFor();
      await page.getByText('Roles members can hold: Billing admin, Viewer').waitFor();
      const made = (await t.request('GET', '/api/organization-roles?q=Viewer')).json;
      assert.equal(made.length, 1);
      assert.equal(made[0].type, 'User');

      await page.getByLabel('Add a member: find a user').fill('ada');
      await page.getByRole('button', { name: 'Find users' }).click();
      const found = page.getByRole('list', { name: 'Users found' });
      await found.waitFor();
      assert.doesNotMatch(await found.innerText(), /Bob/);
      await page.getByRole('button', { name: 'Add Ada Lovelace to the organization' }).click();
      await status('Ada Lovelace added to the organization.').waitFor();
      await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
      const members = await t.request('GET', `/api/organizations/${orgId}/users`);
      assert.deepEqual(
        members.json.map((u: { id: string }) => u.id),
        [userId],
      );
      await receiver.waitFor(() => events('Organization.Membership.Updated').length === 1);
      const sent = JSON.stringify(events('Organization.Membership.Updated')[0]!.json);
      assert.ok(sent.includes(orgId) && sent.includes(userId), sent);
    });

    it('gives the member an organization role and takes it back', async () => {
      await page.getByLabel('Organization role to give Ada Lovelace').selectOption({ label: 'Billing admin' });
      await page.getByRole('button', { name: 'Assign the role to Ada Lovelace' }).click();
      await status('Ada Lovelace now holds the organization role “Billing admin”.').waitFor();
      const roles = async () =>
        (await t.request('GET', `/api/organizations/${orgId}/users/${userId}/roles`)).json.map(
          (r: { id: string }) => r.id,
        );
      assert.deepEqual(await roles(), [roleId]);
      await page.getByRole('button', { name: 'Take Billing admin from Ada Lovelace' }).waitFor();
      await bothWidths('organization-member-with-role');

      await page.getByRole('button', { name: 'Take Billing admin from Ada Lovelace' }).click();
      await dialog().getByRole('button', { name: 'Take role' }).click();
      await status('Ada Lovelace no longer holds “Billing admin”.').waitFor();
      assert.deepEqual(await roles(), []);
    });

    it('creates an invitation (the API refusing a bad email says why) and revokes it', async () => {
      await page.getByLabel('Invitee email').fill('not an email');
      await page.getByRole('button', { name: 'Invite', exact: true }).click();
      const problem = page.getByRole('alert');
      await problem.waitFor();
      assert.ok((await problem.innerText()).length > 0);

      await page.getByLabel('Invitee email').fill('grace@example.com');
      await page.getByLabel('Organization role on joining (optional)').selectOption({ label: 'Billing admin' });
      await page.getByRole('button', { name: 'Invite', exact: true }).click();
      await status(/Invitation for grace@example.com created; it expires/).waitFor();
      assert.equal(await problem.count(), 0, 'the earlier error is gone');
      const invitations = async () =>
        (await t.request('GET', `/api/organization-invitations?organizationId=${orgId}`)).json;
      const [invitation] = await invitations();
      assert.equal(invitation.invitee, 'grace@example.com');
      assert.equal(invitation.status, 'Pending');
      assert.deepEqual(
        invitation.organizationRoles.map((r: { id: string }) => r.id),
        [roleId],
      );
      // The expiry the form proposes: a week from now (to the minute).
      assert.ok(invitation.expiresAt > Date.now() + 6.9 * 24 * 3600_000, String(invitation.expiresAt));
      const row = page.getByRole('row', { name: /grace@example.com/ });
      await row.waitFor();
      assert.match(await row.innerText(), /Pending/);
      await bothWidths('organization-invitation');

      await page.getByRole('button', { name: 'Revoke the invitation for grace@example.com' }).click();
      await dialog().getByRole('button', { name: 'Revoke invitation' }).click();
      await status('Invitation for grace@example.com revoked.').waitFor();
      assert.equal((await invitations())[0].status, 'Revoked');
      await until(async () => assert.match(await row.innerText(), /Revoked/));
    });

    it('removes the member (Organization.Membership.Updated again) and deletes the organization', async () => {
      await page.getByRole('button', { name: 'Remove Ada Lovelace from the organization' }).click();
      await dialog().getByRole('button', { name: 'Remove member' }).click();
      await status('Ada Lovelace removed from the organization.').waitFor();
      assert.deepEqual((await t.request('GET', `/api/organizations/${orgId}/users`)).json, []);
      await receiver.waitFor(() => events('Organization.Membership.Updated').length === 2);
      assert.ok(JSON.stringify(events('Organization.Membership.Updated')[1]!.json).includes(userId));

      await page.getByRole('button', { name: 'Delete organization' }).click();
      await dialog().getByRole('button', { name: 'Delete organization' }).click();
      await status('Organization “Acme Corporation” deleted.').waitFor();
      await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
      assert.equal((await t.request('GET', `/api/organizations/${orgId}`)).status, 404);
      await page.getByRole('link', { name: 'Filler 20' }).waitFor();
      assert.equal(await page.getByRole('link', { name: 'Acme Corporation' }).count(), 0);

      // Its page now says it is gone, with a way back.
      await page.goto(`${t.url}/console/#/organizations/${orgId}`);
      await page.getByRole('heading', { name: 'Organization not found', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Back to the organizations' }).click();
      await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    });

    it('creates an application, never showing its secret', async () => {
      await page.getByRole('link', { name: 'Applications' }).first().click();
      await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'No applications yet' }).waitFor();
      await bothWidths('applications-empty');

      await page.getByRole('button', { name: 'Create application' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Billing portal');
      await page.getByRole('radio', { name: /Machine-to-machine/ }).check();
      await bothWidths('application-create');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await status('Application “Billing portal” created.').waitFor();
      const list = (await t.request('GET', '/api/applications')).json;
      assert.equal(list.length, 1);
      assert.equal(list[0].type, 'MachineToMachine');
      appId = list[0].id;
      const secret: string = list[0].secret;
      assert.ok(secret.length > 10);
      const row = page.getByRole('row', { name: /Billing portal/ });
      assert.match(await row.innerText(), /Machine-to-machine/);
      assert.match(await row.innerText(), new RegExp(appId));
      await bothWidths('applications-list');

      await page.getByRole('link', { name: 'Billing portal' }).click();
      await page.getByRole('heading', { name: 'Billing portal', level: 1 }).waitFor();
      const text = await page.locator('main').innerText();
      assert.ok(text.includes(appId));
      assert.ok(!(await page.content()).includes(secret), 'the client secret is not on the page');
      await bothWidths('application-detail');
    });

    it('renames and deletes the application', async () => {
      await page.getByLabel('Name', { exact: true }).fill('Billing portal v2');
      await page.getByLabel('Description', { exact: true }).fill('Invoices and payments');
      await page.getByRole('button', { name: 'Save' }).click();
      await status('Application saved.').waitFor();
      const app = (await t.request('GET', `/api/applications/${appId}`)).json;
      assert.equal(app.name, 'Billing portal v2');
      assert.equal(app.description, 'Invoices and payments');

      await page.getByRole('button', { name: 'Delete application' }).click();
      await dialog().getByRole('button', { name: 'Delete application' }).click();
      await status('Application “Billing portal v2” deleted.').waitFor();
      assert.equal((await t.request('GET', `/api/applications/${appId}`)).status, 404);
      await page.getByRole('heading', { name: 'No applications yet' }).waitFor();
      // The only failed requests are the ones the test made on purpose: the two refused inputs and
      // the deleted organization's page.
      const refused = (code: number) => (e: string) =>
        e.startsWith(`console: Failed to load resource: the server responded with a status of ${code} `);
      assert.deepEqual(
        errors.filter((e) => !refused(400)(e) && !refused(404)(e)),
        [],
      );
      assert.equal(errors.filter(refused(400)).length, 2, errors.join('\n'));
      assert.equal(errors.filter(refused(404)).length, 1, errors.join('\n'));
    });
  });
}
