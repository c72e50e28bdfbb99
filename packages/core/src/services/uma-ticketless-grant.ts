/**
 * @module services/uma-ticketless-grant
 * Keycloak's extension of the UMA grant: no ticket, the resource server named by `audience`, the
 * resources by `permission=RES[#scopes]` (an id, else a name among the party's and the server's own).
 * The assessment is the UMA grant's own (`decide`, the same policies and re-shares); the answer is a
 * list of permissions, a bare decision, or an RPT. Unlike Keycloak, a list or a decision is refused
 * (fail-closed) when any explicitly requested scope is not granted.
 */
import { decide, type RequestingParty } from '../decision/decide.ts';
import { difference, distinct, intersect } from '../decision/scopes.ts';
import { fail, StewardError } from '../errors.ts';
import type { GlobCounter } from '../decision/glob.ts';
import type { Client } from '../model/client.ts';
import type { Policy } from '../model/policy.ts';
import type { GrantedPermission } from '../model/permission.ts';
import type { Realm } from '../model/realm.ts';
import type { Resource } from '../model/resource.ts';
import { rptIssuedEvents } from './grant-events.ts';
import { issueRpt } from './issue-tokens.ts';
import { matchingResources, resourceHasUri, uriMatchBudget } from './keycloak-resources.ts';
import type { KeycloakPermission, RequestedPermission } from './keycloak-permissions.ts';
import { withMemberships } from './party-subjects.ts';
import { loadEvaluation } from './policy-sharing.ts';
import type { Ports } from './ports.ts';
import { publishEvents } from './publish-events.ts';
import { submitAccessRequests, submitsAccessRequests } from './submit-access-requests.ts';

export type TicketlessResponseMode = 'permissions' | 'decision' | 'token';

export interface TicketlessGrantRequest {
  realm: Realm;
  /** The client asking (authenticated, or identified by the bearer token), allowed the UMA grant. */
  client: Client;
  /**
   * Who the permissions are for: the subject token's or bearer token's subject, else the client itself
   * (`clientParty`); null for a public client without its user, which is refused.
   */
  party: RequestingParty | null;
  /** Client id of the resource server whose resources are named. */
  audience: string;
  permissions: RequestedPermission[];
  /** Extra scopes added to every requested permission (Keycloak's `scope`). */
  scopes: string[];
  mode: TicketlessResponseMode;
  includeResourceName: boolean;
  /** Keep at most this many permissions in the answer. */
  limit?: number;
  /** Keycloak's `submit_request`: record an access request for the owner when refused (only where the realm records them); absent, false. */
  submitRequest?: boolean | undefined;
  /** `uri`: each `permission` names a resource by one of its `uris` (patterns too with `matchingUri`). */
  resourceFormat?: 'id' | 'uri';
  matchingUri?: boolean;
}

export type TicketlessGrantResult =
  | { mode: 'permissions'; permissions: KeycloakPermission[] }
  | { mode: 'decision' }
  | { mode: 'token'; accessToken: string; expiresIn: number };

/** The request with its party known, memberships included, and the URI-matching budget all its permissions share. */
type Asked = TicketlessGrantRequest & { party: RequestingParty; uriBudget: GlobCounter };

/** A resolved permission: the resource and the scopes asked (all it offers when none were named). */
interface Wanted {
  resource: Resource;
  scopes: string[];
  explicit: boolean;
}

/** Runs the ticketless grant. Refusals: 400 for what cannot be resolved, 403 `access_denied` otherwise. */
export async function umaTicketlessGrant(ports: Ports, input: TicketlessGrantRequest): Promise<TicketlessGrantResult> {
  const { realm, client } = input;
  // A public client is no party by itself: without its user's token it holds nothing.
  if (!input.party) throw fail('access_denied', 'not_authorized');
  // Its groups or organization, read now: a membership counts from this grant on.
  const party = await withMemberships(ports.store, realm.id, input.party);
  const longest = input.permissions.reduce((a, p) => (p.resource.length > a.length ? p.resource : a), '');
  const req: Asked = { ...input, party, uriBudget: uriMatchBudget(longest) };
  const server = req.audience.length <= 255 ? await ports.store.clients.get(realm.id, req.audience) : null;
  if (!server || server.disabled) throw fail('invalid_request', `Unknown resource server id: ${req.audience.slice(0, 100)}`);

  const wanted = mergeWanted(await Promise.all(req.permissions.map((p) => resolve(ports, req, p))));
  const { granted, policies } = await assess(ports, req, wanted);

  const missing = wanted.map((w) => ({ w, absent: difference(w.scopes, granted.get(w.resource.id) ?? []) }));
  const anyGranted = wanted.some((w) => (granted.get(w.resource.id) ?? []).length > 0);
  // Fail-closed where the client reads the answer as a yes/no for everything it asked.
  const complete = missing.every(({ w, absent }) => (w.explicit ? absent.length === 0 : (granted.get(w.resource.id) ?? []).length > 0));
  if (!anyGranted || (req.mode !== 'token' && !complete)) {
    const recorded = submitsAccessRequests(realm, req.submitRequest, true) ? await recordRequests(ports, req, missing, policies) : false;
    throw fail('access_denied', recorded ? 'request_submitted' : 'not_authorized');
  }

  let permissions: GrantedPermission[] = wanted
    .filter((w) => (granted.get(w.resource.id) ?? []).length > 0)
    .map((w) => ({ resourceId: w.resource.id, scopes: granted.get(w.resource.id)!, owner: w.resource.owner, resourceServer: w.resource.resourceServer }));
  if (req.limit !== undefined) permissions = permissions.slice(0, req.limit);
  const names = new Map(wanted.map((w) => [w.resource.id, w.resource.name]));
  const wire = permissions.map((p) => keycloakPermission(p, req.includeResourceName ? names.get(p.resourceId) : null));

  if (req.mode === 'permissions') return { mode: 'permissions', permissions: wire };
  if (req.mode === 'decision') return { mode: 'decision' };
  // Every resource is the `audience` resource server's, so that is the RPT's `aud` (issueRpt), whoever asked.
  const rpt = await issueRpt(ports, { realm, client, subject: party.subject, ...(party.kind === 'user' ? { username: party.username } : {}), permissions, grantId: ports.random.uuid(), claims: { authorization: { permissions: wire } }, deferRecord: true });
  // The RPT and its events commit together (a yes/no answer in the other modes issues nothing and publishes nothing).
  const events = rptIssuedEvents(ports, { realm: realm.id, requester: party.subject, clientId: client.clientId }, permissions, wanted.map((w) => w.resource), rpt.record.id);
  await ports.store.transaction(async (tx) => {
    await tx.tokens.insert(rpt.record);
    await publishEvents(tx, events);
  });
  return { mode: 'token', accessToken: rpt.token, expiresIn: rpt.expiresIn };
}

/**
 * Keycloak's `{rsid, rsname, scopes}`, empty members left out. Never `claims`: pushed claims are
 * unverified and no policy reads them, so nothing signed or answered repeats them (docs/decisions.md).
 */
function keycloakPermission(p: GrantedPermission, name: string | null | undefined): KeycloakPermission {
  const out: KeycloakPermission = { rsid: p.resourceId };
  if (name) out.rsname = name;
  if (p.scopes.length > 0) out.scopes = p.scopes;
  return out;
}

/**
 * The resource a `permission` names: the resource server's resource with that id, else the one
 * resource of that name the party owns, else the one the resource server registered as its own (as
 * Keycloak looks them up). Unlike Keycloak, never one shared with the party: whoever shares may choose
 * any name, so a share could capture the lookup or make it ambiguous; shared resources are named by id.
 */
async function resolve(ports: Ports, req: Asked, p: RequestedPermission): Promise<Wanted> {
  const { realm, party, audience } = req;
  let resource = req.resourceFormat === 'uri' ? await byUri(ports, req, p.resource) : await ports.store.resources.getByServer(realm.id, audience, p.resource);
  if (!resource && req.resourceFormat !== 'uri') {
    const named = await ports.store.resources.findByName(realm.id, audience, p.resource, [party.subject, audience]);
    // The party's own first, then the resource server's.
    const own = named.filter((r) => r.owner === party.subject);
    const found = own.length > 0 ? own : named;
    if (found.length > 1) throw fail('invalid_request', `More than one resource named ${p.resource.slice(0, 100)}: name it by id`);
    resource = found[0] ?? null;
  }
  if (!resource) throw fail('invalid_resource_id', `Resource with id [${p.resource.slice(0, 100)}] does not exist.`);
  const scopes = distinct([...p.scopes, ...req.scopes.filter((s) => resource!.scopes.includes(s))]);
  const unknown = scopes.find((s) => !resource!.scopes.includes(s));
  if (unknown !== undefined) throw fail('invalid_scope', `Scope ${unknown.slice(0, 100)} is not offered by resource ${resource.id}`);
  return { resource, scopes: scopes.length > 0 ? scopes : [...resource.scopes], explicit: scopes.length > 0 };
}

/**
 * The one resource of the party's own or the resource server's (at this resource server) with this
 * URI: exact matches first, then patterns when asked. Shared resources are named by id. The owners'
 * resources are read a page at a time, and the search stops at the second match (ambiguous).
 */
async function byUri(ports: Ports, req: Asked, uri: string): Promise<Resource | null> {
  const find = async (matching: boolean): Promise<Resource[]> => {
    const found: Resource[] = [];
    for (const owner of distinct([req.party.subject, req.audience])) {
      const caller = { realm: req.realm.id, owner, resourceServer: req.audience };
      for await (const r of matchingResources(ports, caller, { exactName: false, matchingUri: false })) if (resourceHasUri(r, uri, matching, req.uriBudget) && found.push(r) > 1) return found;
    }
    return found;
  };
  let found = await find(false);
  if (found.length === 0 && req.matchingUri) found = await find(true);
  if (found.length > 1) throw fail('invalid_request', `More than one resource has the URI ${uri.slice(0, 100)}: name it by id`);
  return found[0] ?? null;
}

/** One entry per resource: scopes united; explicit when any entry named scopes (and then only those count). */
function mergeWanted(list: Wanted[]): Wanted[] {
  const byId = new Map<string, Wanted>();
  for (const w of list) {
    const seen = byId.get(w.resource.id);
    if (!seen) byId.set(w.resource.id, { ...w, scopes: [...w.scopes] });
    else if (w.explicit && seen.explicit) seen.scopes = distinct([...seen.scopes, ...w.scopes]);
    else if (w.explicit) byId.set(w.resource.id, { ...w, scopes: [...w.scopes] });
  }
  return [...byId.values()];
}

/** Granted scopes per resource id, assessed owner by owner with the UMA grant's `decide`. */
async function assess(ports: Ports, req: Asked, wanted: Wanted[]): Promise<{ granted: Map<string, string[]>; policies: Policy[] }> {
  const { realm, party, client } = req;
  const byOwner = new Map<string, Wanted[]>();
  for (const w of wanted) byOwner.set(w.resource.owner, [...(byOwner.get(w.resource.owner) ?? []), w]);
  const granted = new Map<string, string[]>();
  const loaded: Policy[] = [];
  for (const [owner, list] of byOwner) {
    const resources = list.map((w) => w.resource);
    const { graph, context } = await loadEvaluation(ports.store, { realm: realm.id, owner, resources, party, context: { now: ports.clock.now(), clientId: client.clientId, resharing: realm.settings.resharing !== false } });
    loaded.push(...graph.policies);
    const decision = decide({
      owner,
      permissions: list.map((w) => ({ resourceId: w.resource.id, scopes: w.scopes })),
      resources,
      policies: graph.policies,
      party,
      clientRegistered: [],
      clientRequested: [],
      accessRequests: false,
      context,
    });
    if (decision.kind !== 'permit') continue;
    for (const p of decision.permissions) granted.set(p.resourceId, intersect(p.scopes, list.find((w) => w.resource.id === p.resourceId)!.scopes));
  }
  return { granted, policies: loaded };
}

/**
 * Records what is missing as pending access requests, owner by owner, through the access-request service
 * (events, and the owner's standing denials respected); true when any was recorded.
 */
async function recordRequests(ports: Ports, req: Asked, missing: Array<{ w: Wanted; absent: string[] }>, policies: readonly Policy[]): Promise<boolean> {
  const { realm, party, client } = req;
  if (party.kind !== 'user') return false;
  const byOwner = new Map<string, Array<{ w: Wanted; absent: string[] }>>();
  for (const m of missing) {
    if (m.absent.length === 0 || m.w.resource.owner === party.subject) continue;
    byOwner.set(m.w.resource.owner, [...(byOwner.get(m.w.resource.owner) ?? []), m]);
  }
  let recorded = false;
  for (const [owner, list] of byOwner) {
    try {
      await submitAccessRequests(ports, {
        realm: realm.id,
        owner,
        requester: party.subject,
        clientId: client.clientId,
        requests: list.map(({ w, absent }) => ({ resourceId: w.resource.id, scopes: absent, owner, resourceServer: w.resource.resourceServer })),
        resources: list.map(({ w }) => w.resource),
        policies,
      });
      recorded = true;
    } catch (e) {
      // The owner already denied these: refused as not authorized.
      if (!(e instanceof StewardError && e.code === 'request_denied')) throw e;
    }
  }
  return recorded;
}
