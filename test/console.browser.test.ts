/**
 * The admin console in a real browser: Debian's Chromium driven by playwright-core, against the
 * real server (each store) and a real receiver on loopback. Each page is saved as a screenshot
 * under test-results/console/<store>/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
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

const RESULTS = fileURLToPath(new URL('../test-results/console/', import.meta.url));

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  assertNoOpenServers();
});

for (const store of stores) {
  describe(`admin console in Chromium (${store})`, () => {
    let t: TestServer;
    let receiver: Receiver;
    let context: BrowserContext;
    let page: Page;
    let shots = 0;
    const dir = join(RESULTS, store);
    /** `fullPage: false` for very long pages (the event reference), whose full capture is slow on a busy machine. */
    /** Every page shown is checked with axe-core before its screenshot. */
    const shot = async (name: string, fullPage = true) => {
      await assertAccessible(page, name);
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${String(++shots).padStart(2, '0')}-${name}.png`), fullPage });
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
    const hook = async () => (await t.request('GET', `/api/hooks/${hookId}`)).json;
    const deliveries = async () =>
      (await t.request('GET', `/api/hooks/${hookId}/deliveries?limit=100`)).json.data as {
        id: string;
        status: string;
        attempts: number;
      }[];

    before(async () => {
      rmSync(dir, { recursive: true, force: true });
      t = await startTestServer(store);
      receiver = await startReceiver({
        status: 200,
        body: '{"received":true}',
        headers: { 'content-type': 'application/json' },
      });
      context = await browser.newContext({ viewport: LAPTOP });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        // A refused key is answered 401, which the browser logs as a failed resource: expected once.
        if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(`console: ${m.text()}`);
      });
    });
    after(async () => {
      await context?.close();
      await t?.close();
      await receiver?.close();
    });

    it('signs in with an API key, saying so when the key is wrong, and shows the empty list', async () => {
      await page.goto(`${t.url}/console`);
      await page.getByLabel('API key').waitFor();
      await shot('sign-in');
      await page.getByLabel('API key').fill('hk_wrong_key');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Herald refused that key' }).waitFor();
      await shot('sign-in-refused');
      // Keyboard only: the field, then Enter.
      await page.getByLabel('API key').fill(t.adminKey);
      await page.getByLabel('API key').press('Enter');
      await page.getByRole('heading', { name: 'No webhooks yet' }).waitFor();
      assert.equal(await page.evaluate("sessionStorage.getItem('herald.apiKey')"), t.adminKey);
      assert.equal(await page.evaluate('localStorage.length'), 0, 'the key is kept for the browser session only');
      await shot('webhooks-empty');
    });

    it('creates a webhook: URL and headers checked as the API does, events picked from groups', async () => {
      // Keyboard: the first Tab stop skips to the content; the page's links follow.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to content');
      await page.getByRole('link', { name: 'Create your first webhook' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Create webhook' }).waitFor();
      // The event picker: every group folded, with its count; no wall of checkboxes.
      const groupNames = [
        'User',
        'Organization',
        'Role',
        'Organization role',
        'Permission',
        'Organization permission',
        'User interaction',
        'Security',
        'Herald extensions',
      ];
      for (const group of groupNames) {
        const summary = page.locator('details.event-group > summary', { hasText: new RegExp(`^${group} \\d`) });
        assert.match(await summary.innerText(), /0 of \d+ selected/, `group ${group}`);
        assert.equal(await page.getByLabel(`Every ${group} event`).isVisible(), false, `group ${group} folded`);
      }
      const formHeight = (await page.evaluate("document.querySelector('form').scrollHeight")) as number;
      assert.ok(formHeight < 1300, `the create form is ${formHeight} px tall`);
      await page.getByLabel('Name', { exact: true }).fill('CRM sync');
      await page.getByLabel('Endpoint URL').fill('ftp://example.com/in');
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByLabel('Header 1 name').fill('X Tenant');
      await page.getByRole('button', { name: 'Create webhook' }).click();
      assert.match(await text('form'), /must be an absolute http\(s\) URL/);
      assert.match(await text('form'), /"X Tenant" is not a valid header name/);
      assert.match(await text('form'), /Pick at least one event/);
      await shot('create-problems');
      assert.deepEqual(
        (await t.request('GET', '/api/hooks')).json,
        [],
        'nothing is created while the form has problems',
      );

      await page.getByLabel('Header 1 name').fill('X-Tenant');
      await page.getByLabel('Header 1 value').fill('acme');
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByLabel('Header 2 name').fill('x-tenant');
      assert.match(await text('form'), /"x-tenant" is given twice/);
      await page.getByRole('button', { name: 'Remove header 2' }).click();
      await page.getByLabel('Endpoint URL').fill(receiver.url);
      // Finding an event opens the groups that have it, and only shows the matches.
      await page.getByLabel('Find an event').fill('user.created');
      assert.equal(await page.locator('details.event-group li input[type=checkbox]').count(), 1, 'only the match');
      await page.getByRole('checkbox', { name: /^User\.Created/ }).focus();
      await page.keyboard.press('Space');
      assert.ok(await page.getByRole('checkbox', { name: /^User\.Created/ }).isChecked(), 'Space checks an event');
      await page.getByLabel('Find an event').fill('');
      await page.locator('details.event-group > summary', { hasText: /^Role \d/ }).click();
      await page.getByLabel('Every Role event').check();
      // The selected events as chips, each removable.
      const chips = page.getByRole('list', { name: 'Selected events' });
      assert.equal(await chips.getByRole('listitem').count(), 5);
      await chips.getByRole('button', { name: 'Remove Role.Deleted' }).click();
      assert.equal(await chips.getByRole('listitem').count(), 4);
      assert.match(
        await page.locator('details.event-group > summary', { hasText: /^Role \d/ }).innerText(),
        /3 of 4 selected/,
      );
      await page.getByRole('checkbox', { name: /^Role\.Deleted/ }).check();
      await shot('create-filled');
      await page.getByRole('button', { name: 'Create webhook' }).click();
      await page.getByRole('heading', { name: 'CRM sync' }).waitFor();
      hookId = /#\/hooks\/([0-9a-z]+)/.exec(page.url())![1]!;
      const created = await hook();
      assert.equal(created.name, 'CRM sync');
      assert.equal(created.config.url, receiver.url);
      assert.deepEqual(created.config.headers, { 'X-Tenant': 'acme' });
      assert.deepEqual([...created.events].sort(), [
        'Role.Created',
        'Role.Data.Updated',
        'Role.Deleted',
        'Role.Scopes.Updated',
        'User.Created',
      ]);
      await shot('webhook-settings');

      // Edit: the settings form starts from the stored hook and PATCHes it.
      assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'CRM sync');
      assert.equal(await page.getByLabel('Header 1 value').inputValue(), 'acme');
      await page.getByRole('checkbox', { name: /^User\.Deleted/ }).check();
      await page.getByLabel('Header 1 value').fill('acme-eu');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Settings saved.').waitFor();
      const edited = await hook();
      assert.ok(edited.events.includes('User.Deleted'));
      assert.deepEqual(edited.config.headers, { 'X-Tenant': 'acme-eu' });
      assert.equal(edited.signingKey, created.signingKey, 'editing keeps the key');
    });

    it('sends a test payload and shows the status and body the endpoint answered', async () => {
      await page.getByRole('link', { name: 'Test', exact: true }).click();
      await page.getByRole('checkbox', { name: 'User.Created' }).check();
      const before = receiver.requests.length;
      await page.getByRole('button', { name: 'Send test payload' }).click();
      const results = page.getByRole('table', { name: 'Test results' });
      await results.waitFor();
      const row = await results.locator('tbody tr').first().innerText();
      assert.match(row, /User\.Created\s+Delivered\s+200/);
      assert.match(row, /"received": true/);
      const sent = receiver.requests.slice(before);
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.json.event, 'User.Created');
      assert.equal(sent[0]!.headers['x-tenant'], 'acme-eu');
      assert.equal(
        sent[0]!.headers['logto-signature-sha-256'],
        createHmac('sha256', (await hook()).signingKey)
          .update(sent[0]!.body)
          .digest('hex'),
      );
      await shot('test-payload');

      receiver.respondWith({ status: 503, body: 'maintenance' });
      await page.getByRole('button', { name: 'Send test payload' }).click();
      await until(async () =>
        assert.match(await results.locator('tbody tr').first().innerText(), /Failed\s+503[\s\S]*maintenance/),
      );
      receiver.respondWith({ status: 200, body: '{"received":true}', headers: { 'content-type': 'application/json' } });
    });

    it('shows the delivery of a real event, with its request and attempts', async () => {
      const user = (await t.request('POST', '/api/users', { body: { username: `ada_${store}` } })).json;
      await page
        .getByRole('navigation', { name: 'Webhook' })
        .getByRole('link', { name: 'Deliveries', exact: true })
        .click();
      const table = page.getByRole('table', { name: 'Deliveries' });
      await until(
        async () => assert.match(await table.locator('tbody tr').first().innerText(), /Delivered\s+User\.Created/),
        () => page.getByRole('button', { name: 'Refresh' }).click(),
      );
      await shot('deliveries');
      await table.getByRole('link', { name: 'User.Created' }).first().click();
      await page.getByRole('list', { name: 'Attempts' }).waitFor();
      const body = JSON.parse(await page.getByLabel('Request body').innerText());
      assert.equal(body.event, 'User.Created');
      assert.equal(body.data.id, user.id);
      const headers = await page.getByRole('table', { name: 'Request headers' }).innerText();
      assert.match(headers, /x-tenant\s+acme-eu/);
      assert.match(headers, /webhook-id\s+[0-9a-z]{21}/);
      assert.match(await page.getByRole('list', { name: 'Attempts' }).innerText(), /Attempt 1: delivered · 200/);
      assert.equal(
        await page
          .getByRole('list', { name: 'Attempts' })
          .evaluate(
            (el) =>
              (globalThis as unknown as { getComputedStyle(e: unknown): { listStyleType: string } }).getComputedStyle(
                el,
              ).listStyleType,
          ),
        'none',
        'each attempt is numbered once, in its heading ("Attempt 1"), not also by the list',
      );
      await shot('delivery-detail');
    });

    it('retries a delivery and recovers failed ones, each attempt shown', async () => {
      const [delivery] = await deliveries();
      receiver.respondWith({ status: 500, body: 'broken' });
      await page.getByRole('button', { name: 'Retry now' }).click();
      await page.getByText('Queued: Herald sends it again now.').waitFor();
      const attempts = page.getByRole('list', { name: 'Attempts' });
      await until(
        async () => assert.match(await attempts.innerText(), /Attempt 2: failed · 500[\s\S]*broken/),
        () => page.getByRole('button', { name: 'Refresh' }).click(),
      );
      await shot('delivery-retried');
      // The test schedule retries twice more, then the delivery has failed for good.
      await eventually(async () => ((await deliveries())[0]!.status === 'failed' ? true : undefined));

      receiver.respondWith({ status: 200, body: 'ok' });
      await page.getByRole('link', { name: 'All deliveries' }).click();
      await page.getByLabel('Status').selectOption('failed');
      await until(async () =>
        assert.match(await page.getByRole('table', { name: 'Deliveries' }).innerText(), /Failed\s+User\.Created/),
      );
      await page.getByRole('button', { name: 'Recover failed deliveries' }).click();
      await page.getByText('1 failed delivery queued to be sent again.').waitFor();
      await page.getByLabel('Status').selectOption('succeeded');
      await until(
        async () =>
          assert.match(await page.getByRole('table', { name: 'Deliveries' }).innerText(), /Delivered\s+User\.Created/),
        () => page.getByRole('button', { name: 'Refresh' }).click(),
      );
      const [after] = await deliveries();
      assert.equal(after!.id, delivery!.id);
      assert.equal(after!.status, 'succeeded');
      assert.ok(after!.attempts >= 3);
      await shot('deliveries-recovered');
    });

    it('keeps older deliveries through a refresh, and never shows an answer for a filter no longer chosen', async () => {
      for (let i = 0; i < 24; i++)
        await t.request('POST', '/api/roles', { body: { name: `role-${store}-${i}`, description: 'r' } });
      await eventually(async () =>
        (await t.request('GET', `/api/hooks/${hookId}/deliveries?limit=100`)).json.data.length >= 25 ? true : undefined,
      );
      await page.getByLabel('Status').selectOption('');
      const rows = page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr');
      await until(
        async () => assert.equal(await rows.count(), 20),
        () => page.getByRole('button', { name: 'Refresh' }).click(),
      );
      await page.getByRole('button', { name: 'Show older deliveries' }).click();
      await until(async () => assert.equal(await rows.count(), 25));
      await page.getByRole('button', { name: 'Refresh' }).click();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await rows.count(), 25, 'a refresh keeps the older page');

      // The answer for "any status" arrives after the one for "failed": it must not be shown.
      await page.route(/\/deliveries\?limit=20$/, async (route) => {
        await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByLabel('Status').selectOption('failed');
      await new Promise((r) => setTimeout(r, 2500));
      await page.unroute(/\/deliveries\?limit=20$/);
      assert.match(await page.locator('.deliveries').innerText(), /No deliveries match these filters/);
      await page.getByLabel('Status').selectOption('');
    });

    it('reveals, copies and regenerates the signing key with a grace period', async () => {
      const old = await hook();
      await page.getByRole('link', { name: 'Signing key', exact: true }).click();
      const key = page.getByLabel('Signing key', { exact: true });
      assert.ok(!(await key.innerText()).includes(old.signingKey), 'hidden by default');
      await page.getByRole('button', { name: 'Reveal Signing key' }).click();
      assert.equal(await key.innerText(), old.signingKey);
      await page.getByRole('button', { name: 'Copy Standard Webhooks secret (whsec_)' }).click();
      await page.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), old.standardSigningKey);
      assert.match(old.standardSigningKey, /^whsec_/);
      await shot('signing-key');

      await page.getByLabel('Grace period for the previous key').selectOption({ label: '1 hour' });
      await page.getByRole('button', { name: 'Regenerate signing key' }).click();
      const dialog = page.getByRole('dialog', { name: 'Regenerate the signing key?' });
      await dialog.waitFor();
      await shot('signing-key-confirm');
      await dialog.getByRole('button', { name: 'Regenerate' }).click();
      await page.getByText(/New key in use\. The previous key also signs webhook-signature until/).waitFor();
      const rotated = await hook();
      assert.notEqual(rotated.signingKey, old.signingKey);
      assert.ok(rotated.previousSigningKeyExpiresAt > Date.now() + 59 * 60 * 1000);
      await page.getByRole('button', { name: 'Reveal Signing key' }).click();
      assert.equal(await key.innerText(), rotated.signingKey);

      // The snippet as shown, run as a receiver: Herald's signed requests pass, a forged one does not.
      const snippet = await page.getByLabel('Node.js example that verifies logto-signature-sha-256').innerText();
      const file = join(mkdtempSync(join(tmpdir(), 'herald-snippet-')), 'receiver.mjs');
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
        const test = await t.request('POST', `/api/hooks/${hookId}/test`, {
          body: { events: ['User.Created'], config: { url } },
        });
        assert.equal(test.status, 204, `the snippet accepts Herald's signature: ${test.text}`);
        const forged = await fetch(url, {
          method: 'POST',
          headers: { 'logto-signature-sha-256': createHmac('sha256', old.signingKey).update('{}').digest('hex') },
          body: '{}',
        });
        assert.equal(forged.status, 401, 'the snippet refuses a signature by another key');
      } finally {
        child.kill();
        rmSync(dirname(file), { recursive: true, force: true });
      }

      // The Python and Go snippets as shown, given a request Herald signed: it passes, the body altered does not.
      const before = receiver.requests.length;
      const sent = await t.request('POST', `/api/hooks/${hookId}/test`, {
        body: { events: ['User.Created'], config: { url: receiver.url } },
      });
      assert.equal(sent.status, 204, sent.text);
      const signed = receiver.requests[before]!;
      const signature = String(signed.headers['logto-signature-sha-256']);
      const dir = mkdtempSync(join(tmpdir(), 'herald-snippets-'));
      try {
        writeFileSync(join(dir, 'body'), signed.body);
        const languages = page.getByRole('group', { name: 'Language' });
        await languages.getByRole('button', { name: 'Python' }).click();
        const python = await page.getByLabel('Python example that verifies logto-signature-sha-256').innerText();
        writeFileSync(
          join(dir, 'check.py'),
          `${python}\nimport sys\nbody = open(sys.argv[1], "rb").read()\nprint(is_signed_by_herald(body, sys.argv[2]), is_signed_by_herald(body + b" ", sys.argv[2]))\n`,
        );
        const env = { ...process.env, HERALD_SIGNING_KEY: rotated.signingKey };
        const py = spawnSync('python3', [join(dir, 'check.py'), join(dir, 'body'), signature], {
          env,
          encoding: 'utf8',
        });
        assert.equal(py.stdout.trim(), 'True False', `python: ${py.stderr}`);

        await languages.getByRole('button', { name: 'Go' }).click();
        const go = await page.getByLabel('Go example that verifies logto-signature-sha-256').innerText();
        writeFileSync(
          join(dir, 'check.go'),
          `${go.replace('\t"os"', '\t"fmt"\n\t"os"')}\nfunc main() {\n\tbody, _ := os.ReadFile(os.Args[1])\n\tfmt.Println(isSignedByHerald(body, os.Args[2]), isSignedByHerald(append(body, ' '), os.Args[2]))\n}\n`,
        );
        const built = spawnSync('go', ['run', join(dir, 'check.go'), join(dir, 'body'), signature], {
          env,
          encoding: 'utf8',
        });
        assert.equal(built.stdout.trim(), 'true false', `go: ${built.stderr}`);
        await languages.getByRole('button', { name: 'Node.js SDK' }).click();
        assert.match(
          await page.getByLabel('Node.js example with the herald-webhooks package').innerText(),
          /expressWebhook\(process\.env\.HERALD_SIGNING_KEY/,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('charts delivered and failed attempts per hour over 24 hours and 7 days, as the API counts them', async () => {
      await page.getByRole('link', { name: 'Health', exact: true }).click();
      const api = (await t.request('GET', `/api/hooks/${hookId}/health`)).json.buckets as {
        delivered: number;
        failed: number;
      }[];
      const delivered = api.reduce((n, b) => n + b.delivered, 0);
      const failed = api.reduce((n, b) => n + b.failed, 0);
      // Every attempt so far, from the deliveries' own logs: the chart must count the same.
      let logged = { delivered: 0, failed: 0 };
      for (const d of await deliveries()) {
        const log = (await t.request('GET', `/api/hooks/${hookId}/deliveries/${d.id}`)).json.attemptLog as {
          result: string;
        }[];
        logged = {
          delivered: logged.delivered + log.filter((a) => a.result === 'success').length,
          failed: logged.failed + log.filter((a) => a.result !== 'success').length,
        };
      }
      assert.deepEqual({ delivered, failed }, logged);
      assert.ok(delivered >= 2 && failed >= 2, `${delivered} delivered, ${failed} failed`);
      const chart = page.getByRole('img', { name: /Attempts per hour over the last 24 hours/ });
      await chart.waitFor();
      assert.equal(
        await chart.getAttribute('aria-label'),
        `Attempts per hour over the last 24 hours: ${delivered} delivered, ${failed} failed.`,
      );
      assert.ok((await chart.locator('rect.delivered').count()) >= 1);
      assert.ok((await chart.locator('rect.failed').count()) >= 1);
      await shot('health-24h');
      await page.getByRole('button', { name: 'Last 7 days' }).click();
      await page.getByRole('img', { name: /over the last 7 days/ }).waitFor();
      await shot('health-7d');
    });

    it('disables and enables the webhook: a disabled webhook gets no new deliveries', async () => {
      await page.getByRole('button', { name: 'Disable', exact: true }).click();
      await page.getByText('Webhook disabled').waitFor();
      assert.equal((await hook()).enabled, false);
      await shot('webhook-disabled');
      const count = (await deliveries()).length;
      await t.request('POST', '/api/users', { body: { username: `grace_${store}` } });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await deliveries()).length, count);
      await page.getByRole('button', { name: 'Enable', exact: true }).click();
      await page.getByText('Webhook enabled').waitFor();
      assert.equal((await hook()).enabled, true);
    });

    it('shows the event reference: when each event fires, what emits it, its fields and an example', async () => {
      await page.getByRole('link', { name: 'Events', exact: true }).click();
      await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
      const userCreated = page.locator('article#event-User\\.Created');
      await userCreated.getByRole('heading', { name: 'User.Created' }).waitFor();
      const words = await userCreated.innerText();
      assert.match(words, /POST \/api\/users/);
      const fields = userCreated.getByRole('table', { name: 'User.Created payload fields' });
      assert.ok(await fields.getByRole('cell', { name: 'hookId', exact: true }).isVisible());
      await userCreated.getByText('Example delivery').click();
      assert.match(await userCreated.locator('pre').innerText(), /"event": "User.Created"/);
      // Logto's events Herald never fires say so instead of naming a route.
      assert.match(await page.locator('article#event-Grant\\.LimitExceeded').innerText(), /nothing in Herald/);
      await shot('events', false);
      await page.setViewportSize(PHONE);
      await noSideways('events');
      await shot('phone-events', false);
      await page.setViewportSize(LAPTOP);
      // Back to the webhook, where the next test starts.
      await page.getByRole('link', { name: 'Webhooks' }).first().click();
      await page.getByRole('link', { name: 'CRM sync' }).click();
      await page.getByRole('heading', { name: 'CRM sync' }).waitFor();
    });

    it('is readable at phone width', async () => {
      await page.setViewportSize(PHONE);
      await page
        .getByRole('navigation', { name: 'Webhook' })
        .getByRole('link', { name: 'Deliveries', exact: true })
        .click();
      await page.getByRole('table', { name: 'Deliveries' }).waitFor();
      await noSideways('deliveries');
      await shot('phone-deliveries');
      await page.getByRole('link', { name: 'Health', exact: true }).click();
      await page.getByRole('img', { name: /Attempts per hour/ }).waitFor();
      await noSideways('health');
      await shot('phone-health');
      await page.getByRole('link', { name: 'Webhooks' }).first().click();
      await page.getByRole('table').waitFor();
      await noSideways('webhooks');
      await shot('phone-webhooks');
      await page.getByRole('link', { name: 'CRM sync' }).click();
      await page.getByRole('heading', { name: 'CRM sync' }).waitFor();
      await noSideways('settings');
      await page.setViewportSize(LAPTOP);
    });

    it('deletes the webhook after a confirmation that Escape cancels', async () => {
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete CRM sync?' });
      await dialog.waitFor();
      await shot('delete-confirm');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal((await t.request('GET', `/api/hooks/${hookId}`)).status, 200, 'Escape deletes nothing');
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await dialog.getByRole('button', { name: 'Delete webhook' }).click();
      await page.getByRole('heading', { name: 'No webhooks yet' }).waitFor();
      assert.equal((await t.request('GET', `/api/hooks/${hookId}`)).status, 404);
      await shot('webhooks-after-delete');
    });

    it('shows why Herald disabled a webhook, and an API error in words', async () => {
      const gone = await startReceiver({ status: 410, body: 'gone' });
      try {
        const created = (
          await t.request('POST', '/api/hooks', {
            body: { name: 'Old CRM', events: ['User.Created'], config: { url: gone.url } },
          })
        ).json;
        await t.request('POST', '/api/users', { body: { username: `lin_${store}` } });
        await eventually(async () =>
          (await t.request('GET', `/api/hooks/${created.id}`)).json.enabled === false ? true : undefined,
        );
        await page.reload();
        const row = page.getByRole('row', { name: /Old CRM/ });
        await row.waitFor();
        assert.match(await row.innerText(), /Disabled[\s\S]*410/);
        await shot('webhooks-auto-disabled');

        await row.getByRole('link', { name: 'Old CRM' }).click();
        await page.getByRole('note').filter({ hasText: 'Herald disabled this webhook' }).waitFor();
        // Deleted elsewhere meanwhile: the next action says what the API said.
        await t.request('DELETE', `/api/hooks/${created.id}`);
        await page.getByRole('button', { name: 'Enable', exact: true }).click();
        // Logto's answer to an update of a hook that is gone: 404 entity.not_exists.
        await page.getByRole('alert').filter({ hasText: 'The hook does not exist.' }).waitFor();
        await shot('api-error');
      } finally {
        await gone.close();
      }
      assert.deepEqual(
        errors.filter((e) => !/status of 404/.test(e)),
        [],
        'no script errors in the page',
      );
    });
  });
}
