import type { App } from './types.ts';
import { Type } from 'typebox';
import type { Readiness } from '../telemetry/readiness.ts';

const CheckState = Type.Union([Type.Literal('ok'), Type.Literal('failed'), Type.Literal('unknown')], {
  description: '`unknown`: not checked, because a check it depends on failed.',
});
const ReadinessAnswer = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Type.Object({
    database: CheckState,
    migrations: CheckState,
    dispatcher: CheckState,
  }),
});

export function registerSystemRoutes(app: App, readiness?: Readiness): void {
  app.get(
    '/api/status',
    {
      config: { public: true },
      schema: {
        summary: 'Health check',
        description: "Answers 204 while the server is up; needs no API key (as Logto's `/api/status`).",
        tags: ['System'],
        security: [],
        response: { 204: Type.Null({ description: 'The server is up.' }) },
      },
    },
    async (_request, reply) => reply.status(204).send(null),
  );
  if (!readiness) return;
  app.get(
    '/api/health/ready',
    {
      config: { public: true },
      schema: {
        summary: 'Readiness check',
        description:
          'Answers 200 when this instance can do its work: the database answers (a bounded query, within 2 s), every migration of this build is applied, and the delivery dispatcher runs and answers (within 2 s); otherwise 503 naming what failed. Needs no API key; the answer is cached for a second, so asking often costs the database nothing more. `/api/status` stays the liveness check.',
        tags: ['System'],
        security: [],
        response: {
          200: { ...ReadinessAnswer, description: 'Ready: every check is `ok`.' },
          503: { ...ReadinessAnswer, description: 'Not ready: the checks say which failed.' },
        },
      },
    },
    async (_request, reply) => {
      const { ready, checks } = await readiness.report();
      reply.header('cache-control', 'no-store');
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
    },
  );
}
