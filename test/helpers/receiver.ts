/**
 * A real webhook receiver on 127.0.0.1:0. It records every request (headers and raw body) and
 * answers as told; the answer can change mid-test.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

export type Behaviour =
  | { status: number; body?: string; headers?: Record<string, string> }
  | 'hang'
  | 'reset'
  | ((req: Received, res: ServerResponse) => void);

export interface Receiver {
  readonly url: string;
  readonly requests: Received[];
  respondWith(behaviour: Behaviour): void;
  /** Resolves once `predicate` holds for the requests received so far. */
  waitFor(predicate: (requests: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(initial: Behaviour = { status: 200, body: 'ok' }): Promise<Receiver> {
  let behaviour = initial;
  const requests: Received[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();

  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const received: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        json,
        at: Date.now(),
      };
      requests.push(received);
      for (const w of waiters) w();
      const b = behaviour;
      if (b === 'hang') return;
      if (b === 'reset') return req.socket.destroy();
      if (typeof b === 'function') return b(received, res);
      res.writeHead(b.status, { 'content-type': 'text/plain', ...b.headers });
      res.end(b.body ?? '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    respondWith(next) {
      behaviour = next;
    },
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(requests)) return;
          cleanup();
          resolve(requests);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`receiver: condition not met in ${timeoutMs} ms; ${requests.length} request(s) received`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
