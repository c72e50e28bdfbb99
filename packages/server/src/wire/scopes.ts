/**
 * @module wire/scopes
 * Resource server configurations (ForgeRock's UMA scope model), groups and organizations on the wire: strict readers for
 * the admin API (an unknown member is an `invalid_request`) and the schemas of the API reference. The
 * published configuration has the scope model's shape: `{"scopes": {name: {description, icon_uri?}},
 * "types": {name: {"scopes": [...]}}}`.
 */
import Type from 'typebox';
import { fail, isJsonObject, type ConfigurationInput, type Group, type Organization, type ResourceServerConfig, type ResourceType, type ScopeDefinition } from '@steward/core';
import { strictObject } from './admin.ts';

const MAX_ENTRIES = 256;
const MAX_TEXT = 1024;

function text(member: string, value: unknown, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.includes('\u0000')) throw fail('invalid_request', `${member} must be a string of 1 to ${max} characters`);
  return value;
}

function entries(member: string, value: unknown): Array<[string, unknown]> {
  if (!isJsonObject(value)) throw fail('invalid_request', `${member} must be an object`);
  const list = Object.entries(value);
  if (list.length > MAX_ENTRIES) throw fail('invalid_request', `${member} may have at most ${MAX_ENTRIES} members`);
  return list;
}

/** Reads a configuration body: `scopes` (required) and `types` (optional). */
export function readConfiguration(body: unknown): ConfigurationInput {
  const o = strictObject(body, ['scopes', 'types'], 'a resource server configuration');
  if (o.scopes === undefined) throw fail('invalid_request', 'scopes is required (an object of scope name → {description})');
  const scopes: Record<string, ScopeDefinition> = {};
  for (const [name, def] of entries('scopes', o.scopes)) {
    const d = strictObject(def, ['description', 'icon_uri'], `scope ${name.slice(0, 64)}`);
    const scope: ScopeDefinition = { description: text(`scopes.${name.slice(0, 64)}.description`, d.description) };
    if (d.icon_uri !== undefined) {
      const uri = URL.parse(text(`scopes.${name.slice(0, 64)}.icon_uri`, d.icon_uri, 2048));
      if (!uri || (uri.protocol !== 'https:' && uri.protocol !== 'http:')) throw fail('invalid_request', `scopes.${name.slice(0, 64)}.icon_uri must be an absolute http or https URI`);
      scope.iconUri = d.icon_uri as string;
    }
    scopes[name] = scope;
  }
  const types: Record<string, ResourceType> = {};
  for (const [name, def] of o.types === undefined ? [] : entries('types', o.types)) {
    const t = strictObject(def, ['scopes', 'description'], `type ${name.slice(0, 64)}`);
    const list = t.scopes ?? [];
    if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) throw fail('invalid_request', `types.${name.slice(0, 64)}.scopes must be an array of scope names`);
    const type: ResourceType = { scopes: [...(list as string[])] };
    if (t.description !== undefined) type.description = text(`types.${name.slice(0, 64)}.description`, t.description);
    types[name] = type;
  }
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
  const o = strictObject(body, ['name', 'visible'], 'a group');
  if (typeof o.name !== 'string') throw fail('invalid_request', 'name is required (a string)');
  if (o.visible !== undefined && typeof o.visible !== 'boolean') throw fail('invalid_request', 'visible must be true or false');
  return o.visible === undefined ? { name: o.name } : { name: o.name, visible: o.visible };
}

export function groupToWire(group: Group): Record<string, unknown> {
  return { id: group.id, name: group.name, subject: `group:${group.name}`, visible: group.visible, createdAt: group.createdAt };
}

function idList(member: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > MAX_ENTRIES || !value.every((v) => typeof v === 'string')) throw fail('invalid_request', `${member} must be an array of ids`);
  return value as string[];
}

export function readNewOrganization(body: unknown): { id: string; name?: string; admins?: string[]; clients?: string[] } {
  const o = strictObject(body, ['id', 'name', 'admins', 'clients'], 'an organization');
  if (typeof o.id !== 'string') throw fail('invalid_request', 'id is required (a string)');
  const result: { id: string; name?: string; admins?: string[]; clients?: string[] } = { id: o.id };
  if (o.name !== undefined) result.name = text('name', o.name, 255);
  const admins = idList('admins', o.admins);
  const clients = idList('clients', o.clients);
  if (admins) result.admins = admins;
  if (clients) result.clients = clients;
  return result;
}

export function organizationToWire(org: Organization): Record<string, unknown> {
  return { id: org.id, name: org.name, owner: `org:${org.id}`, admins: org.admins, clients: org.clients, createdAt: org.createdAt };
}

const names = Type.Array(Type.String());

export const ConfigurationSchema = Type.Object(
  {
    scopes: Type.Record(Type.String(), Type.Object({ description: Type.String(), icon_uri: Type.Optional(Type.String({ description: 'Absolute http or https URI.' })) }), { description: 'Scope name → what it lets one do.' }),
    types: Type.Optional(Type.Record(Type.String(), Type.Object({ scopes: names, description: Type.Optional(Type.String()) }), { description: 'Resource type → its template scopes (each a defined scope).' })),
  },
  { $id: 'ResourceServerConfiguration', description: 'A resource server\'s public configuration (ForgeRock\'s UMA scope model). Private scopes never appear in it.' },
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
  { $id: 'NewGroup' },
);

export const OrganizationSchema = Type.Object(
  { id: Type.String(), name: Type.String(), owner: Type.String({ description: '`org:{id}`: owner of its resources and policy subject.' }), admins: names, clients: names, createdAt: Type.Integer() },
  { $id: 'Organization' },
);

export const NewOrganizationSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }),
    name: Type.Optional(Type.String()),
    admins: Type.Optional(Type.Array(Type.String(), { description: 'User ids of its administrators.' })),
    clients: Type.Optional(Type.Array(Type.String(), { description: 'Client ids acting for it (one organization per client).' })),
  },
  { $id: 'NewOrganization' },
);
