/** The chaos harness's parts: figures, progress, and a receiver that records webhook ids and can misbehave. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const file = `${RESULTS_DIR}${new Date().toISOString().slice(0, 10)}.jsonl`;

export function progress(message: string): void {
  process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** One JSON line per figure on stdout, also appended to chaos/results/<date>.jsonl. */
export function figure(scenario: string, store: string, metric: string, value: number, unit = ''): void {
  const line = JSON.stringify({ scenario, store, metric, value: Number(value.toFixed(3)), unit });
  process.stdout.write(`${line}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(file, `${line}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Fault = (req: IncomingMessage, res: ServerResponse, socket: Socket) => void;

/**
 * A webhook receiver in this process. Every request is recorded (webhook-id, data.id, path); the
 * answer comes from `fault` (default 200). `delivered` holds the webhook ids answered 2xx.
 */
export async function startChaosReceiver() {
  let fault: Fault | undefined;
  const arrivals: { webhookId: string; dataId: string | undefined; at: number }[] = [];
  const succeeded = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const webhookId = String(req.headers['webhook-id'] ?? '');
      let dataId: string | undefined;
      try {
        dataId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { id?: string } }).data?.id;
      } catch {
        dataId = undefined;
      }
      arrivals.push({ webhookId, dataId, at: Date.now() });
      if (fault) return fault(req, res, req.socket);
      succeeded.set(webhookId, (succeeded.get(webhookId) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    succeeded,
    /** data ids whose delivery was answered 2xx at least once. */
    deliveredDataIds(): Set<string> {
      const ids = new Set<string>();
      for (const a of arrivals) if (a.dataId && succeeded.has(a.webhookId)) ids.add(a.dataId);
      return ids;
    },
    /** Webhook ids answered 2xx more than once, counted once per extra answer. */
    duplicates(): number {
      let n = 0;
      for (const count of succeeded.values()) n += count - 1;
      return n;
    },
    setFault(next: Fault | undefined) {
      fault = next;
    },
    /** Marks a 2xx that a fault handler sent itself. */
    markSucceeded(webhookId: string) {
      succeeded.set(webhookId, (succeeded.get(webhookId) ?? 0) + 1);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type ChaosReceiver = Awaited<ReturnType<typeof startChaosReceiver>>;

export { percentile } from '../bench/lib/stats.ts';

/**
 * Ends a sign-up load run under a fault, waits for its events, and reports emitted, delivered, lost
 * and the answers (503 with a code, anything else); answers how many things went wrong.
 */
export async function reportLoadUnderFault(
  scenario: string,
  store: string,
  load: ReturnType<typeof signUpLoad>,
  receiver: ChaosReceiver,
): Promise<number> {
  await load.stop();
  const delivered = await waitDelivered(receiver, load.emitted, 60_000);
  progress(`${store}: answers ${JSON.stringify(Object.fromEntries(load.answers))}`);
  const bad = load.wrongAnswers();
  figure(scenario, store, 'emitted', load.emitted.size, 'events');
  figure(scenario, store, 'delivered', delivered, 'events');
  figure(scenario, store, 'lost', load.emitted.size - delivered, 'events');
  figure(scenario, store, 'answers_503', load.refused503(), 'requests');
  figure(scenario, store, 'answers_other_errors', bad, 'requests');
  return load.emitted.size - delivered + bad;
}

/** Waits until every emitted data id has been delivered (2xx) or the time is up; answers how many were. */
export async function waitDelivered(
  receiver: ChaosReceiver,
  emitted: ReadonlySet<string>,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ids = receiver.deliveredDataIds();
    const delivered = [...emitted].filter((id) => ids.has(id)).length;
    if (delivered === emitted.size || Date.now() > deadline) return delivered;
    await sleep(250);
  }
}

/**
 * `concurrency` clients POSTing users to `server()` until stopped: the ids answered 200 (the events
 * promised), and every answer counted by status and code (`no answer` when the connection failed).
 */
export function signUpLoad(
  server: () =>
    | { api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> }
    | undefined,
  concurrency: number,
) {
  const emitted = new Set<string>();
  const answers = new Map<string, number>();
  let running = true;
  let n = 0;
  const count = (key: string) => answers.set(key, (answers.get(key) ?? 0) + 1);
  const client = async () => {
    while (running) {
      const target = server();
      if (!target) {
        await sleep(20);
        continue;
      }
      try {
        const res = await target.api('POST', '/api/users', { username: `chaos_${process.pid}_${n++}` });
        count(res.status === 200 ? '200' : `${res.status} ${res.json?.code ?? 'no code'}`);
        if (res.status === 200) emitted.add(res.json.id as string);
      } catch {
        count('no answer');
        await sleep(20);
      }
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  return {
    emitted,
    answers,
    /** Answers that were neither 200 nor 503 with a code. */
    wrongAnswers: () =>
      [...answers].filter(([k]) => !(k === '200' || k.startsWith('503 '))).reduce((a, [, v]) => a + v, 0),
    refused503: () => [...answers].filter(([k]) => k.startsWith('503 ')).reduce((a, [, v]) => a + v, 0),
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}
