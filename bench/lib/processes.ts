import { appendFileSync } from 'node:fs';
/** The server and the receiver as separate processes on loopback, as the benchmarks need them. */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** USER_HZ: Linux reports process CPU times in 1/100 s on every architecture Node runs on. */
const CLOCK_TICKS_PER_S = 100;
export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

let profileDir: string | undefined;
/** With `--profile DIR`, every server process writes a V8 CPU profile there when it exits. */
export function setProfileDir(dir: string | undefined): void {
  profileDir = dir;
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident set size now, and the peak so far (VmHWM), in MiB, from /proc. */
  memory(): { rssMiB: number; peakMiB: number };
  /** CPU time the process (all its threads) has used so far, user + system, in seconds, from /proc. */
  cpuSeconds(): number;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; ms: number }>;
  stop(): Promise<void>;
  /** Sends a signal (SIGKILL for a crash) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** What the process wrote so far (stdout and stderr). */
  output(): string;
}

/**
 * Starts `herald start` at LOG_LEVEL=warn (request logging would dominate the API scenarios) on a
 * free port, and waits until /api/status answers. `HERALD_DISPATCHER_THREAD` in the bench's own
 * environment reaches the server, to compare the dispatcher's placements.
 */
/** The environment a bench server runs with: loopback, the bench's admin key, warnings only. */
export function serverEnvironment(databaseUrl: string, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    HERALD_ADMIN_KEY: BENCH_ADMIN_KEY,
    HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
}

export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, 'src/main.ts', 'start'], {
    cwd: ROOT,
    env: {
      ...serverEnvironment(databaseUrl, port),
      ...(process.env.HERALD_DISPATCHER_THREAD
        ? { HERALD_DISPATCHER_THREAD: process.env.HERALD_DISPATCHER_THREAD }
        : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // BENCH_SERVER_LOG=<file>: keep the server's log (warnings and errors) for a look afterwards.
  const keep = process.env.BENCH_SERVER_LOG
    ? (c: string) => appendFileSync(process.env.BENCH_SERVER_LOG as string, c)
    : () => undefined;
  const collect = (c: string) => {
    output += c;
    keep(c);
  };
  child.stderr?.setEncoding('utf8').on('data', collect);
  child.stdout?.setEncoding('utf8').on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    const up = await fetch(`${url}/api/status`).then(
      (r) => r.status === 204,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid as number;
  return {
    url,
    pid,
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
    },
    cpuSeconds() {
      // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): utime and stime, in ticks.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
    },
    async api(method, path, body) {
      const started = performance.now();
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${BENCH_ADMIN_KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      const ms = performance.now() - started;
      return { status: res.status, json: text ? JSON.parse(text) : undefined, ms };
    },
    output: () => output,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await once(child, 'exit');
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}

export interface ReceiverProcess {
  url: string;
  port: number;
  wait(n: number, prefix?: string, timeoutMs?: number): Promise<void>;
  count(prefix?: string): Promise<number>;
  arrivals(): Promise<[string, string, number][]>;
  /** Seconds from the first arrival to the last. */
  spanSeconds(): Promise<number>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** `port` 0 picks a free one; a fixed port lets a receiver come up later where a hook already points. */
export async function startReceiver(
  mode: 'ok' | 'hang' = 'ok',
  options: { record?: boolean; port?: number } = {},
): Promise<ReceiverProcess> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('../receiver.ts', import.meta.url)),
    [mode, options.record ? 'record' : 'no', String(options.port ?? 0)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  let nextId = 0;
  const call = <T>(cmd: object, timeoutMs = 600_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(
        () => reject(new Error(`receiver: no answer to ${JSON.stringify(cmd)} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (m: { id?: number } & T) => {
        if (m.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m);
      };
      child.on('message', onMessage);
      child.send({ ...cmd, id });
    });
  return {
    port: ready.port,
    url: `http://127.0.0.1:${ready.port}`,
    wait: (n, prefix, timeoutMs) => call({ cmd: 'wait', n, prefix }, timeoutMs).then(() => undefined),
    count: (prefix) => call<{ count: number }>({ cmd: 'count', prefix }).then((r) => r.count),
    arrivals: () => call<{ arrivals: [string, string, number][] }>({ cmd: 'arrivals' }).then((r) => r.arrivals),
    spanSeconds: () =>
      call<{ firstAt: number; lastAt: number }>({ cmd: 'span' }).then((r) => (r.lastAt - r.firstAt) / 1000),
    reset: () => call({ cmd: 'reset' }).then(() => undefined),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** A free TCP port on loopback (nothing listens there until a receiver takes it). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}
