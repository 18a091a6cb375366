/**
 * A webhook's state in the admin console, in a real browser (Debian's Chromium driven by
 * playwright-core) against the real server (each store) and a real receiver on loopback:
 * - pausing and resuming: events emitted while paused are held (checked through the API and the
 *   receiver) and arrive once it is resumed;
 * - a destination the SSRF guard will refuse: saved, as in Logto, with a warning on its page and in
 *   the list that names the setting that would allow it.
 * Screenshots under test-results/console-hook-state/<store>/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoSidewaysScroll, collectErrors, LAPTOP, launchBrowser, PHONE, screenshots } from './helpers/browser.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, startTestServer, type TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  assertNoOpenServers();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const store of stores) {
  describe(`pausing a webhook in the admin console, in Chromium (${store})`, () => {
    let t: TestServer;
    let receiver: Receiver;
    let context: BrowserContext;
    let page: Page;
    const shot = screenshots(`console-hook-state/${store}/pause`, () => page);
    let errors: string[] = [];
    let hookId = '';
    const hook = async () => (await t.request('GET', `/api/hooks/${hookId}`)).json;

    before(async () => {
      t = await startTestServer(store);
      receiver = await startReceiver();
      const created = await t.request('POST', '/api/hooks', {
        body: { name: 'Billing sync', events: ['User.Created'], config: { url: receiver.url } },
      });
      assert.equal(created.status, 201, created.text);
      hookId = created.json.id;
      context = await browser.newContext({ viewport: LAPTOP });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      errors = collectErrors(page);
    });
    after(async () => {
      await context?.close();
      await t?.close();
      await receiver?.close();
    });

    it('pauses from the webhook page, says so in words, and holds what happens meanwhile', async () => {
      await page.goto(`${t.url}/console`);
      await page.getByLabel('API key').fill(t.adminKey);
      await page.getByLabel('API key').press('Enter');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('link', { name: 'Billing sync' }).click();
      await page.getByRole('heading', { name: 'Billing sync' }).waitFor();
      const head = page.locator('.page-head');
      assert.match(await head.innerText(), /Enabled/);
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();
      const note = page.getByRole('note').filter({ hasText: 'Paused' });
      assert.match(await note.innerText(), /Paused — deliveries are held, none is sent/);
      assert.match(await head.innerText(), /Paused/);
      assert.doesNotMatch(await head.innerText(), /\bEnabled\b/, 'a paused webhook does not read as enabled');
      await page.getByRole('status').filter({ hasText: 'Webhook paused' }).waitFor();
      const paused = await hook();
      assert.equal(paused.paused, true);
      assert.equal(paused.enabled, true);
      await shot('hook-paused');

      for (let i = 0; i < 3; i++) await emitEvent(t, 'User.Created', { data: { id: `u${i}` } });
      await sleep(1500);
      assert.equal(receiver.requests.length, 0, 'nothing is sent while paused');
      const held = (await t.request('GET', `/api/hooks/${hookId}/deliveries?limit=10`)).json.data as {
        status: string;
      }[];
      assert.deepEqual(
        held.map((d) => d.status),
        ['pending', 'pending', 'pending'],
      );
    });

    it('lists the webhook as Paused instead of healthy', async () => {
      await page.getByRole('link', { name: 'Webhooks' }).first().click();
      const row = page.getByRole('row', { name: /Billing sync/ });
      await row.waitFor();
      const status = await row.locator('td').nth(3).innerText();
      assert.equal(status.trim(), 'Paused');
      await shot('list-paused');
      // On a phone the page says the same and does not scroll sideways.
      await page.setViewportSize(PHONE);
      await page.getByRole('link', { name: 'Billing sync' }).click();
      await page.getByRole('note').filter({ hasText: 'Paused — deliveries are held' }).waitFor();
      await assertNoSidewaysScroll(page, 'the paused webhook page');
      await shot('hook-paused-phone');
      await page.setViewportSize(LAPTOP);
    });

    it('resumes from the webhook page: what was held is sent', async () => {
      await page.getByRole('heading', { name: 'Billing sync' }).waitFor();
      await page.getByRole('button', { name: 'Resume', exact: true }).click();
      await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Webhook resumed' }).waitFor();
      assert.equal(await page.getByRole('note').filter({ hasText: 'Paused' }).count(), 0);
      assert.match(await page.locator('.page-head').innerText(), /Enabled/);
      assert.equal('paused' in (await hook()), false);
      await receiver.waitFor((rs) => rs.length === 3);
      await shot('hook-resumed');
      await page.getByRole('link', { name: 'Webhooks' }).first().click();
      const row = page.getByRole('row', { name: /Billing sync/ });
      await row.waitFor();
      assert.equal((await row.locator('td').nth(3).innerText()).trim(), 'Healthy', 'the three held deliveries arrived');
      assert.deepEqual(errors, []);
    });
  });
}

for (const store of stores) {
  describe(`a destination the SSRF guard will refuse, in the admin console (${store})`, () => {
    let t: TestServer;
    let context: BrowserContext;
    let page: Page;
    let errors: string[] = [];
    const shot = screenshots(`console-hook-state/${store}/destination`, () => page);
    const warning = () => page.getByRole('note').filter({ hasText: 'Deliveries to this URL will fail' });

    before(async () => {
      // The guard as in production: loopback and private networks refused.
      t = await startTestServer(store, { HERALD_ALLOW_PRIVATE_NETWORKS: 'false' });
      context = await browser.newContext({ viewport: LAPTOP });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      errors = collectErrors(page);
    });
    after(async () => {
      await context?.close();
      await t?.close();
    });

    it('saves a loopback endpoint and warns on its page, naming the setting that would allow it', async () => {
      await page.goto(`${t.url}/console`);
      await page.getByLabel('API key').fill(t.adminKey);
      await page.getByLabel('API key').press('Enter');
      await page.getByRole('link', { name: 'Create your first webhook' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Intranet CRM');
      await page.getByLabel('Endpoint URL').fill('http://127.0.0.1:9/hook');
      await page.getByLabel('Find an event').fill('User.Created');
      await page.getByRole('checkbox', { name: /^User\.Created/ }).check();
      await page.getByRole('button', { name: 'Create webhook' }).click();
      await page.getByRole('heading', { name: 'Intranet CRM' }).waitFor();
      const text = await warning().innerText();
      assert.match(text, /127\.0\.0\.1 is .*loopback/);
      assert.match(text, /HERALD_ALLOW_PRIVATE_NETWORKS=true/);
      const id = /#\/hooks\/([0-9a-z]+)/.exec(page.url())![1]!;
      const stored = (await t.request('GET', `/api/hooks/${id}`)).json;
      assert.equal(stored.config.url, 'http://127.0.0.1:9/hook', 'saved, as Logto does');
      assert.equal(stored.destinationWarning, text.trim());
      await shot('hook-warning');
      await page.setViewportSize(PHONE);
      await warning().waitFor();
      await assertNoSidewaysScroll(page, 'the webhook page with a warning');
      await shot('hook-warning-phone');
      await page.setViewportSize(LAPTOP);
    });

    it('marks the webhook in the list, with the whole warning on hover', async () => {
      await page.getByRole('link', { name: 'Webhooks' }).first().click();
      const row = page.getByRole('row', { name: /Intranet CRM/ });
      await row.waitFor();
      const marker = row.getByText('The SSRF guard refuses this destination');
      assert.match((await marker.getAttribute('title')) ?? '', /HERALD_ALLOW_PRIVATE_NETWORKS=true/);
      await shot('list-warning');
    });

    it('drops the warning once the endpoint is one the guard allows', async () => {
      await page.getByRole('link', { name: 'Intranet CRM' }).click();
      await warning().waitFor();
      await page.getByLabel('Endpoint URL').fill('https://93.184.216.34/hook');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Settings saved.').waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Intranet CRM' }).waitFor();
      assert.equal(await warning().count(), 0);
      await page.getByRole('link', { name: 'Webhooks' }).first().click();
      await page.getByRole('row', { name: /Intranet CRM/ }).waitFor();
      assert.equal(await page.getByText('The SSRF guard refuses this destination').count(), 0);
      assert.deepEqual(errors, []);
    });
  });
}
