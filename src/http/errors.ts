/**
 * The error catalog. Every code Herald answers with is declared here once, named `area.reason`,
 * with Logto's code and status where Logto has one (packages/phrases/src/locales/en/errors).
 */

export const errorCatalog = {
  'guard.invalid_input': { status: 400, message: 'The request input is invalid.' },
  'guard.invalid_pagination': { status: 400, message: 'The request pagination value is invalid.' },
  'request.invalid_input': { status: 400, message: 'Input is invalid.' },
  'request.invalid_json': { status: 400, message: 'The request body is not valid JSON.' },
  'request.payload_too_large': { status: 413, message: 'The request body is larger than the limit.' },
  'request.unsupported_media_type': { status: 415, message: 'The request body has an unsupported content type.' },
  'request.route_not_found': { status: 404, message: 'No route matches this method and path.' },
  'request.method_not_allowed': { status: 405, message: 'The method is not allowed here.' },
  'auth.unauthorized': { status: 401, message: 'Unauthorized. Please check credentials and its scope.' },
  'entity.not_found': { status: 404, message: 'The resource does not exist.' },
  'entity.not_exists_with_id': { status: 404, message: 'The entity with this id does not exist.' },
  'entity.unique_integrity_violation': {
    status: 422,
    message: 'The entity already exists. Please check the input and try again.',
  },
  'hook.missing_events': { status: 400, message: 'You need to provide at least one event.' },
  'hook.send_test_payload_failed': { status: 422, message: 'Failed to send test payload.' },
  'hook.endpoint_responded_with_error': { status: 422, message: 'Endpoint responded with error.' },
  'hook.endpoint_not_allowed': { status: 422, message: 'Endpoint URL is not allowed.' },
  // Herald's synchronous hooks (/api/sync-hooks): the end user sees these on the Experience API.
  'listener.not_a_listener': {
    status: 400,
    message: 'This hook is not a listener: its deliveries are POSTed by Herald, not streamed.',
  },
  'hook.denied': { status: 403, message: 'The request was denied.' },
  'hook.sync_unavailable': {
    status: 503,
    message: 'A check this request needs is not available right now; try again shortly.',
  },
  'entity.relation_foreign_key_not_found': {
    status: 422,
    message:
      'Cannot find one or more foreign keys. Please check the input and ensure that all referenced entities exist.',
  },
  'entity.not_exists': { status: 404, message: 'The entity does not exist.' },
  'entity.db_constraint_violated': { status: 422, message: 'Database constraint violated.' },
  'organization.require_membership': {
    status: 422,
    message: 'The user must be a member of the organization to proceed.',
  },
  'organization.role_names_not_found': {
    status: 422,
    message: 'Invalid role names detected. Please create these roles first before proceeding.',
  },
  'connector.not_found': { status: 501, message: 'Cannot find any available connector for this type.' },
  'connector.general': { status: 502, message: 'The message connector failed to send.' },
  'password.rejected': {
    status: 422,
    message: 'Password rejected. Please check if your password meets the requirements.',
  },
  'user.same_password': { status: 422, message: 'New password cannot be the same as your old password.' },
  'user.suspended': { status: 401, message: 'This account is suspended.' },
  'user.user_not_exist': { status: 404, message: 'User does not exist.' },
  'user.missing_profile': { status: 422, message: 'You need to provide additional info before signing-in.' },
  'user.new_password_required_in_profile': { status: 422, message: 'You need to set a new password.' },
  'session.conflict': {
    status: 409,
    message: 'Another request changed this interaction at the same time; repeat the step.',
  },
  'user.username_exists_in_profile': { status: 422, message: 'Username has been set in profile.' },
  'user.email_exists_in_profile': { status: 422, message: 'Email has been associated with your account.' },
  'user.phone_exists_in_profile': { status: 422, message: 'Phone has been associated with your account.' },
  'user.password_exists_in_profile': { status: 422, message: 'Password has been set in profile.' },
  'session.not_found': { status: 400, message: 'Session not found. Please go back and sign in again.' },
  'session.verification_session_not_found': {
    status: 404,
    message: 'The verification was not successful. Restart the verification flow and try again.',
  },
  'session.verification_failed': {
    status: 400,
    message: 'The verification was not successful. Restart the verification flow and try again.',
  },
  'session.identifier_not_found': {
    status: 404,
    message: 'User identifier not found. Please go back and sign in again.',
  },
  'session.invalid_interaction_type': {
    status: 400,
    message: 'This operation is not supported for the current interaction. Please initiate a new session.',
  },
  'session.not_supported_for_forgot_password': {
    status: 400,
    message: 'This operation is not supported for forgot password.',
  },
  'session.identity_conflict': {
    status: 409,
    message: 'Identity mismatch detected. Please initiate a new session to proceed with a different identity.',
  },
  'session.verification_blocked_too_many_attempts': {
    status: 400,
    message: 'Too many attempts in a short time. Please try again later.',
  },
  'verification_code.code_mismatch': { status: 400, message: 'Invalid verification code.' },
  'verification_code.expired': {
    status: 400,
    message: 'Verification code has expired. Please request a new verification code.',
  },
  'verification_code.exceed_max_try': {
    status: 400,
    message: 'Verification code retries limitation exceeded. Please request a new verification code.',
  },
  'verification_code.not_found': {
    status: 400,
    message: 'Verification code not found. Please send verification code first.',
  },
  'verification_code.email_mismatch': {
    status: 400,
    message: 'Email mismatch. Please request a new verification code.',
  },
  'verification_code.phone_mismatch': {
    status: 400,
    message: 'Phone mismatch. Please request a new verification code.',
  },
  'request.rate_limited': { status: 429, message: 'Too many requests. Please try again later.' },
  'request.message_rate_limited': {
    status: 429,
    message: 'Too many messages sent to this recipient. Please try again later.',
  },
  'user.username_already_in_use': { status: 422, message: 'This username is already in use.' },
  'user.email_already_in_use': { status: 422, message: 'This email is associated with an existing account.' },
  'user.phone_already_in_use': { status: 422, message: 'This phone number is associated with an existing account.' },
  'user.invalid_role_type': {
    status: 422,
    message: 'Invalid role type, can not assign machine-to-machine role to user.',
  },
  'user.password_and_digest': { status: 400, message: 'You cannot set both plain text password and password digest.' },
  'user.password_algorithm_required': { status: 400, message: 'Password algorithm is required.' },
  'user.invalid_phone': { status: 422, message: 'Invalid phone number.' },
  'entity.invalid_input': { status: 422, message: 'Invalid input. Value list must not be empty.' },
  'password.invalid_legacy_password_format': { status: 400, message: 'Invalid legacy password format.' },
  'password.unsupported_legacy_hash_algorithm': { status: 400, message: 'Unsupported legacy hash algorithm.' },
  'session.invalid_credentials': { status: 422, message: 'Incorrect account or password. Please check your input.' },
  'role.name_in_use': { status: 422, message: 'This role name is already in use.' },
  'role.scope_exists': { status: 422, message: 'The scope has already been added to this role.' },
  'role.user_exists': { status: 422, message: 'The user has already been added to this role.' },
  'role.application_exists': { status: 422, message: 'The application has already been added to this role.' },
  'application.device_flow_native_only': {
    status: 422,
    message: 'Device flow is only available for native applications.',
  },
  'application.device_flow_not_changeable': {
    status: 422,
    message: 'Device flow cannot be changed after application creation.',
  },
  'application.invalid_type': {
    status: 422,
    message: 'Only machine to machine applications can have associated roles.',
  },
  'application.invalid_role_type': {
    status: 422,
    message: 'Can not assign user type role to machine to machine application.',
  },
  'resource.resource_identifier_in_use': { status: 422, message: 'The API identifier is already in use.' },
  'scope.name_exists': { status: 422, message: 'The scope name is already in use.' },
  'scope.name_with_space': { status: 400, message: 'The name of the scope cannot contain any spaces.' },
  'application.invalid_third_party_application_type': {
    status: 400,
    message: 'Only traditional web, single-page, and native applications can be marked as third-party apps.',
  },
  'delivery.in_progress': { status: 409, message: 'An attempt of this delivery is under way; retry it once it ends.' },
  'database.busy': { status: 503, message: 'The request collided with concurrent changes; try again.' },
  'database.unavailable': { status: 503, message: 'The database is not reachable right now; try again shortly.' },
  'server.shutting_down': { status: 503, message: 'The server is shutting down; try again shortly.' },
  'database.full': {
    status: 503,
    message: 'The database has no space left; nothing was written. Try again once space is freed.',
  },
  'database.read_only': { status: 503, message: 'The database cannot be written to right now; nothing was written.' },
  'server.busy': {
    status: 503,
    message: 'The server has more requests than it can serve right now; try again shortly.',
  },
  unknown: { status: 500, message: 'An unexpected error occurred.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export interface ErrorBody {
  code: string;
  message: string;
  data?: unknown;
  details?: string;
}

export class HeraldError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly data: unknown;
  readonly details: string | undefined;

  constructor(code: ErrorCode, options: { message?: string; data?: unknown; details?: string; status?: number } = {}) {
    const entry = errorCatalog[code];
    super(options.message ?? entry.message);
    this.name = 'HeraldError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.data = options.data;
    this.details = options.details;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.data !== undefined) body.data = this.data;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

/** Logto's 404 for a lookup by id: "The {name} with ID `{id}` does not exist." */
export function notExistsWithId(name: string, id: string): HeraldError {
  return new HeraldError('entity.not_exists_with_id', {
    message: `The ${name} with ID \`${id}\` does not exist.`,
    data: { name, id },
  });
}

/** Normalise anything thrown into an Error, so callers never handle strings or undefined. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown)));
}
