/**
 * Request validation. Query strings, path parameters and headers arrive as text, so their values are
 * coerced to the schema's types ("20" → 20); JSON bodies are not: `{"name": 42}` for a string
 * field is an error the client must hear about, not a value silently turned into "42".
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: false, useDefaults: true, removeAdditional: false, strict: false, ...options });
  addFormats.default(ajv);
  return ajv;
}

/** `sharedSchemas` returns the schemas added with `app.addSchema`, so `$ref`s in request schemas resolve. */
export function createValidatorCompiler(sharedSchemas: () => Record<string, unknown>): FastifySchemaCompiler<unknown> {
  // The two Ajv instances (formats and all) are created at the first compile too, not at start.
  let strict: Ajv | undefined;
  let coercing: Ajv | undefined;
  const ajvFor = (httpPart: string | undefined): Ajv => {
    if (httpPart === 'body') {
      strict ??= createAjv({ coerceTypes: false });
      return strict;
    }
    coercing ??= createAjv({ coerceTypes: 'array' });
    return coercing;
  };
  const compile = (schema: unknown, httpPart: string | undefined) => {
    const ajv = ajvFor(httpPart);
    for (const [id, shared] of Object.entries(sharedSchemas())) {
      if (!ajv.getSchema(id)) ajv.addSchema(shared as object, id);
    }
    return ajv.compile(schema as object);
  };
  // Compiled at a route's first request, not at start: compiling every route's schemas made up
  // most of the time from start to ready, and every restart after a crash is that long an outage.
  return ({ schema, httpPart }) => {
    let compiled: ReturnType<typeof compile> | undefined;
    const validate = (data: unknown) => {
      compiled ??= compile(schema, httpPart);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    validate.errors = undefined as ReturnType<typeof compile>['errors'];
    return validate;
  };
}
