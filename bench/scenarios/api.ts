/** Scenarios that drive the Management API: latency, api-overhead, fan-out. */
import { percentile, median } from '../lib/stats.ts';
import { startReceiver, startServer, type ServerProcess } from '../lib/processes.ts';
import { progress, report } from '../lib/report.ts';
import { createBenchDatabase, type Store } from '../lib/store.ts';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withServer<T>(
  store: Store,
  work: (server: ServerProcess) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const db = await createBenchDatabase(store);
  const server = await startServer(db.url, env);
  try {
    return await work(server);
  } finally {
    await server.stop();
    await db.drop();
  }
}

/**
 * latency — POST /api/users at a steady rate (open loop: requests start on schedule whatever the
 * answers), one subscribed hook; for each user, the receiver's arrival time minus the time the API
 * answered. Negative values mean the webhook arrived before the HTTP answer did.
 */
export async function latency(store: Store, options: { ratePerS: number; seconds: number; warmUpSeconds: number }) {
  const receiver = await startReceiver('ok', { record: true });
  try {
    await withServer(store, async (server) => {
      await server.api('POST', '/api/hooks', {
        name: 'latency',
        events: ['User.Created'],
        config: { url: `${receiver.url}/l` },
      });
      // Warm-up at the same rate, not measured: a fresh process compiles its hot paths and opens its
      // pool connections in the first seconds (on PostgreSQL that backlog cost ~5 s of 1 s delays).
      const warmUp = options.ratePerS * options.warmUpSeconds;
      const warmStarted = now();
      const warming: Promise<unknown>[] = [];
      for (let i = 0; i < warmUp; i++) {
        const wait = warmStarted + (i * 1000) / options.ratePerS - now();
        if (wait > 1) await sleep(wait);
        warming.push(
          server.api('POST', '/api/users', { username: `warm_${i}` }).then(
            (res) => res.status === 200,
            () => false,
          ),
        );
      }
      // Requests refused or reset during warm-up (a server that cannot keep up) create no user.
      const created = (await Promise.all(warming)).filter(Boolean).length;
      await receiver.wait(created, undefined, 60_000);
      await receiver.reset();
      progress(`${store}: warmed up with ${warmUp} events`);
      const total = options.ratePerS * options.seconds;
      const answered = new Map<string, number>();
      const started = now();
      const inflight: Promise<void>[] = [];
      let errors = 0;
      for (let i = 0; i < total; i++) {
        const due = started + (i * 1000) / options.ratePerS;
        const wait = due - now();
        if (wait > 1) await sleep(wait);
        inflight.push(
          server.api('POST', '/api/users', { username: `lat_${i}` }).then(
            (res) => {
              if (res.status === 200) answered.set(res.json.id as string, now());
              else if (errors++ === 0)
                progress(`${store}: POST /api/users answered ${res.status} ${JSON.stringify(res.json)}`);
            },
            // A connection refused or reset (the server closed it: more connections than it allows
            // one client) is an error of the server under this load, counted as one.
            (error: unknown) => {
              if (errors++ === 0) progress(`${store}: POST /api/users failed: ${String(error)}`);
            },
          ),
        );
        if (i % (options.ratePerS * 5) === 0 && i > 0) progress(`${store}: latency sent ${i} / ${total}`);
      }
      await Promise.all(inflight);
      await receiver.wait(answered.size, undefined, 60_000);
      const deltas = (await receiver.arrivals()).flatMap(([id, , at]) => {
        const t = answered.get(id);
        return t === undefined ? [] : [at - t];
      });
      const actualRate = total / ((now() - started) / 1000);
      report({ scenario: 'latency', store, metric: 'p50', value: percentile(deltas, 50), unit: 'ms', baseline: 5 });
      report({ scenario: 'latency', store, metric: 'p99', value: percentile(deltas, 99), unit: 'ms', baseline: 50 });
      report({ scenario: 'latency', store, metric: 'max', value: Math.max(...deltas), unit: 'ms' });
      report({
        scenario: 'latency',
        store,
        metric: 'offered_rate',
        value: actualRate,
        unit: 'req/s',
        baseline: options.ratePerS,
      });
      report({
        scenario: 'latency',
        store,
        metric: 'delivered',
        value: deltas.length,
        unit: 'events',
        baseline: total,
      });
      report({ scenario: 'latency', store, metric: 'api_errors', value: errors, unit: 'requests', baseline: total });
    });
  } finally {
    await receiver.stop();
  }
}

/**
 * api-overhead — sequential POST /api/users, alternating rounds with 0 and 10 subscribed hooks
 * (the 10 are disabled during the 0-hook rounds), so drift hits both sides alike.
 */
export async function apiOverhead(store: Store, options: { rounds: number; perRound: number }) {
  const receiver = await startReceiver('ok');
  try {
    await withServer(store, async (server) => {
      const hooks: string[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await server.api('POST', '/api/hooks', {
          name: `h${i}`,
          events: ['User.Created'],
          config: { url: `${receiver.url}/o${i}` },
          enabled: false,
        });
        hooks.push(res.json.id as string);
      }
      const samples: Record<'0' | '10', number[]> = { '0': [], '10': [] };
      let n = 0;
      for (let round = 0; round < options.rounds; round++) {
        for (const mode of ['0', '10'] as const) {
          for (const id of hooks) await server.api('PATCH', `/api/hooks/${id}`, { enabled: mode === '10' });
          for (let i = 0; i < options.perRound; i++)
            samples[mode].push((await server.api('POST', '/api/users', { username: `ov_${n++}` })).ms);
        }
        progress(`${store}: api-overhead round ${round + 1} / ${options.rounds}`);
      }
      const p50 = { zero: percentile(samples['0'], 50), ten: percentile(samples['10'], 50) };
      report({ scenario: 'api-overhead', store, metric: 'p50_0_hooks', value: p50.zero, unit: 'ms' });
      report({
        scenario: 'api-overhead',
        store,
        metric: 'p99_0_hooks',
        value: percentile(samples['0'], 99),
        unit: 'ms',
      });
      report({
        scenario: 'api-overhead',
        store,
        metric: 'p50_10_hooks',
        value: p50.ten,
        unit: 'ms',
        baseline: p50.zero,
      });
      report({
        scenario: 'api-overhead',
        store,
        metric: 'p99_10_hooks',
        value: percentile(samples['10'], 99),
        unit: 'ms',
        baseline: percentile(samples['0'], 99),
      });
    });
  } finally {
    await receiver.stop();
  }
}

/** fan-out — one event to 100 hooks (100 paths on one receiver): per-hook arrival and time until all 100 have it. */
export async function fanOut(store: Store, options: { rounds: number; hooks: number }) {
  const receiver = await startReceiver('ok', { record: true });
  try {
    await withServer(store, async (server) => {
      for (let i = 0; i < options.hooks; i++) {
        await server.api('POST', '/api/hooks', {
          name: `f${i}`,
          events: ['Role.Created'],
          config: { url: `${receiver.url}/f${i}` },
        });
      }
      const perHook: number[] = [];
      const untilAll: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        await receiver.reset();
        const res = await server.api('POST', '/api/roles', { name: `fan-${round}`, description: 'fan-out' });
        const answeredAt = now();
        await receiver.wait(options.hooks, undefined, 60_000);
        const times = (await receiver.arrivals())
          .filter(([id]) => id === res.json.id)
          .map(([, , at]) => at - answeredAt);
        perHook.push(...times);
        untilAll.push(Math.max(...times));
        await sleep(100);
      }
      report({ scenario: 'fan-out', store, metric: 'per_hook_p50', value: percentile(perHook, 50), unit: 'ms' });
      report({ scenario: 'fan-out', store, metric: 'per_hook_p99', value: percentile(perHook, 99), unit: 'ms' });
      report({ scenario: 'fan-out', store, metric: 'all_hooks_p50', value: median(untilAll), unit: 'ms' });
      report({ scenario: 'fan-out', store, metric: 'all_hooks_p99', value: percentile(untilAll, 99), unit: 'ms' });
    });
  } finally {
    await receiver.stop();
  }
}
