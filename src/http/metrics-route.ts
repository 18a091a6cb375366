import { Type } from 'typebox';
import type { Metrics } from '../delivery/index.ts';
import { errorRef } from './schemas.ts';
import type { App } from './types.ts';

/** GET /metrics in Prometheus text format; needs an API key like the API. */
export function registerMetricsRoute(app: App, metrics: Metrics): void {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        description:
          "Prometheus text: Node's default process and event-loop metrics, HTTP request durations by method, route pattern and status code, delivery attempts and their duration (this instance; overall and by hook and outcome), in-flight requests, deliveries by status and the due queue (bounded reads, capped at 10 000), the age of the oldest due delivery, hooks by state, per-hook failure streaks, synchronous-hook calls. See docs/observability.md.",
        tags: ['System'],
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format 0.0.4.' }), 401: errorRef },
      },
    },
    async (_request, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.render()),
  );
}
