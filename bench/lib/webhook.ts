/**
 * A webhook delivery as the queue baselines (bench/scenarios/queues.ts) make it: the body built as
 * measureBaseline builds it, signed with HMAC-SHA256 of the body (hex, `logto-signature-sha-256`)
 * and POSTed with undici's `request` through an Agent of `concurrency` connections. A non-2xx
 * answer throws, so the queue running the job would retry it.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import { Agent, request } from 'undici';
import { deliveryBody } from '../../src/events/payloads.ts';
import { userCreatedContext } from './store.ts';

export const BENCH_HOOK_ID = 'bench-hook-id0000000';
const SIGNING_KEY = createSecretKey(Buffer.from('bench-signing-key-0123456789abcdef', 'utf8'));

/** The `User.Created` delivery body for user `n` (about 540 bytes; its `data.id` is the receiver's key). */
export function benchBody(n: number, createdAt = new Date().toISOString()): string {
  return deliveryBody(JSON.stringify({ event: 'User.Created', createdAt, ...userCreatedContext(n) }), BENCH_HOOK_ID);
}

/** The receiver's key of benchBody(n): `data.id`. */
export const benchBodyId = (n: number): string => `u${String(n).padStart(20, '0')}`;

export interface WebhookSender {
  send(body: string): Promise<void>;
  close(): Promise<void>;
}

export function webhookSender(url: string, concurrency: number): WebhookSender {
  const agent = new Agent({ connections: concurrency });
  return {
    async send(body) {
      const res = await request(url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'logto-signature-sha-256': createHmac('sha256', SIGNING_KEY).update(body).digest('hex'),
        },
        dispatcher: agent,
      });
      await res.body.dump();
      if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`webhook answered ${res.statusCode}`);
    },
    close: () => agent.close(),
  };
}
