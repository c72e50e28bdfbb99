/**
 * @module schema
 * Row types of the tables, as Kysely sees them. Times are integer seconds; flags are 0/1 integers;
 * lists and objects are JSON text. Column names are snake_case; the stores map them to the model.
 */
import type { Generated } from 'kysely';

export interface RealmRow {
  id: string;
  display_name: string;
  settings: string;
  created_at: number;
}

export interface KeyRow {
  realm: string;
  kid: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
  active_from: number;
  retired_at: number | null;
}

export interface UserRow {
  realm: string;
  id: string;
  username: string;
  email: string | null;
  password_hash: string;
  admin: number;
  disabled: number;
  created_at: number;
}

export interface ClientRow {
  realm: string;
  client_id: string;
  secret_hash: string | null;
  /** Migration 0017: the secret a rotation replaced, accepted until previous_secret_until. */
  previous_secret_hash: string | null;
  previous_secret_until: number | null;
  name: string;
  grant_types: string;
  redirect_uris: string;
  claims_redirect_uris: string;
  uma_scopes: string;
  signing_alg: string | null;
  rpt_refresh_tokens: number;
  disabled: number;
  created_at: number;
}

export interface ResourceRow {
  realm: string;
  id: string;
  owner: string;
  resource_server: string;
  name: string | null;
  type: string | null;
  icon_uri: string | null;
  description: string | null;
  scopes: string;
  extra: string;
  created_at: number;
  updated_at: number;
}

export interface PolicyRow {
  realm: string;
  id: string;
  owner: string;
  /** Null on a primary policy; the resource owner on a re-share. */
  resource_owner: string | null;
  rev: string;
  permissions: string;
  created_at: number;
  updated_at: number;
}

/** One row per (policy, subject): which policies on a resource name a subject. */
export interface PolicySubjectRow {
  realm: string;
  resource_id: string;
  subject: string;
  /** The policy's owner. */
  owner: string;
}

export interface TicketRow {
  realm: string;
  hash: string;
  owner: string;
  resource_server: string;
  permissions: string;
  claims: string;
  created_at: number;
  expires_at: number;
}

export interface TokenRow {
  realm: string;
  id: string;
  kind: string;
  client_id: string;
  subject: string;
  grant_id: string;
  created_at: number;
  expires_at: number;
  revoked: number;
  data: string;
}

/** A grant holding a permission on a resource (migration 0012): the index revocation reads. */
export interface GrantResourceRow {
  realm: string;
  resource_id: string;
  grant_id: string;
  expires_at: number;
}

/** One revoked RPT for one resource server of its audience (migration 0016). */
export interface RevocationRow {
  seq: Generated<number>;
  realm: string;
  resource_server: string;
  jti: string;
  expires_at: number;
}

export interface SessionRow {
  realm: string;
  hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface AccessRequestRow {
  realm: string;
  id: string;
  owner: string;
  resource_id: string;
  requester: string;
  client_id: string;
  scopes: string;
  status: string;
  created_at: number;
  updated_at: number;
  /** JSON list; set when approved. */
  approved_scopes?: string | null;
}

export interface RateCounterRow {
  key: string;
  window_start: number;
  hits: number;
  expires_at: number;
}

export interface LoginFailureRow {
  realm: string;
  username: string;
  failures: number;
  last_failure_at: number;
}

/** One domain event of the audit log; `seq` is assigned by the database and orders ties in time. */
export interface AuditEventRow {
  seq: Generated<number>;
  realm: string;
  id: string;
  owner: string;
  type: string;
  at: number;
  requester: string | null;
  client_id: string | null;
  resource_id: string | null;
  resource_name: string | null;
  scopes: string | null;
  request_id: string | null;
  detail: string | null;
}

export interface WebhookRow {
  realm: string;
  id: string;
  url: string;
  secret: string;
  events: string;
  enabled: number;
  created_at: number;
}

/** Times in milliseconds except `created_at` (seconds). */
export interface OutboxRow {
  id: string;
  realm: string;
  event_id: string;
  event_type: string;
  channel: string;
  target: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  status: string;
  last_error: string | null;
  locked_until: number | null;
  claim: string | null;
  created_at: number;
}

export interface ResourceServerConfigRow {
  realm: string;
  resource_server: string;
  /** JSON: scope name → { description, iconUri? }. */
  scopes: string;
  /** JSON: type name → { scopes, description? }. */
  types: string;
  updated_at: number;
}

export interface GroupRow {
  realm: string;
  id: string;
  name: string;
  visible: number;
  created_at: number;
}

export interface GroupMemberRow {
  realm: string;
  group_id: string;
  user_id: string;
}

export interface OrganizationRow {
  realm: string;
  id: string;
  name: string;
  created_at: number;
}

export interface OrganizationAdminRow {
  realm: string;
  org_id: string;
  user_id: string;
}

/** Keyed by (realm, client_id): a client acts for one organization at most. */
export interface OrganizationClientRow {
  realm: string;
  client_id: string;
  org_id: string;
}

export interface Database {
  resource_server_configs: ResourceServerConfigRow;
  groups: GroupRow;
  group_members: GroupMemberRow;
  organizations: OrganizationRow;
  organization_admins: OrganizationAdminRow;
  organization_clients: OrganizationClientRow;
  realms: RealmRow;
  keys: KeyRow;
  users: UserRow;
  clients: ClientRow;
  resources: ResourceRow;
  policies: PolicyRow;
  policy_subjects: PolicySubjectRow;
  tickets: TicketRow;
  tokens: TokenRow;
  grant_resources: GrantResourceRow;
  revocations: RevocationRow;
  sessions: SessionRow;
  access_requests: AccessRequestRow;
  audit_events: AuditEventRow;
  rate_counters: RateCounterRow;
  login_failures: LoginFailureRow;
  webhooks: WebhookRow;
  outbox: OutboxRow;
}
