/**
 * The console's global delivery log (#/deliveries), in a real browser (Debian's Chromium driven by
 * playwright-core) against the real server (each store), with a receiver that answers 200 and one
 * that answers 500, and users created through the API (each creation a User.Created event):
 * - a search by a user's email finds that user's deliveries (the payload search);
 * - a status filter, kept in the hash, so a reload (or a link) shows the same view;
 * - opening a delivery, retrying a failed one, and recovering every failed one, each checked
 *   through the API and the receivers;
 * - at laptop and phone widths: no sideways scroll, axe-core, no script errors.
 * Screenshots under test-results/console-deliveries/<store>/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  assertNoSidewaysScroll,
  consoleSession,
  LAPTOP,
  PHONE,
  signIn,
  until,
  withChromium,
} from './helpers/browser.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { eventually, type TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

withChromium();

interface Entry {
  id: string;
  hookId: string;
  status: string;
  attempts: number;
  eventId: string;
}

for (const store of stores) {
  describe(`the delivery log in the admin console, in Chromium (${store})`, () => {
    const session = consoleSession(store, { folder: `console-deliveries/${store}` });
    const { errors, shot } = session;
    let t: TestServer;
    let page: Page;
    let good: Receiver;
    let broken: Receiver;
    const hooks = { good: '', broken: '' };
    const ada = { id: '', email: `ada.lovelace.${store}@example.com` };
    const grace = { id: '', email: `grace.hopper.${store}@example.com` };

    const log = async (query: string): Promise<Entry[]> => {
      const res = await t.request('GET', `/api/deliveries${query}`);
      assert.equal(res.status, 200, res.text);
      return res.json;
    };
    const rows = () => page.locator('.delivery-log tbody tr');
    /** The delivery ids the table shows, from its links to each delivery. */
    const shownIds = async () =>
      (await page
        .locator('.delivery-log tbody td[data-label="Time"] a')
        .evaluateAll((links) => links.map((a) => (a.getAttribute('href') ?? '').split('/').at(-1) ?? ''))) as string[];

    before(async () => {
      ({ t, page } = session);
      good = await startReceiver();
      broken = await startReceiver({ status: 500, body: 'upstream exploded' });
      const create = async (name: string, url: string) => {
        const res = await t.request('POST', '/api/hooks', {
          body: { name, events: ['User.Created'], config: { url } },
        });
        assert.equal(res.status, 201, res.text);
        return res.json.id as string;
      };
      hooks.good = await create('CRM sync', good.url);
      hooks.broken = await create('Billing ledger (broken endpoint)', broken.url);
      for (const [user, username] of [
        [ada, `ada_${store}`],
        [grace, `grace_${store}`],
      ] as const) {
        const res = await t.request('POST', '/api/users', { body: { username, primaryEmail: user.email } });
        assert.equal(res.status, 200, res.text);
        user.id = res.json.id;
      }
      // Four deliveries, finished: two delivered, two failed after their retries.
      await eventually(async () => {
        const all = await log('');
        return all.length === 4 && all.every((d) => d.status === 'succeeded' || d.status === 'failed')
          ? all
          : undefined;
      }, 20_000);
    });
    after(async () => {
      await good?.close();
      await broken?.close();
    });

    it("lists every webhook's deliveries, newest first", async () => {
      await signIn(page, t.url, t.adminKey, '#/deliveries');
      await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
      await until(async () => assert.equal(await rows().count(), 4));
      assert.deepEqual(
        await shownIds(),
        (await log('')).map((d) => d.id),
      );
      const text = await page.locator('.delivery-log tbody').innerText();
      assert.match(text, /CRM sync/);
      assert.match(text, /Billing ledger/);
      assert.equal(await page.locator('.delivery-log tbody .badge-failed').count(), 2);
      assert.match(await page.locator('.pager').innerText(), /Page 1 of 1 · 4 deliveries/);
      await assertNoSidewaysScroll(page, 'the delivery log');
      await assertAccessible(page, 'the delivery log');
      await shot('log');
    });

    it("finds a user's deliveries by their email", async () => {
      await page.getByLabel('Search').fill(grace.email.toUpperCase());
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await until(async () => assert.equal(await rows().count(), 2));
      assert.match(decodeURIComponent(page.url()), new RegExp(`#/deliveries/\\?q=${grace.email.toUpperCase()}`));
      // The same deliveries as a search by the user's id, and none of Ada's.
      const byId = (await log(`?q=${grace.id}`)).map((d) => d.id);
      assert.equal(byId.length, 2);
      assert.deepEqual((await shownIds()).sort(), byId.sort());
      const adas = (await log(`?q=${encodeURIComponent(ada.email)}`)).map((d) => d.id);
      assert.ok((await shownIds()).every((id) => !adas.includes(id)));
      await assertAccessible(page, 'the delivery log, searched');
      await shot('search-by-email');

      await page.getByLabel('Search').fill('nobody@example.com');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('No deliveries match these filters.').waitFor();
      await page
        .getByText(/newest 10 000 events of the time window/)
        .first()
        .waitFor();
      await shot('search-empty');
    });

    it('filters by time with the Since and Until fields', async () => {
      await page.getByRole('button', { name: 'Clear' }).click();
      await until(async () => assert.equal(await rows().count(), 4));
      await page.getByLabel('Since').fill('2099-01-01T00:00');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('No deliveries match these filters.').waitFor();
      assert.match(decodeURIComponent(page.url()), /since=2099-01-0\dT\d\d:\d\d:00\.000Z/);
      await page.getByLabel('Since').fill('');
      await page.getByLabel('Until').fill('2099-01-01T00:00');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await until(async () => assert.equal(await rows().count(), 4));
      assert.match(decodeURIComponent(page.url()), /until=2099-/);
    });

    it('filters by status, in the hash, so the view survives a reload', async () => {
      await page.getByRole('button', { name: 'Clear' }).click();
      await until(async () => assert.equal(await rows().count(), 4));
      await page.getByLabel('Status').selectOption('failed');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await until(async () => assert.equal(await rows().count(), 2));
      assert.match(page.url(), /#\/deliveries\/\?status=failed$/);
      await page.reload();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await until(async () => assert.equal(await rows().count(), 2));
      assert.equal(await page.getByLabel('Status').inputValue(), 'failed');
      assert.equal(await page.locator('.delivery-log tbody .badge-failed').count(), 2);
      assert.deepEqual((await shownIds()).sort(), (await log('?status=failed')).map((d) => d.id).sort());
      await shot('failed');
    });

    it('opens a delivery in its webhook', async () => {
      const [first] = await log('?status=failed');
      assert.ok(first);
      await page.locator(`a[href="#/hooks/${first.hookId}/deliveries/${first.id}"]`).click();
      await page.getByRole('heading', { name: 'Billing ledger (broken endpoint)' }).waitFor();
      await page.getByRole('heading', { name: 'Attempts' }).waitFor();
      assert.ok(page.url().endsWith(`#/hooks/${first.hookId}/deliveries/${first.id}`));
      await page.goBack();
      await until(async () => assert.equal(await rows().count(), 2));
    });

    it('retries a failed delivery', async () => {
      const [first] = await log('?status=failed');
      assert.ok(first);
      const sent = broken.requests.length;
      await page
        .locator('.delivery-log tbody tr')
        .first()
        .getByRole('button', { name: /^Retry/ })
        .click();
      await page.getByRole('status').filter({ hasText: 'queued to be sent again' }).waitFor();
      await broken.waitFor((rs) => rs.length > sent);
      const retried = await eventually(async () => {
        const [d] = await log(`?q=${first.id}`);
        return d && d.status === 'failed' && d.attempts > first.attempts ? d : undefined;
      });
      assert.equal(retried.id, first.id);
      await shot('retried');
    });

    it('recovers every failed delivery of the filter, after a confirmation', async () => {
      const before = await log('?status=failed');
      assert.equal(before.length, 2);
      const sent = broken.requests.length;
      await page.getByRole('button', { name: 'Recover failed deliveries' }).click();
      const dialog = page.getByRole('dialog', { name: 'Recover failed deliveries?' });
      await dialog.waitFor();
      await assertAccessible(page, 'the recovery dialog');
      await shot('recover-confirm');
      await dialog.getByRole('button', { name: 'Recover' }).click();
      await page.getByRole('status').filter({ hasText: '2 failed deliveries queued to be sent again.' }).waitFor();
      await broken.waitFor((rs) => rs.length >= sent + 2);
      await eventually(async () => {
        const after = await log('?status=failed');
        return after.length === 2 &&
          after.every((d) => d.attempts > (before.find((b) => b.id === d.id)?.attempts ?? Infinity))
          ? after
          : undefined;
      });
      assert.equal((await log('?status=succeeded')).length, 2, 'the delivered ones were not sent again');
      assert.equal(good.requests.length, 2);
      await shot('recovered');
    });

    it('reads as cards on a phone, without sideways scroll', async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${t.url}/console/#/deliveries/?q=${encodeURIComponent(ada.email)}`);
      await until(async () => assert.equal(await rows().count(), 2));
      assert.equal(await page.getByLabel('Search').inputValue(), ada.email);
      await assertNoSidewaysScroll(page, 'the delivery log on a phone');
      await assertAccessible(page, 'the delivery log on a phone');
      const card = rows().first();
      const box = await card.boundingBox();
      assert.ok(box && box.width <= PHONE.width, 'a card fits the screen');
      assert.match(await card.innerText(), /CRM sync|Billing ledger/);
      await shot('phone-search');
      await page.goto(`${t.url}/console/#/deliveries`);
      await until(async () => assert.equal(await rows().count(), 4));
      await assertNoSidewaysScroll(page, 'the whole delivery log on a phone');
      await shot('phone-log');
      await page.getByRole('button', { name: 'Recover failed deliveries' }).click();
      await page.getByRole('dialog', { name: 'Recover failed deliveries?' }).waitFor();
      await assertNoSidewaysScroll(page, 'the recovery dialog on a phone');
      await shot('phone-recover-confirm', false);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.setViewportSize(LAPTOP);
      assert.deepEqual(errors, []);
    });
  });
}
