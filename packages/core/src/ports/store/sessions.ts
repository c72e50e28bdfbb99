/** @module ports/store/sessions — browser sessions. */
import type { Session } from '../../model/session.ts';

export interface SessionStore {
  insert(session: Session): Promise<void>;
  /** Null when unknown or expired at `now`. */
  get(realm: string, hash: string, now: number): Promise<Session | null>;
  delete(realm: string, hash: string): Promise<boolean>;
  /** Deletes every session of the user; returns how many. */
  deleteForUser(realm: string, userId: string): Promise<number>;
  /** Deletes at most `limit` sessions that expired before `now` (`expiresAt < now`), any realm; returns how many. */
  purgeExpired(now: number, limit?: number): Promise<number>;
}
