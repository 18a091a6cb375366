/**
 * The admin console's synchronous hooks in a real browser: Debian's Chromium driven by
 * playwright-core, against the real server (each store) and a real endpoint on loopback that
 * denies. A sync hook is made and changed through the form, tested, called by a real
 * `POST /api/users`, its key regenerated, and deleted; each step checked through the API. Each
 * page is saved as a screenshot under test-results/console-sync-hooks/<store>/.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertAccessible, LAPTOP, launchBrowser, PHONE, until } from './helpers/browser.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { assertNoOpenServers, eventually, startTestServer, type TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';
import { freePort } from './helpers/process.ts';

const RESULTS = fileURLToPath(new URL('../test-results/console-sync-hooks/', import.meta.url));
const DENY = { action: 'deny', code: 'blocked_domain', message: 'No.' };

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  assertNoOpenServers();
});

for (const store of stores) {
  describe(`sync hooks in the admin console, in Chromium (${store})`, () => {
    let t: TestServer;
    let endpoint: Receiver;
    let context: BrowserContext;
    let page: Page;
    let shots = 0;
    const dir = join(RESULTS, store);
    /** Every page shown is checked with axe-core before its screenshot. */
    const shot = async (name: string) => {
      await assertAccessible(page, name);
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${String(++shots).padStart(2, '0')}-${name}.png`), fullPage: true });
    };
    const text = (selector: string) => page.locator(selector).innerText();
    const noSideways = async (what: string) => {
      const [scroll, width] = (await page.evaluate(
        '[document.documentElement.scrollWidth, window.innerWidth]',
      )) as number[];
      assert.ok(scroll! <= width!, `${what}: the page scrolls sideways at ${width} px (${scroll} px wide)`);
    };
    const errors: string[] = [];
    let hookId = '';
    const syncHook = async () => (await t.request('GET', `/api/sync-hooks/${hookId}`)).json;

    before(async () => {
      rmSync(dir, { recursive: true, force: true });
      t = await startTestServer(store);
      endpoint = await startReceiver((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(DENY));
      });
      context = await browser.newContext({ viewport: LAPTOP });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
    });
    after(async () => {
      await context?.close();
      await t?.close();
      await endpoint?.close();
    });

    it('signs in and shows the empty list of sync hooks, saying what they are', async () => {
      await page.goto(`${t.url}/console`);
      await page.getByLabel('API key').fill(t.adminKey);
      await page.getByLabel('API key').press('Enter');
      await page.getByRole('heading', { name: 'No webhooks yet' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Sync hooks' }).click();
      await page.getByRole('heading', { name: 'No sync hooks yet' }).waitFor();
      assert.equal(await nav.getByRole('link', { name: 'Sync hooks' }).getAttribute('aria-current'), 'page');
      const empty = await text('.empty');
      assert.match(empty, /sign-up, sign-in or password reset waits/);
      assert.match(empty, /allow the request, deny it/);
      assert.match(empty, /patch/);
      await shot('sync-hooks-empty');
    });

    it('creates a sync hook through the form, checked before anything is sent', async () => {
      await page.getByRole('link', { name: 'Create your first sync hook' }).click();
      await page.getByRole('heading', { name: 'Create sync hook' }).waitFor();
      assert.equal(await page.getByLabel('Time limit (ms)').inputValue(), '2000', 'the default time limit');
      assert.equal(await page.getByLabel('Order', { exact: true }).inputValue(), '0');
      assert.ok(await page.getByRole('radio', { name: /^Fail open/ }).isChecked(), 'fails open by default');
      assert.ok(await page.getByLabel('Enabled').isChecked());
      // Each phase and policy is explained beside its choice.
      assert.match(await text('form'), /the user is not created yet/);
      assert.match(await text('form'), /refused with 503 hook\.sync_unavailable/);

      await page.getByLabel('Endpoint URL').fill('ftp://example.com/in');
      await page.getByLabel('Time limit (ms)').fill('0');
      await page.getByLabel('Order', { exact: true }).fill('1.5');
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByLabel('Header 1 name').fill('X Tenant');
      await page.getByRole('button', { name: 'Create sync hook' }).click();
      const form = await text('form');
      assert.match(form, /Give the sync hook a name\./);
      assert.match(form, /Pick the phase the hook is called in\./);
      assert.match(form, /must be an absolute http\(s\) URL/);
      assert.match(form, /The time limit must be from 1 to 10,000\./);
      assert.match(form, /The order must be a whole number\./);
      assert.match(form, /"X Tenant" is not a valid header name/);
      await page.getByRole('alert').filter({ hasText: 'Some fields need attention' }).waitFor();
      assert.equal(
        await page.evaluate('document.activeElement.id'),
        await page.getByLabel('Name', { exact: true }).getAttribute('id'),
        'the keyboard is taken to the first field to mend',
      );
      await page.getByLabel('Time limit (ms)').fill('10001');
      assert.match(await text('form'), /The time limit must be from 1 to 10,000\./);
      await shot('create-problems');
      assert.deepEqual((await t.request('GET', '/api/sync-hooks')).json, [], 'nothing is created with problems');

      await page.getByLabel('Name', { exact: true }).fill('Domain gate');
      await page.getByRole('radio', { name: /PreRegister/ }).check();
      await page.getByLabel('Endpoint URL').fill(endpoint.url);
      await page.getByLabel('Header 1 name').fill('X-Tenant');
      await page.getByLabel('Header 1 value').fill('acme');
      await page.getByLabel('Order', { exact: true }).fill('5');
      await page.getByLabel('Time limit (ms)').fill('1500');
      await shot('create-filled');
      await page.getByRole('button', { name: 'Create sync hook' }).click();
      await page.getByRole('heading', { name: 'Domain gate' }).waitFor();
      hookId = /#\/sync-hooks\/([0-9a-z]+)/.exec(page.url())![1]!;
      const created = await syncHook();
      assert.equal(created.name, 'Domain gate');
      assert.equal(created.phase, 'PreRegister');
      assert.deepEqual(created.config, { url: endpoint.url, headers: { 'X-Tenant': 'acme' } });
      assert.equal(created.order, 5);
      assert.equal(created.timeoutMs, 1500);
      assert.equal(created.failurePolicy, 'open');
      assert.equal(created.enabled, true);
      await shot('sync-hook-settings');
    });

    it('lists it with its phase, endpoint, order, time limit, failure policy and status in words', async () => {
      await page.getByRole('link', { name: 'Sync hooks' }).first().click();
      const row = page.getByRole('row', { name: /Domain gate/ });
      await row.waitFor();
      const cells = await row.locator('td').allInnerTexts();
      assert.deepEqual(cells, [
        'Domain gate',
        'Before registration PreRegister',
        endpoint.url,
        '5',
        '1500 ms',
        'Fail open (allow)',
        'Enabled',
      ]);
      await shot('sync-hooks-list');
      await row.getByRole('link', { name: 'Domain gate' }).click();
      await page.getByRole('heading', { name: 'Domain gate' }).waitFor();
    });

    it('runs a test: the decision, code, message, status and the sample request sent', async () => {
      await page.getByRole('link', { name: 'Test', exact: true }).click();
      const before = endpoint.requests.length;
      await page.getByRole('button', { name: 'Run test' }).click();
      const report = page.getByRole('region', { name: 'Test result' });
      await report.waitFor();
      const shown = await report.innerText();
      assert.match(shown, /Result:\s*Deny/);
      assert.match(shown, /The endpoint denied the request\./);
      assert.match(shown, /A real request would be\s+Denied \(403 hook\.denied\)/);
      assert.match(shown, /Status\s+200/);
      assert.match(shown, /Latency\s+\d+ ms/);
      assert.match(shown, /Deny code\s+blocked_domain/);
      assert.match(shown, /Deny message\s+No\./);
      assert.match(
        await page.getByRole('status').filter({ hasText: 'Test done' }).innerText(),
        /Deny \(blocked_domain\)/,
      );
      const sample = JSON.parse(await page.getByLabel('Sample request sent').innerText());
      assert.equal(sample.phase, 'PreRegister');
      assert.equal(sample.interactionEvent, 'Register');
      assert.equal(sample.user.primaryEmail, 'fake-user@fake-service.com');
      assert.deepEqual(JSON.parse(await page.getByLabel('Response body').innerText()), DENY);

      const sent = endpoint.requests.slice(before);
      assert.equal(sent.length, 1);
      assert.deepEqual(sent[0]!.json, sample, 'the page shows the request as sent');
      assert.equal(sent[0]!.headers['x-tenant'], 'acme');
      assert.equal(
        sent[0]!.headers['logto-signature-sha-256'],
        createHmac('sha256', (await syncHook()).signingKey)
          .update(sent[0]!.body)
          .digest('hex'),
      );
      await shot('test-deny');
      assert.equal(
        (await t.request('GET', `/api/sync-hooks/${hookId}/calls`)).headers.get('total-number'),
        '0',
        'a test is not a call',
      );
    });

    it('edits the settings: the form starts from the stored hook and saves what changed', async () => {
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Domain gate');
      assert.ok(await page.getByRole('radio', { name: /PreRegister/ }).isChecked());
      assert.equal(await page.getByLabel('Header 1 value').inputValue(), 'acme');
      assert.equal(await page.getByLabel('Order', { exact: true }).inputValue(), '5');
      assert.equal(await page.getByLabel('Time limit (ms)').inputValue(), '1500');
      const before = await syncHook();

      await page.getByLabel('Order', { exact: true }).fill('-3');
      await page.getByRole('radio', { name: 'Fail closed: deny the request' }).check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Settings saved.').waitFor();
      const edited = await syncHook();
      assert.equal(edited.order, -3);
      assert.equal(edited.failurePolicy, 'closed');
      assert.equal(edited.timeoutMs, 1500);
      assert.deepEqual(edited.config, before.config);
      assert.equal(edited.signingKey, before.signingKey, 'editing keeps the key');
      assert.match(await text('.page-head .meta'), /order -3 .* Fail closed \(deny\) on failure/);
      assert.equal(await page.getByLabel('Order', { exact: true }).inputValue(), '-3');
      await shot('settings-saved');
    });

    it('shows a real call in the calls log: the deny, its effect, status and user, expandable', async () => {
      const username = `gated_${store}`;
      const refused = await t.request('POST', '/api/users', { body: { username } });
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.json.code, 'hook.denied');
      assert.equal(refused.json.message, 'No.');

      await page.getByRole('link', { name: 'Calls', exact: true }).click();
      const table = page.getByRole('table', { name: 'Calls' });
      await until(
        async () =>
          assert.match(
            await table.locator('tbody tr').first().innerText(),
            /Deny\s+blocked_domain\s+Denied\s+200\s+\d+ ms\s+[0-9a-z]+/,
          ),
        () => page.getByRole('button', { name: 'Refresh' }).click(),
      );
      const [call] = (await t.request('GET', `/api/sync-hooks/${hookId}/calls`)).json;
      assert.equal(call.decision, 'deny');
      assert.match(await table.locator('tbody tr').first().innerText(), new RegExp(call.userId));
      assert.match(await text('.pager'), /Page 1 of 1 · 1 call/);
      await shot('calls');

      const details = table.getByRole('button', { name: /^Details/ }).first();
      assert.equal(await details.getAttribute('aria-expanded'), 'false');
      await details.click();
      const request = JSON.parse(await page.getByLabel(`Request of the call ${call.id}`).innerText());
      assert.equal(request.phase, 'PreRegister');
      assert.equal(request.interactionEvent, null);
      assert.equal(request.user.username, username);
      assert.deepEqual(JSON.parse(await page.getByLabel(`Response of the call ${call.id}`).innerText()), DENY);
      assert.match(await text('.call-details'), /Deny message\s+No\./);
      assert.match(await text('.call-details'), /POST \/api\/users/);
      assert.equal(await table.getByRole('button', { name: /^Hide/ }).getAttribute('aria-expanded'), 'true');
      await shot('call-expanded');

      await page.getByLabel('Decision').selectOption('allow');
      await page.getByText('No calls match this filter.').waitFor();
      await page.getByLabel('Decision').selectOption('deny');
      await table.waitFor();
      assert.equal(await table.locator('tbody tr:not(.call-details-row)').count(), 1);
      assert.ok(await page.getByLabel(`Request of the call ${call.id}`).isVisible(), 'an open call stays open');
      await page.getByLabel('Decision').selectOption('');
    });

    it('reveals, copies and regenerates the signing key; the example endpoint accepts the new key', async () => {
      const old = await syncHook();
      await page.getByRole('link', { name: 'Signing key', exact: true }).click();
      const key = page.getByLabel('Signing key', { exact: true });
      assert.ok(!(await key.innerText()).includes(old.signingKey), 'hidden by default');
      await page.getByRole('button', { name: 'Reveal Signing key' }).click();
      assert.equal(await key.innerText(), old.signingKey);
      await page.getByRole('button', { name: 'Copy Signing key' }).click();
      await page.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), old.signingKey);
      await shot('signing-key');

      await page.getByRole('button', { name: 'Regenerate signing key' }).click();
      const dialog = page.getByRole('dialog', { name: 'Regenerate the signing key?' });
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /failure policy \(closed: requests are denied\)/);
      await shot('signing-key-confirm');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal((await syncHook()).signingKey, old.signingKey, 'Escape regenerates nothing');
      await page.getByRole('button', { name: 'Regenerate signing key' }).click();
      await dialog.getByRole('button', { name: 'Regenerate' }).click();
      await page.getByText('New key in use: it signs the next call.').waitFor();
      const rotated = await syncHook();
      assert.notEqual(rotated.signingKey, old.signingKey);
      assert.notEqual(rotated.standardSigningKey, old.standardSigningKey);
      await page.getByRole('button', { name: 'Reveal Signing key' }).click();
      assert.equal(await key.innerText(), rotated.signingKey);

      // The example as shown, run as the endpoint: it answers Herald's signed calls, refuses a forged one.
      const snippet = await page.getByLabel('Node.js example of a sync hook endpoint').innerText();
      const file = join(mkdtempSync(join(tmpdir(), 'herald-sync-snippet-')), 'endpoint.mjs');
      writeFileSync(file, snippet);
      const port = await freePort();
      const child = spawn(process.execPath, [file], {
        env: { ...process.env, HERALD_SIGNING_KEY: rotated.signingKey, PORT: String(port) },
        stdio: 'pipe',
      });
      try {
        const url = `http://127.0.0.1:${port}/`;
        await eventually(() =>
          fetch(url, { method: 'POST', body: '{}' }).then(
            (r) => (r.status === 401 ? true : undefined),
            () => undefined,
          ),
        );
        const allowed = await t.request('POST', `/api/sync-hooks/${hookId}/test`, { body: { config: { url } } });
        assert.equal(allowed.json.decision, 'allow', allowed.text);
        const denied = await t.request('POST', `/api/sync-hooks/${hookId}/test`, {
          body: { config: { url }, user: { primaryEmail: 'eve@blocked.example' } },
        });
        assert.equal(denied.json.decision, 'deny', denied.text);
        assert.equal(denied.json.denyCode, 'blocked_domain');
        const forged = await fetch(url, {
          method: 'POST',
          headers: { 'logto-signature-sha-256': createHmac('sha256', old.signingKey).update('{}').digest('hex') },
          body: '{}',
        });
        assert.equal(forged.status, 401, 'the example refuses a signature by another key');
      } finally {
        child.kill();
        rmSync(dirname(file), { recursive: true, force: true });
      }
    });

    it('disables and enables the hook from its page, saying what that means', async () => {
      await page.getByRole('button', { name: 'Disable', exact: true }).click();
      await page.getByText('Sync hook disabled').waitFor();
      assert.equal((await syncHook()).enabled, false);
      assert.match(await text('.page-head .meta'), /Disabled/);
      const created = await t.request('POST', '/api/users', { body: { username: `free_${store}` } });
      assert.equal(created.status, 200, 'a disabled hook is not called');
      await page.getByRole('button', { name: 'Enable', exact: true }).click();
      await page.getByText('Sync hook enabled').waitFor();
      assert.equal((await syncHook()).enabled, true);
    });

    it('is readable at phone width', async () => {
      await page.setViewportSize(PHONE);
      await page.getByRole('link', { name: 'Calls', exact: true }).click();
      await page.getByRole('table', { name: 'Calls' }).waitFor();
      await noSideways('calls');
      await shot('phone-calls');
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByLabel('Endpoint URL').waitFor();
      await noSideways('settings');
      await shot('phone-settings');
      await page.getByRole('link', { name: 'Sync hooks' }).first().click();
      await page.getByRole('table').waitFor();
      await noSideways('sync hooks');
      await shot('phone-sync-hooks');
      await page.getByRole('link', { name: 'Domain gate' }).click();
      await page.getByRole('heading', { name: 'Domain gate' }).waitFor();
      await page.setViewportSize(LAPTOP);
    });

    it('deletes the hook after a confirmation', async () => {
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete Domain gate?' });
      await dialog.waitFor();
      await shot('delete-confirm');
      await dialog.getByRole('button', { name: 'Delete sync hook' }).click();
      await page.getByRole('heading', { name: 'No sync hooks yet' }).waitFor();
      assert.equal((await t.request('GET', `/api/sync-hooks/${hookId}`)).status, 404);
      const created = await t.request('POST', '/api/users', { body: { username: `after_${store}` } });
      assert.equal(created.status, 200, 'a deleted hook is not called');
      await shot('sync-hooks-after-delete');
    });

    it('shows an API error in words', async () => {
      const other = (
        await t.request('POST', '/api/sync-hooks', {
          body: { name: 'Gone soon', phase: 'PreSignIn', config: { url: endpoint.url } },
        })
      ).json;
      await page.reload();
      const row = page.getByRole('row', { name: /Gone soon/ });
      await row.waitFor();
      await row.getByRole('link', { name: 'Gone soon' }).click();
      await page.getByRole('heading', { name: 'Gone soon' }).waitFor();
      // Deleted elsewhere meanwhile: saving says what the API said.
      await t.request('DELETE', `/api/sync-hooks/${other.id}`);
      await page.getByLabel('Order', { exact: true }).fill('2');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: `The sync hook with ID \`${other.id}\` does not exist.` })
        .waitFor();
      await shot('api-error');
      assert.deepEqual(
        errors.filter((e) => !/status of 404/.test(e)),
        [],
        'no script errors in the page',
      );
    });
  });
}
