/** @module ports/store/rate-limits — rate-limit counters and sign-in failures, shared by every node. */

/** Failed sign-ins in a row under one (realm, key): a user name, or a user name at a client address (services/login-lockout). */
export interface LoginFailures {
  failures: number;
  /** Seconds since the epoch. */
  lastFailureAt: number;
}

/**
 * Rate-limit and lockout state, shared by every node through the database. Keys are opaque strings the
 * caller builds (they name the limit and the client address or client id); user names are exact.
 */
export interface RateLimitStore {
  /**
   * Adds one hit to the counter of each key for the window starting at `windowStart` (a new counter
   * starts at 1) and returns each key's count after it, in the order of `keys` (a key given twice is
   * counted once, and both positions get its count). One atomic statement: concurrent hits, from any
   * number of processes, are each counted exactly once. `expiresAt` is when the counter may be purged.
   */
  hit(keys: string[], windowStart: number, expiresAt: number): Promise<number[]>;
  /** The count of `key` in the window starting at `windowStart`, without adding a hit (0 when none). */
  count(key: string, windowStart: number): Promise<number>;
  /** The failures recorded for (realm, key); null when none. Keys are exact. */
  failures(realm: string, key: string): Promise<LoginFailures | null>;
  /**
   * Atomically counts one more failure at `now` and returns the record after it. The count starts
   * again at 1 when the previous failure was before `resetBefore`. Concurrent failures are each counted.
   */
  recordFailure(realm: string, key: string, now: number, resetBefore: number): Promise<LoginFailures>;
  /** Forgets the failures of (realm, key); nothing happens when there are none. */
  clearFailures(realm: string, key: string): Promise<void>;
  /** Forgets the failures of every (realm, key) whose key starts with `prefix` (compared exactly, no pattern). */
  clearFailuresStartingWith(realm: string, prefix: string): Promise<void>;
  /** Deletes counters with `expiresAt < now` and failure records last failed before `forgetBefore`; returns how many rows. */
  purgeExpired(now: number, forgetBefore: number): Promise<number>;
}
