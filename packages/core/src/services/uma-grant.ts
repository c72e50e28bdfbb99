/**
 * @module services/uma-grant
 * The UMA grant (`urn:ietf:params:oauth:grant-type:uma-ticket`, UMA Grant §3.3.1–§3.3.6): redeem a
 * permission ticket, identify the requesting party, assess the request, and issue an RPT — or answer
 * `need_info` / `request_submitted` with a successor ticket, or `request_denied`.
 */
import { fail, type StewardError } from '../errors.ts';
import type { Client } from '../model/client.ts';
import type { GrantedPermission } from '../model/permission.ts';
import type { Realm } from '../model/realm.ts';
import type { Ticket } from '../model/ticket.ts';
import type { TokenRecord } from '../model/token.ts';
import { checkRequestedScopes, decide, mergeGrantedPermissions, type RequestingParty } from '../decision/decide.ts';
import { distinct, splitScope } from '../decision/scopes.ts';
import { clientParty } from './client-party.ts';
import { claimsInteractionUri, isClaimTokenFormat, requiredClaims, userFromIdToken } from './claim-token.ts';
import { issueOpaque, issueRpt } from './issue-tokens.ts';
import { claimsOf, newPct, partyFromPct, partyFromTicket, pctConsented } from './pct.ts';
import { withMemberships } from './party-subjects.ts';
import { loadEvaluation } from './policy-sharing.ts';
import type { Ports } from './ports.ts';
import { presentedRpt, recheckOldRpt } from './rpt-upgrade.ts';
import { submitAccessRequests, submitsAccessRequests } from './submit-access-requests.ts';
import { grantDeniedEvents, rptIssuedEvents } from './grant-events.ts';
import { publication, publishEvents } from './publish-events.ts';
import type { Policy } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import { newOpaque, opaqueKey } from './opaque-tokens.ts';

/** The grant's parameters as received (absent ones undefined). */
export interface UmaGrantRequest {
  realm: Realm;
  /** The authenticated client, already allowed the UMA grant. */
  client: Client;
  ticket?: string | undefined;
  rpt?: string | undefined;
  pct?: string | undefined;
  claimToken?: string | undefined;
  claimTokenFormat?: string | undefined;
  scope?: string | undefined;
  /** The requesting party already identified by the caller (a public client's bearer user token, Keycloak style). */
  party?: RequestingParty | undefined;
  /** Keycloak's `submit_request`: `false` refuses with `request_denied` rather than record an access request; absent, the realm decides. */
  submitRequest?: boolean | undefined;
}

export interface UmaGrantResult {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  pct?: string;
  /** Present only when an `rpt` was presented: true when all its permissions were kept. */
  upgraded?: boolean;
}

/** What the assessment of a ticket decided, before anything is written. */
type Assessment =
  | { kind: 'permit'; party: RequestingParty; permissions: GrantedPermission[]; old: TokenRecord | null; pct: string | undefined; newPct: boolean; upgraded: boolean | undefined; resources: readonly Resource[] }
  | { kind: 'need_info'; description: string }
  | { kind: 'request_submitted'; party: RequestingParty; requests: GrantedPermission[]; resources: readonly Resource[]; policies: readonly Policy[] }
  | { kind: 'deny'; party: RequestingParty; resources: readonly Resource[] };

/**
 * Runs the UMA grant. Throws a StewardError for every refusal. The ticket is read first and spent by
 * the one commit that writes the outcome: with the RPT's records when one is issued (GrantStore.redeem),
 * before any other answer otherwise. Whatever happens after a well-formed request names a live
 * ticket, the ticket is spent (UMA Grant §5.5), and of concurrent requests with one ticket exactly one
 * gets its outcome; the others get `invalid_grant`.
 */
export async function umaGrant(ports: Ports, req: UmaGrantRequest): Promise<UmaGrantResult> {
  // Syntax first: a malformed request does not spend the ticket.
  if (req.ticket === undefined) throw fail('invalid_request', 'ticket is required');
  if ((req.claimToken === undefined) !== (req.claimTokenFormat === undefined)) {
    throw fail('invalid_request', 'claim_token and claim_token_format must be sent together');
  }
  const { realm, client } = req;
  const hash = req.ticket.length > 512 ? null : opaqueKey(ports, req.ticket);
  const ticket = hash === null ? null : await ports.store.tickets.get(realm.id, hash, ports.clock.now());
  if (!ticket || hash === null) throw unknownTicket();

  let assessment: Assessment;
  try {
    assessment = await assess(ports, req, ticket);
  } catch (error) {
    await spend(ports, realm.id, hash);
    throw error;
  }
  if (assessment.kind === 'permit') return issue(ports, { realm, client, ticketHash: hash, ...assessment });
  await spend(ports, realm.id, hash);
  switch (assessment.kind) {
    case 'need_info':
      throw await needInfo(ports, realm, ticket, ticket.claims, assessment.description);
    case 'request_submitted':
      throw await requestSubmitted(ports, realm, client, ticket, assessment.party, assessment.requests, assessment);
    case 'deny':
      await publishEvents(ports.store, grantDeniedEvents(ports, { realm: realm.id, requester: assessment.party.subject, clientId: client.clientId }, ticket.owner, ticket.permissions, assessment.resources));
      throw fail('request_denied', 'The requesting party is not authorized for these permissions');
  }
}

function unknownTicket(): StewardError {
  return fail('invalid_grant', 'The permission ticket is unknown, expired or already used');
}

/** Spends the ticket before an answer other than an RPT; `invalid_grant` when another request spent it first. */
async function spend(ports: Ports, realm: string, hash: string): Promise<void> {
  if (!(await ports.store.tickets.consume(realm, hash, ports.clock.now()))) throw unknownTicket();
}

/** Identifies the requesting party and decides, reading only. */
async function assess(ports: Ports, req: UmaGrantRequest, ticket: Ticket): Promise<Assessment> {
  const { realm, client } = req;
  const old = req.rpt === undefined ? null : await presentedRpt(ports, realm.id, client, req.rpt);
  const fromPct = req.pct === undefined ? null : await partyFromPct(ports, realm.id, client, req.pct);

  let party: RequestingParty | null = null;
  if (req.claimToken !== undefined) {
    if (!isClaimTokenFormat(req.claimTokenFormat!)) return { kind: 'need_info', description: 'Unsupported claim_token_format' };
    const user = await userFromIdToken(ports, realm.id, client.clientId, req.claimToken);
    if (!user) return { kind: 'need_info', description: 'The claim token is invalid, expired or not issued to this client' };
    party = { kind: 'user', subject: user.id, username: user.username };
  }
  party ??= req.party ?? fromPct ?? (await partyFromTicket(ports, realm.id, ticket, client)) ?? clientParty(client);
  // A public client is no party by itself: it must bring its user (claims gathering, UMA Grant §3.3.6).
  if (!party) return { kind: 'need_info', description: 'A public client needs claims identifying the requesting party' };
  // Its groups (a user) or organization (a client acting for itself), read now: membership counts from this grant on.
  party = await withMemberships(ports.store, realm.id, party);

  const ticketIds = distinct(ticket.permissions.map((p) => p.resourceId));
  const oldIds = (old?.data.permissions ?? []).filter((p) => p.owner === ticket.owner).map((p) => p.resourceId);
  const resources = await ports.store.resources.getMany(realm.id, ticket.owner, distinct([...ticketIds, ...oldIds]));
  const wanted = new Set(ticketIds);
  const ticketResources = resources.filter((r) => wanted.has(r.id));
  if (ticketResources.length === 0) throw fail('invalid_grant', 'The resources of the permission ticket no longer exist');

  const clientRequested = splitScope(req.scope);
  checkRequestedScopes(clientRequested, ticketResources, client.umaScopes);

  const { graph, context } = await loadEvaluation(ports.store, {
    realm: realm.id,
    owner: ticket.owner,
    resources,
    party,
    context: { now: ports.clock.now(), clientId: client.clientId, resharing: realm.settings.resharing !== false },
  });
  const policies = graph.policies;
  const decision = decide({
    owner: ticket.owner,
    permissions: ticket.permissions,
    resources: ticketResources,
    policies,
    party,
    clientRegistered: client.umaScopes,
    clientRequested,
    accessRequests: submitsAccessRequests(realm, req.submitRequest, false),
    context,
  });

  switch (decision.kind) {
    case 'need_info':
      return { kind: 'need_info', description: 'Claims identifying the requesting party are needed' };
    case 'request_submitted':
      return { kind: 'request_submitted', party, requests: decision.requests, resources: ticketResources, policies };
    case 'deny':
      return { kind: 'deny', party, resources: ticketResources };
    case 'permit':
      break;
  }

  let permissions = decision.permissions;
  let upgraded: boolean | undefined;
  if (old) {
    const recheck = await recheckOldRpt(ports, { realm: realm.id, old, party, owner: ticket.owner, resources, policies, context });
    permissions = mergeGrantedPermissions(recheck.kept, permissions);
    upgraded = recheck.complete;
  }
  return { kind: 'permit', party, permissions, old, pct: fromPct && fromPct.subject === party.subject ? req.pct : undefined, newPct: pctConsented(ticket, party), upgraded, resources };
}

/** Writes a successor ticket (same owner and permissions, fresh expiry) and returns its string. */
async function successorTicket(ports: Ports, realm: Realm, ticket: Ticket, claims: Record<string, unknown>): Promise<string> {
  const { token, key } = newOpaque(ports);
  const now = ports.clock.now();
  await ports.store.tickets.insert({ ...ticket, hash: key, claims, createdAt: now, expiresAt: now + realm.settings.ticketLifetime });
  return token;
}

async function needInfo(ports: Ports, realm: Realm, ticket: Ticket, claims: Record<string, unknown>, description: string): Promise<StewardError> {
  const issuer = ports.issuer(realm.id);
  return fail('need_info', description, {
    ticket: await successorTicket(ports, realm, ticket, claims),
    required_claims: requiredClaims(issuer),
    redirect_user: claimsInteractionUri(issuer),
  });
}

/** Records one pending access request per resource for the owner, and rotates the ticket. */
async function requestSubmitted(
  ports: Ports,
  realm: Realm,
  client: Client,
  ticket: Ticket,
  party: RequestingParty,
  requests: GrantedPermission[],
  loaded: { resources: readonly Resource[]; policies: readonly Policy[] },
): Promise<StewardError> {
  // request_denied instead when the owner already denied all of it (services/submit-access-requests).
  await submitAccessRequests(ports, { realm: realm.id, owner: ticket.owner, requester: party.subject, clientId: client.clientId, requests, ...loaded });
  // The successor remembers who asked, so polling with it alone is enough.
  const claims = party.kind === 'user' ? { ...ticket.claims, ...claimsOf(party, client.clientId) } : ticket.claims;
  return fail('request_submitted', 'The resource owner has been asked to approve this request', {
    ticket: await successorTicket(ports, realm, ticket, claims),
    interval: realm.settings.pollInterval,
  });
}

/** Signs the RPT and writes it, its refresh token and a PCT (user parties only), revoking an upgraded RPT. */
async function issue(
  ports: Ports,
  input: { realm: Realm; client: Client; ticketHash: string; party: RequestingParty; permissions: GrantedPermission[]; old: TokenRecord | null; pct: string | undefined; newPct: boolean; upgraded: boolean | undefined; /** For names in the events. */ resources?: readonly Resource[] },
): Promise<UmaGrantResult> {
  const { realm, client, party, permissions } = input;
  const grantId = ports.random.uuid();
  const rpt = await issueRpt(ports, { realm, client, subject: party.subject, ...(party.kind === 'user' ? { username: party.username } : {}), permissions, grantId, deferRecord: true });
  const records: TokenRecord[] = [rpt.record];
  const result: UmaGrantResult = { accessToken: rpt.token, expiresIn: rpt.expiresIn };
  if (party.kind === 'user') {
    if (client.rptRefreshTokens) {
      const refresh = await issueOpaque(ports, {
        realm: realm.id,
        kind: 'refresh',
        clientId: client.clientId,
        subject: party.subject,
        grantId,
        lifetime: realm.settings.refreshTokenLifetime,
        data: { permissions },
        deferRecord: true,
      });
      records.push(refresh.record);
      result.refreshToken = refresh.token;
    }
    if (input.pct !== undefined) result.pct = input.pct;
    else if (input.newPct) {
      const pct = await newPct(ports, realm, client, party);
      records.push(pct.record);
      result.pct = pct.token;
    }
  }
  if (input.upgraded !== undefined) result.upgraded = input.upgraded;
  const old = input.old;
  const events = rptIssuedEvents(ports, { realm: realm.id, requester: party.subject, clientId: client.clientId }, permissions, input.resources ?? [], rpt.record.id);
  // One commit spends the ticket and writes the records, the revocation of an upgraded RPT (a new RPT
  // string is always issued, UMA Grant §3.3.5.1) and the events: all or nothing, and only for the one
  // request that spends the ticket. Signed strings of a losing request are never recorded nor shown.
  const redeemed = await ports.store.grants.redeem(realm.id, input.ticketHash, ports.clock.now(), { tokens: records, revoke: old ? [old.id] : [], ...(await publication(ports.store, events)) });
  if (!redeemed) throw unknownTicket();
  return result;
}
