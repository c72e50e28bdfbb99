/**
 * @module services/organizations
 * Organizations as resource owners and requesting parties (the Kantara UMA Implementer's Guide). An organization owns
 * resources as `org:{id}`: a client linked to it obtains, with client_credentials, a PAT whose subject
 * is `org:{id}`. Its administrators (users) manage its policies through the owner API under the name
 * `org:{id}`; nobody else may. A linked client acting for itself is a requesting party that policies
 * naming `org:{id}` (or `client:{clientId}`) grant to.
 */
import { fail } from '../errors.ts';
import type { Client } from '../model/client.ts';
import { ORG_ID_PATTERN, ORG_SUBJECT_PREFIX, orgSubject, type Organization } from '../model/organization.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';

function notFound(id: string): never {
  throw fail('not_found', `Organization ${id.slice(0, 100)} not found`);
}

function lookupable(value: string): boolean {
  return value.length > 0 && value.length <= 256 && !value.includes('\u0000');
}

/** Creates an organization with its administrators (user ids) and clients (client ids), all of which must exist. */
export async function createOrganization(ports: Ports, input: { realm: string; id: string; name?: string; admins?: string[]; clients?: string[] }): Promise<Organization> {
  const { realm, id } = input;
  if (!ORG_ID_PATTERN.test(id)) throw fail('invalid_request', `Organization id '${id.slice(0, 100)}' is not allowed: use 1–64 lower-case letters, digits, '-' or '_'`);
  const admins = [...new Set(input.admins ?? [])];
  const clients = [...new Set(input.clients ?? [])];
  for (const userId of admins) await requireUser(ports, realm, userId);
  for (const clientId of clients) await requireClient(ports, realm, clientId);
  const org: Organization = { realm, id, name: input.name ?? id, admins, clients, createdAt: ports.clock.now() };
  try {
    await ports.store.organizations.create(org);
  } catch (e) {
    if ((e as { code?: string }).code === 'conflict') throw fail('conflict', `Organization '${id}' already exists, or one of its clients acts for another organization`);
    throw e;
  }
  return org;
}

export async function readOrganization(ports: Ports, realm: string, id: string): Promise<Organization> {
  const org = lookupable(id) ? await ports.store.organizations.get(realm, id) : null;
  return org ?? notFound(id);
}

export function listOrganizations(ports: Ports, realm: string): Promise<Organization[]> {
  return ports.store.organizations.list(realm);
}

/**
 * Deletes the organization; `conflict` while it owns resources or a policy names it as `org:{id}` (a
 * new organization given the same id would otherwise own them, or hold the share).
 */
export async function deleteOrganization(ports: Ports, realm: string, id: string): Promise<void> {
  await ports.store.transaction(async (tx) => {
    const org = lookupable(id) ? await tx.organizations.get(realm, id) : null;
    if (!org) notFound(id);
    const subject = orgSubject(id);
    if ((await tx.resources.page(realm, subject, { order: 'id', limit: 1 })).length > 0) throw fail('conflict', `Resources owned by ${subject} exist: delete them first`);
    if (await tx.policies.isSubjectNamed(realm, subject)) throw fail('conflict', `Policies share resources with ${subject}: remove them first`);
    await tx.organizations.delete(realm, id);
  });
}

/** Makes a user (by id) an administrator of the organization. Idempotent. */
export async function addOrganizationAdmin(ports: Ports, input: { realm: string; id: string; userId: string }): Promise<void> {
  await readOrganization(ports, input.realm, input.id);
  await requireUser(ports, input.realm, input.userId);
  if (!(await ports.store.organizations.addAdmin(input.realm, input.id, input.userId))) notFound(input.id);
}

export async function removeOrganizationAdmin(ports: Ports, input: { realm: string; id: string; userId: string }): Promise<void> {
  await readOrganization(ports, input.realm, input.id);
  if (!lookupable(input.userId) || !(await ports.store.organizations.removeAdmin(input.realm, input.id, input.userId))) {
    throw fail('not_found', `User ${input.userId.slice(0, 100)} is not an administrator of organization ${input.id}`);
  }
}

/** Links a client to the organization: it then acts for it. A client acts for one organization at most (409). */
export async function addOrganizationClient(ports: Ports, input: { realm: string; id: string; clientId: string }): Promise<void> {
  await readOrganization(ports, input.realm, input.id);
  await requireClient(ports, input.realm, input.clientId);
  try {
    if (!(await ports.store.organizations.addClient(input.realm, input.id, input.clientId))) notFound(input.id);
  } catch (e) {
    if ((e as { code?: string }).code === 'conflict') throw fail('conflict', `Client ${input.clientId} already acts for another organization`);
    throw e;
  }
}

export async function removeOrganizationClient(ports: Ports, input: { realm: string; id: string; clientId: string }): Promise<void> {
  await readOrganization(ports, input.realm, input.id);
  if (!lookupable(input.clientId) || !(await ports.store.organizations.removeClient(input.realm, input.id, input.clientId))) {
    throw fail('not_found', `Client ${input.clientId.slice(0, 100)} does not act for organization ${input.id}`);
  }
}

/** The subject of a client_credentials token: `org:{id}` when the client acts for an organization, else the client id. */
export async function clientCredentialsSubject(ports: Ports, client: Client): Promise<string> {
  const org = await ports.store.organizations.ofClient(client.realm, client.clientId);
  return org ? orgSubject(org.id) : client.clientId;
}

/**
 * The owner an `org:{id}` name in the owner API stands for, when `actor` may act on it: an
 * administrator of the organization may do anything; a realm administrator may read and delete, as for
 * users; anyone else gets 403 (whether or not the organization exists). The owner is returned in the
 * shape of a user whose id and username are both `org:{id}` (no password, never signs in).
 */
export async function resolveOrganizationOwner(ports: Ports, input: { realm: string; actor: User; name: string; action: 'read' | 'write' | 'delete' }): Promise<User> {
  const id = input.name.slice(ORG_SUBJECT_PREFIX.length);
  const org = ORG_ID_PATTERN.test(id) ? await ports.store.organizations.get(input.realm, id) : null;
  const isAdmin = org !== null && org.admins.includes(input.actor.id);
  if (!isAdmin && !(input.actor.admin && input.action !== 'write' && org !== null)) {
    throw fail('forbidden', `${input.actor.username} is not an administrator of organization ${id.slice(0, 64)}: only its administrators manage its policies`);
  }
  return organizationAsOwner(org!);
}

/** The organization in the owner shape the policy services take. */
export function organizationAsOwner(org: Organization): User {
  const subject = orgSubject(org.id);
  return { realm: org.realm, id: subject, username: subject, email: null, passwordHash: '', admin: false, disabled: false, createdAt: org.createdAt };
}

async function requireUser(ports: Ports, realm: string, userId: string): Promise<void> {
  if (!lookupable(userId) || !(await ports.store.users.get(realm, userId))) throw fail('not_found', `User ${userId.slice(0, 100)} not found`);
}

async function requireClient(ports: Ports, realm: string, clientId: string): Promise<void> {
  if (!lookupable(clientId) || !(await ports.store.clients.get(realm, clientId))) throw fail('not_found', `Client ${clientId.slice(0, 100)} not found`);
}

/**
 * Whether a PAT with subject `org:{id}` issued to `clientId` still acts for the organization: it exists
 * and the client is still linked to it. In the shape the PAT check reads (`disabled`), or null.
 */
export async function organizationPatOwner(ports: Pick<Ports, 'store'>, realm: string, subject: string, clientId: string): Promise<{ disabled: boolean } | null> {
  const id = subject.slice(ORG_SUBJECT_PREFIX.length);
  const org = ORG_ID_PATTERN.test(id) ? await ports.store.organizations.get(realm, id) : null;
  return org && org.clients.includes(clientId) ? { disabled: false } : null;
}
