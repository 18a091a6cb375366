/**
 * `npm run bench -- <scenario|all> [--store sqlite|postgres] [--rounds N] [--count N]`.
 * Each scenario starts the real server and the receiver as separate processes on loopback, prints
 * progress on stderr, and one JSON line per figure on stdout (also appended to
 * bench/results/<date>.jsonl). Without --store, both stores run.
 */
import { parseArgs } from 'node:util';
import { median } from './lib/stats.ts';
import { progress, report } from './lib/report.ts';
import type { Store } from './lib/store.ts';
import { setProfileDir } from './lib/processes.ts';
import { apiOverhead, fanOut, latency } from './scenarios/api.ts';
import { experiencePut } from './scenarios/experience.ts';
import {
  measureBullmqDrain,
  measureBullmqLatency,
  measureGraphileDrain,
  measureGraphileLatency,
} from './scenarios/queues.ts';
import { startup } from './scenarios/startup.ts';
import { syncHooks } from './scenarios/sync-hooks.ts';
import { HOOK_CONCURRENCY, measureBaseline, measureDrain } from './scenarios/throughput.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    store: { type: 'string' },
    rounds: { type: 'string' },
    count: { type: 'string' },
    profile: { type: 'string' },
  },
});
setProfileDir(values.profile);
const scenario = positionals[0] ?? 'all';
const stores: Store[] =
  values.store === 'sqlite' || values.store === 'postgres' ? [values.store] : ['sqlite', 'postgres'];
const rounds = Number(values.rounds ?? 3);
const count = values.count === undefined ? undefined : Number(values.count);

/** Throughput of each store, kept for the isolation ratio when both run in one invocation. */
const throughputByStore = new Map<Store, number>();
/**
 * The queue baselines (BullMQ, graphile-worker) use neither store: their drains run in the rounds of
 * the first store's throughput only, against that store's undici baseline.
 */
let queueDrainsMeasured = false;

async function throughput(store: Store) {
  const n = count ?? 50_000;
  const rates: number[] = [];
  const baselines: number[] = [];
  const cpuPerDelivery: number[] = [];
  const withQueues = !queueDrainsMeasured;
  queueDrainsMeasured = true;
  const bullmqRates: number[] = [];
  const graphileRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    progress(`${store}: throughput round ${r + 1} / ${rounds} (${n} deliveries)`);
    const drained = await measureDrain(store, n);
    rates.push(drained.ratePerS);
    cpuPerDelivery.push(drained.cpuUsPerDelivery);
    baselines.push(await measureBaseline(n, HOOK_CONCURRENCY));
    progress(
      `${store}: herald ${drained.ratePerS.toFixed(0)}/s, undici ${baselines.at(-1)!.toFixed(0)}/s, enqueue ${drained.enqueueSeconds.toFixed(1)} s, server CPU ${drained.cpuUsPerDelivery.toFixed(0)} µs a delivery`,
    );
    if (withQueues) {
      bullmqRates.push(await measureBullmqDrain(n, HOOK_CONCURRENCY));
      graphileRates.push(await measureGraphileDrain(n, HOOK_CONCURRENCY));
      progress(`bullmq ${bullmqRates.at(-1)!.toFixed(0)}/s, graphile-worker ${graphileRates.at(-1)!.toFixed(0)}/s`);
    }
  }
  const rate = median(rates);
  throughputByStore.set(store, rate);
  report({
    scenario: 'throughput',
    store,
    metric: 'deliveries_per_s',
    value: rate,
    unit: '1/s',
    baseline: median(baselines),
  });
  report({
    scenario: 'throughput',
    store,
    metric: 'server_cpu_per_delivery',
    value: median(cpuPerDelivery),
    unit: 'µs',
  });
  if (withQueues)
    for (const [queue, values] of [
      ['bullmq', bullmqRates],
      ['graphile-worker', graphileRates],
    ] as const)
      report({
        scenario: 'throughput',
        store: queue,
        metric: 'deliveries_per_s',
        value: median(values),
        unit: '1/s',
        baseline: median(baselines),
      });
}

async function isolation(store: Store) {
  const n = count ?? 50_000;
  if (!throughputByStore.has(store)) await throughput(store);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    progress(`${store}: isolation round ${r + 1} / ${rounds}`);
    rates.push((await measureDrain(store, n, { hanging: 5000 })).ratePerS);
  }
  report({
    scenario: 'isolation',
    store,
    metric: 'healthy_deliveries_per_s',
    value: median(rates),
    unit: '1/s',
    baseline: throughputByStore.get(store) ?? null,
  });
}

/**
 * The full 1 000 000 backlog takes ~5 minutes a store to enqueue and drain on 2 cores; inside `all`
 * (kept under 10 minutes for both stores) it runs with 200 000, which is enough to show whether
 * memory follows the backlog.
 */
const BACKLOG_ALONE = 1_000_000;
const BACKLOG_IN_ALL = 200_000;

async function backlog(store: Store) {
  const n = count ?? (scenario === 'all' ? BACKLOG_IN_ALL : BACKLOG_ALONE);
  progress(`${store}: backlog of ${n} deliveries`);
  const result = await measureDrain(store, n, {
    env: {
      HERALD_RETRY_SCHEDULE: '5,300,1800,7200,18000,36000,36000',
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    },
  });
  report({ scenario: 'backlog', store, metric: 'deliveries', value: n, unit: 'deliveries' });
  report({ scenario: 'backlog', store, metric: 'enqueue_seconds', value: result.enqueueSeconds, unit: 's' });
  report({ scenario: 'backlog', store, metric: 'peak_rss', value: result.peakRssMiB, unit: 'MiB', baseline: 300 });
  report({ scenario: 'backlog', store, metric: 'peak_heap_used', value: result.peakHeapMiB, unit: 'MiB' });
  report({
    scenario: 'backlog',
    store,
    metric: 'drain_deliveries_per_s',
    value: result.ratePerS,
    unit: '1/s',
    baseline: throughputByStore.get(store) ?? null,
  });
}

/**
 * latency of the queue baselines (bench/scenarios/queues.ts): jobs added at latency's rate, figures
 * under scenario 'latency' with the queue as the store. Once per invocation: they use neither store.
 */
let queueLatencyMeasured = false;

async function queuesLatency() {
  if (queueLatencyMeasured) return;
  queueLatencyMeasured = true;
  const options = { ratePerS: 500, seconds: 20, warmUpSeconds: 5 };
  const queues = [
    ['bullmq', measureBullmqLatency],
    ['graphile-worker', measureGraphileLatency],
  ] as const;
  for (const [queue, measure] of queues) {
    progress(`${queue}: latency, ${options.ratePerS} jobs/s for ${options.seconds} s`);
    const result = await measure(options);
    report({ scenario: 'latency', store: queue, metric: 'p50', value: result.p50, unit: 'ms', baseline: 5 });
    report({ scenario: 'latency', store: queue, metric: 'p99', value: result.p99, unit: 'ms', baseline: 50 });
    report({ scenario: 'latency', store: queue, metric: 'max', value: result.max, unit: 'ms' });
    report({ scenario: 'latency', store: queue, metric: 'add_p50', value: result.addP50, unit: 'ms' });
    report({ scenario: 'latency', store: queue, metric: 'add_p99', value: result.addP99, unit: 'ms' });
    report({
      scenario: 'latency',
      store: queue,
      metric: 'offered_rate',
      value: result.offeredRate,
      unit: 'req/s',
      baseline: options.ratePerS,
    });
    report({
      scenario: 'latency',
      store: queue,
      metric: 'delivered',
      value: result.delivered,
      unit: 'events',
      baseline: result.total,
    });
    report({ scenario: 'latency', store: queue, metric: 'failed_attempts', value: result.failures, unit: 'jobs' });
  }
}

const scenarios: Record<string, (store: Store) => Promise<void>> = {
  throughput,
  latency: (store) => latency(store, { ratePerS: 500, seconds: 20, warmUpSeconds: 5 }),
  'queues-latency': queuesLatency,
  isolation,
  backlog,
  'api-overhead': (store) => apiOverhead(store, { rounds: 5, perRound: 200 }),
  'fan-out': (store) => fanOut(store, { rounds: 20, hooks: 100 }),
  'experience-put': (store) => experiencePut(store, { rows: count ?? 1_000_000, perClient: 50 }),
  startup: (store) => startup(store, { runs: count ?? 7 }),
  'sync-hooks': (store) =>
    syncHooks(store, { rounds: values.rounds === undefined ? 10 : rounds, perRound: count ?? 25 }),
};

const selected = scenario === 'all' ? Object.keys(scenarios) : [scenario];
for (const name of selected) {
  const run = scenarios[name];
  if (!run) {
    process.stderr.write(`unknown scenario "${name}"; one of: ${Object.keys(scenarios).join(', ')}, all\n`);
    process.exit(2);
  }
  for (const store of stores) {
    const started = performance.now();
    await run(store);
    progress(`${name} on ${store} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}
