/**
 * @module services/realm-import
 * Creates a realm from a document of services/realm-export.ts. Everything is checked before anything is
 * written — unknown members, wrong types, repeated ids, references to users, clients or resources the
 * document does not hold, policies naming a public client, plain passwords — and then the realm is
 * written in one transaction, so a refused document leaves the database as it was. The realm must not exist yet (`conflict`).
 */
import { fail } from '../errors.ts';
import { isJsonObject } from '../model/json.ts';
import { isPublicClient, type Client } from '../model/client.ts';
import { CLIENT_SUBJECT_PREFIX, type Policy } from '../model/policy.ts';
import { DEFAULT_REALM_SETTINGS, REALM_ID_PATTERN, type Realm, type RealmSettings } from '../model/realm.ts';
import { readRealmSettingsPatch } from '../model/realm-settings.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import { checkNewClient } from './manage-clients.ts';
import { checkNewUser } from './manage-users.ts';
import { publicClientSubjectProblem } from './policy-subjects.ts';
import { readExtras, writeExtras, type RealmExtras } from './realm-document-extras.ts';
import { newSigningKey } from './rotate-keys.ts';
import { GROUP_SUBJECT_PREFIX } from '../model/group.ts';
import { ORG_SUBJECT_PREFIX } from '../model/organization.ts';
import { REALM_EXPORT_FORMAT, REALM_EXPORT_VERSION } from './realm-export.ts';
import type { Ports } from './ports.ts';

type Obj = Record<string, unknown>;

function bad(where: string, problem: string): never {
  throw fail('invalid_request', `${where}: ${problem}`);
}

function object(value: unknown, where: string, members: readonly string[], optional: readonly string[] = []): Obj {
  if (!isJsonObject(value)) bad(where, 'must be an object');
  for (const k of Object.keys(value)) if (!members.includes(k) && !optional.includes(k)) bad(where, `unknown member '${k.slice(0, 64)}'`);
  for (const k of members) if (!(k in value)) bad(where, `member ${k} is missing`);
  return value as Obj;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) bad(where, 'must be an array');
  return value;
}

const str = (v: unknown, where: string, max = 2048): string => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : bad(where, 'must be a non-empty string'));
const strOrNull = (v: unknown, where: string): string | null => (v === null ? null : str(v, where));
const bool = (v: unknown, where: string): boolean => (typeof v === 'boolean' ? v : bad(where, 'must be true or false'));
const time = (v: unknown, where: string): number => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : bad(where, 'must be a time in seconds'));
const strings = (v: unknown, where: string): string[] => list(v, where).map((s, i) => str(s, `${where}[${i}]`, 256));

/** Realm settings as a document or an admin request gives them: known members only, defaults for the rest. */
export function readRealmSettings(value: unknown): RealmSettings {
  return { ...DEFAULT_REALM_SETTINGS, ...readRealmSettingsPatch(value, 'realm.settings') };
}

function unique(values: string[], where: string): Set<string> {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) bad(where, `'${v.slice(0, 64)}' appears twice`);
    seen.add(v);
  }
  return seen;
}

/** Checks the whole document; returns the records to write. */
export function readRealmDocument(doc: unknown): { realm: Realm; users: User[]; clients: Client[]; resources: Resource[]; policies: Policy[]; extras: RealmExtras } {
  const top = object(doc, 'document', ['format', 'version', 'realm', 'users', 'clients', 'resources', 'policies'], ['groups', 'organizations', 'resourceServers']);
  if (top.format !== REALM_EXPORT_FORMAT) bad('format', `must be "${REALM_EXPORT_FORMAT}"`);
  if (top.version !== REALM_EXPORT_VERSION) bad('version', `must be ${REALM_EXPORT_VERSION}`);
  const r = object(top.realm, 'realm', ['id', 'displayName', 'settings', 'createdAt']);
  const realmId = str(r.id, 'realm.id', 64);
  if (!REALM_ID_PATTERN.test(realmId)) bad('realm.id', 'must be 1–64 lower-case letters, digits, - or _');
  const realm: Realm = { id: realmId, displayName: str(r.displayName, 'realm.displayName', 255), settings: readRealmSettings(r.settings), createdAt: time(r.createdAt, 'realm.createdAt') };

  const users = list(top.users, 'users').map((value, i): User => {
    const w = `users[${i}]`;
    const u = object(value, w, ['id', 'username', 'email', 'passwordHash', 'admin', 'disabled', 'createdAt']);
    const passwordHash = str(u.passwordHash, `${w}.passwordHash`, 1024);
    if (!passwordHash.startsWith('$argon2')) bad(`${w}.passwordHash`, 'must be an argon2 hash (passwords are never imported in clear)');
    try {
      checkNewUser({ username: u.username as string, password: 'placeholder-for-checks', email: u.email as string | null });
    } catch (e) {
      bad(w, (e as Error & { description?: string }).description ?? 'invalid');
    }
    return { realm: realmId, id: str(u.id, `${w}.id`, 255), username: u.username as string, email: strOrNull(u.email, `${w}.email`), passwordHash, admin: bool(u.admin, `${w}.admin`), disabled: bool(u.disabled, `${w}.disabled`), createdAt: time(u.createdAt, `${w}.createdAt`) };
  });
  const userIds = unique(users.map((u) => u.id), 'users: id');
  const usernames = unique(users.map((u) => u.username), 'users: username');

  const clients = list(top.clients, 'clients').map((value, i): Client => {
    const w = `clients[${i}]`;
    const c = object(value, w, ['clientId', 'secretHash', 'name', 'grantTypes', 'redirectUris', 'claimsRedirectUris', 'umaScopes', 'signingAlg', 'rptRefreshTokens', 'disabled', 'createdAt']);
    const secretHash = c.secretHash === null ? null : typeof c.secretHash === 'string' && /^[0-9a-f]{64}$/.test(c.secretHash) ? c.secretHash : bad(`${w}.secretHash`, 'must be null or a SHA-256 in hex');
    let fields;
    try {
      fields = checkNewClient({ clientId: c.clientId as string, name: c.name as string, public: secretHash === null, grantTypes: c.grantTypes as string[], redirectUris: c.redirectUris as string[], claimsRedirectUris: c.claimsRedirectUris as string[], umaScopes: c.umaScopes as string[], signingAlg: c.signingAlg as string | null, rptRefreshTokens: c.rptRefreshTokens as boolean });
    } catch (e) {
      bad(w, (e as Error & { description?: string }).description ?? 'invalid');
    }
    return { realm: realmId, ...fields, grantTypes: c.grantTypes as Client['grantTypes'], redirectUris: c.redirectUris as string[], claimsRedirectUris: c.claimsRedirectUris as string[], umaScopes: c.umaScopes as string[], secretHash, disabled: bool(c.disabled, `${w}.disabled`), createdAt: time(c.createdAt, `${w}.createdAt`) };
  });
  const clientIds = unique(clients.map((c) => c.clientId), 'clients: clientId');
  const publicClientIds = new Set(clients.filter(isPublicClient).map((c) => c.clientId));
  const extras = readExtras(top, object, userIds, clientIds);
  const orgIds = new Set(extras.organizations.map((o) => o.id));
  const groupNames = new Set(extras.groups.map((g) => g.name));
  const isParty = (id: string) => userIds.has(id) || clientIds.has(id) || (id.startsWith(ORG_SUBJECT_PREFIX) && orgIds.has(id.slice(ORG_SUBJECT_PREFIX.length)));

  const resources = list(top.resources, 'resources').map((value, i): Resource => {
    const w = `resources[${i}]`;
    const x = object(value, w, ['id', 'owner', 'resourceServer', 'name', 'type', 'iconUri', 'description', 'scopes', 'extra', 'createdAt', 'updatedAt']);
    const owner = str(x.owner, `${w}.owner`, 255);
    if (!isParty(owner)) bad(`${w}.owner`, `'${owner.slice(0, 64)}' is no user or client of the document`);
    const resourceServer = str(x.resourceServer, `${w}.resourceServer`, 255);
    if (!clientIds.has(resourceServer)) bad(`${w}.resourceServer`, `'${resourceServer.slice(0, 64)}' is no client of the document`);
    const extra = object(x.extra, `${w}.extra`, [], Object.keys((x.extra as Obj | null) ?? {}));
    return { realm: realmId, id: str(x.id, `${w}.id`, 256), owner, resourceServer, name: strOrNull(x.name, `${w}.name`), type: strOrNull(x.type, `${w}.type`), iconUri: strOrNull(x.iconUri, `${w}.iconUri`), description: strOrNull(x.description, `${w}.description`), scopes: strings(x.scopes, `${w}.scopes`), extra, createdAt: time(x.createdAt, `${w}.createdAt`), updatedAt: time(x.updatedAt, `${w}.updatedAt`) };
  });
  unique(resources.map((x) => x.id), 'resources: id');
  const byId = new Map(resources.map((x) => [x.id, x]));

  const policies = list(top.policies, 'policies').map((value, i): Policy => {
    const w = `policies[${i}]`;
    const p = object(value, w, ['id', 'owner', 'rev', 'permissions', 'createdAt', 'updatedAt'], ['resourceOwner']);
    const id = str(p.id, `${w}.id`, 256);
    const resource = byId.get(id) ?? bad(`${w}.id`, `'${id.slice(0, 64)}' is no resource of the document`);
    const owner = str(p.owner, `${w}.owner`, 255);
    if (!isParty(owner)) bad(`${w}.owner`, `'${owner.slice(0, 64)}' is no user or client of the document`);
    if (p.resourceOwner === undefined ? owner !== resource.owner : p.resourceOwner !== resource.owner || owner === resource.owner) {
      bad(w, 'owner and resourceOwner do not match the resource\'s owner');
    }
    const permissions = list(p.permissions, `${w}.permissions`).map((perm, j) => {
      const pw = `${w}.permissions[${j}]`;
      const q = object(perm, pw, ['subject', 'scopes'], ['conditions']);
      const subject = str(q.subject, `${pw}.subject`, 512);
      const named = subject.startsWith(CLIENT_SUBJECT_PREFIX)
        ? clientIds.has(subject.slice(CLIENT_SUBJECT_PREFIX.length))
        : subject.startsWith(GROUP_SUBJECT_PREFIX)
          ? groupNames.has(subject.slice(GROUP_SUBJECT_PREFIX.length))
          : subject.startsWith(ORG_SUBJECT_PREFIX)
            ? orgIds.has(subject.slice(ORG_SUBJECT_PREFIX.length))
            : usernames.has(subject);
      if (!named) bad(`${pw}.subject`, `'${subject.slice(0, 64)}' names no user, client, group or organization of the document`);
      if (subject.startsWith(CLIENT_SUBJECT_PREFIX) && publicClientIds.has(subject.slice(CLIENT_SUBJECT_PREFIX.length))) bad(`${pw}.subject`, publicClientSubjectProblem(subject));
      const out: Policy['permissions'][number] = { subject, scopes: strings(q.scopes, `${pw}.scopes`) };
      if (q.conditions !== undefined) {
        const c = object(q.conditions, `${pw}.conditions`, [], ['expiresAt', 'clientIds']);
        out.conditions = {};
        if (c.expiresAt !== undefined) out.conditions.expiresAt = time(c.expiresAt, `${pw}.conditions.expiresAt`);
        if (c.clientIds !== undefined) out.conditions.clientIds = strings(c.clientIds, `${pw}.conditions.clientIds`);
      }
      return out;
    });
    const policy: Policy = { realm: realmId, id, owner, rev: str(p.rev, `${w}.rev`, 128), permissions, createdAt: time(p.createdAt, `${w}.createdAt`), updatedAt: time(p.updatedAt, `${w}.updatedAt`) };
    if (p.resourceOwner !== undefined) policy.resourceOwner = p.resourceOwner as string;
    return policy;
  });
  unique(policies.map((p) => `${p.id} of ${p.owner}`), 'policies');
  return { realm, users, clients, resources, policies, extras };
}

/** Checks `doc` and writes the realm in one transaction; returns what was written, counted. */
export async function importRealm(ports: Ports, doc: unknown): Promise<{ realm: string; users: number; clients: number; resources: number; policies: number; groups: number; organizations: number }> {
  const data = readRealmDocument(doc);
  if (await ports.store.realms.get(data.realm.id)) throw fail('conflict', `Realm ${data.realm.id} already exists`);
  const now = ports.clock.now();
  const keys = [await newSigningKey(ports, data.realm.id, 'ES256', now, now), await newSigningKey(ports, data.realm.id, 'RS256', now, now)];
  await ports.store.transaction(async (tx) => {
    await tx.realms.create(data.realm);
    for (const key of keys) await tx.keys.insert(key);
    for (const user of data.users) await tx.users.create(user);
    for (const client of data.clients) await tx.clients.create(client);
    await writeExtras(tx, data.realm.id, data.extras);
    for (const resource of data.resources) await tx.resources.insert(resource);
    for (const policy of data.policies) if (!(await tx.policies.create(policy))) throw fail('conflict', `policy ${policy.id} of ${policy.owner} repeated`);
  });
  return { realm: data.realm.id, users: data.users.length, clients: data.clients.length, resources: data.resources.length, policies: data.policies.length, groups: data.extras.groups.length, organizations: data.extras.organizations.length };
}

