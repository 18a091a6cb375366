/**
 * disk-full (SQLite) — the database lives on a small tmpfs (`mount`, so this needs root); under
 * load a filler file takes the rest of the space, then goes away. While the disk is full the API
 * must refuse writes with 503 and a code (no 500, nothing half-done); afterwards it carries on, and
 * every event answered 200 is delivered.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../bench/lib/processes.ts';
import { figure, progress, reportLoadUnderFault, signUpLoad, sleep, startChaosReceiver } from '../lib.ts';
import { CHAOS_ENV } from './crash.ts';

/** Writes zeros until the file system is full. */
function fill(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
  return written;
}

export async function diskFull(options: { fullSeconds: number }) {
  const mountPoint = mkdtempSync(join(tmpdir(), 'herald-chaos-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
  const receiver = await startChaosReceiver();
  const server = await startServer(`sqlite:${join(mountPoint, 'herald.db')}`, CHAOS_ENV);
  let load: ReturnType<typeof signUpLoad> | undefined;
  try {
    const hook = await server.api('POST', '/api/hooks', {
      name: 'disk-full',
      events: ['User.Created'],
      config: { url: receiver.url },
    });
    if (hook.status !== 201) throw new Error(`hook: ${hook.status}`);
    load = signUpLoad(() => server, 3);
    const emitted = load.emitted;
    await sleep(3000);
    const filler = join(mountPoint, 'filler');
    const bytes = fill(filler);
    progress(`sqlite: disk full (${(bytes / 1024 / 1024).toFixed(1)} MiB of filler; ${emitted.size} emitted so far)`);
    await sleep(options.fullSeconds * 1000);
    rmSync(filler);
    progress('sqlite: space is back');
    const before = emitted.size;
    await sleep(4000);
    const problems = await reportLoadUnderFault('disk-full', 'sqlite', load, receiver);
    const resumed = emitted.size > before;
    figure('disk-full', 'sqlite', 'resumed', resumed ? 1 : 0, '');
    return problems + (resumed ? 0 : 1);
  } finally {
    await load?.stop();
    await server.stop().catch(() => undefined);
    await receiver.close();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
}
