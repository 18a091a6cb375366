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
import { figure, progress, sleep, startChaosReceiver } from '../lib.ts';
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
  const statuses = new Map<string, number>();
  const emitted = new Set<string>();
  let running = true;
  let n = 0;
  try {
    const hook = await server.api('POST', '/api/hooks', { name: 'disk-full', events: ['User.Created'], config: { url: receiver.url } });
    if (hook.status !== 201) throw new Error(`hook: ${hook.status}`);
    const worker = async () => {
      while (running) {
        try {
          const res = await server.api('POST', '/api/users', { username: `full_${n++}` });
          const key = res.status === 200 ? '200' : `${res.status} ${res.json?.code ?? 'no code'}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (res.status === 200) emitted.add(res.json.id as string);
        } catch {
          statuses.set('no answer', (statuses.get('no answer') ?? 0) + 1);
        }
        await sleep(5);
      }
    };
    const workers = Array.from({ length: 3 }, worker);
    await sleep(3000);
    const filler = join(mountPoint, 'filler');
    const bytes = fill(filler);
    progress(`sqlite: disk full (${(bytes / 1024 / 1024).toFixed(1)} MiB of filler; ${emitted.size} emitted so far)`);
    await sleep(options.fullSeconds * 1000);
    rmSync(filler);
    progress('sqlite: space is back');
    const before = emitted.size;
    await sleep(4000);
    running = false;
    await Promise.all(workers);
    const resumed = emitted.size > before;
    const deadline = Date.now() + 60_000;
    let delivered = 0;
    for (;;) {
      const ids = receiver.deliveredDataIds();
      delivered = [...emitted].filter((id) => ids.has(id)).length;
      if (delivered === emitted.size || Date.now() > deadline) break;
      await sleep(250);
    }
    progress(`sqlite: answers ${JSON.stringify(Object.fromEntries(statuses))}`);
    const bad = [...statuses].filter(([k]) => !(k === '200' || k.startsWith('503 '))).reduce((a, [, v]) => a + v, 0);
    figure('disk-full', 'sqlite', 'emitted', emitted.size, 'events');
    figure('disk-full', 'sqlite', 'delivered', delivered, 'events');
    figure('disk-full', 'sqlite', 'lost', emitted.size - delivered, 'events');
    figure('disk-full', 'sqlite', 'answers_503', [...statuses].filter(([k]) => k.startsWith('503 ')).reduce((a, [, v]) => a + v, 0), 'requests');
    figure('disk-full', 'sqlite', 'answers_other_errors', bad, 'requests');
    figure('disk-full', 'sqlite', 'resumed', resumed ? 1 : 0, '');
    return emitted.size - delivered + bad + (resumed ? 0 : 1);
  } finally {
    running = false;
    await server.stop().catch(() => undefined);
    await receiver.close();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  }
}
