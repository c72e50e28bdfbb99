/**
 * @module services/manage-users
 * Realm administration of users (admin API and CLI): add, list, get, set the password, disable/enable,
 * delete.
 * Disabling takes effect at once: the user's sessions end and every token issued to them is revoked.
 * Deleting is refused while anything refers to the user (their resources, their policies, a policy
 * naming them): a new user given the same name must never inherit a share. Disable instead.
 */
import { fail } from '../errors.ts';
import type { User } from '../model/user.ts';
import { forgetSignInFailures } from './login-lockout.ts';
import type { Ports } from './ports.ts';

/** A user as administrators see it: never the password hash. */
export interface UserView {
  id: string;
  username: string;
  email: string | null;
  admin: boolean;
  disabled: boolean;
  createdAt: number;
}

export interface NewUser {
  username: string;
  password: string;
  email?: string | null;
  admin?: boolean;
}

export const MIN_PASSWORD_LENGTH = 8;
const MAX_FIELD = 255;
// Printable, no spaces at either end, no control characters: what a person types at sign-in.
const USERNAME = /^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u;
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;

export function userView(user: User): UserView {
  return { id: user.id, username: user.username, email: user.email, admin: user.admin, disabled: user.disabled, createdAt: user.createdAt };
}

/** Checks a new user's fields; `invalid_request` naming the field. */
export function checkNewUser(input: NewUser): void {
  if (typeof input.username !== 'string' || input.username.length === 0 || input.username.length > MAX_FIELD || !USERNAME.test(input.username)) {
    throw fail('invalid_request', 'username must be 1–255 printable characters without leading or trailing spaces');
  }
  // `client:`, `group:`… name other kinds of policy subjects: a user name never holds a colon.
  if (input.username.includes(':')) throw fail('invalid_request', 'username must not contain : (policy subjects use it for clients and groups)');
  checkPassword(input.password);
  if (input.email !== undefined && input.email !== null && (typeof input.email !== 'string' || input.email.length > MAX_FIELD || !EMAIL.test(input.email))) {
    throw fail('invalid_request', 'email must be an e-mail address');
  }
  if (input.admin !== undefined && typeof input.admin !== 'boolean') throw fail('invalid_request', 'admin must be a boolean');
}

/** Adds a user (password hashed with the PasswordHasher, argon2id). `conflict` when the name exists. */
export async function createUser(ports: Ports, realm: string, input: NewUser): Promise<UserView> {
  checkNewUser(input);
  const user: User = {
    realm,
    id: ports.random.uuid(),
    username: input.username,
    email: input.email ?? null,
    passwordHash: await ports.passwords.hash(input.password),
    admin: input.admin ?? false,
    disabled: false,
    createdAt: ports.clock.now(),
  };
  await ports.store.users.create(user);
  return userView(user);
}

export async function listUsers(ports: Ports, realm: string): Promise<UserView[]> {
  return (await ports.store.users.list(realm)).map(userView);
}

/** The user with this id; `not_found` otherwise. */
export async function getUser(ports: Ports, realm: string, id: string): Promise<UserView> {
  return userView(await loadUser(ports, realm, id));
}

/** The user named `username` (exact); `not_found` otherwise. For the CLI, which speaks in names. */
export async function findUserByName(ports: Ports, realm: string, username: string): Promise<UserView> {
  const user = username.length <= MAX_FIELD ? await ports.store.users.findByUsername(realm, username) : null;
  if (!user) throw fail('not_found', `User ${username.slice(0, 64)} not found`);
  return userView(user);
}

async function loadUser(ports: Ports, realm: string, id: string): Promise<User> {
  const user = id.length <= MAX_FIELD ? await ports.store.users.get(realm, id) : null;
  if (!user) throw fail('not_found', `User ${id.slice(0, 64)} not found`);
  return user;
}

/** Checks a password as `checkNewUser` does; `invalid_request` otherwise. */
function checkPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > 1024) {
    throw fail('invalid_request', `password must be ${MIN_PASSWORD_LENGTH}–1024 characters`);
  }
}

/**
 * Sets the user's password (hashed with the PasswordHasher, argon2id, like at creation) and forgets
 * their failed sign-ins, so a locked-out user can sign in with it at once. Sessions and tokens stay:
 * disable the user to end them.
 */
export async function setUserPassword(ports: Ports, realm: string, id: string, password: string): Promise<UserView> {
  checkPassword(password);
  const passwordHash = await ports.passwords.hash(password);
  const user = await ports.store.transaction(async (tx) => {
    const current = id.length <= MAX_FIELD ? await tx.users.get(realm, id) : null;
    if (!current) throw fail('not_found', `User ${id.slice(0, 64)} not found`);
    const next = { ...current, passwordHash };
    await tx.users.update(next);
    await forgetSignInFailures(tx, realm, current.username);
    return next;
  });
  return userView(user);
}

/**
 * Disables (or enables) the user. Disabling ends their sessions and revokes every token issued to them
 * (access tokens and PATs, RPTs, refresh tokens, PCTs), in one transaction; enabling gives nothing back.
 */
export async function setUserDisabled(ports: Ports, realm: string, id: string, disabled: boolean): Promise<UserView> {
  return ports.store.transaction(async (tx) => {
    const user = id.length <= MAX_FIELD ? await tx.users.get(realm, id) : null;
    if (!user) throw fail('not_found', `User ${id.slice(0, 64)} not found`);
    const next = { ...user, disabled };
    await tx.users.update(next);
    if (disabled) {
      await tx.sessions.deleteForUser(realm, id);
      await tx.tokens.revokeAllFor(realm, { subject: id });
    }
    return userView(next);
  });
}

/**
 * Deletes a user nothing refers to: `conflict` while they own resources or policies or a policy names
 * them. Their sessions, tokens, group memberships and organization admin roles go with them, in one
 * transaction.
 */
export async function deleteUser(ports: Ports, realm: string, id: string): Promise<void> {
  await ports.store.transaction(async (tx) => {
    const user = id.length <= MAX_FIELD ? await tx.users.get(realm, id) : null;
    if (!user) throw fail('not_found', `User ${id.slice(0, 64)} not found`);
    if ((await tx.resources.page(realm, id, { order: 'id', limit: 1 })).length > 0) throw fail('conflict', `User ${user.username} owns resources: delete them first, or disable the user`);
    if ((await tx.policies.page(realm, id, { order: 'id', limit: 1 })).length > 0) throw fail('conflict', `User ${user.username} has sharing policies: delete them first, or disable the user`);
    if (await tx.policies.isSubjectNamed(realm, user.username)) throw fail('conflict', `Policies share resources with ${user.username}: remove them first, or disable the user`);
    await tx.sessions.deleteForUser(realm, id);
    await tx.tokens.revokeAllFor(realm, { subject: id });
    // Memberships name the user by id: none may outlive her (the store has no foreign keys).
    for (const group of await tx.groups.groupsOf(realm, id)) await tx.groups.removeMember(realm, group.id, id);
    for (const org of await tx.organizations.list(realm)) if (org.admins.includes(id)) await tx.organizations.removeAdmin(realm, org.id, id);
    await tx.users.delete(realm, id);
  });
}
