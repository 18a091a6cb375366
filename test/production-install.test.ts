/**
 * The production install path (the Dockerfile's two stages, without Docker): runs
 * scripts/production-check.sh, which copies this tree into its own temporary directory, installs it
 * with dev dependencies to build the console and the SDK, installs it again elsewhere with
 * `npm ci --omit=dev`, starts it with `npm start` on a free port and checks that it answers (see
 * the script). It removes its directory and stops its server whatever happens; this test only adds a
 * time limit, stopping the script past it. Takes a minute or two (two `npm ci`).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './helpers/process.ts';

const SCRIPT = fileURLToPath(new URL('../scripts/production-check.sh', import.meta.url));
const TIME_LIMIT_MS = 8 * 60_000;

describe('production install (scripts/production-check.sh)', () => {
  it('npm ci --omit=dev with the built console copied in starts, answers ready and serves the console', {
    timeout: TIME_LIMIT_MS + 30_000,
  }, async () => {
    const port = await freePort();
    const child = spawn('bash', [SCRIPT], {
      env: { ...process.env, HERALD_CHECK_PORT: String(port), HERALD_CHECK_KEEP: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: past the time limit the script and whatever it started are killed together.
      detached: true,
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    // Past the time limit: SIGTERM, on which the script stops its server (in a session of its own)
    // and removes its directory; SIGKILL for the rest 15 s later.
    let kill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      output += `\n(stopped: still running after ${TIME_LIMIT_MS / 1000} s)\n`;
      signalGroup('SIGTERM');
      kill = setTimeout(() => signalGroup('SIGKILL'), 15_000);
    }, TIME_LIMIT_MS);
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    clearTimeout(timer);
    clearTimeout(kill);
    assert.equal(code, 0, `production-check exited ${code ?? signal}:\n${output}`);
    assert.match(output, /GET \/api\/status: 204/);
    assert.match(output, /GET \/api\/health\/ready: 200/);
    assert.match(output, /the Dockerfile's HEALTHCHECK command passes/);
    assert.match(output, /GET \/console\/: 200, the built console/);
    assert.match(output, /running on the (system's|project's) Node v2[4-9]/);
    assert.match(output, /stopped cleanly on SIGTERM/);
  });
});
