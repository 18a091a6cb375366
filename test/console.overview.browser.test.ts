/**
 * The console's landing page and shell, in a real browser (Debian's Chromium driven by
 * playwright-core) against the real server (each store) with real receivers on loopback: the
 * overview puts the webhooks that need attention first (disabled by a 410, failing, paused — not a
 * healthy one), adds up the last 24 hours across webhooks as the API's own health does, and links
 * the latest failures to their delivery; the webhook list says each one's health in a word; the
 * grouped navigation works as a menu on a phone; an unknown page says so and offers the way back.
 * Every page at laptop and phone width, checked with axe-core. Screenshots under
 * test-results/console-overview/<store>/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, consoleSession, LAPTOP, PHONE, signIn, until, withChromium } from './helpers/browser.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import type { TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

withChromium();

for (const store of stores) {
  describe(`the console's overview and shell, in Chromium (${store})`, () => {
    // Failures become final after two quick retries.
    const session = consoleSession(store, {
      folder: `console-overview/${store}`,
      env: { HERALD_RETRY_SCHEDULE: '0.1,0.1' },
    });
    const { errors, shot, bothWidths } = session;
    let t: TestServer;
    let page: Page;
    const receivers: Receiver[] = [];
    const ids: Record<'healthy' | 'failing' | 'gone' | 'paused', string> = {
      healthy: '',
      failing: '',
      gone: '',
      paused: '',
    };

    before(() => {
      ({ t, page } = session);
    });
    after(async () => {
      for (const r of receivers) await r.close();
    });

    it('with no webhooks, the overview explains them and offers to create one', async () => {
      await signIn(page, t.url, t.adminKey);
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.getByRole('heading', { name: 'No webhooks yet' }).waitFor();
      assert.ok(await page.getByRole('link', { name: 'Create your first webhook' }).isVisible());
      assert.equal(
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Overview' })
          .getAttribute('aria-current'),
        'page',
      );
      await bothWidths('overview empty');
    });

    it('puts the webhooks needing attention first, worst first, and not a healthy one', async () => {
      const behaviours = {
        healthy: { status: 200, body: 'ok' },
        failing: { status: 500, body: 'boom' },
        gone: { status: 410, body: 'gone' },
        paused: { status: 200, body: 'ok' },
      } as const;
      for (const [name, behaviour] of Object.entries(behaviours) as [
        keyof typeof ids,
        (typeof behaviours)[keyof typeof ids],
      ][]) {
        const receiver = await startReceiver(behaviour);
        receivers.push(receiver);
        const created = await t.request('POST', '/api/hooks', {
          body: { name: `${name} hook`, events: ['User.Created'], config: { url: receiver.url } },
        });
        assert.equal(created.status, 201, created.text);
        ids[name] = created.json.id;
      }
      const paused = await t.request('PATCH', `/api/hooks/${ids.paused}`, { body: { paused: true } });
      assert.equal(paused.status, 200, paused.text);
      for (let i = 0; i < 3; i++)
        assert.equal((await t.request('POST', '/api/users', { body: { username: `overview_${i}` } })).status, 200);
      // Wait until the API itself says: the 410 hook disabled, the failing hook's deliveries failed for good.
      await until(async () => {
        const gone = (await t.request('GET', `/api/hooks/${ids.gone}`)).json;
        assert.equal(gone.enabled, false);
        const failed = (await t.request('GET', `/api/hooks/${ids.failing}/deliveries?status=failed`)).json;
        assert.equal(failed.data.length, 3);
        const healthy = (await t.request('GET', `/api/hooks/${ids.healthy}/deliveries?status=succeeded`)).json;
        assert.equal(healthy.data.length, 3);
      });

      await page.getByRole('button', { name: 'Refresh' }).click();
      const attention = page.getByRole('list', { name: 'Needs attention' });
      await until(async () => assert.equal(await attention.getByRole('listitem').count(), 3));
      const items = await attention.getByRole('listitem').allInnerTexts();
      assert.match(items[0]!, /Disabled by Herald[\s\S]*gone hook[\s\S]*410/);
      assert.match(items[1]!, /Failing[\s\S]*failing hook[\s\S]*0 % of \d+ requests delivered/);
      assert.match(items[2]!, /Paused[\s\S]*paused hook[\s\S]*held/);
      assert.ok(!items.some((i) => i.includes('healthy hook')), 'a healthy webhook needs no attention');

      // The 24 h figures are the API's own, added up across webhooks.
      let delivered = 0;
      let failed = 0;
      for (const id of Object.values(ids)) {
        const health = (await t.request('GET', `/api/hooks/${id}/health?period=24h`)).json as {
          buckets: { delivered: number; failed: number }[];
        };
        for (const b of health.buckets) {
          delivered += b.delivered;
          failed += b.failed;
        }
      }
      assert.ok(delivered >= 3 && failed >= 3, `attempts recorded (${delivered} delivered, ${failed} failed)`);
      const caption = await page.locator('.overview-chart figcaption').innerText();
      assert.match(caption, new RegExp(`Delivered\\s*${delivered}\\s*Failed\\s*${failed}`));
      assert.match(await page.locator('.tiles').innerText(), /4\s*webhooks[\s\S]*3\s*need attention/);
      await bothWidths('overview attention');
    });

    it('links each of the latest failures to its delivery', async () => {
      const failures = page.getByRole('table', { name: 'Latest failures' });
      const rows = failures.getByRole('row');
      let failedForGood = 0;
      for (const id of Object.values(ids))
        failedForGood += (await t.request('GET', `/api/hooks/${id}/deliveries?status=failed`)).json.data.length;
      assert.ok(failedForGood >= 3);
      // A header row, then every delivery that failed for good (the failing hook's and the 410 one's).
      assert.equal(await rows.count(), 1 + failedForGood);
      assert.match(await failures.innerText(), /failing hook[\s\S]*User\.Created[\s\S]*HTTP 500/);
      await rows.nth(1).getByRole('link').click();
      await page.waitForURL(/#\/hooks\/[0-9a-z]+\/deliveries\/[0-9a-z]+$/);
      const [, hookId, deliveryId] = /#\/hooks\/([0-9a-z]+)\/deliveries\/([0-9a-z]+)$/.exec(page.url())!;
      const delivery = (await t.request('GET', `/api/hooks/${hookId}/deliveries/${deliveryId}`)).json;
      assert.equal(delivery.status, 'failed');
      await page
        .getByText(/Attempt/)
        .first()
        .waitFor();
    });

    it('says each webhook’s health in a word in the list', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
      const word = async (name: string) =>
        (
          await page
            .getByRole('row', { name: new RegExp(name) })
            .locator('td')
            .nth(3)
            .innerText()
        ).trim();
      await page.getByRole('row', { name: /healthy hook/ }).waitFor();
      assert.equal(await word('healthy hook'), 'Healthy');
      assert.equal(await word('failing hook'), 'Failing');
      assert.match(await word('gone hook'), /^Disabled/);
      assert.equal(await word('paused hook'), 'Paused');
      await bothWidths('webhook list health');
      // The dark colour scheme keeps its contrast (axe checks it), here and on the overview.
      await page.emulateMedia({ colorScheme: 'dark' });
      try {
        assert.equal(
          await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()"),
          '#0f1216',
        );
        await assertAccessible(page, 'webhook list (dark)');
        await shot('webhook-list-dark');
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
        await page.getByRole('list', { name: 'Needs attention' }).waitFor();
        await assertAccessible(page, 'overview (dark)');
        await shot('overview-dark');
      } finally {
        await page.emulateMedia({ colorScheme: 'light' });
      }
    });

    it('on a phone the navigation is a menu', async () => {
      await page.setViewportSize(PHONE);
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.equal(await nav.isVisible(), false, 'folded away');
      const menu = page.getByRole('button', { name: 'Menu' });
      assert.equal(await menu.getAttribute('aria-expanded'), 'false');
      await menu.click();
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      await nav.getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      assert.equal(await nav.isVisible(), false, 'folded again after choosing');
      await page.setViewportSize(LAPTOP);
      assert.ok(await nav.isVisible());
    });

    it('an unknown page says so and offers the way back', async () => {
      await page.goto(`${t.url}/console/#/no-such-page`);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      assert.match(await page.locator('main').innerText(), /no page at \/no-such-page/);
      await bothWidths('not found');
      await page.getByRole('link', { name: 'Go to the overview' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      assert.deepEqual(errors, []);
    });
  });
}
