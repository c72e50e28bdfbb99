/**
 * @module model/resource-server-config
 * A resource server's public configuration (ForgeRock's UMA scope model): the scopes it defines, with what each lets one
 * do, and its resource types, each with its template scopes. Steward publishes it read-only, so a
 * requesting party can learn the template scopes of a type. Scopes a resource holds beyond its type's
 * template are private and never appear here.
 */

/** What a scope lets one do, as the resource server describes it. */
export interface ScopeDefinition {
  description: string;
  /** Optional icon for the scope (absolute http or https URI). */
  iconUri?: string;
}

/** A resource type: the scopes a resource of that type gets when registered without scopes. */
export interface ResourceType {
  /** Template scopes; each is a defined scope. May be empty (the owner then lists scopes). */
  scopes: string[];
  description?: string;
}

export interface ResourceServerConfig {
  realm: string;
  /** Client id of the resource server. */
  resourceServer: string;
  /** Scope name → definition. */
  scopes: Record<string, ScopeDefinition>;
  /** Type name → template scopes. */
  types: Record<string, ResourceType>;
  updatedAt: number;
}

/** Scope and type names: printable, no spaces (a scope travels space-separated), 1–256 characters. */
export const CONFIG_NAME_PATTERN = /^[\x21-\x7e]{1,256}$/;
