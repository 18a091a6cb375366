/**
 * `/api/listeners`: what `herald listen` talks to (a Herald extension; Logto has no equivalent).
 * The CLI opens a listener (an ephemeral hook for its local URL), holds one outbound connection
 * that streams the hook's deliveries as Server-Sent Events, forwards each to the local URL and
 * reports the local answer, which is recorded as the attempt. The laptop opens no port.
 */
import { Type } from 'typebox';
import type { ListenerStreams } from '../delivery/index.ts';
import { HOOK_EVENTS } from '../events/index.ts';
import { errorRef } from '../http/schemas.ts';
import type { App } from '../http/types.ts';
import { HookEventSchema, hookRef, HookIdParams } from './schemas.ts';
import type { HookService } from './service.ts';

const tags = ['Listeners'];
/** A comment line this often keeps proxies and the CLI from taking a quiet stream for a dead one. */
const HEARTBEAT_MS = 15_000;
const MAX_TEXT = 20 * 1024;

export function registerListenerRoutes(app: App, deps: { hooks: HookService; listeners: ListenerStreams }): void {
  const { hooks, listeners } = deps;
  /** Open streams, ended at shutdown so that the server can close. */
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
    await listeners.closeAll();
  });

  app.post(
    '/api/listeners',
    {
      schema: {
        summary: 'Open a listener (herald listen)',
        description:
          "Creates `herald listen`'s ephemeral hook for `forwardTo` (named `herald listen → <forwardTo>`, flagged `listener`), or finds the one a previous run left, whose pending deliveries then resume (`resumed: true`; its events are replaced and it is enabled again). Its deliveries are never POSTed by Herald: they wait for `GET /api/listeners/{id}/stream`. Delete it with `DELETE /api/hooks/{id}`.",
        tags,
        body: Type.Object(
          {
            forwardTo: Type.String({
              minLength: 1,
              maxLength: 2048,
              pattern: '^https?://',
              description: 'The local URL the CLI forwards to (shown as the hook URL; Herald never requests it).',
            }),
            events: Type.Optional(
              Type.Array(HookEventSchema, {
                minItems: 1,
                maxItems: 100,
                description: 'Events to listen to; every event a hook may take when absent.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ hook: hookRef, resumed: Type.Boolean() }),
          201: Type.Object({ hook: hookRef, resumed: Type.Boolean() }),
          400: errorRef,
          401: errorRef,
        },
      },
    },
    async (request, reply) => {
      const result = await hooks.openListener({
        forwardTo: request.body.forwardTo,
        events: request.body.events ?? [...HOOK_EVENTS],
      });
      return reply.status(result.resumed ? 200 : 201).send(result);
    },
  );

  app.get(
    '/api/listeners/:id/stream',
    {
      schema: {
        summary: "Stream a listener's deliveries (Server-Sent Events)",
        description:
          'A `text/event-stream` that stays open: first `event: ready` (`{"hookId"}`), then one `event: delivery` per delivery, its data `{"deliveryId","leaseToken","attempt","event","hookId","url","headers","body"}` — the request Herald would have POSTed, signed (`headers` hold the signatures; `body` is the exact bytes signed). At most 16 are out at once; report each with `POST /api/listeners/{id}/results`. A comment line every 15 s keeps the connection alive. One stream per listener: a new one replaces the old. Deliveries out at a stream that closes go back to pending at once; none is lost.',
        tags,
        params: HookIdParams,
        response: {
          200: Type.String({ description: 'text/event-stream' }),
          400: errorRef,
          401: errorRef,
          404: errorRef,
        },
      },
    },
    async (request, reply) => {
      const hook = await hooks.findListener(request.params.id);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const write = (event: string, data: unknown, id?: string) =>
        res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      write('ready', { hookId: hook.id });
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      let ended = false;
      const stop = listeners.open(hook.id, (delivery) => {
        if (!ended) write('delivery', delivery, delivery.deliveryId);
      });
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        open.delete(end);
        void stop();
        if (!res.writableEnded) res.end();
      };
      open.add(end);
      request.raw.socket.once('close', end);
      res.once('close', end);
    },
  );

  app.post(
    '/api/listeners/:id/results',
    {
      schema: {
        summary: 'Report what the local endpoint answered',
        description:
          "Records the CLI's forward of one streamed delivery as its attempt: `statusCode`, `durationMs`, the response's headers and body (the first 20 KiB kept), or `error` when no answer came. A 2xx delivers it; anything else follows the retry schedule as for any hook. `recorded: false` when the delivery's lease no longer holds (its stream closed and it went back to pending, or it was claimed again): nothing changes then.",
        tags,
        params: HookIdParams,
        body: Type.Object(
          {
            deliveryId: Type.String({ minLength: 1, maxLength: 64 }),
            leaseToken: Type.String({ minLength: 1, maxLength: 128 }),
            attempt: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
            statusCode: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
            durationMs: Type.Number({ minimum: 0, maximum: 86_400_000 }),
            responseBody: Type.Optional(Type.String({ maxLength: MAX_TEXT * 4 })),
            responseHeaders: Type.Optional(
              Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 8192 }), { maxProperties: 100 }),
            ),
            error: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ recorded: Type.Boolean() }),
          400: errorRef,
          401: errorRef,
          404: errorRef,
        },
      },
    },
    async (request) => {
      const hook = await hooks.findListener(request.params.id);
      return { recorded: await listeners.report(hook.id, request.body) };
    },
  );
}
