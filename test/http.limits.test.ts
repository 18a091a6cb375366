/**
 * Connections an anonymous client cannot hold: a body or headers trickled past
 * HERALD_HTTP_REQUEST_TIMEOUT_SECONDS / HERALD_HTTP_HEADERS_TIMEOUT_SECONDS are cut, and
 * HERALD_HTTP_MAX_CONNECTIONS caps the connections open at once.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { assertNoOpenServers, startTestServer } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

/** Opens a raw connection; resolves once connected. */
function open(url: string, localAddress?: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ...(localAddress ? { localAddress } : {}) }, () =>
      resolve(socket),
    );
    socket.once('error', reject);
  });
}

/**
 * Writes `head` then one byte of `trickle` every 100 ms, for at most `limitMs`; resolves with what
 * the server answered and whether it closed the connection before the trickle ran out.
 */
function trickle(
  socket: Socket,
  head: string,
  limitMs: number,
): Promise<{ closedByServer: boolean; answer: string; elapsedMs: number }> {
  const started = Date.now();
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.on('error', () => undefined);
  socket.write(head);
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (Date.now() - started > limitMs) {
        clearInterval(timer);
        socket.destroy();
        resolve({ closedByServer: false, answer, elapsedMs: Date.now() - started });
        return;
      }
      if (!socket.destroyed) socket.write('x');
    }, 100);
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ closedByServer: Date.now() - started <= limitMs, answer, elapsedMs: Date.now() - started });
    });
  });
}

for (const store of stores) {
  describe(`connection limits (${store})`, () => {
    const ctx = useServer(store, {
      env: {
        HERALD_HTTP_REQUEST_TIMEOUT_SECONDS: '2',
        HERALD_HTTP_HEADERS_TIMEOUT_SECONDS: '1',
        HERALD_HTTP_MAX_CONNECTIONS: '16',
        HERALD_HTTP_MAX_CONNECTIONS_PER_CLIENT: '1000',
      },
    });

    it('a body trickled past the request timeout is cut with 408, long before the trickle ends', async () => {
      const socket = await open(ctx.t.url);
      const result = await trickle(
        socket,
        'PUT /api/experience HTTP/1.1\r\nHost: herald\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
        30_000,
      );
      assert.equal(result.closedByServer, true, `still open after ${result.elapsedMs} ms`);
      assert.match(result.answer, /^HTTP\/1\.1 408/);
    });

    it('headers trickled past the header timeout are cut', async () => {
      const socket = await open(ctx.t.url);
      const result = await trickle(socket, 'GET /api/status HTTP/1.1\r\nHost: herald\r\nX-Slow: ', 30_000);
      assert.equal(result.closedByServer, true, `still open after ${result.elapsedMs} ms`);
    });

    it('one client address holds at most HERALD_HTTP_MAX_CONNECTIONS_PER_CLIENT connections; another address is still served', async () => {
      const perClient = await startTestServer(store, {
        HERALD_HTTP_MAX_CONNECTIONS: '64',
        HERALD_HTTP_MAX_CONNECTIONS_PER_CLIENT: '8',
      });
      const held: Socket[] = [];
      try {
        for (let i = 0; i < 8; i++) held.push(await open(perClient.url, '127.0.0.1'));
        const extra = await open(perClient.url, '127.0.0.1');
        const closed = await new Promise<boolean>((resolve) => {
          extra.on('error', () => undefined);
          extra.once('close', () => resolve(true));
          setTimeout(() => resolve(false), 5000);
        });
        extra.destroy();
        assert.equal(closed, true, 'the 9th connection from one address is closed');
        const other = await open(perClient.url, '127.0.0.2');
        const answer = await new Promise<string>((resolve) => {
          let text = '';
          other.on('data', (c) => {
            text += c.toString();
            if (text.includes('\r\n\r\n')) resolve(text);
          });
          other.write('GET /api/status HTTP/1.1\r\nHost: herald\r\nConnection: close\r\n\r\n');
          setTimeout(() => resolve(text), 5000);
        });
        other.destroy();
        assert.match(answer, /^HTTP\/1\.1 204/, 'another address is served');
      } finally {
        for (const s of held) s.destroy();
        await perClient.close();
      }
    });

    it('connections past HERALD_HTTP_MAX_CONNECTIONS are refused until others close', async () => {
      const held: Socket[] = [];
      try {
        for (let i = 0; i < 16; i++) held.push(await open(ctx.t.url));
        const extra = await open(ctx.t.url);
        const closed = await new Promise<boolean>((resolve) => {
          extra.on('error', () => undefined);
          extra.once('close', () => resolve(true));
          extra.write('GET /api/status HTTP/1.1\r\nHost: herald\r\n\r\n');
          setTimeout(() => resolve(false), 5000);
        });
        extra.destroy();
        assert.equal(closed, true, 'the 17th connection is closed by the server');
      } finally {
        for (const s of held) s.destroy();
      }
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(
        (await ctx.t.request('GET', '/api/status', { key: null })).status < 500,
        true,
        'served again once connections closed',
      );
    });
  });
}
