/**
 * The benchmark receiver, run as its own process (child_process.fork). It answers every POST with
 * 200 and no work ('ok' mode) or never answers ('hang' mode), counts requests per path prefix, and
 * records arrival times (epoch ms with sub-millisecond precision) keyed by `data.id` when asked to.
 *
 * IPC commands (from the parent): { cmd: 'wait', n, prefix? } → { ok: true } once n requests have
 * arrived (under prefix); { cmd: 'arrivals' } → { arrivals: [key, path, ms][] }; { cmd: 'span' } →
 * { firstAt, lastAt, count }; { cmd: 'count', prefix? }; { cmd: 'reset' }.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const mode = process.argv[2] === 'hang' ? 'hang' : 'ok';
const recordArrivals = process.argv[3] === 'record';
const now = () => performance.timeOrigin + performance.now();

let total = 0;
let firstAt = 0;
let lastAt = 0;
const byPrefix = new Map<string, number>();
let arrivals: [string, string, number][] = [];
const waiters: { n: number; prefix: string | undefined; resolve: () => void }[] = [];

function countOf(prefix: string | undefined): number {
  return prefix === undefined ? total : (byPrefix.get(prefix) ?? 0);
}

const server = createServer((req, res) => {
  const at = now();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    total++;
    if (firstAt === 0) firstAt = at;
    lastAt = at;
    const prefix = (req.url ?? '/').split('/').slice(0, 2).join('/');
    byPrefix.set(prefix, (byPrefix.get(prefix) ?? 0) + 1);
    if (recordArrivals) {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { id?: string } };
        arrivals.push([String(body.data?.id ?? ''), req.url ?? '', at]);
      } catch {
        // not JSON: nothing to key it by
      }
    }
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (countOf(w.prefix) >= w.n) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
    if (mode === 'hang') return;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 60_000;

const port = Number(process.argv[4] ?? 0);
server.listen(port, '127.0.0.1', () => {
  process.send?.({ ready: true, port: (server.address() as AddressInfo).port });
});

process.on('message', (message: { cmd: string; n?: number; prefix?: string; id?: number }) => {
  const reply = (payload: object) => process.send?.({ id: message.id, ...payload });
  if (message.cmd === 'wait') {
    const n = message.n ?? 0;
    if (countOf(message.prefix) >= n) return reply({ ok: true });
    waiters.push({ n, prefix: message.prefix, resolve: () => reply({ ok: true }) });
  } else if (message.cmd === 'arrivals') {
    reply({ arrivals });
  } else if (message.cmd === 'span') {
    reply({ firstAt, lastAt, count: total });
  } else if (message.cmd === 'count') {
    reply({ count: countOf(message.prefix) });
  } else if (message.cmd === 'reset') {
    total = 0;
    firstAt = 0;
    lastAt = 0;
    byPrefix.clear();
    arrivals = [];
    reply({ ok: true });
  }
});
process.on('disconnect', () => process.exit(0));
