/**
 * receiver-faults — the receiver answers at random: 200, 500, 503 with Retry-After, a hang past the
 * timeout, a connection reset, a body trickled slower than the timeout, a 302, bytes that are not
 * HTTP, and a 200 with a 20 MB body. Every delivery must end delivered or failed with every attempt
 * logged, no attempt keeping more than 20 KB of response, and the server's memory bounded.
 */
import { createBenchDatabase, type Store } from '../../bench/lib/store.ts';
import { startServer } from '../../bench/lib/processes.ts';
import { figure, progress, sleep, startChaosReceiver, type Fault } from '../lib.ts';
import { CHAOS_ENV } from './crash.ts';

const RETRIES = CHAOS_ENV.HERALD_RETRY_SCHEDULE.split(',').length;
const RESPONSE_BODY_MAX = 20 * 1024;
const TWENTY_MB = Buffer.alloc(20 * 1024 * 1024, 'x');

const faults: Record<string, Fault> = {
  http500: (_req, res) => res.writeHead(500).end('boom'),
  http503RetryAfter: (_req, res) => res.writeHead(503, { 'retry-after': '1' }).end('later'),
  hang: () => undefined,
  reset: (_req, _res, socket) => socket.destroy(),
  trickle: (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    let n = 0;
    const timer = setInterval(() => {
      if (res.destroyed || n++ > 40) {
        clearInterval(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write('.');
    }, 100);
  },
  redirect: (_req, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end(),
  notHttp: (_req, _res, socket) => {
    socket.write('this is not http\r\n\r\n');
    socket.destroy();
  },
  huge: (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(TWENTY_MB.length) }).end(TWENTY_MB),
};

export async function receiverFaults(store: Store, options: { events: number }) {
  const db = await createBenchDatabase(store);
  const receiver = await startChaosReceiver();
  const server = await startServer(db.url, CHAOS_ENV);
  const names = Object.keys(faults);
  const seen = new Map<string, number>();
  receiver.setFault((req, res, socket) => {
    // Half the answers are faults, spread over every kind.
    if (Math.random() < 0.5) {
      const name = names[Math.floor(Math.random() * names.length)]!;
      seen.set(name, (seen.get(name) ?? 0) + 1);
      faults[name]!(req, res, socket);
      return;
    }
    receiver.markSucceeded(String(req.headers['webhook-id'] ?? ''));
    res.writeHead(200).end('ok');
  });
  try {
    const hook = (
      await server.api('POST', '/api/hooks', {
        name: 'faults',
        events: ['User.Created'],
        config: { url: receiver.url },
      })
    ).json as { id: string };
    let peak = 0;
    for (let i = 0; i < options.events; i++) await server.api('POST', '/api/users', { username: `faults_${i}` });
    progress(`${store}: ${options.events} events emitted; waiting until every delivery has ended`);
    const deadline = Date.now() + 120_000;
    const open = async (status: string) =>
      (await server.api('GET', `/api/hooks/${hook.id}/deliveries?status=${status}&limit=1`)).json.data.length;
    while ((await open('pending')) + (await open('delivering')) > 0 && Date.now() < deadline) {
      peak = Math.max(peak, server.memory().peakMiB);
      await sleep(500);
    }
    peak = Math.max(peak, server.memory().peakMiB);
    const all: { id: string; status: string; attempts: number }[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = (
        await server.api('GET', `/api/hooks/${hook.id}/deliveries?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
      ).json as { data: typeof all; nextCursor: string | null };
      all.push(...page.data);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    let attempts = 0;
    let maxBody = 0;
    let badLogs = 0;
    for (const d of all) {
      const detail = (await server.api('GET', `/api/hooks/${hook.id}/deliveries/${d.id}`)).json as {
        attempts: number;
        attemptLog: { responseBody: string | null }[];
      };
      attempts += detail.attemptLog.length;
      maxBody = Math.max(maxBody, ...detail.attemptLog.map((a) => Buffer.byteLength(a.responseBody ?? '')));
      const complete =
        detail.attemptLog.length === detail.attempts && (d.status !== 'failed' || detail.attempts === RETRIES + 1);
      if (!complete) badLogs++;
    }
    const succeeded = all.filter((d) => d.status === 'succeeded').length;
    const failed = all.filter((d) => d.status === 'failed').length;
    progress(`${store}: faults served ${JSON.stringify(Object.fromEntries(seen))}`);
    figure('receiver-faults', store, 'emitted', options.events, 'events');
    figure('receiver-faults', store, 'delivered', succeeded, 'events');
    figure('receiver-faults', store, 'failed', failed, 'events');
    figure('receiver-faults', store, 'lost', options.events - succeeded - failed, 'events');
    figure('receiver-faults', store, 'attempts', attempts, 'attempts');
    figure('receiver-faults', store, 'incomplete_attempt_logs', badLogs, 'deliveries');
    figure('receiver-faults', store, 'max_response_body_kept', maxBody, 'bytes');
    figure('receiver-faults', store, 'peak_rss', peak, 'MiB');
    return options.events - succeeded - failed + badLogs + (maxBody > RESPONSE_BODY_MAX ? 1 : 0);
  } finally {
    await server.stop();
    await receiver.close();
    await db.drop();
  }
}
