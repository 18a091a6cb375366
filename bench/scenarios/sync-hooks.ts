/**
 * sync-hooks — what one synchronous hook adds to an Experience API sign-in. A user is created once;
 * then sequential sign-ins (PUT /api/experience SignIn → POST …/verification/password → POST
 * …/identification → POST …/submit, with the interaction cookie) alternate one by one between 0
 * sync hooks and 1 enabled PreSignIn hook (PATCH /api/sync-hooks/:id before each, which side goes
 * first flipped every pair), so drift and noise hit both sides alike. After each PATCH one sign-in
 * is not recorded: it reads the hook list the PATCH cleared from the server's cache, which a
 * deployment, whose hooks change seldom, does once a second at most.
 *
 * Figures: p50/p99 of the whole sign-in and of the submit alone (where the gate runs; the sign-in
 * total is dominated by argon2), the added p50 (1 hook − 0 hooks) of each, and the endpoint's own
 * time (request received to response written, as the endpoint process measures it), so that the
 * added time beyond the endpoint's own is plain. A raw undici POST to the same endpoint from this
 * process (keep-alive), measured in the same rounds, is the floor of one loopback HTTP call. Where
 * the submit's time goes with the hook: from the submit sent to the call's arrival at the endpoint,
 * and from the endpoint's answer written to the submit's answer (epoch ms of both processes, as in
 * the latency scenario).
 *
 * The endpoint is this file run as its own process (child_process.fork): it answers every POST with
 * `{"action":"allow"}` as soon as the body is read, keeps connections alive, and reports over IPC
 * ({ cmd: 'calls', path } → { calls: [receivedAt, answeredAt][], connections }; { cmd: 'reset' }).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { interactionBrowser } from '../../test/helpers/interaction-browser.ts';
import { startServer, type ServerProcess } from '../lib/processes.ts';
import { progress, report } from '../lib/report.ts';
import { percentile } from '../lib/stats.ts';
import { createBenchDatabase, type Store } from '../lib/store.ts';

const ALLOW = '{"action":"allow"}';
const USERNAME = 'bench_signin';
const PASSWORD = 'bench-sign-in-password-1';

const now = () => performance.timeOrigin + performance.now();

/** The endpoint process: `{"action":"allow"}` at once; when each call arrived and was answered, by path. */
function runEndpoint(): void {
  const calls = new Map<string, [number, number][]>();
  const sockets = new Map<string, Set<unknown>>();
  const server = createServer((req, res) => {
    const received = now();
    const path = req.url ?? '/';
    sockets.set(path, (sockets.get(path) ?? new Set()).add(req.socket));
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(ALLOW.length) });
      // The callback runs once the answer is handed to the socket: the endpoint's own time ends there.
      res.end(ALLOW, () => {
        const list = calls.get(path) ?? [];
        list.push([received, now()]);
        calls.set(path, list);
      });
    });
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('message', (m: { cmd: string; path?: string; id?: number }) => {
    if (m.cmd === 'calls')
      process.send?.({
        id: m.id,
        calls: calls.get(m.path ?? '/') ?? [],
        connections: sockets.get(m.path ?? '/')?.size ?? 0,
      });
    else if (m.cmd === 'reset') {
      calls.clear();
      sockets.clear();
      process.send?.({ id: m.id });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runEndpoint();

interface EndpointProcess {
  url: string;
  /** [received, answered] epoch ms of each call to `path` since the reset, and the connections they came on. */
  calls(path: string): Promise<{ calls: [number, number][]; connections: number }>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function startEndpoint(): Promise<EndpointProcess> {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  let nextId = 0;
  const call = <T>(cmd: object): Promise<T> =>
    new Promise((resolve) => {
      const id = ++nextId;
      const onMessage = (m: { id?: number } & T) => {
        if (m.id !== id) return;
        child.off('message', onMessage);
        resolve(m);
      };
      child.on('message', onMessage);
      child.send({ ...cmd, id });
    });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    calls: (path) => call<{ calls: [number, number][]; connections: number }>({ cmd: 'calls', path }),
    reset: () => call({ cmd: 'reset' }).then(() => undefined),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** One sign-in of the bench user: the whole flow's time and the submit's alone (ms), and when the submit ran (epoch ms). */
async function signIn(
  server: ServerProcess,
): Promise<{ total: number; submit: number; submitSentAt: number; submitAnsweredAt: number }> {
  const b = interactionBrowser(server);
  const started = performance.now();
  const put = await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
  if (put.status !== 204) throw new Error(`PUT /api/experience answered ${put.status}`);
  const verified = await b.call('POST', '/api/experience/verification/password', {
    identifier: { type: 'username', value: USERNAME },
    password: PASSWORD,
  });
  if (verified.status !== 200) throw new Error(`password verification answered ${verified.status}`);
  const identified = await b.call('POST', '/api/experience/identification', {
    verificationId: verified.json.verificationId,
  });
  if (identified.status !== 204) throw new Error(`identification answered ${identified.status}`);
  const submitStarted = performance.now();
  const submitted = await b.call('POST', '/api/experience/submit');
  const ended = performance.now();
  if (submitted.status !== 200)
    throw new Error(`submit answered ${submitted.status} ${JSON.stringify(submitted.json)}`);
  return {
    total: ended - started,
    submit: ended - submitStarted,
    submitSentAt: performance.timeOrigin + submitStarted,
    submitAnsweredAt: performance.timeOrigin + ended,
  };
}

export async function syncHooks(store: Store, options: { rounds: number; perRound: number }) {
  const endpoint = await startEndpoint();
  const db = await createBenchDatabase(store);
  // One client signs in hundreds of times: the per-client limit is not what is measured here.
  const server = await startServer(db.url, {
    HERALD_PUBLIC_RATE_LIMIT: '1000000',
    HERALD_LOCKOUT_MAX_ATTEMPTS: '100000',
  });
  // The floor of one loopback HTTP call: undici, keep-alive, a body of the gate's size.
  const probe = new Agent({ keepAliveTimeout: 60_000 });
  const probeBody = JSON.stringify({ phase: 'PreSignIn', padding: 'x'.repeat(700) });
  try {
    const user = await server.api('POST', '/api/users', { username: USERNAME, password: PASSWORD });
    if (user.status !== 200) throw new Error(`POST /api/users answered ${user.status} ${JSON.stringify(user.json)}`);
    // `closed`: a failed call would deny the sign-in, so the bench stops instead of measuring failures.
    const hook = await server.api('POST', '/api/sync-hooks', {
      name: 'bench allow',
      phase: 'PreSignIn',
      config: { url: `${endpoint.url}/allow` },
      enabled: false,
      failurePolicy: 'closed',
    });
    if (hook.status !== 201)
      throw new Error(`POST /api/sync-hooks answered ${hook.status} ${JSON.stringify(hook.json)}`);
    const hookId = hook.json.id as string;
    const setHook = async (enabled: boolean) => {
      const res = await server.api('PATCH', `/api/sync-hooks/${hookId}`, { enabled });
      if (res.status !== 200) throw new Error(`PATCH /api/sync-hooks answered ${res.status}`);
    };

    // Warm-up, not measured: a fresh process compiles its hot paths in the first requests.
    for (const enabled of [false, true]) {
      await setHook(enabled);
      for (let i = 0; i < 10; i++) await signIn(server);
    }
    await endpoint.reset();

    const samples = {
      zero: { total: [] as number[], submit: [] as number[] },
      one: { total: [] as number[], submit: [] as number[] },
    };
    const raw: number[] = [];
    const submitWindows: [number, number][] = [];
    for (let round = 0; round < options.rounds; round++) {
      // One sign-in of each side in turn (which goes first alternates), so noise hits both alike.
      for (let i = 0; i < options.perRound; i++) {
        const order =
          (round * options.perRound + i) % 2 === 0 ? (['zero', 'one'] as const) : (['one', 'zero'] as const);
        for (const mode of order) {
          await setHook(mode === 'one');
          // The PATCH cleared the server's cached hook list; a configuration changes seldom, so
          // one unrecorded sign-in reads it again and the recorded one is the steady state.
          await signIn(server);
          const t = await signIn(server);
          samples[mode].total.push(t.total);
          samples[mode].submit.push(t.submit);
          if (mode === 'one') submitWindows.push([t.submitSentAt, t.submitAnsweredAt]);
        }
      }
      for (let i = 0; i < options.perRound; i++) {
        const started = performance.now();
        const res = await request(`${endpoint.url}/probe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: probeBody,
          dispatcher: probe,
        });
        await res.body.text();
        raw.push(performance.now() - started);
      }
      const p = (xs: number[]) => percentile(xs, 50).toFixed(2);
      progress(
        `${store}: sync-hooks round ${round + 1} / ${options.rounds}: submit p50 ${p(samples.zero.submit)} → ${p(samples.one.submit)} ms, sign-in p50 ${p(samples.zero.total)} → ${p(samples.one.total)} ms`,
      );
    }
    const answered = await endpoint.calls('/allow');
    const { connections } = answered;
    // Each recorded sign-in with the hook follows its unrecorded warm-up: calls alternate warm-up, recorded.
    if (answered.calls.length !== 2 * submitWindows.length)
      throw new Error(`the endpoint answered ${answered.calls.length} calls, expected ${2 * submitWindows.length}`);
    const calls = answered.calls.filter((_, i) => i % 2 === 1);
    const own = calls.map(([received, answered]) => answered - received);
    // Sequential sign-ins: the n-th call belongs to the n-th submit with the hook.
    const toCall = calls.map(([received], i) => received - submitWindows[i]![0]);
    const fromCall = calls.map(([, answered], i) => submitWindows[i]![1] - answered);

    const p50 = (xs: number[]) => percentile(xs, 50);
    const p99 = (xs: number[]) => percentile(xs, 99);
    const figure = (metric: string, value: number, baseline?: number) =>
      report({ scenario: 'sync-hooks', store, metric, value, unit: 'ms', baseline: baseline ?? null });
    for (const step of ['total', 'submit'] as const) {
      const name = step === 'total' ? 'signin' : 'submit';
      const zero = samples.zero[step];
      const one = samples.one[step];
      figure(`${name}_p50_0_hooks`, p50(zero));
      figure(`${name}_p99_0_hooks`, p99(zero));
      figure(`${name}_p50_1_hook`, p50(one), p50(zero));
      figure(`${name}_p99_1_hook`, p99(one), p99(zero));
      figure(`${name}_added_p50`, p50(one) - p50(zero));
    }
    figure('endpoint_own_p50', p50(own));
    figure('endpoint_own_p99', p99(own));
    figure('raw_undici_call_p50', p50(raw));
    figure('raw_undici_call_p99', p99(raw));
    figure('submit_sent_to_call_received_p50', p50(toCall));
    figure('call_answered_to_submit_answered_p50', p50(fromCall));
    // The target: at most 2 ms added to the submit's p50 beyond the endpoint's own time.
    figure('submit_added_p50_beyond_endpoint', p50(samples.one.submit) - p50(samples.zero.submit) - p50(own), 2);
    report({
      scenario: 'sync-hooks',
      store,
      metric: 'sign_ins',
      value: samples.zero.total.length + samples.one.total.length,
      unit: 'sign-ins',
    });
    // Keep-alive: the calls share a connection or two (a new one only after an idle close).
    report({ scenario: 'sync-hooks', store, metric: 'endpoint_connections', value: connections, unit: 'connections' });
  } finally {
    await probe.close();
    await server.stop();
    await db.drop();
    await endpoint.stop();
  }
}
