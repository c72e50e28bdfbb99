/**
 * @module services/login-lockout
 * Progressive lockout after failed passwords, counted twice: per (realm, user name as typed, client
 * address) and per (realm, user name as typed) across all addresses. After `threshold` failures in a
 * row from one address, sign-in under that name from that address is refused for `seconds`, doubled
 * by every further failure up to `maxSeconds`; after `userThreshold` failures from anywhere, sign-in
 * under that name is refused everywhere in the same progressive way. So a few wrong passwords sent
 * from elsewhere cannot lock the owner out of her own address, while guessing spread over many
 * addresses is still bounded. Unknown names are counted exactly like known ones, so neither the
 * answer nor its timing tells whether a user exists. The decision is pure; the counts live in the
 * store (shared by every node).
 */
import { fail } from '../errors.ts';
import type { LoginFailures } from '../ports/store.ts';
import type { Ports } from './ports.ts';

export interface LockoutPolicy {
  /** Failures in a row under one name from one address before the first lockout there; 0 turns lockout off. */
  threshold: number;
  /** Failures in a row under one name from all addresses together before the first lockout everywhere (never fewer than `threshold`); 0: no such ceiling. */
  userThreshold: number;
  /** First lockout, seconds. */
  seconds: number;
  /** Longest lockout, seconds. */
  maxSeconds: number;
  /** Failures are forgotten this many seconds after the last one. */
  resetSeconds: number;
}

/** Until when (epoch seconds) sign-in is refused after these failures, counted against `threshold`; 0 when it is not. */
export function lockedUntil(record: LoginFailures | null, policy: Omit<LockoutPolicy, 'userThreshold'>, now: number): number {
  if (!record || policy.threshold <= 0 || record.failures < policy.threshold) return 0;
  if (now - record.lastFailureAt >= policy.resetSeconds) return 0;
  const doublings = Math.min(record.failures - policy.threshold, 30);
  const until = record.lastFailureAt + Math.min(policy.seconds * 2 ** doublings, policy.maxSeconds);
  return until > now ? until : 0;
}

/** A part of a failure key with no space in it: `%`, space and NUL (which PostgreSQL text refuses) percent-encoded. */
function keyPart(value: string): string {
  return value.replaceAll('%', '%25').replaceAll(' ', '%20').replaceAll('\u0000', '%00');
}

/**
 * The failure counts a sign-in reads and adds to, with the threshold of each: the name at the address
 * (`{name} {address}`), and the name alone. Encoded parts hold no space, so no typed name can stand
 * for another name's count, nor for a count at an address.
 */
function lockoutCounts(policy: LockoutPolicy, username: string, address: string): Array<{ key: string; threshold: number }> {
  const name = keyPart(username);
  const counts = [{ key: `${name} ${keyPart(address)}`, threshold: policy.threshold }];
  if (policy.userThreshold > 0) counts.push({ key: name, threshold: Math.max(policy.userThreshold, policy.threshold) });
  return counts;
}

/** What `beginSignIn` found: call `finish` with the outcome of the password check. */
export interface SignInAttempt {
  finish(succeeded: boolean): Promise<void>;
}

const NOTHING: SignInAttempt = { finish: async () => {} };

/**
 * Throws `too_many_requests` (with `retryAfter`) while the name is locked out at `address` (the
 * client's address as the edge sees it) or everywhere, without looking at the password; otherwise
 * returns the attempt to finish. A success forgets the failures counted at this address and those
 * counted across addresses; another address's count stays.
 */
export async function beginSignIn(ports: Ports, realm: string, username: string, address: string): Promise<SignInAttempt> {
  const policy = ports.lockout;
  if (!policy || policy.threshold <= 0) return NOTHING;
  const counts = lockoutCounts(policy, username, address);
  const records = await Promise.all(counts.map((c) => ports.store.rateLimits.failures(realm, c.key)));
  const now = ports.clock.now();
  const until = Math.max(...counts.map((c, i) => lockedUntil(records[i]!, { ...policy, threshold: c.threshold }, now)));
  if (until > 0) throw fail('too_many_requests', 'Too many failed sign-in attempts; try again later', { retryAfter: until - now });
  return {
    async finish(succeeded) {
      if (succeeded) {
        for (const [i, c] of counts.entries()) if (records[i]) await ports.store.rateLimits.clearFailures(realm, c.key);
        return;
      }
      const at = ports.clock.now();
      for (const c of counts) await ports.store.rateLimits.recordFailure(realm, c.key, at, at - policy.resetSeconds);
    },
  };
}

/**
 * Forgets every failure counted under the user name: at each address and across addresses. An
 * administrator who sets a user's password gives them a fresh start.
 */
export async function forgetSignInFailures(store: Pick<Ports['store'], 'rateLimits'>, realm: string, username: string): Promise<void> {
  const name = keyPart(username);
  await store.rateLimits.clearFailures(realm, name);
  await store.rateLimits.clearFailuresStartingWith(realm, `${name} `);
}
