/**
 * The console tests' browser: Debian's Chromium driven by playwright-core, one per test file, and
 * per page the things every console test checks — script errors collected, screenshots numbered
 * under test-results/<name>/, and no sideways scroll.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureConsoleBuilt } from './console.ts';
import { assertNoOpenServers, startTestServer, type TestServer } from './server.ts';
import type { StoreName } from './stores.ts';

export const CHROMIUM = '/usr/bin/chromium';
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
export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Chromium, headless, with the console built from the current sources. */
export async function launchBrowser(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (npm test does, as root)`);
  ensureConsoleBuilt();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Page errors and console errors, as lines: a test ends by asserting the list is empty. Console
 * errors matching `allow` (an expected failed resource, say) are left out; page errors never are.
 */
export function collectErrors(page: Page, allow?: RegExp, errors: string[] = []): string[] {
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !allow?.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * Numbered full-page screenshots under test-results/<folder>/ (emptied first), for a person to
 * look at. `fullPage: false` for very long pages, whose full capture is slow on a busy machine.
 */
export function screenshots(folder: string, page: () => Page): (name: string, fullPage?: boolean) => Promise<void> {
  const dir = fileURLToPath(new URL(`../../test-results/${folder}/`, import.meta.url));
  rmSync(dir, { recursive: true, force: true });
  let shots = 0;
  return async (name, fullPage = true) => {
    mkdirSync(dir, { recursive: true });
    await page().screenshot({ path: join(dir, `${String(++shots).padStart(2, '0')}-${name}.png`), fullPage });
  };
}

/** Fails when the page is wider than the window (a phone user would have to scroll sideways). */
export async function assertNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const [scroll, width] = (await page.evaluate(
    '[document.documentElement.scrollWidth, window.innerWidth]',
  )) as number[];
  assert.ok(scroll! <= width!, `${what}: the page scrolls sideways at ${width} px (${scroll} px wide)`);
}

/** Polls until `check` passes (a failed assertion means "not yet"), calling `refresh` between tries. */
export async function until(
  check: () => Promise<void>,
  refresh?: () => Promise<void>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await refresh?.();
    await new Promise((r) => setTimeout(r, 250));
  }
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now and fails on any serious or
 * critical violation, naming the rule and the elements.
 */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the console's Content-Security-Policy does not apply to.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(`window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  })`)) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `${what}: accessibility violations`,
  );
}

/** Opens the console and signs in with `key`; resolves once the signed-in shell is shown. */
export async function signIn(page: Page, baseUrl: string, key: string, hash = ''): Promise<void> {
  await page.goto(`${baseUrl}/console/${hash}`);
  await page.getByLabel('API key').fill(key);
  await page.getByLabel('API key').press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

let sharedBrowser: Browser | undefined;

/**
 * Called once at the top of a console test file: Chromium launched before its tests and closed
 * after them, when no test server may be left open.
 */
export function withChromium(): void {
  before(async () => {
    sharedBrowser = await launchBrowser();
  });
  after(async () => {
    await sharedBrowser?.close();
    sharedBrowser = undefined;
    assertNoOpenServers();
  });
}

export interface ConsoleSessionOptions {
  /** Screenshots go under test-results/<folder>/. */
  folder: string;
  /** Environment for the test server. */
  env?: Record<string, string>;
  /** Granted to the console's origin (e.g. 'clipboard-read'). */
  permissions?: string[];
  /** Console errors expected on every page of this session (e.g. a refused key's 401). */
  allowConsoleErrors?: RegExp;
  /** Every screenshot is preceded by an axe-core check of the page. */
  accessibleShots?: boolean;
}

/**
 * One server and one browser page for a `describe` (its before and after hooks are registered
 * here, so call it inside the describe, before the describe's own hooks): `t`, `context` and `page`
 * are set once the describe's first hook has run.
 */
export interface ConsoleSession {
  browser: Browser;
  t: TestServer;
  context: BrowserContext;
  page: Page;
  /** Script and console errors on `page`: a test ends by asserting the list is empty. */
  readonly errors: string[];
  /** A numbered screenshot (see `screenshots`). */
  shot(name: string, fullPage?: boolean): Promise<void>;
  /**
   * The page as it is now at laptop and at phone width: no sideways scroll, no serious axe
   * violation, a screenshot of each (`name`, then `name-phone`); back to laptop width after.
   */
  bothWidths(what: string, name?: string): Promise<void>;
  /** Opens the console at `hash` and signs in with the admin key. */
  signIn(hash?: string): Promise<void>;
  /** The text of the first element matching `selector`. */
  text(selector: string): Promise<string>;
}

export function consoleSession(store: StoreName, options: ConsoleSessionOptions): ConsoleSession {
  const screenshot = screenshots(options.folder, () => session.page);
  const session: ConsoleSession = {
    browser: undefined as unknown as Browser,
    t: undefined as unknown as TestServer,
    context: undefined as unknown as BrowserContext,
    page: undefined as unknown as Page,
    errors: [],
    async shot(name, fullPage) {
      if (options.accessibleShots) await assertAccessible(session.page, name);
      await screenshot(name, fullPage);
    },
    async bothWidths(what, name = what.replaceAll(' ', '-')) {
      const { page } = session;
      await assertNoSidewaysScroll(page, `${what} (laptop)`);
      await assertAccessible(page, `${what} (laptop)`);
      await screenshot(name);
      await page.setViewportSize(PHONE);
      try {
        await assertNoSidewaysScroll(page, `${what} (phone)`);
        await assertAccessible(page, `${what} (phone)`);
        await screenshot(`${name}-phone`);
      } finally {
        await page.setViewportSize(LAPTOP);
      }
    },
    signIn: (hash = '') => signIn(session.page, session.t.url, session.t.adminKey, hash),
    text: (selector) => session.page.locator(selector).innerText(),
  };
  before(async () => {
    assert.ok(sharedBrowser, 'call withChromium() at the top of the test file');
    session.browser = sharedBrowser;
    session.t = await startTestServer(store, options.env);
    session.context = await sharedBrowser.newContext({ viewport: LAPTOP });
    if (options.permissions) await session.context.grantPermissions(options.permissions, { origin: session.t.url });
    session.page = await session.context.newPage();
    session.page.setDefaultTimeout(10_000);
    collectErrors(session.page, options.allowConsoleErrors, session.errors);
  });
  after(async () => {
    await session.context?.close();
    await session.t?.close();
  });
  return session;
}
