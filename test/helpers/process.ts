/** Runs the `herald` CLI as a child process with the project's Node, as `npm start` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface HeraldProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the first JSON log line matching `predicate`; rejects on exit or timeout. */
  waitForLog(predicate: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
}

export function spawnHerald(
  args: string[],
  env: Record<string, string>,
  command: string[] = [process.execPath, MAIN],
): HeraldProcess {
  const [bin, ...pre] = command;
  const child = spawn(bin as string, [...pre, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: HeraldProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string),
    waitForLog(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of proc.stdout.split('\n')) {
            if (!line.startsWith('{')) continue;
            try {
              const parsed = JSON.parse(line);
              if (predicate(parsed)) return finish(() => resolve(parsed));
            } catch {
              // a partial line; the next chunk completes it
            }
          }
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`timed out; stdout: ${proc.stdout}\nstderr: ${proc.stderr}`))),
          timeoutMs,
        );
        const onExit = () =>
          finish(() => reject(new Error(`exited early; stdout: ${proc.stdout}\nstderr: ${proc.stderr}`)));
        const finish = (fn: () => void) => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.off('exit', onExit);
          fn();
        };
        child.stdout?.on('data', check);
        child.once('exit', onExit);
        check();
      });
    },
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (proc.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (proc.stderr += chunk));
  return proc;
}

/** Runs a CLI command to completion. */
export async function runHerald(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const proc = spawnHerald(args, env);
  const code = await proc.exited;
  return { code, stdout: proc.stdout, stderr: proc.stderr };
}

/** A TCP port free on loopback now (for a process that must be told its port before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
