/**
 * @module services/keycloak-party
 * Who asks in Keycloak's style of the UMA grant: the subject of a user's access token, passed as
 * `subject_token` by a resource server (keycloak-connect's enforcer) or as the bearer token of a
 * public client (keycloak-js, the enforcer in public-client mode).
 */
import type { RequestingParty } from '../decision/decide.ts';
import { fail } from '../errors.ts';
import type { Client } from '../model/client.ts';
import { clientParty } from './client-party.ts';
import type { Ports } from './ports.ts';
import { MAX_TOKEN_LENGTH, verifyJwt, type ActiveToken } from './verify-token.ts';

/** The party an access token speaks for, and the client it was issued to. */
export interface TokenParty {
  party: RequestingParty;
  /** The token's client (`azp`), enabled. */
  client: Client;
}

/**
 * Whether the token may be presented by this client: it was issued to it (`azp`), or its `aud` names
 * it (RFC 9700 §2.3: a token is for its audience; RFC 8693 leaves the rest to the server).
 */
function presentableBy(active: ActiveToken, clientId: string): boolean {
  if (active.record.clientId === clientId) return true;
  const aud = active.claims.aud;
  return aud === clientId || (Array.isArray(aud) && aud.includes(clientId));
}

/**
 * The requesting party of an active access token of this realm: its user (enabled), or its client
 * when a confidential client holds the token for itself. With `presenter` (a `subject_token`), the
 * token must be issued to that client or name it in `aud`. `invalid_grant` for anything else (RPTs
 * included).
 */
export async function partyFromAccessToken(ports: Ports, realm: string, token: string, presenter?: Client): Promise<TokenParty> {
  const active = token.length > 0 && token.length <= MAX_TOKEN_LENGTH ? await verifyJwt(ports, realm, token) : null;
  if (!active || active.record.kind !== 'access') throw fail('invalid_grant', 'Invalid bearer or subject token');
  if (presenter && !presentableBy(active, presenter.clientId)) throw fail('invalid_grant', 'The subject token was not issued to this client');
  const client = await ports.store.clients.get(realm, active.record.clientId);
  if (!client || client.disabled) throw fail('invalid_grant', 'Invalid bearer or subject token');
  const subject = active.record.subject;
  if (subject === client.clientId) {
    const party = clientParty(client);
    if (!party) throw fail('invalid_grant', 'Invalid bearer or subject token');
    return { party, client };
  }
  const user = await ports.store.users.get(realm, subject);
  if (!user || user.disabled) throw fail('invalid_grant', 'Invalid bearer or subject token');
  return { party: { kind: 'user', subject: user.id, username: user.username }, client };
}
