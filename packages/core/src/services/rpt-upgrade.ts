/**
 * @module services/rpt-upgrade
 * RPT upgrade (UMA Grant §3.3.5.1): the RPT a client presents with the grant (it may have expired) is
 * checked to be ours and the client's, and its permissions are re-assessed against the current
 * policies before they join the new RPT.
 */
import { fail, type StewardError } from '../errors.ts';
import type { Client } from '../model/client.ts';
import type { GrantedPermission } from '../model/permission.ts';
import type { Policy } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { TokenRecord } from '../model/token.ts';
import { recheckPermissions, type EvaluationContext, type Recheck, type RequestingParty } from '../decision/decide.ts';
import type { Ports } from './ports.ts';

/**
 * The record of an RPT issued by this realm to `client`, expired or not; `invalid_grant` otherwise.
 * The refusal says why when the RPT is the client's own: a revoked one (its grant was revoked, or it
 * was upgraded already) or one whose record is gone (purged once expired) cannot be upgraded, and the
 * client should ask again without it. Another client's RPT, or anything not an RPT of this realm, is
 * refused as not the client's, and it learns nothing about the token's state.
 */
export async function presentedRpt(ports: Ports, realm: string, client: Client, rpt: string): Promise<TokenRecord> {
  const claims = await ports.signer.verify(realm, rpt);
  if (!claims || typeof claims.jti !== 'string') throw notTheClients();
  const record = await ports.store.tokens.get(realm, claims.jti);
  if (record) {
    if (record.kind !== 'rpt' || record.clientId !== client.clientId) throw notTheClients();
    if (record.revoked) throw revokedOrExpired();
    return record;
  }
  // Signed here but no longer recorded: an expired token the purge deleted. Its claims say whose RPT it was.
  if (claims.azp !== client.clientId || !Array.isArray(claims.permissions)) throw notTheClients();
  throw revokedOrExpired();
}

function notTheClients(): StewardError {
  return fail('invalid_grant', 'The rpt is not a valid RPT issued to this client');
}

function revokedOrExpired(): StewardError {
  return fail('invalid_grant', 'The rpt was revoked or has expired');
}

/**
 * Re-assesses the old RPT's permissions. Those of `owner` use the resources and policies already
 * loaded for the ticket (`policies` is empty when the party is that owner); other owners' are read
 * here, one owner at a time.
 */
export async function recheckOldRpt(
  ports: Ports,
  input: { realm: string; old: TokenRecord; party: RequestingParty; owner: string; resources: readonly Resource[]; policies: readonly Policy[]; context?: EvaluationContext },
): Promise<Recheck> {
  const permissions: GrantedPermission[] = input.old.data.permissions ?? [];
  const resources = [...input.resources];
  const policies = [...input.policies];
  const others = new Map<string, string[]>();
  for (const p of permissions) {
    if (p.owner === input.owner) continue;
    const ids = others.get(p.owner) ?? [];
    ids.push(p.resourceId);
    others.set(p.owner, ids);
  }
  for (const [owner, ids] of others) {
    resources.push(...(await ports.store.resources.getMany(input.realm, owner, ids)));
    if (owner !== input.party.subject) policies.push(...(await ports.store.policies.getMany(input.realm, owner, ids)));
  }
  return recheckPermissions(permissions, resources, policies, input.party, input.context);
}
