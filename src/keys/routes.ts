import { Type } from 'typebox';
import { errorRef } from '../http/schemas.ts';
import type { App } from '../http/types.ts';
import { apiKeyRef, ApiKeySchema, CreatedApiKeySchema } from './schemas.ts';
import type { KeyService } from './service.ts';

const tags = ['API keys'];

/** Management of the API keys themselves. Secrets are returned once, by create, and never again. */
export function registerKeyRoutes(app: App, keys: KeyService): void {
  app.addSchema(ApiKeySchema);

  app.get(
    '/api/keys',
    {
      schema: {
        summary: 'List API keys',
        description: 'Every key, active and revoked, without secrets.',
        tags,
        response: { 200: Type.Array(apiKeyRef), 401: errorRef },
      },
    },
    async () => keys.listKeys(),
  );

  app.post(
    '/api/keys',
    {
      schema: {
        summary: 'Create an API key',
        description: 'The `key` in the answer is the only time the secret is shown; only its hash is stored.',
        tags,
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
        response: {
          201: CreatedApiKeySchema,
          400: errorRef,
          401: errorRef,
        },
      },
    },
    async (request, reply) => {
      const { key, info } = await keys.createKey(request.body.name);
      return reply.status(201).send({ key, apiKey: info });
    },
  );

  app.delete(
    '/api/keys/:id',
    {
      schema: {
        summary: 'Revoke an API key',
        description: 'The key is refused from the next request on. Revoking a revoked key is a no-op.',
        tags,
        params: Type.Object({ id: Type.String() }),
        response: { 200: apiKeyRef, 401: errorRef, 404: errorRef },
      },
    },
    async (request) => keys.revokeKey(request.params.id),
  );
}
