/**
 * @module services/rpt-upgrade
 * RPT upgrade (UMA Grant §3.3.5.1): the RPT a client presents with the grant (it may have expired) is
 * checked to be ours and the client's, and its permissions are re-assessed against the current
 * policies before they join the new RPT.
 */
import { fail } from '../errors.ts';
import type { Client } from '../model/client.ts';
import type { GrantedPermission } from '../model/permission.ts';
import type { Policy } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { TokenRecord } from '../model/token.ts';
import { recheckPermissions, type EvaluationContext, type Recheck, type RequestingParty } from '../decision/decide.ts';
import type { Ports } from './ports.ts';
import { verifyJwt } from './verify-token.ts';

/** The record of an RPT issued by this realm to `client`, expired or not; `invalid_grant` otherwise. */
export async function presentedRpt(ports: Ports, realm: string, client: Client, rpt: string): Promise<TokenRecord> {
  const active = await verifyJwt(ports, realm, rpt, true);
  if (!active || active.record.kind !== 'rpt' || active.record.clientId !== client.clientId) {
    throw fail('invalid_grant', 'The rpt is not a valid RPT issued to this client');
  }
  return active.record;
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
