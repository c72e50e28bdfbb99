/**
 * @module services/policy-sharing
 * Nested (re-shared) policies: loading the policies that decide what a party holds of a resource (the
 * owner's primary policy and the chain of re-shares above the party), and the rules a re-share must
 * follow when a requesting party writes one (realm switch, no more than held, no loop).
 */
import { accessTo, MAX_SHARING_DEPTH, policySubjectOf, type Access, type EvaluationContext, type RequestingParty } from '../decision/decide.ts';
import { fail } from '../errors.ts';
import type { Policy, PolicyPermission } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import type { Store } from '../ports/store.ts';
import { groupSubjectsOf } from './groups.ts';

/** The stores the chain is read from: the whole Store or one transaction's. */
export type SharingStores = Pick<Store, 'policies' | 'users' | 'groups'>;

/** Policies that decide a party's access, with the username of each re-sharing owner. */
export interface PolicyGraph {
  policies: Policy[];
  sharers: Map<string, string>;
  /** The `group:{name}` subjects of each re-sharer (user id → subjects), so a share held through a group can be re-shared. */
  sharerGroups?: Map<string, string[]>;
}

/** At most this many re-shares are read per resource for one party; beyond, the rest grant nothing. */
const MAX_LOADED = 4 * MAX_SHARING_DEPTH;

/**
 * The re-shares of `resource` above `party`: the policies naming the party, those naming their owners,
 * and so on up to the resource owner (primary policies are not included: load them with getMany).
 * Indexed lookups only (PolicyStore.listNaming): the cost depends on the chain, not on how many
 * policies hang below the primary.
 */
export async function loadReshares(stores: SharingStores, realm: string, resource: Resource, party: RequestingParty, graph: PolicyGraph): Promise<void> {
  const seen = new Set<string>();
  // The party's groups (or organization) count too: a re-share may name them.
  const frontier = [policySubjectOf(party), ...(party.memberOf ?? [])];
  const named = new Set(frontier);
  let loaded = 0;
  while (frontier.length > 0 && loaded < MAX_LOADED) {
    const subject = frontier.shift()!;
    for (const policy of await stores.policies.listNaming(realm, resource.id, subject)) {
      if (policy.owner === resource.owner || policy.resourceOwner !== resource.owner || seen.has(policy.owner)) continue;
      seen.add(policy.owner);
      const sharer = graph.sharers.get(policy.owner) ?? (await stores.users.get(realm, policy.owner))?.username;
      if (sharer === undefined) continue;
      graph.policies.push(policy);
      graph.sharers.set(policy.owner, sharer);
      loaded += 1;
      // The sharer may hold the resource through a group: its subjects are looked up too.
      const groups = await groupSubjectsOf(stores.groups, realm, policy.owner);
      if (groups.length > 0) (graph.sharerGroups ??= new Map()).set(policy.owner, groups);
      for (const subject of [sharer, ...groups]) {
        if (named.has(subject)) continue;
        named.add(subject);
        frontier.push(subject);
      }
    }
  }
}

/** The primary policies of these resources (one owner) and, when re-sharing is on, the re-shares above `party`. */
export async function loadPolicyGraph(
  stores: SharingStores,
  input: { realm: string; owner: string; resources: readonly Resource[]; party: RequestingParty; resharing: boolean },
): Promise<PolicyGraph> {
  const graph: PolicyGraph = { policies: await stores.policies.getMany(input.realm, input.owner, input.resources.map((r) => r.id)), sharers: new Map() };
  if (!input.resharing || input.party.subject === input.owner) return graph;
  for (const resource of input.resources) {
    if (resource.owner === input.owner) await loadReshares(stores, input.realm, resource, input.party, graph);
  }
  return graph;
}

/** The policies a decision reads and the context they are evaluated in. */
export interface LoadedEvaluation {
  graph: PolicyGraph;
  context: EvaluationContext;
}

/**
 * The policies deciding what `party` holds of these resources (one owner) and the evaluation context
 * that goes with them: the caller's time and client, the realm's re-sharing switch, and the username
 * and groups of each re-sharer loaded. The one way from the stores to `decide` and `accessTo` (the UMA
 * grant, the ticketless grant, currentAccess), so every form of the grant reads a chain alike. The
 * owner holds her own resources whatever the policies say: nothing is read for her.
 */
export async function loadEvaluation(
  stores: SharingStores,
  input: { realm: string; owner: string; resources: readonly Resource[]; party: RequestingParty; context: Omit<EvaluationContext, 'sharers' | 'sharerGroups'> },
): Promise<LoadedEvaluation> {
  const resharing = input.context.resharing !== false;
  const graph: PolicyGraph =
    input.party.subject === input.owner ? { policies: [], sharers: new Map() } : await loadPolicyGraph(stores, { realm: input.realm, owner: input.owner, resources: input.resources, party: input.party, resharing });
  const context: EvaluationContext = { ...input.context, resharing, sharers: graph.sharers };
  if (graph.sharerGroups) context.sharerGroups = graph.sharerGroups;
  return { graph, context };
}

/** What `party` holds of `resource` now, read from the stores (primary policy and chain). */
export async function currentAccess(
  stores: SharingStores,
  input: { realm: string; resource: Resource; party: RequestingParty; context: Omit<EvaluationContext, 'sharers'> },
): Promise<Access & { graph: PolicyGraph }> {
  const { graph, context } = await loadEvaluation(stores, { realm: input.realm, owner: input.resource.owner, resources: [input.resource], party: input.party, context: input.context });
  return { ...accessTo(input.resource, graph.policies, input.party, context), graph };
}

/**
 * The resource a requesting party may re-share: one of the resources whose policies name them (found
 * through the index, whoever owns it), or null. Null too when the id is theirs or unknown.
 */
export async function resharedResource(stores: SharingStores & Pick<Store, 'resources'>, realm: string, sharer: User, id: string): Promise<Resource | null> {
  const owners = new Set<string>();
  // Shared with them by name or through one of their groups.
  for (const subject of [sharer.username, ...(await groupSubjectsOf(stores.groups, realm, sharer.id))]) {
    for (const p of await stores.policies.listNaming(realm, id, subject)) owners.add(p.resourceOwner ?? p.owner);
  }
  owners.delete(sharer.id);
  for (const owner of owners) {
    const resource = await stores.resources.get(realm, owner, id);
    if (resource) return resource;
  }
  return null;
}

/**
 * Checks a re-share `sharer` writes on `resource`: every scope must be one they hold now (conditions
 * on time included, on clients not: those follow the chain at grant time), and no subject may be the
 * resource owner or anyone the sharer's access comes from (that would close a loop). 400 otherwise.
 */
export async function checkReshare(
  stores: SharingStores,
  input: { realm: string; sharer: User; resource: Resource; permissions: readonly PolicyPermission[]; now: number },
): Promise<void> {
  const { realm, sharer, resource } = input;
  const party: RequestingParty = { kind: 'user', subject: sharer.id, username: sharer.username, memberOf: await groupSubjectsOf(stores.groups, realm, sharer.id) };
  const access = await currentAccess(stores, { realm, resource, party, context: { now: input.now, anyClient: true, resharing: true } });
  if (!access.mayAccess) throw fail('not_found', `UMA Policy not found, ${resource.id}`);
  const held = new Set(access.allowed);
  for (const p of input.permissions) {
    const extra = p.scopes.find((s) => !held.has(s));
    if (extra !== undefined) throw fail('invalid_request', `Invalid UMA policy permission. Cannot share scope '${extra}': it is not held on resource ${resource.id}.`);
  }
  const upstream = new Set(access.graph.sharers.values());
  const owner = await stores.users.get(realm, resource.owner);
  if (owner) upstream.add(owner.username);
  for (const p of input.permissions) {
    if (upstream.has(p.subject)) throw fail('invalid_request', `Invalid UMA policy permission. Sharing with '${p.subject}' would create a cycle.`);
  }
}

/** The stores with the chain lookups (policies naming a subject, users by id) cached: for one short run (a revocation). */
export function cachedSharingStores(stores: SharingStores): SharingStores {
  const naming = new Map<string, Promise<Policy[]>>();
  const users = new Map<string, Promise<User | null>>();
  const listNaming = (realm: string, id: string, subject: string): Promise<Policy[]> => {
    const key = `${realm}\u0000${id}\u0000${subject}`;
    if (!naming.has(key)) naming.set(key, stores.policies.listNaming(realm, id, subject));
    return naming.get(key)!;
  };
  const getUser = (realm: string, id: string): Promise<User | null> => {
    const key = `${realm}\u0000${id}`;
    if (!users.has(key)) users.set(key, stores.users.get(realm, id));
    return users.get(key)!;
  };
  return { users: withMethod(stores.users, 'get', getUser), policies: withMethod(stores.policies, 'listNaming', listNaming), groups: stores.groups };
}

/** `target` with one method replaced (the others still called on `target` itself). */
function withMethod<T extends object>(target: T, name: keyof T, replacement: unknown): T {
  return new Proxy(target, {
    get(t, prop) {
      if (prop === name) return replacement;
      const value = Reflect.get(t, prop, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}
