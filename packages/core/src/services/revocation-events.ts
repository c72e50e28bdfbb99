/**
 * @module services/revocation-events
 * What the protection API's event stream tells a resource server (docs/revocation.md): each RPT revoked
 * while its audience included that resource server, read from the revocation log (model/revocation) and
 * sent as a Security Event Token (RFC 8417) signed with the realm's key, so the resource server verifies
 * it against the JWKS it already uses for RPTs. The event names the RPT by its `jti` (the subject, an
 * opaque identifier, RFC 9493 §3.2.4) and carries its `exp`, after which the RPT is refused anyway.
 */
import type { Realm } from '../model/realm.ts';
import type { RevokedRpt } from '../model/revocation.ts';
import type { Ports } from './ports.ts';

/** The event type of an RPT revoked (OAuth event types for the Shared Signals Framework). */
export const TOKEN_REVOKED_EVENT = 'https://schemas.openid.net/secevent/oauth/event-type/token-revoked';

/** The `typ` of the SET's header (RFC 8417 §2.3). */
export const SET_TYPE = 'secevent+jwt';

/** The signed SET telling `entry.resourceServer` that the RPT `entry.jti` is revoked. */
export function revocationSet(ports: Pick<Ports, 'clock' | 'random' | 'signer' | 'issuer'>, realm: Realm, entry: RevokedRpt): Promise<string> {
  const claims = {
    iss: ports.issuer(realm.id),
    aud: entry.resourceServer,
    iat: ports.clock.now(),
    jti: ports.random.uuid(),
    sub_id: { format: 'opaque', id: entry.jti },
    events: { [TOKEN_REVOKED_EVENT]: { token_type: 'requesting_party_token', jti: entry.jti, exp: entry.expiresAt } },
  };
  return ports.signer.sign(realm.id, realm.settings.signingAlg, claims, SET_TYPE);
}

/**
 * The revocations a resource server has not seen yet: its entries after `after` whose RPT is unexpired,
 * oldest first, at most `limit`. A new subscriber (`after` 0) gets every RPT still live that was revoked.
 */
export function revocationsFor(ports: Pick<Ports, 'store' | 'clock'>, input: { realm: string; resourceServer: string; after: number; limit: number }): Promise<RevokedRpt[]> {
  return ports.store.revocations.forResourceServer(input.realm, input.resourceServer, input.after, ports.clock.now(), input.limit);
}

/** Where the log stands now (a node starts following it from there). */
export function revocationLogEnd(ports: Pick<Ports, 'store'>): Promise<number> {
  return ports.store.revocations.last();
}

/** The log's entries of every realm after `after`, at most `limit`: one read of a node's follower. */
export function revocationsAfter(ports: Pick<Ports, 'store'>, after: number, limit: number): Promise<RevokedRpt[]> {
  return ports.store.revocations.after(after, limit);
}
