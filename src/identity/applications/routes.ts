/** Logto's `/api/applications` routes (no events: Logto emits none for applications). */
import { Type } from 'typebox';
import { HeraldError } from '../../http/errors.ts';
import { parsePage, setPageHeaders } from '../../http/pagination.ts';
import type { Mutate } from '../../http/mutation.ts';
import type { App } from '../../http/types.ts';
import {
  APPLICATION_TYPES,
  applicationProperties,
  applicationRef,
  ApplicationSchema,
  errors,
  idParams,
  JsonObject,
  listQuery,
  noContent,
} from '../schemas.ts';
import { APPLICATION_SEARCH_FIELDS, parseSearch } from '../search.ts';
import type { ApplicationService } from './service.ts';

const tags = ['Applications'];
/** Every type Logto's list accepts in `types`; Herald creates only APPLICATION_TYPES. */
const LOGTO_APPLICATION_TYPES = [...APPLICATION_TYPES, 'Protected', 'SAML'] as const;
const params = idParams('id');
const partialOidc = Type.Object(
  {
    redirectUris: Type.Optional(Type.Array(Type.String({ format: 'uri' }))),
    postLogoutRedirectUris: Type.Optional(Type.Array(Type.String({ format: 'uri' }))),
  },
  { additionalProperties: true },
);

function parseBoolean(raw: string | undefined, field: string): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new HeraldError('guard.invalid_input', {
    message: `${field} must be true or false.`,
    data: { field: `query.${field}` },
  });
}

export function registerApplicationRoutes(app: App, deps: { applications: ApplicationService; mutate: Mutate }): void {
  const { applications, mutate } = deps;
  app.addSchema(ApplicationSchema);

  app.get(
    '/api/applications',
    {
      schema: {
        summary: 'List applications',
        description:
          "Newest first. `types` (repeatable; any of Logto's types, those Herald has no applications of match none), `isThirdParty`, `excludeRoleId` and `excludeOrganizationId` (not both: 400 `request.invalid_input`) filter; search over id, name, description; `page`/`page_size` turn on paging.",
        tags,
        querystring: listQuery({
          types: Type.Optional(
            Type.Union([Type.Enum(LOGTO_APPLICATION_TYPES), Type.Array(Type.Enum(LOGTO_APPLICATION_TYPES))]),
          ),
          excludeRoleId: Type.Optional(Type.String()),
          excludeOrganizationId: Type.Optional(Type.String()),
          isThirdParty: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Array(applicationRef), ...errors },
      },
    },
    async (request, reply) => {
      const page = parsePage(request.query, true);
      const types = request.query.types === undefined ? undefined : ([] as string[]).concat(request.query.types);
      const { excludeRoleId, excludeOrganizationId } = request.query;
      if (excludeRoleId && excludeOrganizationId) {
        const details = 'Parameter `excludeRoleId` and `excludeOrganizationId` cannot be used at the same time.';
        throw new HeraldError('request.invalid_input', { message: `Input is invalid. ${details}`, details });
      }
      const isThirdParty = parseBoolean(request.query.isThirdParty, 'isThirdParty');
      const filter = {
        types,
        isThirdParty,
        excludeRoleId,
        excludeOrganizationId,
        search: parseSearch(request.query, APPLICATION_SEARCH_FIELDS),
      };
      const { applications: list, total } = await applications.listApplications(filter, page);
      if (page) setPageHeaders(request, reply, page, total);
      return list;
    },
  );

  app.post(
    '/api/applications',
    {
      schema: {
        summary: 'Create an application',
        tags,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 256 }),
          type: Type.Enum(APPLICATION_TYPES),
          description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          oidcClientMetadata: Type.Optional(partialOidc),
          customClientMetadata: Type.Optional(JsonObject),
          customData: Type.Optional(JsonObject),
          isThirdParty: Type.Optional(Type.Boolean()),
        }),
        response: { 200: applicationRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) => applications.createApplication(tx.db, request.body)),
  );

  app.get(
    '/api/applications/:id',
    {
      schema: {
        summary: 'Get an application',
        tags,
        params,
        response: { 200: Type.Object({ ...applicationProperties, isAdmin: Type.Boolean() }), ...errors },
      },
    },
    async (request) => ({ ...(await applications.getApplication(request.params.id)), isAdmin: false }),
  );

  app.patch(
    '/api/applications/:id',
    {
      schema: {
        summary: 'Update an application',
        description: '`type` and `isThirdParty` cannot change; metadata objects are replaced whole.',
        tags,
        params,
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
          description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          oidcClientMetadata: Type.Optional(partialOidc),
          customClientMetadata: Type.Optional(JsonObject),
          customData: Type.Optional(JsonObject),
        }),
        response: { 200: applicationRef, ...errors },
      },
    },
    async (request, reply) =>
      mutate(request, reply, 200, ({ tx }) => applications.updateApplication(tx.db, request.params.id, request.body)),
  );

  app.delete(
    '/api/applications/:id',
    { schema: { summary: 'Delete an application', tags, params, response: { 204: noContent, ...errors } } },
    async (request, reply) => {
      await mutate(request, reply, 204, ({ tx }) => applications.deleteApplication(tx.db, request.params.id));
      return reply.send(null);
    },
  );
}
