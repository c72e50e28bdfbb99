/**
 * @module services/authenticate-client
 * Who calls the token, revocation and introspection endpoints (RFC 6749 §2.3.1): a confidential client
 * by its secret (the current one, or the one a rotation replaced while its grace period lasts), a
 * public client by its `client_id` alone, or, for the UMA grant only, a public client by a user's
 * access token issued to it (Keycloak style: keycloak-js, keycloak-connect's public mode), which also
 * names that user as the requesting party. Every failure is `invalid_client`. The edge reads the
 * credentials; the rules are here.
 */
import type { RequestingParty } from '../decision/decide.ts';
import { fail } from '../errors.ts';
import { acceptsSecret, isPublicClient, type Client } from '../model/client.ts';
import { partyFromAccessToken, type TokenParty } from './keycloak-party.ts';
import type { Ports } from './ports.ts';

/** The authenticated client and, when a user's token identified it, that user as the requesting party. */
export interface Caller {
  client: Client;
  party?: RequestingParty;
}

/** A client id and the secret presented with it (null: none, a public client). */
export interface PresentedSecret {
  clientId: string;
  secret: string | null;
}

const MAX_CLIENT_ID = 255;

/**
 * The enabled client these credentials authenticate: a confidential client with its secret, a public
 * client without one. Reads the client once; the secret's SHA-256 is compared in constant time.
 */
export async function authenticateClientSecret(ports: Ports, realm: string, presented: PresentedSecret): Promise<Caller> {
  const client = presented.clientId.length <= MAX_CLIENT_ID ? await ports.store.clients.get(realm, presented.clientId) : null;
  if (!client || client.disabled) throw fail('invalid_client', 'Client authentication failed');
  const accepted = isPublicClient(client) ? presented.secret === null : presented.secret !== null && acceptsSecret(client, ports.digest.sha256(presented.secret), ports.clock, ports.digest);
  if (!accepted) throw fail('invalid_client', 'Client authentication failed');
  return { client };
}

/**
 * The public client a user's bearer access token was issued to (its `azp`), with that user as the
 * requesting party: the token, its client and its user are read once, here, for the whole request. A
 * confidential client must authenticate itself; `clientId` (a `client_id` parameter) must name the
 * same client.
 */
export async function authenticateBearerClient(ports: Ports, realm: string, token: string, clientId: string | undefined): Promise<Required<Caller>> {
  let resolved: TokenParty;
  try {
    resolved = await partyFromAccessToken(ports, realm, token);
  } catch {
    throw fail('invalid_client', 'Invalid bearer token');
  }
  if (!isPublicClient(resolved.client)) throw fail('invalid_client', 'A confidential client must authenticate itself; a bearer token identifies a public client only');
  if (clientId !== undefined && clientId !== resolved.client.clientId) throw fail('invalid_client', 'client_id does not match the client of the bearer token');
  return resolved;
}
