/**
 * The README's synchronous-hook example, run verbatim: the receiver's code is cut out of README.md,
 * started with Node, and a real Herald on each store calls it through a PreRegister hook.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertNoOpenServers, startTestServer, type TestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';
import { freePort } from './helpers/process.ts';

after(assertNoOpenServers);

/** The ```js block of README.md that starts with `// sync-hook.mjs`. */
function readmeReceiver(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```js\n(\/\/ sync-hook\.mjs[^\n]*\n[\s\S]*?)```/.exec(readme);
  assert.ok(block?.[1], 'README.md has the sync-hook.mjs example');
  return block[1];
}

async function listening(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`the example exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the example did not start listening');
}

for (const store of stores) {
  describe(`README: the synchronous-hook example (${store})`, () => {
    let t: TestServer;
    let child: ChildProcess | undefined;
    let dir: string;
    before(async () => {
      t = await startTestServer(store);
      dir = mkdtempSync(join(tmpdir(), 'herald-readme-'));
    });
    after(async () => {
      child?.kill();
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('denies a disposable domain, stamps the plan on everyone else, refuses a bad signature', async () => {
      const port = await freePort();
      const hook = await t.request('POST', '/api/sync-hooks', {
        body: {
          name: 'sign-up policy',
          phase: 'PreRegister',
          config: { url: `http://127.0.0.1:${port}/` },
          failurePolicy: 'closed',
        },
      });
      assert.equal(hook.status, 201, hook.text);
      const file = join(dir, 'sync-hook.mjs');
      writeFileSync(file, readmeReceiver());
      child = spawn(process.execPath, [file], {
        env: { ...process.env, SIGNING_KEY: hook.json.signingKey, PORT: String(port) },
        stdio: 'ignore',
      });
      await listening(port, child);

      const denied = await t.request('POST', '/api/users', { body: { primaryEmail: 'joe@mailinator.com' } });
      assert.equal(denied.status, 403, denied.text);
      assert.deepEqual(denied.json, {
        code: 'hook.denied',
        message: 'Please sign up with a permanent email address.',
        data: { hookCode: 'disposable_email' },
      });
      const allowed = await t.request('POST', '/api/users', { body: { primaryEmail: 'ada@example.com' } });
      assert.equal(allowed.status, 200, allowed.text);
      assert.deepEqual(allowed.json.customData, { plan: 'free' });

      // Another key: the receiver refuses the signature (401), and the closed hook denies with 503.
      await t.request('PATCH', `/api/sync-hooks/${hook.json.id}/signing-key`);
      const unsigned = await t.request('POST', '/api/users', { body: { primaryEmail: 'eve@example.com' } });
      assert.equal(unsigned.status, 503, unsigned.text);
      assert.equal(unsigned.json.code, 'hook.sync_unavailable');
      const [call] = (await t.request('GET', `/api/sync-hooks/${hook.json.id}/calls`)).json;
      assert.equal(call.statusCode, 401);
    });
  });
}
