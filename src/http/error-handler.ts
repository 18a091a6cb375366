/**
 * One error handler for the whole API: a HeraldError → its body; a schema failure → 400
 * `guard.invalid_input` naming the field; Fastify's body-parsing failures → their own 4xx codes;
 * a lost database → 503; anything else → 500 `unknown`, logged with the request, nothing internal in
 * the body.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './types.ts';
import { HeraldError, type ErrorCode } from './errors.ts';

interface AjvIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** `body.events[0]`-style path of the first offending field. */
function fieldOf(location: string | undefined, issue: AjvIssue | undefined): string {
  const segments = (issue?.instancePath ?? '').split('/').filter(Boolean);
  const missing = issue?.params?.missingProperty ?? issue?.params?.additionalProperty;
  if (typeof missing === 'string') segments.push(missing);
  const path = segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('');
  return `${location ?? 'body'}${path}`;
}

function fromValidation(error: FastifyError): HeraldError {
  const issues = (error.validation ?? []) as AjvIssue[];
  const first = issues[0];
  const field = fieldOf(error.validationContext, first);
  let reason = first?.message ?? 'is invalid';
  if (first?.keyword === 'additionalProperties') reason = 'is not a known property';
  if (first?.keyword === 'required') reason = 'is required';
  return new HeraldError('guard.invalid_input', {
    message: `The request ${error.validationContext ?? 'input'} is invalid: ${field} ${reason}.`,
    data: {
      field,
      issues: issues.map((i) => ({
        field: fieldOf(error.validationContext, i),
        message: i.message,
        keyword: i.keyword,
      })),
    },
  });
}

/** Connection-level failures of either store: the request could not be served, nothing was half-done. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
function isDatabaseUnavailable(error: Error & { code?: unknown }): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
}

/** Unique constraints whose violation has a Logto code of its own (PostgreSQL constraint or SQLite column). */
const UNIQUE_CODES: [RegExp, ErrorCode][] = [
  [/users_username|users\.username/, 'user.username_already_in_use'],
  [/users_primary_email|users__email_canonical|users\.primary_email/, 'user.email_already_in_use'],
  [/users_primary_phone|users__phone_canonical|users\.primary_phone/, 'user.phone_already_in_use'],
  [/\broles_name|\broles\.name/, 'role.name_in_use'],
  [/resources_indicator|resources\.indicator/, 'resource.resource_identifier_in_use'],
  [/scopes__resource_id_name|scopes\.resource_id, scopes\.name/, 'scope.name_exists'],
];

/**
 * A unique or foreign-key violation that a service's own checks did not catch (two requests racing
 * for one name, say): the request conflicts with stored data, so 422, never 500.
 */
function constraintViolation(
  error: Error & { code?: unknown; errcode?: unknown; constraint?: unknown },
): ErrorCode | undefined {
  // PostgreSQL SQLSTATEs; SQLite extended result codes (node:sqlite puts them in `errcode`).
  if (error.code === '23505' || error.errcode === 2067 || error.errcode === 1555) {
    // The loser of a race past the service's own check gets the same code as a plain conflict.
    const where = `${typeof error.constraint === 'string' ? error.constraint : ''} ${error.message}`;
    return UNIQUE_CODES.find(([pattern]) => pattern.test(where))?.[1] ?? 'entity.unique_integrity_violation';
  }
  // Deadlock or serialization failure: nothing was written; the client may simply retry.
  if (error.code === '40P01' || error.code === '40001') return 'database.busy';
  if (error.code === '23503' || error.errcode === 787) return 'entity.relation_foreign_key_not_found';
  return undefined;
}

export function toHeraldError(error: FastifyError | HeraldError | Error): HeraldError | undefined {
  if (error instanceof HeraldError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return fromValidation(fastifyError);
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HeraldError('request.invalid_json', { details: fastifyError.message });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HeraldError('request.payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new HeraldError('request.unsupported_media_type', { details: fastifyError.message });
  }
  // JSON.parse failures surface as SyntaxError with status 400.
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new HeraldError('request.invalid_json', { details: error.message });
  }
  if (isDatabaseUnavailable(error)) return new HeraldError('database.unavailable');
  // Every pooled PostgreSQL connection stayed busy for the pool's whole wait (bench latency: more
  // requests than two cores serve): overload, which a client may retry, not a bug.
  if (error.message === 'timeout exceeded when trying to connect') return new HeraldError('server.busy');
  // SQLite's storage refusing a write (chaos disk-full answered 500 before): nothing was written
  // (the transaction rolled back), and it may pass once space or permissions come back.
  const sqliteCode = (error as { errcode?: unknown }).errcode;
  if (typeof sqliteCode === 'number') {
    const primary = sqliteCode & 0xff;
    if (primary === 13) return new HeraldError('database.full');
    if (primary === 8) return new HeraldError('database.read_only');
    if (primary === 10) return new HeraldError('database.unavailable');
    // The write lock stayed taken through the whole busy wait: nothing was written; retry later.
    if (primary === 5) return new HeraldError('database.busy');
  }
  const constraint = constraintViolation(error);
  if (constraint) return new HeraldError(constraint);
  // A value PostgreSQL cannot take as given (a NUL character, a number out of int8 range, text
  // that is not a number): the input is wrong, not the server. SQLite would store it as is.
  const pgCode = (error as { code?: unknown }).code;
  // A search pattern the store's regular-expression engine refuses (PostgreSQL's, or the RE2
  // function registered on SQLite, which raises the same SQLSTATE): the caller's input.
  if (pgCode === '2201B') {
    const details = `The search pattern is not a valid regular expression: ${error.message}`;
    return new HeraldError('request.invalid_input', { message: `Input is invalid. ${details}`, details });
  }
  if (
    pgCode === '22021' ||
    pgCode === '22003' ||
    pgCode === '22P02' ||
    pgCode === '22001' ||
    pgCode === '22025' ||
    pgCode === '22019' ||
    pgCode === '54000'
  ) {
    return new HeraldError('guard.invalid_input', {
      message: 'The request holds a value the store cannot take (a NUL character, or a number or text out of range).',
    });
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HeraldError('request.invalid_input', { status, message: error.message });
  }
  return undefined;
}

export function registerErrorHandling(app: App): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = toHeraldError(error);
    // The route pattern, not the path: paths and query strings carry IDs and emails (see log.ts).
    const context = { err: error, method: request.method, route: request.routeOptions.url ?? '(no route)' };
    if (known) {
      if (known.status >= 500) request.log.error(context, known.message);
      return reply.status(known.status).send(known.toBody());
    }
    request.log.error(context, 'unhandled error');
    return reply.status(500).send(new HeraldError('unknown').toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new HeraldError('request.route_not_found', {
      message: `No route for ${request.method} ${request.url.split('?')[0]}.`,
    });
    return reply.status(404).send(error.toBody());
  });
}
