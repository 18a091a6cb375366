/**
 * A cap on the connections one client address holds at once (an IPv6 client by its /64), so that
 * one client cannot take every slot of HERALD_HTTP_MAX_CONNECTIONS and lock everyone else out.
 * A connection past the cap is closed at once. Behind a trusted proxy every connection comes from
 * the proxy, so app.ts applies this only when HERALD_TRUST_PROXY is off.
 */
import type { Server } from 'node:http';
import { clientKey } from '../util/ip.ts';

export function limitConnectionsPerClient(server: Server, maxPerClient: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const client = clientKey(socket.remoteAddress ?? '');
    const count = (open.get(client) ?? 0) + 1;
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left <= 0) open.delete(client);
      else open.set(client, left);
    });
    if (count > maxPerClient) socket.destroy();
  });
}
