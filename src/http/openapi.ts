import swagger, { type SwaggerTransformObject } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { App } from './types.ts';
import { Type, type TObject } from 'typebox';
import { API_DOCS_PREFIX } from './auth.ts';
import { ErrorBodySchema } from './schemas.ts';
import type { EventReference } from '../events/schemas.ts';
import { HERALD_VERSION } from '../version.ts';

/**
 * The OpenAPI 3.1 document (built from every route's TypeBox schema) at /api/swagger.json, and the
 * rendered reference at /api/docs. Shared schemas (`$id`) become named components. Its `webhooks`
 * section describes what Herald POSTs to a hook's URL, one entry per event a hook may take, from
 * the event schemas (src/events/schemas.ts).
 *
 * 3.1 rather than 3.0: the event schemas are JSON Schema (`const`, `type: 'null'`, `$ref` with
 * siblings), which 3.1's Schema Object is and 3.0's is not, and `webhooks` is 3.1's.
 *
 * The event schemas are loaded at the first request for the document (its JSON, or the reference's
 * page, which asks for it), not at start, as GET /api/hook-events does (hooks/routes.ts).
 */
export async function registerOpenApi(app: App): Promise<void> {
  app.addSchema(ErrorBodySchema);
  let events: EventWebhooks | undefined;
  const loadEvents = async () => {
    if (events) return;
    const { EVENT_OBJECTS, EVENT_REFERENCE } = await import('../events/schemas.ts');
    events ??= eventWebhooks(EVENT_OBJECTS, EVENT_REFERENCE);
  };
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Herald API',
        version: HERALD_VERSION,
        description:
          'Identity events and webhooks, wire-compatible with Logto. Every route needs `Authorization: Bearer <api key>` unless marked otherwise. The webhooks section describes what Herald sends to a hook: one entry per event, its body as JSON Schema.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A Herald API key.' } },
      },
      security: [{ bearerAuth: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
    // Added after @fastify/swagger's conversion of the routes' schemas, so that the event schemas are
    // served exactly as src/events/schemas.ts writes them.
    transformObject: (document) => {
      if (!events) throw new Error('the OpenAPI document was asked for before the event schemas were loaded');
      const doc = ('openapiObject' in document ? document.openapiObject : document.swaggerObject) as {
        components?: { schemas?: Record<string, unknown> };
      };
      return {
        ...doc,
        components: { ...doc.components, schemas: { ...doc.components?.schemas, ...events.schemas } },
        webhooks: events.webhooks,
      } as ReturnType<SwaggerTransformObject>;
    },
  });
  // The routes that serve the document, in a context of their own whose onRequest hook loads the
  // event schemas first (@fastify/swagger-ui's JSON and YAML routes call app.swagger() too).
  await app.register(async (docs) => {
    docs.addHook('onRequest', loadEvents);
    await docs.register(swaggerUi, {
      routePrefix: API_DOCS_PREFIX,
      uiConfig: { docExpansion: 'list', deepLinking: true },
      // Herald's own look: its mark and name, its colours and type.
      logo: { type: 'image/svg+xml', content: Buffer.from(HERALD_MARK) },
      theme: {
        title: 'Herald API reference',
        css: [{ filename: 'herald.css', content: HERALD_DOCS_CSS }],
        favicon: [
          {
            filename: 'herald.svg',
            rel: 'icon',
            sizes: 'any',
            type: 'image/svg+xml',
            content: Buffer.from(HERALD_MARK),
          },
        ],
      },
      // Swagger UI's default CSP minus upgrade-insecure-requests, which would break the page on plain HTTP.
      staticCSP:
        "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'",
    });

    docs.get(
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
      async () => docs.swagger(),
    );
  });
}

/** Herald's mark (the console's logo) with its name, for the API reference's top bar. */
const HERALD_MARK = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 130 24" width="130" height="24"><g fill="none" stroke="#a5a0ff" stroke-width="2.4" stroke-linecap="round"><path d="M6 11a7 7 0 0 1 7 7"/><path d="M6 4.5A13.5 13.5 0 0 1 19.5 18"/></g><circle cx="6" cy="18" r="2.6" fill="#a5a0ff"/><text x="28" y="18" font-family="system-ui, sans-serif" font-size="17" font-weight="700" fill="#ffffff">Herald API</text></svg>`;

/** The console's colours and type on Swagger UI (its top bar, links, buttons and method badges). */
const HERALD_DOCS_CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.swagger-ui .topbar { background: #1b1f24; padding: 8px 0; }
.swagger-ui .topbar .download-url-wrapper { display: none; }
.swagger-ui .topbar-wrapper img { height: 28px; }
.swagger-ui .info .title, .swagger-ui .opblock-tag { font-family: inherit; color: #1b1f24; }
.swagger-ui .info a, .swagger-ui a.nostyle { color: #4b3fd1; }
.swagger-ui .btn.execute { background: #4b3fd1; border-color: #4b3fd1; }
.swagger-ui .btn.authorize { color: #4b3fd1; border-color: #4b3fd1; }
.swagger-ui .btn.authorize svg { fill: #4b3fd1; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #4b3fd1; }
.swagger-ui .opblock.opblock-post { border-color: #4b3fd1; background: rgba(75, 63, 209, 0.06); }
`;

/** The components the event schemas' entities are named by: `Event.User`, `Event.Organization`… */
export const EVENT_COMPONENT_PREFIX = 'Event.';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A plain JSON copy: TypeBox's own (non-enumerable) keys and `undefined`s dropped. */
const plain = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

function withoutDescription(schema: JsonObject): string {
  const { description: _description, ...rest } = schema;
  return JSON.stringify(rest);
}

/**
 * The entities (EVENT_OBJECTS) as named components, and each payload with every copy of an entity
 * replaced by a `$ref` to its component (keeping the copy's own description). A copy that differs
 * from its entity beyond the description stays inline, so the schemas always say what is sent.
 */
interface EventWebhooks {
  schemas: Record<string, JsonObject>;
  webhooks: Record<string, JsonObject>;
}

function eventWebhooks(objects: readonly TObject[], reference: readonly EventReference[]): EventWebhooks {
  const schemas: Record<string, JsonObject> = {};
  const byTitle = new Map<string, { ref: string; shape: string; description: Json | undefined }>();
  for (const object of objects) {
    const schema = plain(object);
    const title = schema.title as string;
    schemas[`${EVENT_COMPONENT_PREFIX}${title}`] = schema;
    byTitle.set(title, {
      ref: `#/components/schemas/${EVENT_COMPONENT_PREFIX}${title}`,
      shape: withoutDescription(schema),
      description: schema.description,
    });
  }
  const referenced = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(referenced);
    if (node === null || typeof node !== 'object') return node;
    const entity = typeof node.title === 'string' ? byTitle.get(node.title) : undefined;
    if (entity && withoutDescription(node) === entity.shape) {
      return node.description === undefined || node.description === entity.description
        ? { $ref: entity.ref }
        : { $ref: entity.ref, description: node.description };
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, referenced(value)]));
  };

  const webhooks: Record<string, JsonObject> = {};
  for (const event of reference) {
    const sources =
      event.emittedBy.length === 0
        ? 'Herald never emits it (Logto does); a hook may subscribe to it.'
        : `Emitted by:\n\n${event.emittedBy.map((s) => `- ${sourceText(s)}`).join('\n')}`;
    const extension = event.extension
      ? ' Sent only to hooks that name it: a hook subscribed to every Logto event does not get it.'
      : '';
    webhooks[event.name] = {
      post: {
        summary: event.description,
        description: `${event.firesWhen}${extension}\n\n${sources}\n\nThe body is \`event\`, \`createdAt\`, the event's context and \`hookId\`; verify a signature over the exact bytes before parsing it.`,
        operationId: `webhook.${event.name}`,
        tags: [`Webhook events: ${event.group}`],
        security: [],
        parameters: SIGNATURE_HEADERS,
        requestBody: {
          required: true,
          description: `The \`${event.name}\` event.`,
          content: {
            'application/json': { schema: referenced(plain(event.schema)), example: plain(event.example) },
          },
        },
        responses: DELIVERY_RESPONSES,
      },
    };
  }
  return { schemas, webhooks };
}

/** A route in code font, as docs/events.md writes it (scripts/generate-events.ts). */
function sourceText(source: string): string {
  const route = /^(GET|POST|PUT|PATCH|DELETE) \S+/.exec(source);
  return route ? `\`${route[0]}\`${source.slice(route[0].length)}` : source;
}

const header = (name: string, description: string, schema: JsonObject): JsonObject => ({
  name,
  in: 'header',
  required: true,
  description,
  schema,
});

/** The headers every delivery carries (outbound/sender.ts `prepareRequest`), signatures last. */
const SIGNATURE_HEADERS: Json[] = [
  header(
    'user-agent',
    "`Herald/<version> (webhooks; Logto-compatible)`, or Logto's `Logto (https://logto.io/)` with HERALD_WEBHOOK_USER_AGENT=logto; a hook's custom `user-agent` header replaces it. The hook's other custom headers are sent too.",
    { type: 'string' },
  ),
  header(
    'logto-signature-sha-256',
    "Logto's signature: lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the hook's `signingKey`.",
    { type: 'string', pattern: '^[0-9a-f]{64}$' },
  ),
  header('webhook-id', 'Standard Webhooks: the delivery id, the same on every attempt; de-duplicate on it.', {
    type: 'string',
  }),
  header('webhook-timestamp', 'Standard Webhooks: seconds since the epoch, per attempt.', {
    type: 'string',
    pattern: '^[0-9]+$',
  }),
  header(
    'webhook-signature',
    'Standard Webhooks: `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">` keyed with the hook\'s `standardSigningKey` (`whsec_…`); during a key rotation\'s grace period a second space-separated `v1,` entry signed with the previous key.',
    { type: 'string', pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$' },
  ),
];

const DELIVERY_RESPONSES: JsonObject = {
  '2XX': { description: 'Accepted: the delivery succeeded and is not sent again (replay aside).' },
  '410': { description: 'Gone: the delivery fails and Herald disables the hook.' },
  default: {
    description:
      'Any other status, no answer within HERALD_REQUEST_TIMEOUT_MS, or a network error: the attempt failed and the delivery is retried on HERALD_RETRY_SCHEDULE (`Retry-After` honoured), then fails.',
  },
};
