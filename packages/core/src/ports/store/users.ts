/** @module ports/store/users — the users of a realm. */
import type { User } from '../../model/user.ts';

export interface UserStore {
  get(realm: string, id: string): Promise<User | null>;
  /** Exact, case-sensitive match. For sign-in and for resolving policy subjects. */
  findByUsername(realm: string, username: string): Promise<User | null>;
  /**
   * The users of the realm whose e-mail is exactly `email` (case-sensitive), ordered by username, at most
   * `limit` (the caller asks for 2 to tell one match from several). For the share dialog's exact lookup;
   * not indexed by e-mail, so it reads the realm's users in the database: never on a grant's path.
   */
  findByEmail(realm: string, email: string, limit: number): Promise<User[]>;
  /** Throws `conflict` when the username exists in the realm. */
  create(user: User): Promise<void>;
  /** Ordered by username. */
  list(realm: string): Promise<User[]>;
  /**
   * Replaces email, password hash, admin and disabled of the user (realm, id); the username and
   * createdAt never change. Returns false when absent.
   */
  update(user: User): Promise<boolean>;
  /** Deletes the user row only (the caller deals with what refers to it). Returns false when absent. */
  delete(realm: string, id: string): Promise<boolean>;
}
