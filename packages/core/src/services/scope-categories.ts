/**
 * @module services/scope-categories
 * The scope categories of ForgeRock's UMA scope model, each shown only to whom it shows it:
 *
 * - `registered`: the scopes the resource holds (its owner and its resource server);
 * - `template`: the scopes of the resource's type in the resource server's public configuration (anyone);
 * - `private`: the registered scopes beyond the template (its owner and its resource server only);
 * - `policy`: what the owner's policy allows a requesting party (the owner sees every subject's; a
 *   requesting party sees only its own, private scopes included only when granted);
 * - `request` and `token` travel in the grant: the permission request and the client's `scope` make
 *   the RequestedScopes, and the RPT (and its introspection) carries the token scopes.
 */
import { currentAccess } from './policy-sharing.ts';
import { difference } from '../decision/scopes.ts';
import { fail } from '../errors.ts';
import type { ResourceServerConfig } from '../model/resource-server-config.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import { withMemberships } from './party-subjects.ts';
import type { Ports } from './ports.ts';
import { readResource, type ProtectionCaller } from './resources.ts';
import { configurationOf, templateScopesOf } from './resource-types.ts';

/** What the owner and the resource server see of a resource's scopes. */
export interface ScopeCategories {
  registered: string[];
  template: string[];
  private: string[];
}

/** The owner's view: the categories and, per subject, the scopes her policy allows. */
export interface OwnerScopeView extends ScopeCategories {
  role: 'owner';
  policy: Array<{ subject: string; scopes: string[] }>;
}

/** A requesting party's view of a resource shared with them: public template scopes and their own policy scopes. */
export interface RequestingPartyScopeView {
  role: 'requesting_party';
  template: string[];
  policy: string[];
}

/** Registered, template and private scopes of a resource under its resource server's configuration. */
export function categorize(resource: Resource, config: ResourceServerConfig | null): ScopeCategories {
  const template = templateScopesOf(config, resource.type);
  return { registered: [...resource.scopes], template, private: difference(resource.scopes, template) };
}

/** The resource server's view of one of its resources (PAT caller). */
export async function resourceServerScopeView(ports: Ports, caller: ProtectionCaller, id: string): Promise<ScopeCategories> {
  const resource = await readResource(ports, caller, id);
  return categorize(resource, await configurationOf(ports.store, caller.realm, resource.resourceServer));
}

function lookupable(value: string): boolean {
  return value.length > 0 && value.length <= 256 && !value.includes('\u0000');
}

/**
 * The scope view of `user` (an owner, an organization as owner, or a requesting party) on a resource:
 * the owner's view when it is theirs, the requesting party's when a policy (directly, through a group,
 * or through a re-share) lets them access it; otherwise 404, as for a missing resource.
 */
export async function scopeView(ports: Ports, input: { realm: string; user: User; resourceId: string }): Promise<OwnerScopeView | RequestingPartyScopeView> {
  const { realm, user, resourceId } = input;
  const notFound = () => fail('not_found', `Resource not found, ${resourceId.slice(0, 200)}`);
  if (!lookupable(resourceId)) throw notFound();
  const own = await ports.store.resources.get(realm, user.id, resourceId);
  if (own) {
    const policy = await ports.store.policies.get(realm, user.id, resourceId);
    const config = await configurationOf(ports.store, realm, own.resourceServer);
    return { role: 'owner', ...categorize(own, config), policy: (policy?.permissions ?? []).map((p) => ({ subject: p.subject, scopes: [...p.scopes] })) };
  }
  const party = await withMemberships(ports.store, realm, { kind: 'user', subject: user.id, username: user.username });
  const owners = new Set<string>();
  for (const subject of [user.username, ...(party.memberOf ?? [])]) {
    for (const p of await ports.store.policies.listNaming(realm, resourceId, subject)) owners.add(p.resourceOwner ?? p.owner);
  }
  const resharing = (await ports.store.realms.get(realm))?.settings.resharing !== false;
  for (const owner of owners) {
    const resource = await ports.store.resources.get(realm, owner, resourceId);
    if (!resource) continue;
    const access = await currentAccess(ports.store, { realm, resource, party, context: { now: ports.clock.now(), anyClient: true, resharing } });
    if (!access.mayAccess) continue;
    const config = await configurationOf(ports.store, realm, resource.resourceServer);
    return { role: 'requesting_party', template: templateScopesOf(config, resource.type), policy: access.allowed };
  }
  throw notFound();
}
