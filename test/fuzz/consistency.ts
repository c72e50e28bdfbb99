/**
 * @module test/fuzz/consistency
 * The store after a fuzz run: no orphan rows and nothing half-written. The schema has no foreign keys
 * (docs/decisions.md): the services keep the references, so this reads every table through a second
 * connection to the same database (plain Kysely queries, the same on SQLite and PostgreSQL) and checks
 * what they promise: every row's realm exists; resources belong to a user or client of their realm and
 * to a client as resource server; a policy's resource exists and the policy is its owner's or a
 * re-share of it; `policy_subjects` is exactly the subjects of the policies; a ticket names resources
 * of its owner and resource server; live tokens, sessions, access requests, group members and
 * organization links point at things that exist; outbox rows report events that exist; JSON columns
 * parse; every realm keeps a signing key.
 */
import type { Kysely } from 'kysely';
import { connect } from '../../packages/store/src/connect.ts';
import type { Database } from '../../packages/store/src/schema.ts';

type Db = Kysely<Database>;

const REALM_TABLES = [
  'keys', 'users', 'clients', 'resources', 'policies', 'policy_subjects', 'tickets', 'tokens', 'sessions', 'access_requests', 'audit_events',
  'webhooks', 'outbox', 'resource_server_configs', 'groups', 'group_members', 'organizations', 'organization_admins', 'organization_clients',
] as const;

const key = (...parts: unknown[]) => parts.map(String).join('\u0000');

function parse(text: string, where: string, out: string[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    out.push(`${where}: JSON column does not parse: ${text.slice(0, 80)}`);
    return undefined;
  }
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Every violation found in the database at `databaseUrl` (an empty list when consistent). */
export async function storeInconsistencies(databaseUrl: string): Promise<string[]> {
  const connection = connect(databaseUrl, { poolSize: 1 });
  try {
    return await check(connection.db);
  } finally {
    await connection.db.destroy();
  }
}

async function check(db: Db): Promise<string[]> {
  const out: string[] = [];
  const realms = new Set((await db.selectFrom('realms').select('id').execute()).map((r) => r.id));
  for (const table of REALM_TABLES) {
    const rows = await db.selectFrom(table).select('realm').distinct().execute();
    for (const { realm } of rows) if (!realms.has(realm)) out.push(`${table}: rows of realm ${realm}, which does not exist`);
  }
  for (const r of await db.selectFrom('realms').selectAll().execute()) parse(r.settings, `realm ${r.id} settings`, out);

  const users = new Set((await db.selectFrom('users').select(['realm', 'id']).execute()).map((u) => key(u.realm, u.id)));
  const usernames = new Set((await db.selectFrom('users').select(['realm', 'username']).execute()).map((u) => key(u.realm, u.username)));
  const clients = new Set<string>();
  for (const c of await db.selectFrom('clients').selectAll().execute()) {
    clients.add(key(c.realm, c.client_id));
    for (const column of ['grant_types', 'redirect_uris', 'claims_redirect_uris', 'uma_scopes'] as const) {
      if (!isStringList(parse(c[column], `client ${c.client_id} ${column}`, out))) out.push(`client ${c.client_id}: ${column} is not a list of strings`);
    }
  }
  const organizations = new Set((await db.selectFrom('organizations').select(['realm', 'id']).execute()).map((o) => key(o.realm, o.id)));
  /**
   * A resource owner or token subject: a user id, a client id, or `org:{id}`. An organization's
   * resources and policies stay stored under `org:{id}` when it is deleted (docs/api.md, "Delete an
   * organization"), and its PATs are refused on use, so any `org:` name is accepted here.
   */
  const party = (realm: string, id: string) => users.has(key(realm, id)) || clients.has(key(realm, id)) || id.startsWith('org:');

  /**
   * A policy subject: a username or `client:{clientId}` of the realm (neither can be deleted while a
   * policy names it), or `group:{name}` or `org:{id}`, which policies may outlive (a deleted group
   * grants nothing from the next grant on, docs/api.md "Delete a group"; organizations, see `party`).
   */
  const subjectExists = (realm: string, subject: string) =>
    subject.startsWith('client:') ? clients.has(key(realm, subject.slice(7))) : subject.startsWith('group:') || subject.startsWith('org:') || usernames.has(key(realm, subject));

  const deletedResources = new Set(
    (await db.selectFrom('audit_events').select(['realm', 'resource_id']).where('type', '=', 'resource.deleted').execute()).map((e) => key(e.realm, e.resource_id)),
  );
  const resources = new Map<string, { owner: string; resourceServer: string }>();
  for (const r of await db.selectFrom('resources').selectAll().execute()) {
    resources.set(key(r.realm, r.id), { owner: r.owner, resourceServer: r.resource_server });
    if (!party(r.realm, r.owner)) out.push(`resource ${r.id}: owner ${r.owner} is neither a user nor a client`);
    if (!clients.has(key(r.realm, r.resource_server))) out.push(`resource ${r.id}: resource server ${r.resource_server} does not exist`);
    if (!isStringList(parse(r.scopes, `resource ${r.id} scopes`, out))) out.push(`resource ${r.id}: scopes are not a list of strings`);
    const extra = parse(r.extra, `resource ${r.id} extra`, out);
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) out.push(`resource ${r.id}: extra is not an object`);
  }
  /** The resource exists, or its deletion was recorded: a reference that may outlive the resource. */
  const resourceOrDeleted = (realm: string, id: string) => resources.get(key(realm, id)) ?? (deletedResources.has(key(realm, id)) ? 'deleted' : undefined);

  const policySubjects = new Set<string>();
  for (const p of await db.selectFrom('policies').selectAll().execute()) {
    const resource = resources.get(key(p.realm, p.id));
    if (!resource) out.push(`policy ${p.id} of ${p.owner}: its resource does not exist`);
    else if (p.resource_owner === null && p.owner !== resource.owner) out.push(`policy ${p.id}: primary policy of ${p.owner}, but the resource is ${resource.owner}'s`);
    else if (p.resource_owner !== null && p.resource_owner !== resource.owner) out.push(`policy ${p.id}: re-share names resource owner ${p.resource_owner}, but the resource is ${resource.owner}'s`);
    if (!party(p.realm, p.owner)) out.push(`policy ${p.id}: owner ${p.owner} does not exist`);
    if (p.resource_owner !== null && !users.has(key(p.realm, p.owner))) out.push(`policy ${p.id}: re-sharer ${p.owner} is not a user`);
    const permissions = parse(p.permissions, `policy ${p.id} permissions`, out);
    if (!Array.isArray(permissions)) {
      out.push(`policy ${p.id}: permissions are not a list`);
      continue;
    }
    for (const perm of permissions as Array<{ subject?: unknown; scopes?: unknown }>) {
      if (typeof perm?.subject !== 'string' || !isStringList(perm.scopes)) out.push(`policy ${p.id}: malformed permission ${JSON.stringify(perm).slice(0, 80)}`);
      else {
        policySubjects.add(key(p.realm, p.owner, p.id, perm.subject));
        if (!subjectExists(p.realm, perm.subject)) out.push(`policy ${p.id} of ${p.owner}: subject ${perm.subject} does not exist`);
      }
    }
  }
  const indexed = new Set((await db.selectFrom('policy_subjects').selectAll().execute()).map((s) => key(s.realm, s.owner, s.resource_id, s.subject)));
  for (const k of indexed) if (!policySubjects.has(k)) out.push(`policy_subjects: ${k.replaceAll('\u0000', ' / ')} names no policy permission`);
  for (const k of policySubjects) if (!indexed.has(k)) out.push(`policy_subjects: missing ${k.replaceAll('\u0000', ' / ')}`);

  for (const t of await db.selectFrom('tickets').selectAll().execute()) {
    const permissions = parse(t.permissions, `ticket ${t.hash.slice(0, 8)} permissions`, out);
    parse(t.claims, `ticket ${t.hash.slice(0, 8)} claims`, out);
    if (!Array.isArray(permissions) || permissions.length === 0) {
      out.push(`ticket ${t.hash.slice(0, 8)}: no permissions`);
      continue;
    }
    for (const perm of permissions as Array<{ resourceId?: unknown; scopes?: unknown }>) {
      const resource = typeof perm?.resourceId === 'string' ? resourceOrDeleted(t.realm, perm.resourceId) : undefined;
      if (!resource) out.push(`ticket ${t.hash.slice(0, 8)}: resource ${String(perm?.resourceId)} never existed`);
      else if (resource !== 'deleted' && (resource.owner !== t.owner || resource.resourceServer !== t.resource_server)) out.push(`ticket ${t.hash.slice(0, 8)}: resource ${String(perm.resourceId)} is not ${t.owner}'s at ${t.resource_server}`);
    }
  }

  for (const t of await db.selectFrom('tokens').selectAll().execute()) {
    const data = parse(t.data, `token ${t.id.slice(0, 8)} data`, out);
    if (typeof data !== 'object' || data === null) out.push(`token ${t.id.slice(0, 8)}: data is not an object`);
    if (Number(t.revoked) === 1) continue;
    if (!clients.has(key(t.realm, t.client_id))) out.push(`live ${t.kind} token ${t.id.slice(0, 8)}: client ${t.client_id} does not exist`);
    if (!party(t.realm, t.subject)) out.push(`live ${t.kind} token ${t.id.slice(0, 8)}: subject ${t.subject} is neither a user nor a client`);
  }
  for (const s of await db.selectFrom('sessions').selectAll().execute()) {
    if (!users.has(key(s.realm, s.user_id))) out.push(`session of ${s.user_id}: the user does not exist`);
  }
  for (const a of await db.selectFrom('access_requests').selectAll().execute()) {
    if (!users.has(key(a.realm, a.owner))) out.push(`access request ${a.id}: owner ${a.owner} does not exist`);
    const resource = resourceOrDeleted(a.realm, a.resource_id);
    if (!resource) out.push(`access request ${a.id}: resource ${a.resource_id} never existed`);
    else if (resource !== 'deleted' && resource.owner !== a.owner) out.push(`access request ${a.id}: resource ${a.resource_id} is not ${a.owner}'s`);
    if (!['pending', 'approved', 'denied'].includes(a.status)) out.push(`access request ${a.id}: status ${a.status}`);
    if (!isStringList(parse(a.scopes, `access request ${a.id} scopes`, out))) out.push(`access request ${a.id}: scopes are not a list of strings`);
  }

  const events = new Map((await db.selectFrom('audit_events').select(['realm', 'id', 'type']).execute()).map((e) => [key(e.realm, e.id), e.type]));
  for (const o of await db.selectFrom('outbox').selectAll().execute()) {
    const type = events.get(key(o.realm, o.event_id));
    if (type === undefined) out.push(`outbox ${o.id}: event ${o.event_id} does not exist`);
    else if (type !== o.event_type) out.push(`outbox ${o.id}: event type ${o.event_type}, the event is ${type}`);
    parse(o.payload, `outbox ${o.id} payload`, out);
  }
  for (const w of await db.selectFrom('webhooks').selectAll().execute()) {
    if (!isStringList(parse(w.events, `webhook ${w.id} events`, out))) out.push(`webhook ${w.id}: events are not a list of strings`);
  }

  const groups = new Set((await db.selectFrom('groups').select(['realm', 'id']).execute()).map((g) => key(g.realm, g.id)));
  for (const m of await db.selectFrom('group_members').selectAll().execute()) {
    if (!groups.has(key(m.realm, m.group_id))) out.push(`group member ${m.user_id}: group ${m.group_id} does not exist`);
    if (!users.has(key(m.realm, m.user_id))) out.push(`group ${m.group_id}: member ${m.user_id} does not exist`);
  }
  for (const a of await db.selectFrom('organization_admins').selectAll().execute()) {
    if (!organizations.has(key(a.realm, a.org_id))) out.push(`organization admin ${a.user_id}: organization ${a.org_id} does not exist`);
    if (!users.has(key(a.realm, a.user_id))) out.push(`organization ${a.org_id}: admin ${a.user_id} does not exist`);
  }
  for (const c of await db.selectFrom('organization_clients').selectAll().execute()) {
    if (!organizations.has(key(c.realm, c.org_id))) out.push(`organization client ${c.client_id}: organization ${c.org_id} does not exist`);
    if (!clients.has(key(c.realm, c.client_id))) out.push(`organization ${c.org_id}: client ${c.client_id} does not exist`);
  }

  for (const c of await db.selectFrom('resource_server_configs').selectAll().execute()) {
    parse(c.scopes, `resource server ${c.resource_server} scopes`, out);
    parse(c.types, `resource server ${c.resource_server} types`, out);
  }
  for (const realm of realms) {
    const live = await db.selectFrom('keys').select('kid').where('realm', '=', realm).where('retired_at', 'is', null).execute();
    if (live.length === 0) out.push(`realm ${realm}: no signing key left`);
  }
  return out;
}
