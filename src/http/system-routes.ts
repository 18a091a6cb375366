import type { App } from './types.ts';
import { Type } from 'typebox';

export function registerSystemRoutes(app: App): void {
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
}
