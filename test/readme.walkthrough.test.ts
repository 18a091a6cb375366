/**
 * The README's "Your first webhook" walkthrough, run verbatim by scripts/walkthrough.ts in a fresh
 * copy of the repository (its own `npm install`, the server on port 3001, the receiver on 3000).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { ROOT } from './helpers/process.ts';

describe('README walkthrough', () => {
  it('has the commands a newcomer runs, with no npx and no package to install by hand', () => {
    const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
    const section = readme.slice(readme.indexOf('<!-- walkthrough -->'), readme.indexOf('<!-- /walkthrough -->'));
    assert.ok(section.length > 200, 'the section is there');
    assert.doesNotMatch(section, /\bnpx\b/);
    assert.match(section, /npm run dev/);
    assert.match(section, /logto-signature-sha-256/);
  });

  it('runs verbatim in a fresh copy and ends with a verified delivery', { timeout: 600_000 }, async () => {
    const child = spawn(process.execPath, ['scripts/walkthrough.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, out.slice(-6000));
    assert.match(out, /walkthrough: verified User\.Created [0-9a-z]{21}/);
    // Nothing it started is left behind: the ports are free again for the next run.
    for (const port of [3001, 3000]) {
      const open = await new Promise<boolean>((resolve) => {
        const socket = connect({ port, host: '127.0.0.1' });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      assert.equal(open, false, `something still listens on port ${port}`);
    }
  });
});
