/**
 * @module services/login-lockout
 * Progressive lockout after failed passwords, per (realm, user name as typed): after `threshold`
 * failures in a row, sign-in under that name is refused for `seconds`, doubled by every further
 * failure up to `maxSeconds`. Unknown names are counted exactly like known ones, so neither the
 * answer nor its timing tells whether a user exists. The decision is pure; the counts live in the
 * store (shared by every node).
 */
import { fail } from '../errors.ts';
import type { LoginFailures } from '../ports/store.ts';
import type { Ports } from './ports.ts';

export interface LockoutPolicy {
  /** Failures in a row before the first lockout; 0 turns lockout off. */
  threshold: number;
  /** First lockout, seconds. */
  seconds: number;
  /** Longest lockout, seconds. */
  maxSeconds: number;
  /** Failures are forgotten this many seconds after the last one. */
  resetSeconds: number;
}

/** Until when (epoch seconds) sign-in is refused after these failures; 0 when it is not. */
export function lockedUntil(record: LoginFailures | null, policy: LockoutPolicy, now: number): number {
  if (!record || policy.threshold <= 0 || record.failures < policy.threshold) return 0;
  if (now - record.lastFailureAt >= policy.resetSeconds) return 0;
  const doublings = Math.min(record.failures - policy.threshold, 30);
  const until = record.lastFailureAt + Math.min(policy.seconds * 2 ** doublings, policy.maxSeconds);
  return until > now ? until : 0;
}

/** What `beginSignIn` found: call `finish` with the outcome of the password check. */
export interface SignInAttempt {
  finish(succeeded: boolean): Promise<void>;
}

const NOTHING: SignInAttempt = { finish: async () => {} };

/**
 * Throws `too_many_requests` (with `retryAfter`) while the name is locked out, without looking at the
 * password; otherwise returns the attempt to finish. A success forgets earlier failures.
 */
export async function beginSignIn(ports: Ports, realm: string, username: string): Promise<SignInAttempt> {
  const policy = ports.lockout;
  if (!policy || policy.threshold <= 0) return NOTHING;
  const record = await ports.store.rateLimits.failures(realm, username);
  const now = ports.clock.now();
  const until = lockedUntil(record, policy, now);
  if (until > 0) throw fail('too_many_requests', 'Too many failed sign-in attempts; try again later', { retryAfter: until - now });
  return {
    async finish(succeeded) {
      if (succeeded) {
        if (record) await ports.store.rateLimits.clearFailures(realm, username);
        return;
      }
      const at = ports.clock.now();
      await ports.store.rateLimits.recordFailure(realm, username, at, at - policy.resetSeconds);
    },
  };
}
