/**
 * @module services/claims-gathering
 * Interactive claims gathering at the claims interaction endpoint (UMA Grant §3.3.2, §3.3.3, §5.1).
 * The client and its claims redirect URI are checked first: when either is wrong the caller shows an
 * error page and never redirects. Later errors go back to the validated claims redirect URI. The
 * presented ticket is only read while the user signs in and looks at the consent page; the answer
 * (confirm or refuse) spends it, and a confirmation writes a successor ticket that identifies the
 * signed-in user as the requesting party. Whose resources the ticket is about (the owner's username,
 * the resources' names and scopes) is told only to a signed-in user (`describeClaimsTicket`): the
 * ticket travels in the address bar, and holding it proves nothing about who holds it.
 */
import { fail, type StewardError } from '../errors.ts';
import { UMA_GRANT_TYPE, type Client } from '../model/client.ts';
import type { Realm } from '../model/realm.ts';
import type { Ticket } from '../model/ticket.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';
import { newOpaque, opaqueKey } from './opaque-tokens.ts';

const MAX_STATE = 2048;
const MAX_TICKET = 512;

/** The raw parameters of a claims interaction request, as sent (UMA Grant §3.3.2). */
export interface ClaimsParams {
  clientId?: string | undefined;
  ticket?: string | undefined;
  claimsRedirectUri?: string | undefined;
  state?: string | undefined;
  /** Names of parameters sent more than once (their value is not used). */
  repeated: readonly string[];
}

/** A resource named by the ticket, as the consent page shows it to the signed-in user. */
export interface ClaimsResource {
  name: string;
  scopes: string[];
}

/** A validated claims interaction request. */
export interface ClaimsRequest {
  client: Client;
  /** Where the answer goes: the claims redirect URI sent, or the only one registered. */
  redirectUri: string;
  state?: string | undefined;
  /** The presented ticket string (still unspent). */
  ticket: string;
  /** What the ticket is about, for `describeClaimsTicket` only. */
  about: Pick<Ticket, 'owner' | 'permissions'>;
}

/** Whose resources a ticket is about, for the signed-in user's consent page. */
export interface ClaimsTicketDescription {
  /** The username of the owner whose resources the ticket names (null if she is gone). */
  ownerName: string | null;
  resources: ClaimsResource[];
}

export type ClaimsCheck =
  | { ok: true; request: ClaimsRequest }
  | { ok: false; error: StewardError; redirect: null }
  | { ok: false; error: StewardError; redirect: { uri: string; state?: string | undefined } };

/** The claims a confirmed interaction records on the successor ticket. */
export interface GatheredClaims {
  sub: string;
  preferred_username: string;
  email?: string;
  /** The client they were gathered for: other clients cannot use them (services/pct). */
  client_id: string;
  /** Whether the user agreed to be remembered: false means the grant issues no PCT for them. */
  pct_consent: boolean;
  /** When the user confirmed (seconds since the epoch). */
  gathered_at: number;
}

const TICKET_GONE = 'The permission ticket is unknown, expired or already used';

export async function checkClaimsRequest(ports: Ports, realm: Realm, params: ClaimsParams): Promise<ClaimsCheck> {
  const page = (error: StewardError): ClaimsCheck => ({ ok: false, error, redirect: null });

  if (params.repeated.includes('client_id')) return page(fail('invalid_request', 'Parameter client_id is repeated'));
  if (params.clientId === undefined) return page(fail('invalid_request', 'client_id is required'));
  const client = params.clientId.length <= 255 ? await ports.store.clients.get(realm.id, params.clientId) : null;
  if (!client || client.disabled) return page(fail('invalid_request', 'Unknown client'));

  if (params.repeated.includes('claims_redirect_uri')) return page(fail('invalid_request', 'Parameter claims_redirect_uri is repeated'));
  let redirectUri: string;
  if (params.claimsRedirectUri !== undefined) {
    // Exact string comparison, no normalisation; ordinary redirect URIs do not count (UMA Grant §3.3.2).
    if (!client.claimsRedirectUris.includes(params.claimsRedirectUri)) return page(fail('invalid_request', 'claims_redirect_uri is not registered for this client'));
    redirectUri = params.claimsRedirectUri;
  } else {
    if (client.claimsRedirectUris.length !== 1) return page(fail('invalid_request', 'claims_redirect_uri is required'));
    redirectUri = client.claimsRedirectUris[0]!;
  }

  // From here on the claims redirect URI is trusted: errors go back to the client.
  const state = params.state !== undefined && params.state.length <= MAX_STATE ? params.state : undefined;
  const back = (error: StewardError): ClaimsCheck => ({ ok: false, error, redirect: { uri: redirectUri, state } });

  if (params.repeated.length > 0) return back(fail('invalid_request', `Parameter ${params.repeated[0]} is repeated`));
  if (!client.grantTypes.includes(UMA_GRANT_TYPE)) return back(fail('unauthorized_client', 'Client is not allowed the UMA grant'));
  if (params.state !== undefined && state === undefined) return back(fail('invalid_request', `state is longer than ${MAX_STATE} characters`));
  if (params.ticket === undefined) return back(fail('invalid_request', 'ticket is required'));
  const ticket = params.ticket.length > MAX_TICKET ? null : await ports.store.tickets.get(realm.id, opaqueKey(ports, params.ticket), ports.clock.now());
  if (!ticket) return back(fail('invalid_request', TICKET_GONE));

  return { ok: true, request: { client, redirectUri, state, ticket: params.ticket, about: { owner: ticket.owner, permissions: ticket.permissions } } };
}

/** Whose resources the request's ticket is about: only for a signed-in user (the consent page). */
export async function describeClaimsTicket(ports: Ports, realm: Realm, request: ClaimsRequest, _signedIn: User): Promise<ClaimsTicketDescription> {
  const { owner: ownerId, permissions } = request.about;
  const owner = await ports.store.users.get(realm.id, ownerId);
  const found = await ports.store.resources.getMany(realm.id, ownerId, permissions.map((p) => p.resourceId));
  const names = new Map(found.map((r) => [r.id, r.name ?? r.id]));
  const resources = permissions.filter((p) => names.has(p.resourceId)).map((p) => ({ name: names.get(p.resourceId)!, scopes: p.scopes }));
  return { ownerName: owner?.username ?? null, resources };
}

/** The claims recorded about `user` for `client`: identity only, gathered fresh (never merged with older ones). */
export function gatheredClaims(user: User, client: Client, pctConsent: boolean, now: number): GatheredClaims {
  const claims: GatheredClaims = { sub: user.id, preferred_username: user.username, client_id: client.clientId, pct_consent: pctConsent, gathered_at: now };
  if (user.email !== null) claims.email = user.email;
  return claims;
}

/**
 * The signed-in user confirmed: spends the presented ticket and writes, in the same transaction, a
 * successor with the same owner and permissions that carries the gathered claims. Returns the new
 * ticket string, or throws `invalid_request` when the ticket was spent or expired meanwhile.
 */
export async function confirmClaims(ports: Ports, realm: Realm, request: ClaimsRequest, user: User, pctConsent: boolean): Promise<string> {
  const { token, key } = newOpaque(ports);
  const now = ports.clock.now();
  const claims = gatheredClaims(user, request.client, pctConsent, now);
  const written = await ports.store.transaction(async (tx) => {
    const old = await tx.tickets.consume(realm.id, opaqueKey(ports, request.ticket), now);
    if (!old) return false;
    const next: Ticket = { ...old, hash: key, claims: { ...claims }, createdAt: now, expiresAt: now + realm.settings.ticketLifetime };
    await tx.tickets.insert(next);
    return true;
  });
  if (!written) throw fail('invalid_request', TICKET_GONE);
  return token;
}

/** The user refused: the ticket is spent all the same (UMA Grant §5.5); no successor is written. */
export async function refuseClaims(ports: Ports, realm: Realm, request: ClaimsRequest): Promise<void> {
  await ports.store.tickets.consume(realm.id, opaqueKey(ports, request.ticket), ports.clock.now());
}
