/**
 * Pausing and resuming a webhook from the admin console, in a real browser: Debian's Chromium
 * driven by playwright-core, against the real server (each store) and a real receiver on loopback.
 * Events emitted while paused are held (checked through the API and the receiver) and arrive once
 * it is resumed. Screenshots under test-results/console-pause/<store>/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureConsoleBuilt } from './helpers/console.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, startTestServer, type TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

const CHROMIUM = '/usr/bin/chromium';
/** The machine's network is closed: without these, Chromium keeps trying to reach Google's hosts. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const RESULTS = fileURLToPath(new URL('../test-results/console-pause/', import.meta.url));
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let browser: Browser;
before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (npm test does, as root)`);
  ensureConsoleBuilt();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
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
    let shots = 0;
    const dir = join(RESULTS, store);
    const shot = async (name: string) => {
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${String(++shots).padStart(2, '0')}-${name}.png`), fullPage: true });
    };
    const errors: string[] = [];
    let hookId = '';
    const hook = async () => (await t.request('GET', `/api/hooks/${hookId}`)).json;

    before(async () => {
      rmSync(dir, { recursive: true, force: true });
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
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
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

    it('lists the webhook as Paused instead of Enabled', async () => {
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
      const [scroll, width] = (await page.evaluate(
        '[document.documentElement.scrollWidth, window.innerWidth]',
      )) as number[];
      assert.ok(scroll! <= width!, `the webhook page scrolls sideways at ${width} px (${scroll} px wide)`);
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
      assert.equal((await row.locator('td').nth(3).innerText()).trim(), 'Enabled');
      assert.deepEqual(errors, []);
    });
  });
}
