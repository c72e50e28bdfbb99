/**
 * @module wire/scopes
 * Resource server configurations (ForgeRock's UMA scope model), groups and organizations on the wire: strict readers for
 * the admin API (an unknown member is an `invalid_request`) and the schemas of the API reference. The
 * published configuration has the scope model's shape: `{"scopes": {name: {description, icon_uri?}},
 * "types": {name: {"scopes": [...]}}}`.
 */
import Type from 'typebox';
import { fail, type ConfigurationInput, type Group, type Organization, type ResourceServerConfig, type ResourceType, type ScopeDefinition } from '@steward/core';
import { bodyReader, NO_NUL } from './validate.ts';

const MAX_ENTRIES = 256;

/** Reads a configuration body: `scopes` (required) and `types` (optional); icon URIs absolute http(s). */
export function readConfiguration(body: unknown): ConfigurationInput {
  const input = configuration(body);
  const scopes: Record<string, ScopeDefinition> = {};
  for (const [name, def] of Object.entries(input.scopes)) {
    const scope: ScopeDefinition = { description: def.description };
    if (def.icon_uri !== undefined) {
      const uri = URL.parse(def.icon_uri);
      if (!uri || (uri.protocol !== 'https:' && uri.protocol !== 'http:')) throw fail('invalid_request', `scopes.${name.slice(0, 64)}.icon_uri must be an absolute http or https URI`);
      scope.iconUri = def.icon_uri;
    }
    scopes[name] = scope;
  }
  const types: Record<string, ResourceType> = {};
  for (const [name, def] of Object.entries(input.types ?? {})) types[name] = def.description === undefined ? { scopes: [...(def.scopes ?? [])] } : { scopes: [...(def.scopes ?? [])], description: def.description };
  return { scopes, types };
}

/** The published configuration in the scope model's shape (`icon_uri` when set; a type's `description` when set). */
export function configurationToWire(config: ResourceServerConfig): Record<string, unknown> {
  const scopes: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(config.scopes)) scopes[name] = def.iconUri === undefined ? { description: def.description } : { description: def.description, icon_uri: def.iconUri };
  const types: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(config.types)) types[name] = def.description === undefined ? { scopes: def.scopes } : { scopes: def.scopes, description: def.description };
  return { scopes, types };
}

export function readNewGroup(body: unknown): { name: string; visible?: boolean } {
  return newGroup(body);
}

export function groupToWire(group: Group): Record<string, unknown> {
  return { id: group.id, name: group.name, subject: `group:${group.name}`, visible: group.visible, createdAt: group.createdAt };
}

export function readNewOrganization(body: unknown): { id: string; name?: string; admins?: string[]; clients?: string[] } {
  return newOrganization(body);
}

export function organizationToWire(org: Organization): Record<string, unknown> {
  return { id: org.id, name: org.name, owner: `org:${org.id}`, admins: org.admins, clients: org.clients, createdAt: org.createdAt };
}

const names = Type.Array(Type.String());
const text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, pattern: NO_NUL, ...(description ? { description } : {}) });

export const ConfigurationSchema = Type.Object(
  {
    scopes: Type.Record(
      Type.String(),
      Type.Object({ description: text(1024), icon_uri: Type.Optional(text(2048, 'Absolute http or https URI.')) }, { additionalProperties: false }),
      { maxProperties: MAX_ENTRIES, description: 'Scope name → what it lets one do.' },
    ),
    types: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object({ scopes: Type.Optional(Type.Array(Type.String(), { maxItems: MAX_ENTRIES, description: 'Default: none.' })), description: Type.Optional(text(1024)) }, { additionalProperties: false }),
        { maxProperties: MAX_ENTRIES, description: 'Resource type → its template scopes (each a defined scope).' },
      ),
    ),
  },
  { $id: 'ResourceServerConfiguration', additionalProperties: false, description: 'A resource server\'s public configuration (ForgeRock\'s UMA scope model). Private scopes never appear in it.' },
);

export const ScopeCategoriesSchema = Type.Object(
  { registered: names, template: names, private: names },
  { $id: 'ScopeCategories', description: 'Registered scopes of the resource, the template scopes of its type, and the private ones (registered beyond the template).' },
);

export const ScopeViewSchema = Type.Object(
  {
    role: Type.Union([Type.Literal('owner'), Type.Literal('requesting_party')]),
    registered: Type.Optional(names),
    template: names,
    private: Type.Optional(names),
    policy: Type.Union([names, Type.Array(Type.Object({ subject: Type.String(), scopes: names }))], { description: 'Owner: each subject with its scopes. Requesting party: the scopes the policy allows them.' }),
  },
  { $id: 'ScopeView', description: 'The scope categories the caller may see of a resource: all of them for its owner; template and own policy scopes for a requesting party.' },
);

export const GroupSchema = Type.Object(
  { id: Type.String(), name: Type.String(), subject: Type.String({ description: '`group:{name}`: how a policy names the group.' }), visible: Type.Boolean({ description: 'Every user may share with it (else only members).' }), createdAt: Type.Integer() },
  { $id: 'Group' },
);

export const NewGroupSchema = Type.Object(
  { name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Not the username of a user of the realm.' }), visible: Type.Optional(Type.Boolean({ default: false })) },
  { $id: 'NewGroup', additionalProperties: false },
);

export const OrganizationSchema = Type.Object(
  { id: Type.String(), name: Type.String(), owner: Type.String({ description: '`org:{id}`: owner of its resources and policy subject.' }), admins: names, clients: names, createdAt: Type.Integer() },
  { $id: 'Organization' },
);

export const NewOrganizationSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }),
    name: Type.Optional(text(255)),
    admins: Type.Optional(Type.Array(Type.String(), { maxItems: MAX_ENTRIES, description: 'User ids of its administrators.' })),
    clients: Type.Optional(Type.Array(Type.String(), { maxItems: MAX_ENTRIES, description: 'Client ids acting for it (one organization per client).' })),
  },
  { $id: 'NewOrganization', additionalProperties: false },
);

const configuration = bodyReader(ConfigurationSchema, { what: 'a resource server configuration' });
const newGroup = bodyReader(NewGroupSchema, { what: 'a group' });
const newOrganization = bodyReader(NewOrganizationSchema, { what: 'an organization' });
