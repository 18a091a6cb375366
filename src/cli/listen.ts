/**
 * `herald listen --forward-to http://localhost:3000/webhooks`: real events on a laptop behind NAT.
 *
 * Opens a listener on the server (an ephemeral hook for the local URL: POST /api/listeners), holds
 * one outbound connection streaming its deliveries (GET /api/listeners/:id/stream, Server-Sent
 * Events), POSTs each to the local URL with the signed headers and body Herald made, and reports the
 * local answer (POST /api/listeners/:id/results), which Herald records as the attempt. One line is
 * printed per delivery. A lost connection is opened again (the same hook: what was out goes back to
 * pending on the server, and comes again); Ctrl-C deletes the hook. A run killed without Ctrl-C
 * leaves the hook: the next run for the same local URL resumes it, pending deliveries included.
 */
// The stream's message, as the server defines it (a type import: nothing loaded at run time).
import type { ListenerDelivery } from '../delivery/listen.ts';
import { apiClient, CliError, clock, type ServerOptions } from './client.ts';

/** How long a forward to the local URL may take (as a hook's request timeout). */
const FORWARD_TIMEOUT_MS = 10_000;
/** Bytes of the local answer reported (Herald keeps the first 20 KiB of any response). */
const ANSWER_MAX_BYTES = 20 * 1024;
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000];

interface ListenerHook {
  id: string;
  events: string[];
  signingKey: string;
  standardSigningKey: string;
}

export interface ListenOptions extends ServerOptions {
  forwardTo: string;
  events?: string[] | undefined;
  /** Where lines go (stdout by default). */
  print?: (line: string) => void;
  /** Resolves when the listener should stop (Ctrl-C); the hook is deleted then. */
  stopped?: Promise<void>;
}

/** Reads a `text/event-stream` body, calling `onEvent` for each event with its name and data. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: string) => void,
): Promise<void> {
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}

/** POSTs one delivery to the local URL; answers what to report. */
async function forward(delivery: ListenerDelivery) {
  const started = performance.now();
  try {
    const res = await fetch(delivery.url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      for await (const chunk of res.body) {
        if (size < ANSWER_MAX_BYTES) chunks.push(chunk.subarray(0, ANSWER_MAX_BYTES - size));
        size += chunk.length;
        if (size >= ANSWER_MAX_BYTES) break;
      }
    }
    const responseHeaders: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return {
      statusCode: res.status,
      durationMs: Math.round(performance.now() - started),
      responseBody: Buffer.concat(chunks).toString('utf8'),
      responseHeaders,
    };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    return {
      durationMs: Math.round(performance.now() - started),
      error: timedOut
        ? `timed out after ${FORWARD_TIMEOUT_MS} ms`
        : `could not reach ${delivery.url}: ${cause ?? (error instanceof Error ? error.message : String(error))}`,
    };
  }
}

export async function listen(options: ListenOptions): Promise<void> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (!/^https?:\/\/[^/]/.test(options.forwardTo))
    throw new CliError(`--forward-to must be an http(s) URL, not "${options.forwardTo}"`);
  const api = apiClient(options);
  let stopping = false;
  let connection: AbortController | undefined;
  const forwards = new Set<Promise<void>>();

  const openListener = () =>
    api.call<{ hook: ListenerHook; resumed: boolean }>('POST', '/api/listeners', {
      forwardTo: options.forwardTo,
      ...(options.events?.length ? { events: options.events } : {}),
    });

  const { hook, resumed } = await openListener();
  print(`Forwarding ${hook.events.join(', ')} to ${options.forwardTo}`);
  print(
    `  from ${api.baseUrl}, listener hook ${hook.id}${resumed ? ' (resumed: its pending deliveries come first)' : ''}`,
  );
  print(`  signing key: ${hook.signingKey}   (Standard Webhooks secret: ${hook.standardSigningKey})`);
  print('Ready. Ctrl-C to stop (the listener hook is deleted then).');

  function handle(delivery: ListenerDelivery): void {
    const work = (async () => {
      const answer = await forward(delivery);
      const outcome = answer.statusCode !== undefined ? `→ ${answer.statusCode}` : `✗ ${answer.error}`;
      print(
        `${clock()}  ${delivery.event.padEnd(24)} ${delivery.deliveryId}  ${outcome}  (${answer.durationMs} ms, attempt ${delivery.attempt})`,
      );
      try {
        await api.call('POST', `/api/listeners/${hook.id}/results`, {
          deliveryId: delivery.deliveryId,
          leaseToken: delivery.leaseToken,
          attempt: delivery.attempt,
          ...answer,
        });
      } catch (error) {
        print(
          `${clock()}  could not report ${delivery.deliveryId} to Herald (${error instanceof Error ? error.message : String(error)}); it will come again`,
        );
      }
    })();
    forwards.add(work);
    void work.finally(() => forwards.delete(work));
  }

  const stopped = (options.stopped ?? new Promise<void>(() => undefined)).then(() => {
    stopping = true;
    connection?.abort();
  });

  let failures = 0;
  while (!stopping) {
    connection = new AbortController();
    try {
      const res = await fetch(`${api.baseUrl}/api/listeners/${hook.id}/stream`, {
        headers: { authorization: `Bearer ${api.key}`, accept: 'text/event-stream' },
        signal: connection.signal,
      });
      if (res.status === 404) {
        // Deleted meanwhile (from the console, another run's Ctrl-C): make it again.
        const again = await openListener();
        hook.id = again.hook.id;
        continue;
      }
      if (!res.ok || !res.body) throw new CliError(`the stream answered ${res.status}`);
      await readEvents(res.body, (event, data) => {
        if (event === 'ready') {
          if (failures > 0) print(`${clock()}  connected again`);
          failures = 0;
        } else if (event === 'delivery') handle(JSON.parse(data) as ListenerDelivery);
      });
      if (!stopping) throw new CliError('the server closed the stream');
    } catch (error) {
      if (stopping) break;
      const delay = RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)] as number;
      failures++;
      print(
        `${clock()}  connection lost (${error instanceof Error ? error.message : String(error)}); reconnecting in ${delay} ms`,
      );
      await Promise.race([new Promise((resolve) => setTimeout(resolve, delay)), stopped]);
    }
  }
  // Ctrl-C: what is being forwarded is reported (a forward takes at most FORWARD_TIMEOUT_MS), then
  // the hook goes, with whatever it still held.
  await Promise.all(forwards);
  await api.call('DELETE', `/api/hooks/${hook.id}`).then(
    () => print(`Deleted listener hook ${hook.id}.`),
    (error: unknown) => print(`Could not delete listener hook ${hook.id}: ${String(error)}`),
  );
}
