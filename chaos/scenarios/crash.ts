/**
 * crash — steady emission through the API while the server is SIGKILLed five times at random
 * moments and started again; every event whose API call succeeded must be delivered.
 * instances — three instances on one PostgreSQL, one SIGKILLed under load.
 * Figures: emitted, delivered, lost, duplicates (by webhook-id), p99_recovery_ms (kill → API up).
 */
import { createBenchDatabase, type Store } from '../../bench/lib/store.ts';
import { startServer, type ServerProcess } from '../../bench/lib/processes.ts';
import { figure, percentile, progress, signUpLoad, sleep, startChaosReceiver, waitDelivered } from '../lib.ts';

/** A compressed schedule, so that the scenario ends in seconds. */
export const CHAOS_ENV = {
  HERALD_RETRY_SCHEDULE: '0.2,0.5,1,2,3',
  HERALD_REQUEST_TIMEOUT_MS: '2000',
  HERALD_THROTTLED_RETRY_MIN_SECONDS: '0',
};

export async function crash(store: Store, options: { seconds: number; kills: number }) {
  const db = await createBenchDatabase(store);
  const receiver = await startChaosReceiver();
  let server: ServerProcess | undefined = await startServer(db.url, CHAOS_ENV);
  try {
    const hook = await server.api('POST', '/api/hooks', {
      name: 'chaos',
      events: ['User.Created'],
      config: { url: receiver.url },
    });
    if (hook.status !== 201) throw new Error(`hook: ${hook.status}`);
    const load = signUpLoad(() => server, 4);
    const recoveries: number[] = [];
    const gap = (options.seconds * 1000) / (options.kills + 1);
    for (let k = 0; k < options.kills; k++) {
      await sleep(gap * (0.5 + Math.random()));
      const victim = server!;
      server = undefined;
      const killedAt = Date.now();
      await victim.kill('SIGKILL');
      progress(`${store}: SIGKILL ${k + 1} / ${options.kills} (${load.emitted.size} emitted so far)`);
      server = await startServer(db.url, CHAOS_ENV);
      recoveries.push(Date.now() - killedAt);
    }
    await sleep(gap);
    await load.stop();
    const emitted = load.emitted;
    progress(`${store}: ${emitted.size} events emitted; waiting for every one to arrive`);
    const delivered = await waitDelivered(receiver, emitted, 60_000);
    figure('crash', store, 'emitted', emitted.size, 'events');
    figure('crash', store, 'delivered', delivered, 'events');
    figure('crash', store, 'lost', emitted.size - delivered, 'events');
    figure('crash', store, 'duplicates', receiver.duplicates(), 'requests');
    figure('crash', store, 'p99_recovery_ms', percentile(recoveries, 99), 'ms');
    return emitted.size - delivered;
  } finally {
    await server?.stop();
    await receiver.close();
    await db.drop();
  }
}

export async function instances(options: { seconds: number }) {
  const db = await createBenchDatabase('postgres');
  const receiver = await startChaosReceiver();
  const servers: (ServerProcess | undefined)[] = [];
  try {
    for (let i = 0; i < 3; i++) servers.push(await startServer(db.url, CHAOS_ENV));
    const hook = await servers[0]!.api('POST', '/api/hooks', {
      name: 'chaos',
      events: ['User.Created'],
      config: { url: receiver.url },
    });
    if (hook.status !== 201) throw new Error(`hook: ${hook.status}`);
    let turn = 0;
    const load = signUpLoad(() => {
      const live = servers.filter((s): s is ServerProcess => s !== undefined);
      return live[turn++ % live.length];
    }, 6);
    await sleep((options.seconds * 1000) / 2);
    const victim = servers[1]!;
    servers[1] = undefined;
    await victim.kill('SIGKILL');
    progress(`postgres: SIGKILLed one of three instances (${load.emitted.size} emitted so far)`);
    await sleep((options.seconds * 1000) / 2);
    await load.stop();
    const emitted = load.emitted;
    // The killed instance's leases pass to the others after 3 × timeout + 5 s.
    const delivered = await waitDelivered(receiver, emitted, 60_000);
    figure('instances', 'postgres', 'emitted', emitted.size, 'events');
    figure('instances', 'postgres', 'delivered', delivered, 'events');
    figure('instances', 'postgres', 'lost', emitted.size - delivered, 'events');
    figure('instances', 'postgres', 'duplicates', receiver.duplicates(), 'requests');
    return emitted.size - delivered;
  } finally {
    for (const s of servers) await s?.stop();
    await receiver.close();
    await db.drop();
  }
}
