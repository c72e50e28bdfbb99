/**
 * @module services/registration-owner
 * Who a resource is registered for. A PAT registers for its own owner. Keycloak's `owner` member lets
 * a resource server's own PAT (its client_credentials token) name a user instead, and only a resource
 * server of the realm may: one whose public configuration the administrator has published. Any
 * confidential client allowed client_credentials holds such a PAT, and a service account created for
 * something else would otherwise put resources into any user's account (listed in her console, with
 * requests for them sent to her, and what she shares on them visible to that client).
 */
import { fail } from '../errors.ts';
import { resolveOwner } from './keycloak-resources.ts';
import type { Ports } from './ports.ts';
import type { ProtectionCaller } from './resources.ts';

/** The owner id a registration names (`named`: a username or user id), or the PAT's owner when it names none. */
export async function registrationOwner(ports: Ports, caller: ProtectionCaller, named: string | undefined): Promise<string> {
  if (named === undefined) return caller.owner;
  const owner = await resolveOwner(ports, caller, named);
  if (owner !== caller.owner && (await ports.store.resourceServerConfigs.get(caller.realm, caller.resourceServer)) === null) {
    throw fail('invalid_request', 'owner may name another user only for a resource server of the realm (one whose configuration is published)');
  }
  return owner;
}
