/**
 * @module services/realm-document-extras
 * The parts of a realm document beyond users, clients, resources and policies: groups (with their
 * members' user ids), organizations (admins' user ids, clients) and resource-server configurations.
 * Export, checks and writes, used by services/realm-export.ts and services/realm-import.ts.
 */
import { fail, shown } from '../errors.ts';
import { GROUP_NAME_PATTERN, type Group } from '../model/group.ts';
import { ORG_ID_PATTERN, type Organization } from '../model/organization.ts';
import type { ResourceServerConfig, ResourceType, ScopeDefinition } from '../model/resource-server-config.ts';
import type { Store } from '../ports/store.ts';
import { checkConfiguration } from './resource-types.ts';

export interface DocumentGroup {
  id: string;
  name: string;
  visible: boolean;
  createdAt: number;
  /** User ids, ordered. */
  members: string[];
}
export type DocumentOrganization = Omit<Organization, 'realm'>;
export type DocumentResourceServer = Omit<ResourceServerConfig, 'realm'>;

export interface RealmExtras {
  groups: DocumentGroup[];
  organizations: DocumentOrganization[];
  resourceServers: DocumentResourceServer[];
}

export async function exportExtras(store: Pick<Store, 'groups' | 'organizations' | 'resourceServerConfigs'>, realm: string, clientIds: string[]): Promise<RealmExtras> {
  const groups: DocumentGroup[] = [];
  for (const g of await store.groups.list(realm)) {
    groups.push({ id: g.id, name: g.name, visible: g.visible, createdAt: g.createdAt, members: [...(await store.groups.members(realm, g.id))].sort() });
  }
  const organizations = (await store.organizations.list(realm)).map(({ realm: _r, ...o }) => ({ ...o, admins: [...o.admins].sort(), clients: [...o.clients].sort() }));
  const resourceServers: DocumentResourceServer[] = [];
  for (const id of clientIds) {
    const config = await store.resourceServerConfigs.get(realm, id);
    if (config) {
      const { realm: _r, ...rest } = config;
      resourceServers.push(rest);
    }
  }
  return { groups, organizations, resourceServers };
}

type Obj = Record<string, unknown>;
type Check = (value: unknown, where: string, members: readonly string[], optional?: readonly string[]) => Obj;

function bad(where: string, problem: string): never {
  throw fail('invalid_request', `${where}: ${problem}`);
}

const ids = (v: unknown, where: string, known: Set<string>, what: string): string[] => {
  if (!Array.isArray(v)) bad(where, 'must be an array');
  for (const x of v) if (typeof x !== 'string' || !known.has(x)) bad(where, `'${shown(x, 64)}' is no ${what} of the document`);
  return [...new Set(v as string[])].sort();
};
const time = (v: unknown, where: string): number => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : bad(where, 'must be a time in seconds'));

/** Checks the extras of a document (each list optional: absent means none). */
export function readExtras(top: Obj, object: Check, userIds: Set<string>, clientIds: Set<string>): RealmExtras {
  const list = (key: string): unknown[] => (top[key] === undefined ? [] : Array.isArray(top[key]) ? (top[key] as unknown[]) : bad(key, 'must be an array'));
  const groupNames = new Set<string>();
  const groupIds = new Set<string>();
  const groups = list('groups').map((value, i): DocumentGroup => {
    const w = `groups[${i}]`;
    const g = object(value, w, ['id', 'name', 'visible', 'createdAt', 'members']);
    if (typeof g.id !== 'string' || g.id === '' || g.id.length > 255 || groupIds.has(g.id)) bad(`${w}.id`, 'must be a unique non-empty string');
    if (typeof g.name !== 'string' || !GROUP_NAME_PATTERN.test(g.name) || groupNames.has(g.name)) bad(`${w}.name`, 'must be a unique group name');
    if (typeof g.visible !== 'boolean') bad(`${w}.visible`, 'must be true or false');
    groupIds.add(g.id);
    groupNames.add(g.name);
    return { id: g.id, name: g.name, visible: g.visible, createdAt: time(g.createdAt, `${w}.createdAt`), members: ids(g.members, `${w}.members`, userIds, 'user') };
  });
  const orgIds = new Set<string>();
  const orgClients = new Set<string>();
  const organizations = list('organizations').map((value, i): DocumentOrganization => {
    const w = `organizations[${i}]`;
    const o = object(value, w, ['id', 'name', 'admins', 'clients', 'createdAt']);
    if (typeof o.id !== 'string' || !ORG_ID_PATTERN.test(o.id) || orgIds.has(o.id)) bad(`${w}.id`, 'must be a unique organization id');
    if (typeof o.name !== 'string' || o.name === '' || o.name.length > 255) bad(`${w}.name`, 'must be a non-empty string');
    orgIds.add(o.id);
    const clients = ids(o.clients, `${w}.clients`, clientIds, 'client');
    for (const c of clients) {
      if (orgClients.has(c)) bad(`${w}.clients`, `'${c}' acts for two organizations`);
      orgClients.add(c);
    }
    return { id: o.id, name: o.name, admins: ids(o.admins, `${w}.admins`, userIds, 'user'), clients, createdAt: time(o.createdAt, `${w}.createdAt`) };
  });
  const servers = new Set<string>();
  const resourceServers = list('resourceServers').map((value, i): DocumentResourceServer => {
    const w = `resourceServers[${i}]`;
    const r = object(value, w, ['resourceServer', 'scopes', 'types', 'updatedAt']);
    if (typeof r.resourceServer !== 'string' || !clientIds.has(r.resourceServer) || servers.has(r.resourceServer)) bad(`${w}.resourceServer`, 'must name a client of the document, once');
    servers.add(r.resourceServer);
    const scopes = Object.entries(object(r.scopes, `${w}.scopes`, [], Object.keys((r.scopes as Obj | null) ?? {}))).map(([name, def]): [string, ScopeDefinition] => {
      const d = object(def, `${w}.scopes.${name}`, ['description'], ['iconUri']);
      if (typeof d.description !== 'string' || (d.iconUri !== undefined && typeof d.iconUri !== 'string')) bad(`${w}.scopes.${name}`, 'description (and iconUri) must be strings');
      return [name, d.iconUri === undefined ? { description: d.description } : { description: d.description, iconUri: d.iconUri }];
    });
    const types = Object.entries(object(r.types, `${w}.types`, [], Object.keys((r.types as Obj | null) ?? {}))).map(([name, def]): [string, ResourceType] => {
      const t = object(def, `${w}.types.${name}`, ['scopes'], ['description']);
      if (!Array.isArray(t.scopes) || t.scopes.some((s) => typeof s !== 'string') || (t.description !== undefined && typeof t.description !== 'string')) bad(`${w}.types.${name}`, 'scopes must be strings');
      return [name, t.description === undefined ? { scopes: t.scopes } : { scopes: t.scopes, description: t.description }];
    });
    // Object.fromEntries defines own members, whatever the names (`__proto__` included).
    const config: Pick<ResourceServerConfig, 'scopes' | 'types'> = { scopes: Object.fromEntries(scopes), types: Object.fromEntries(types) };
    try {
      checkConfiguration(config);
    } catch (e) {
      bad(w, (e as { description?: string }).description ?? 'invalid');
    }
    return { resourceServer: r.resourceServer, ...config, updatedAt: time(r.updatedAt, `${w}.updatedAt`) };
  });
  return { groups, organizations, resourceServers };
}

/** Writes the extras of a realm being imported (inside its transaction). */
export async function writeExtras(tx: Pick<Store, 'groups' | 'organizations' | 'resourceServerConfigs'>, realm: string, extras: RealmExtras): Promise<void> {
  for (const g of extras.groups) {
    const group: Group = { realm, id: g.id, name: g.name, visible: g.visible, createdAt: g.createdAt };
    await tx.groups.create(group);
    for (const member of g.members) await tx.groups.addMember(realm, g.id, member);
  }
  for (const o of extras.organizations) await tx.organizations.create({ realm, ...o });
  for (const r of extras.resourceServers) await tx.resourceServerConfigs.put({ realm, ...r });
}
