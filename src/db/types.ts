/** Kysely's view of Herald's tables. Each module adds its tables here; only its store.ts queries them. */

export interface ApiKeysTable {
  id: string;
  name: string;
  /** hex SHA-256 of the whole key; the key itself is never stored. */
  key_hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface DB {
  api_keys: ApiKeysTable;
  hooks: HooksTable;
  events: EventsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  users: UsersTable;
  applications: ApplicationsTable;
  resources: ResourcesTable;
  scopes: ScopesTable;
  roles: RolesTable;
  roles_scopes: RolesScopesTable;
  users_roles: UsersRolesTable;
  organizations: OrganizationsTable;
  organization_scopes: OrganizationScopesTable;
  organization_roles: OrganizationRolesTable;
  organization_role_scopes: OrganizationRoleScopesTable;
  organization_role_resource_scopes: OrganizationRoleResourceScopesTable;
  organization_users: OrganizationUsersTable;
  organization_user_roles: OrganizationUserRolesTable;
  organization_applications: OrganizationApplicationsTable;
  organization_invitations: OrganizationInvitationsTable;
  organization_invitation_roles: OrganizationInvitationRolesTable;
  organization_application_roles: OrganizationApplicationRolesTable;
  interactions: InteractionsTable;
  sentinel_activities: SentinelActivitiesTable;
  settings: SettingsTable;
  applications_roles: ApplicationsRolesTable;
  sync_hooks: SyncHooksTable;
  sync_hook_calls: SyncHookCallsTable;
}

export type Dialect = 'sqlite' | 'postgres';

export interface HooksTable {
  id: string;
  tenant_id: string;
  name: string;
  event: string | null;
  /** JSON array of event names. */
  events: string;
  /** JSON `{ url, headers?, retries? }`. */
  config: string;
  signing_key: string;
  /** boolean on PostgreSQL, 0/1 on SQLite: read through the store's mapper. */
  enabled: boolean | number;
  created_at: number;
  disabled_reason: string | null;
  disabled_at: number | null;
  /** Start of the current run of failed attempts; null after a success. */
  failing_since: number | null;
  previous_signing_key: string | null;
  previous_signing_key_expires_at: number | null;
  /**
   * An ephemeral hook of `herald listen`: its deliveries go to the connected CLI's stream, never
   * through the dispatcher. Boolean on PostgreSQL, 0/1 on SQLite; false when not given.
   */
  listener?: boolean | number;
  /**
   * Paused (a Herald extension): deliveries are created and held, none is sent. Boolean on
   * PostgreSQL, 0/1 on SQLite; false when not given.
   */
  paused?: boolean | number;
  /** When the current pause began, epoch ms; null when not paused. */
  paused_at?: number | null;
}

export interface EventsTable {
  id: string;
  name: string;
  /** JSON payload without hookId. */
  payload: string;
  created_at: number;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed';

export interface DeliveriesTable {
  id: string;
  hook_id: string;
  event_id: string;
  event_name: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  leased_by: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface DeliveryAttemptsTable {
  id: string;
  delivery_id: string;
  /** The delivery's hook (migration 0019), for counting a hook's attempts by time. */
  hook_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  result: 'success' | 'error';
  status_code: number | null;
  /** JSON object of response headers. */
  response_headers: string | null;
  response_body: string | null;
  error: string | null;
}

/** Booleans read back as boolean (PostgreSQL) or 0/1 (SQLite): map with Boolean(). */
type Bool = boolean | number;

export interface UsersTable {
  id: string;
  username: string | null;
  primary_email: string | null;
  primary_phone: string | null;
  /** canonicalEmail(primary_email) (src/identity/identifiers.ts); unique. Written by the users store only. */
  primary_email_canonical: string | null;
  /** canonicalPhone(primary_phone); unique. Written by the users store only. */
  primary_phone_canonical: string | null;
  password_encrypted: string | null;
  password_encryption_method: string | null;
  name: string | null;
  avatar: string | null;
  /** JSON object. */
  custom_data: string;
  /** JSON object. */
  identities: string;
  /** JSON object. */
  profile: string;
  application_id: string | null;
  is_suspended: Bool;
  last_sign_in_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ApplicationsTable {
  id: string;
  name: string;
  secret: string;
  description: string | null;
  type: string;
  /** JSON object. */
  oidc_client_metadata: string;
  /** JSON object. */
  custom_client_metadata: string;
  /** JSON object. */
  custom_data: string;
  is_third_party: Bool;
  created_at: number;
}

export interface ResourcesTable {
  id: string;
  name: string;
  indicator: string;
  is_default: Bool;
  access_token_ttl: number;
  created_at: number;
}

export interface ScopesTable {
  id: string;
  resource_id: string;
  name: string;
  description: string | null;
  created_at: number;
}

export interface RolesTable {
  id: string;
  name: string;
  description: string;
  type: string;
  is_default: Bool;
  created_at: number;
}

export interface RolesScopesTable {
  role_id: string;
  scope_id: string;
  created_at: number;
}

export interface UsersRolesTable {
  user_id: string;
  role_id: string;
  created_at: number;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  description: string | null;
  /** JSON object. */
  custom_data: string;
  is_mfa_required: Bool;
  is_trusted_device_allowed: Bool;
  /** JSON object. */
  color: string;
  /** JSON object. */
  branding: string;
  custom_css: string | null;
  created_at: number;
}

export interface OrganizationScopesTable {
  id: string;
  name: string;
  description: string | null;
  created_at: number;
}

export interface OrganizationRolesTable {
  id: string;
  name: string;
  description: string | null;
  type: string;
  created_at: number;
}

export interface OrganizationRoleScopesTable {
  organization_role_id: string;
  organization_scope_id: string;
  created_at: number;
}

export interface OrganizationRoleResourceScopesTable {
  organization_role_id: string;
  scope_id: string;
  created_at: number;
}

export interface OrganizationUsersTable {
  organization_id: string;
  user_id: string;
  created_at: number;
}

export interface OrganizationUserRolesTable {
  organization_id: string;
  user_id: string;
  organization_role_id: string;
  created_at: number;
}

export interface OrganizationApplicationsTable {
  organization_id: string;
  application_id: string;
  created_at: number;
}

export interface OrganizationInvitationsTable {
  id: string;
  inviter_id: string | null;
  invitee: string;
  accepted_user_id: string | null;
  organization_id: string;
  status: string;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

export interface OrganizationInvitationRolesTable {
  organization_invitation_id: string;
  organization_role_id: string;
}

export interface InteractionsTable {
  id: string;
  interaction_event: string;
  application_id: string | null;
  user_id: string | null;
  /** JSON object: the profile gathered for sign-up or for the identified user. */
  profile: string;
  /** JSON array of verification records. */
  verifications: string;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

export interface SentinelActivitiesTable {
  id: string;
  /** SHA-256 (hex) of the normalised identifier or recipient. */
  target_hash: string;
  action: string;
  result: string;
  decision: string;
  decision_expires_at: number | null;
  /** On a Blocked row: the attempts refused while it lasted (counted here, not stored one by one). */
  refused: number;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface OrganizationApplicationRolesTable {
  organization_id: string;
  application_id: string;
  organization_role_id: string;
  created_at: number;
}

export interface ApplicationsRolesTable {
  application_id: string;
  role_id: string;
  created_at: number;
}

export interface SyncHooksTable {
  id: string;
  name: string;
  /** PreRegister | PreSignIn | PrePasswordReset. */
  phase: string;
  /** JSON `{ url, headers? }`. */
  config: string;
  /** boolean on PostgreSQL, 0/1 on SQLite. */
  enabled: boolean | number;
  timeout_ms: number;
  /** open | closed. */
  failure_policy: string;
  /** The API's `order`: hooks of a phase are called by it, lowest first. */
  sort_order: number;
  signing_key: string;
  created_at: number;
  updated_at: number;
}

export interface SyncHookCallsTable {
  id: string;
  hook_id: string;
  phase: string;
  interaction_event: string | null;
  session_id: string | null;
  user_id: string | null;
  /** What the endpoint answered: allow | deny | failed. */
  decision: string;
  /** What Herald did: allowed | denied (a failure follows the hook's policy). */
  effect: string;
  patched: boolean | number;
  status_code: number | null;
  duration_ms: number;
  /** The JSON body sent. */
  request: string;
  response_body: string | null;
  error: string | null;
  deny_code: string | null;
  deny_message: string | null;
  created_at: number;
}
