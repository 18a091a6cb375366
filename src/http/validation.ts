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

/** Levenshtein distance, case-insensitive (`user.created` is one step from nothing). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++)
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[y.length] ?? 0;
}

/** Values longer than this get no "did you mean" (every allowed value Herald has is shorter). */
const MAX_SUGGESTED_LENGTH = 64;

/** The allowed values nearest `value` (at most 3, within a third of its length), for "did you mean". */
export function nearestValues(value: string, allowed: readonly unknown[]): string[] {
  const limit = Math.max(2, Math.floor(value.length / 3));
  const scored = allowed
    .filter((a): a is string => typeof a === 'string' && Math.abs(a.length - value.length) <= limit)
    .map((a) => ({ a, d: distance(value, a) }))
    .filter(({ d }) => d <= limit);
  const best = Math.min(...scored.map(({ d }) => d));
  return scored
    .filter(({ d }) => d === best)
    .slice(0, 3)
    .map(({ a }) => a);
}

/** The value at an Ajv `instancePath` (`/events/0`) of `data`. */
function valueAt(data: unknown, path: string): unknown {
  let value = data;
  for (const raw of path.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

type AjvErrors = ReturnType<Ajv['compile']>['errors'];

/**
 * An `enum` failure of a string close to an allowed value says which (an event name mistyped as
 * `User.Crated`: "did you mean User.Created?"); the error's keyword, and so its code, stay as they are.
 */
function withSuggestions(errors: AjvErrors, data: unknown): AjvErrors {
  if (!errors) return errors;
  return errors.map((error) => {
    const allowed = error.params.allowedValues;
    if (error.keyword !== 'enum' || !Array.isArray(allowed)) return error;
    const value = valueAt(data, error.instancePath);
    // Bounded work on public routes too: a long string is no typo of a short allowed value, and
    // the distance costs its length times theirs.
    if (typeof value !== 'string' || value.length > MAX_SUGGESTED_LENGTH) return error;
    const near = nearestValues(value, allowed);
    if (near.length === 0) return error;
    const names = near.length === 1 ? near[0] : `${near.slice(0, -1).join(', ')} or ${near.at(-1)}`;
    return { ...error, message: `${error.message ?? 'is invalid'} (did you mean ${names}?)` };
  });
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
      validate.errors = valid ? compiled.errors : withSuggestions(compiled.errors, data);
      return valid;
    };
    validate.errors = undefined as ReturnType<typeof compile>['errors'];
    return validate;
  };
}
