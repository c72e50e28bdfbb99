/**
 * @module services/resource-types
 * A resource server's public configuration (ForgeRock's UMA scope model): publishing it (scope definitions and resource
 * types with their template scopes), reading it, and applying a type when a resource is registered:
 * no scopes → the type's template scopes; listed scopes beyond the template are private, and a private
 * scope may not carry a name the configuration publishes (it would no longer be private).
 */
import { fail } from '../errors.ts';
import { CONFIG_NAME_PATTERN, type ResourceServerConfig, type ResourceType, type ScopeDefinition } from '../model/resource-server-config.ts';
import type { Store } from '../ports/store.ts';
import { difference, intersect } from '../decision/scopes.ts';
import type { Ports } from './ports.ts';

/** The configuration as a resource server declares it. */
export interface ConfigurationInput {
  scopes: Record<string, ScopeDefinition>;
  types: Record<string, ResourceType>;
}

function lookupable(value: string): boolean {
  return value.length > 0 && value.length <= 256 && !value.includes('\u0000');
}

/** Checks the declared configuration: names, and every template scope defined in `scopes`. */
export function checkConfiguration(input: ConfigurationInput): void {
  for (const name of Object.keys(input.scopes)) {
    if (!CONFIG_NAME_PATTERN.test(name)) throw fail('invalid_request', `Scope name '${name.slice(0, 100)}' is not allowed: 1–256 printable characters without spaces`);
  }
  for (const [type, def] of Object.entries(input.types)) {
    if (!CONFIG_NAME_PATTERN.test(type)) throw fail('invalid_request', `Type name '${type.slice(0, 100)}' is not allowed: 1–256 printable characters without spaces`);
    const undefinedScope = def.scopes.find((s) => !Object.hasOwn(input.scopes, s));
    if (undefinedScope !== undefined) throw fail('invalid_request', `Type '${type}' names template scope '${undefinedScope.slice(0, 100)}', which the configuration's scopes do not define`);
    if (new Set(def.scopes).size !== def.scopes.length) throw fail('invalid_request', `Type '${type}' repeats a template scope`);
  }
}

/** Publishes (creates or replaces) the public configuration of a resource server of the realm. */
export async function publishConfiguration(ports: Ports, input: { realm: string; resourceServer: string } & ConfigurationInput): Promise<ResourceServerConfig> {
  const client = lookupable(input.resourceServer) ? await ports.store.clients.get(input.realm, input.resourceServer) : null;
  if (!client) throw fail('not_found', `Resource server ${input.resourceServer.slice(0, 100)} not found`);
  checkConfiguration(input);
  const config: ResourceServerConfig = { realm: input.realm, resourceServer: client.clientId, scopes: input.scopes, types: input.types, updatedAt: ports.clock.now() };
  await ports.store.resourceServerConfigs.put(config);
  return config;
}

/** The published configuration, or `not_found` when the resource server has published none. */
export async function readConfiguration(ports: Pick<Ports, 'store'>, realm: string, resourceServer: string): Promise<ResourceServerConfig> {
  const config = lookupable(resourceServer) ? await ports.store.resourceServerConfigs.get(realm, resourceServer) : null;
  if (!config) throw fail('not_found', `Resource server ${resourceServer.slice(0, 100)} has published no configuration`);
  return config;
}

/** Removes the configuration: types are then free text again. */
export async function withdrawConfiguration(ports: Ports, realm: string, resourceServer: string): Promise<void> {
  if (!lookupable(resourceServer) || !(await ports.store.resourceServerConfigs.delete(realm, resourceServer))) {
    throw fail('not_found', `Resource server ${resourceServer.slice(0, 100)} has published no configuration`);
  }
}

/** Every scope name the configuration makes public: the defined scopes and the templates. */
export function publishedScopes(config: ResourceServerConfig): string[] {
  return [...new Set([...Object.keys(config.scopes), ...Object.values(config.types).flatMap((t) => t.scopes)])];
}

/** The template scopes of a resource's type under the configuration (empty without type, config or known type). */
export function templateScopesOf(config: ResourceServerConfig | null, type: string | null): string[] {
  if (!config || type === null || !Object.hasOwn(config.types, type)) return [];
  return [...config.types[type]!.scopes];
}

/**
 * The scopes a resource of `type` is registered with, given the listed ones. Without a published
 * configuration, or without a type, the listed scopes stand as before (at least one). With both: the
 * type must be one of the configuration's; no listed scopes → the template; listed scopes outside the
 * template (private ones) must not be published names. 400 naming the problem otherwise.
 */
export function scopesForType(config: ResourceServerConfig | null, type: string | null, listed: readonly string[]): string[] {
  const scopes = [...new Set(listed)];
  if (!config || type === null) {
    if (scopes.length === 0) throw fail('invalid_request', 'resource_scopes must name at least one scope');
    return scopes;
  }
  if (!Object.hasOwn(config.types, type)) {
    const known = Object.keys(config.types).sort().join(', ') || 'none';
    throw fail('invalid_request', `Unknown resource type '${type.slice(0, 100)}' for resource server ${config.resourceServer} (its types: ${known.slice(0, 500)})`);
  }
  const template = templateScopesOf(config, type);
  if (scopes.length === 0) {
    if (template.length === 0) throw fail('invalid_request', `Resource type '${type}' has no template scopes: resource_scopes must name at least one scope`);
    return template;
  }
  const colliding = intersect(difference(scopes, template), publishedScopes(config));
  if (colliding.length > 0) {
    throw fail('invalid_request', `Scope '${colliding[0]!.slice(0, 100)}' is published by resource server ${config.resourceServer} but is not a template scope of type '${type}'; a private scope needs a name the configuration does not publish`);
  }
  return scopes;
}

/** The configuration of the resource server, or null (no error): for registration. */
export function configurationOf(store: Pick<Store, 'resourceServerConfigs'>, realm: string, resourceServer: string): Promise<ResourceServerConfig | null> {
  return store.resourceServerConfigs.get(realm, resourceServer);
}
