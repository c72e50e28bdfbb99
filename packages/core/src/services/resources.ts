/**
 * @module services/resources
 * Resource registration (Fed Authz §3): create, read, replace, delete and list the resources a resource
 * server registers. A user's PAT reaches her resources registered by its resource server, looked up by
 * (realm, owner, id); the resource server's own PAT (its client_credentials token) reaches every
 * resource it registered, whoever owns it (Keycloak's `owner`), looked up by (realm, resource server,
 * id). Anything else — another owner's resource, another resource server's — is indistinguishable
 * from a missing one.
 */
import { fail } from '../errors.ts';
import type { Resource } from '../model/resource.ts';
import type { Ports } from './ports.ts';
import { deleteResourcePublished } from './policy-events.ts';
import { configurationOf, scopesForType } from './resource-types.ts';

/** Who calls the Protection API: the PAT's subject (owner) and client (resource server). */
export interface ProtectionCaller {
  realm: string;
  owner: string;
  resourceServer: string;
}

/**
 * The registrable part of a resource: what a create or a full replacement carries (`scopes` are the
 * `resource_scopes`: at least one, unless a typed resource takes its type's template scopes; `extra` keeps internationalized members such as `name#fr`).
 */
export type ResourceDescription = Pick<Resource, 'name' | 'type' | 'iconUri' | 'description' | 'scopes' | 'extra'>;

/**
 * The description with its scopes settled: without scopes, a typed resource of a resource server that
 * published its configuration gets the type's template scopes (services/resource-types).
 */
async function normalized(ports: Ports, caller: ProtectionCaller, description: ResourceDescription): Promise<ResourceDescription> {
  const config = description.type === null ? null : await configurationOf(ports.store, caller.realm, caller.resourceServer);
  return { ...description, scopes: scopesForType(config, description.type, description.scopes) };
}

/** Registers a new resource; protection of it begins now. */
export async function registerResource(ports: Ports, caller: ProtectionCaller, description: ResourceDescription): Promise<Resource> {
  const now = ports.clock.now();
  const resource: Resource = {
    realm: caller.realm,
    id: ports.random.uuid(),
    owner: caller.owner,
    resourceServer: caller.resourceServer,
    ...(await normalized(ports, caller, description)),
    createdAt: now,
    updatedAt: now,
  };
  await ports.store.resources.insert(resource);
  return resource;
}

/**
 * True when the PAT is the resource server's own (its client_credentials token, whose subject is the
 * client), not a user's.
 */
export function isServerCaller(caller: Pick<ProtectionCaller, 'owner' | 'resourceServer'>): boolean {
  return caller.owner === caller.resourceServer;
}

/**
 * The caller's resource, or `not_found`: for a user's PAT, hers registered by its resource server; for
 * the resource server's own PAT, any resource it registered, whoever owns it. The one rule of every
 * Protection API call that names a resource by id (read, replace, delete, scope categories, access
 * reports; permission requests apply it to many ids at once).
 */
export async function readResource(ports: Ports, caller: ProtectionCaller, id: string): Promise<Resource> {
  // Ids are UUIDs we chose; anything else cannot name a resource (and NUL would upset PostgreSQL).
  const ok = id.length <= 256 && !id.includes('\u0000');
  const resource = !ok ? null : isServerCaller(caller) ? await ports.store.resources.getByServer(caller.realm, caller.resourceServer, id) : await ports.store.resources.get(caller.realm, caller.owner, id);
  if (!resource || resource.resourceServer !== caller.resourceServer) throw fail('not_found', 'Resource not found');
  return resource;
}

/** Replaces the whole description of the caller's resource (readResource); its owner stays. Optional members left out are dropped (Fed Authz §3.2.3). */
export async function updateResource(ports: Ports, caller: ProtectionCaller, id: string, description: ResourceDescription): Promise<Resource> {
  const current = await readResource(ports, caller, id);
  const resource: Resource = { ...current, ...(await normalized(ports, caller, description)), updatedAt: ports.clock.now() };
  if (!(await ports.store.resources.update(resource))) throw fail('not_found', 'Resource not found');
  return resource;
}

/** Deletes the caller's resource (readResource) and its policy; protection of it ends now. */
export async function deleteResource(ports: Ports, caller: ProtectionCaller, id: string): Promise<void> {
  const resource = await readResource(ports, caller, id);
  // With it go its policies and every RPT grant others hold on it (services/policy-events).
  if (!(await deleteResourcePublished(ports, resource))) throw fail('not_found', 'Resource not found');
}

