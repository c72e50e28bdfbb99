/**
 * @module services/authenticate-user
 * Verifies a username and password, and opens or resolves a user session (the owner APIs' `tokenId`,
 * the login cookie). A wrong username and a wrong password are indistinguishable to the caller and
 * take the same time (a dummy hash is verified when the user is unknown).
 */
import { fail } from '../errors.ts';
import type { Session } from '../model/session.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';
import { beginSignIn } from './login-lockout.ts';

let dummyHash: Promise<string> | undefined;

/**
 * The user, or null when the credentials do not match an enabled user. Throws `too_many_requests`
 * while the name is locked out after failed passwords, at `address` (the client's address as the edge
 * sees it) or everywhere (services/login-lockout).
 */
export async function verifyPassword(ports: Ports, realm: string, username: string, password: string, address: string): Promise<User | null> {
  if (username.length > 256 || password.length > 1024) return null;
  const attempt = await beginSignIn(ports, realm, username, address);
  const user = await checkPassword(ports, realm, username, password);
  await attempt.finish(user !== null);
  return user;
}

async function checkPassword(ports: Ports, realm: string, username: string, password: string): Promise<User | null> {
  const user = await ports.store.users.findByUsername(realm, username);
  if (!user) {
    dummyHash ??= ports.passwords.hash('not a password of anyone');
    await ports.passwords.verify(await dummyHash, password);
    return null;
  }
  const ok = await ports.passwords.verify(user.passwordHash, password);
  return ok && !user.disabled ? user : null;
}

/** Opens a session for the user; returns the session token (only its hash is stored). */
export async function openSession(ports: Ports, realm: string, userId: string, lifetime: number): Promise<{ token: string; session: Session }> {
  const token = ports.random.token();
  const now = ports.clock.now();
  const session: Session = { realm, hash: ports.digest.sha256(token), userId, createdAt: now, expiresAt: now + lifetime };
  await ports.store.sessions.insert(session);
  return { token, session };
}

/** The signed-in user of a session token, or null when the session is unknown, expired or the user disabled. */
export async function resolveSession(ports: Ports, realm: string, token: string): Promise<User | null> {
  if (!token || token.length > 256) return null;
  const session = await ports.store.sessions.get(realm, ports.digest.sha256(token), ports.clock.now());
  if (!session) return null;
  const user = await ports.store.users.get(realm, session.userId);
  return user && !user.disabled ? user : null;
}

export async function closeSession(ports: Ports, realm: string, token: string): Promise<void> {
  await ports.store.sessions.delete(realm, ports.digest.sha256(token));
}

/** Throws `invalid_grant` unless the credentials match (password grant). */
export async function requirePassword(ports: Ports, realm: string, username: string, password: string, address: string): Promise<User> {
  const user = await verifyPassword(ports, realm, username, password, address);
  if (!user) throw fail('invalid_grant', 'Invalid user credentials');
  return user;
}
