import { Type } from 'typebox';
import { errorRef } from '../http/schemas.ts';
import type { App } from '../http/types.ts';
import { ID_PATTERN } from '../util/id.ts';
import type { KeyService } from './service.ts';

const ApiKeySchema = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN }),
    name: Type.String(),
    createdAt: Type.Number({ description: 'Epoch milliseconds.' }),
    revokedAt: Type.Union([Type.Number(), Type.Null()], { description: 'Epoch milliseconds, or null while active.' }),
  },
  { $id: 'ApiKey', title: 'ApiKey', additionalProperties: false },
);
const apiKeyRef = Type.Unsafe<Type.Static<typeof ApiKeySchema>>(Type.Ref('ApiKey'));

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
          201: Type.Object({ key: Type.String({ description: 'The secret API key, shown once.' }), apiKey: apiKeyRef }),
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
