/**
 * @module services/pct
 * Persisted claims: the PCT (UMA Grant §3.3.5: an opaque reference, stored by hash, bound to the
 * client it was issued to, §5.2) and the claims a ticket gathered during its authorization process.
 * Both resolve to the requesting party they identify.
 */
import { fail } from '../errors.ts';
import type { Client } from '../model/client.ts';
import type { Realm } from '../model/realm.ts';
import type { Ticket } from '../model/ticket.ts';
import type { TokenRecord } from '../model/token.ts';
import type { RequestingParty } from '../decision/decide.ts';
import { issueOpaque } from './issue-tokens.ts';
import type { Ports } from './ports.ts';
import { opaqueKey } from './opaque-tokens.ts';

/** The claims a PCT or a successor ticket keeps about an identified requesting party. */
export interface PartyClaims {
  sub: string;
  preferred_username: string;
  /** On tickets: the client the claims were gathered for; other clients cannot use them. */
  client_id?: string;
}

/** The claims kept for a user party; `clientId` binds them to one client (successor tickets). */
export function claimsOf(party: RequestingParty & { kind: 'user' }, clientId?: string): PartyClaims {
  const claims: PartyClaims = { sub: party.subject, preferred_username: party.username };
  if (clientId !== undefined) claims.client_id = clientId;
  return claims;
}

function userParty(claims: Record<string, unknown> | undefined): (RequestingParty & { kind: 'user' }) | null {
  if (!claims || typeof claims.sub !== 'string' || typeof claims.preferred_username !== 'string') return null;
  return { kind: 'user', subject: claims.sub, username: claims.preferred_username };
}

/**
 * The party a presented PCT stands for. A PCT issued to another client is an `invalid_grant`; an
 * unknown, expired or revoked one counts as absent (null).
 */
export async function partyFromPct(ports: Ports, realm: string, client: Client, pct: string): Promise<(RequestingParty & { kind: 'user' }) | null> {
  if (pct.length > 512) return null;
  const record = await ports.store.tokens.get(realm, opaqueKey(ports, pct));
  if (!record || record.kind !== 'pct') return null;
  if (record.clientId !== client.clientId) throw fail('invalid_grant', 'The pct was issued to another client');
  if (record.revoked || record.expiresAt <= ports.clock.now()) return null;
  const party = userParty(record.data.claims);
  if (!party) return null;
  // Persisted claims speak for a user only while that user exists and is enabled.
  const user = await ports.store.users.get(realm, party.subject);
  return user && !user.disabled ? { kind: 'user', subject: user.id, username: user.username } : null;
}

/**
 * The party identified by the claims a ticket gathered (claims interaction, or a previous grant
 * attempt). Claims gathered for another client are ignored. The user must still exist and be enabled.
 */
export async function partyFromTicket(ports: Ports, realm: string, ticket: Ticket, client: Client): Promise<RequestingParty | null> {
  const claims = ticket.claims;
  if (typeof claims.sub !== 'string') return null;
  if (claims.client_id !== undefined && claims.client_id !== client.clientId) return null;
  const user = await ports.store.users.get(realm, claims.sub);
  return user && !user.disabled ? { kind: 'user', subject: user.id, username: user.username } : null;
}

/**
 * Whether the grant may mint a PCT for the party: not when the ticket's claims were gathered at the
 * claims interaction endpoint for this very user and she declined to be remembered (`pct_consent`).
 */
export function pctConsented(ticket: Ticket, party: RequestingParty): boolean {
  return !(ticket.claims.pct_consent === false && ticket.claims.sub === party.subject);
}

/** A new PCT for the party, not yet written (the caller writes the record with the RPT). */
export function newPct(ports: Ports, realm: Realm, client: Client, party: RequestingParty & { kind: 'user' }): Promise<{ token: string; record: TokenRecord }> {
  return issueOpaque(ports, {
    realm: realm.id,
    kind: 'pct',
    clientId: client.clientId,
    subject: party.subject,
    // Its own grant: revoking the RPT's refresh token must not revoke the persisted claims.
    grantId: ports.random.uuid(),
    lifetime: realm.settings.pctLifetime,
    data: { claims: { ...claimsOf(party) } },
    deferRecord: true,
  });
}
