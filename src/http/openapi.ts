import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { App } from './types.ts';
import { Type } from 'typebox';
import { API_DOCS_PREFIX } from './auth.ts';
import { ErrorBodySchema } from './schemas.ts';
import { HERALD_VERSION } from '../version.ts';

/**
 * The OpenAPI 3 document (built from every route's TypeBox schema) at /api/swagger.json, and the
 * rendered reference at /api/docs. Shared schemas (`$id`) become named components.
 */
export async function registerOpenApi(app: App): Promise<void> {
  app.addSchema(ErrorBodySchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Herald API',
        version: HERALD_VERSION,
        description:
          'Identity events and webhooks, wire-compatible with Logto. Every route needs `Authorization: Bearer <api key>` unless marked otherwise.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A Herald API key.' } },
      },
      security: [{ bearerAuth: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, {
    routePrefix: API_DOCS_PREFIX,
    uiConfig: { docExpansion: 'list', deepLinking: true },
    // Swagger UI's default CSP minus upgrade-insecure-requests, which would break the page on plain HTTP.
    staticCSP:
      "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'",
  });

  app.get(
    '/api/swagger.json',
    {
      config: { public: true },
      schema: {
        summary: 'This OpenAPI document',
        tags: ['System'],
        security: [],
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async () => app.swagger(),
  );
}
