/**
 * The JSON shapes the API keys routes answer, each declared once as a TypeBox schema; the
 * TypeScript types are `Static<>` of them.
 */
import { Type, type Static } from 'typebox';
import { ID_PATTERN } from '../util/id.ts';

/** A key as listed: never its secret (component `ApiKey`). */
export const ApiKeySchema = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN }),
    name: Type.String(),
    createdAt: Type.Number({ description: 'Epoch milliseconds.' }),
    revokedAt: Type.Union([Type.Number(), Type.Null()], { description: 'Epoch milliseconds, or null while active.' }),
  },
  { $id: 'ApiKey', title: 'ApiKey', additionalProperties: false },
);
export type ApiKey = Static<typeof ApiKeySchema>;
/** `ApiKey` by reference, typed. */
export const apiKeyRef = Type.Unsafe<ApiKey>(Type.Ref('ApiKey'));

/** The answer of a create: the only time the secret is shown. */
export const CreatedApiKeySchema = Type.Object({
  key: Type.String({ description: 'The secret API key, shown once.' }),
  apiKey: apiKeyRef,
});
export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;
