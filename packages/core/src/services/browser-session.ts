/**
 * @module services/browser-session
 * The browser's sign-in at the authorization endpoint: who is signed in, and since when (OIDC
 * `auth_time`). Sessions themselves are opened and closed by services/authenticate-user.
 */
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';

export interface BrowserSession {
  user: User;
  /** When the user signed in (seconds since the epoch). */
  authTime: number;
}

/** The signed-in user of a session token, or null when the session is unknown, expired or the user disabled. */
export async function currentSession(ports: Ports, realm: string, token: string | undefined): Promise<BrowserSession | null> {
  if (!token || token.length > 256) return null;
  const session = await ports.store.sessions.get(realm, ports.digest.sha256(token), ports.clock.now());
  if (!session) return null;
  const user = await ports.store.users.get(realm, session.userId);
  return user && !user.disabled ? { user, authTime: session.createdAt } : null;
}
