/**
 * throughput — N deliveries queued for one hook while its receiver is down; then the receiver and
 * the server start and the queue drains. Rate = N / (last arrival − first arrival) at the receiver.
 * Baseline, same run: the same N bodies POSTed straight from this process with undici, at the same
 * concurrency (the per-hook cap), to an identical receiver process.
 */
import { Agent, request } from 'undici';
import { deliveryBody } from '../../src/events/payloads.ts';
import { BENCH_ADMIN_KEY, freePort, startReceiver, startServer } from '../lib/processes.ts';
import { progress } from '../lib/report.ts';
import { createBenchDatabase, enqueue, userCreatedContext, type Store } from '../lib/store.ts';

export const HOOK_CONCURRENCY = 16;

export interface DrainResult {
  ratePerS: number;
  seconds: number;
  enqueueSeconds: number;
  peakRssMiB: number;
  /** Peak V8 heap in use, sampled from /metrics every 2 s. */
  peakHeapMiB: number;
  /**
   * Server CPU (all threads, user + system) per delivery from ready to the last arrival, in µs: the
   * figure the rate follows once the machine's cores are busy, and steadier than the rate on a
   * shared machine.
   */
  cpuUsPerDelivery: number;
}

/** Queues `count` deliveries (plus `hanging` for a never-answering hook) and measures the drain. */
export async function measureDrain(
  store: Store,
  count: number,
  options: { hanging?: number; env?: Record<string, string> } = {},
): Promise<DrainResult> {
  const db = await createBenchDatabase(store);
  const port = await freePort();
  const hang = options.hanging ? await startReceiver('hang') : undefined;
  try {
    const setup = await startServer(db.url);
    await setup.api('POST', '/api/hooks', {
      name: 'healthy',
      events: ['User.Created'],
      config: { url: `http://127.0.0.1:${port}/t` },
    });
    if (hang)
      await setup.api('POST', '/api/hooks', {
        name: 'hanging',
        events: ['Role.Created'],
        config: { url: `${hang.url}/hang` },
      });
    await setup.stop();
    if (hang && options.hanging) {
      progress(`${store}: queueing ${options.hanging} deliveries for the hanging hook`);
      await enqueue(db.url, options.hanging, { event: 'Role.Created' });
    }
    progress(`${store}: queueing ${count} deliveries`);
    const enqueueSeconds = await enqueue(db.url, count, {
      onProgress: (done) => done % 10_000 === 0 && progress(`${store}: queued ${done}`),
    });
    const receiver = await startReceiver('ok', { port });
    const server = await startServer(db.url, { HERALD_REQUEST_TIMEOUT_MS: '10000', ...options.env });
    const cpuAtReady = server.cpuSeconds();
    let peak = 0;
    let peakHeap = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, server.memory().rssMiB)), 250);
    const heapSampler = setInterval(async () => {
      const text = await fetch(`${server.url}/metrics`, {
        headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` },
      }).then(
        (r) => r.text(),
        () => '',
      );
      const heap = Number(/^nodejs_heap_used_bytes (\d+)/m.exec(text)?.[1] ?? 0) / 1024 / 1024;
      peakHeap = Math.max(peakHeap, heap);
    }, 2000);
    try {
      const ticker = setInterval(
        async () => progress(`${store}: delivered ${await receiver.count()} / ${count}`),
        2000,
      );
      await receiver.wait(count, undefined, 15 * 60_000);
      clearInterval(ticker);
      const seconds = await receiver.spanSeconds();
      const cpuUsPerDelivery = ((server.cpuSeconds() - cpuAtReady) / count) * 1e6;
      return {
        cpuUsPerDelivery,
        ratePerS: count / seconds,
        seconds,
        enqueueSeconds,
        peakRssMiB: Math.max(peak, server.memory().peakMiB),
        peakHeapMiB: peakHeap,
      };
    } finally {
      clearInterval(sampler);
      clearInterval(heapSampler);
      await server.stop();
      await receiver.stop();
    }
  } finally {
    await hang?.stop();
    await db.drop();
  }
}

/** The physical limit: the same bodies, straight from undici, `concurrency` at a time. */
export async function measureBaseline(count: number, concurrency = HOOK_CONCURRENCY): Promise<number> {
  const receiver = await startReceiver('ok');
  const agent = new Agent({ connections: concurrency });
  const createdAt = new Date().toISOString();
  const bodies = Array.from({ length: count }, (_, n) =>
    deliveryBody(
      JSON.stringify({ event: 'User.Created', createdAt, ...userCreatedContext(n) }),
      'bench-hook-id0000000',
    ),
  );
  try {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const body = bodies[next++] as string;
        const res = await request(`${receiver.url}/t`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
          dispatcher: agent,
        });
        await res.body.dump();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await receiver.wait(count);
    return count / (await receiver.spanSeconds());
  } finally {
    await agent.close();
    await receiver.stop();
  }
}

export { BENCH_ADMIN_KEY };
