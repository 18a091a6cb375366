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
          'Attempts by outcome and their duration (this instance), in-flight requests, deliveries by status, queue depth and the age of the oldest due delivery, hooks by state, per-hook failure streaks.',
        tags: ['System'],
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format 0.0.4.' }), 401: errorRef },
      },
    },
    async (_request, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.render()),
  );
}
