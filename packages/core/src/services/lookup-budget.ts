/**
 * @module services/lookup-budget
 * How many names one user may try per window, whether through the share dialog's person lookup or by
 * naming subjects in policy writes: one budget per (realm, user), counted in the store's fixed-window
 * counters so it holds across nodes. A lookup spends one unit; a policy write spends one for a subject
 * nobody has (services/owner-policies). Once the budget is spent, lookups and writes naming anyone new
 * answer `too_many_requests` until the window ends, so neither can tell one name from another by
 * going on past the limit.
 */
import { fail, type StewardError } from '../errors.ts';
import type { Ports } from './ports.ts';

/** Names one user may try per window. */
export const LOOKUPS_PER_WINDOW = 60;
/** Seconds of one window. */
export const LOOKUP_WINDOW = 60;

interface Window {
  key: string;
  start: number;
  now: number;
}

function windowOf(ports: Ports, realm: string, userId: string): Window {
  const now = ports.clock.now();
  return { key: `user:lookup:${encodeURIComponent(realm)}:${userId}`, start: now - (now % LOOKUP_WINDOW), now };
}

function spent(w: Window): StewardError {
  return fail('too_many_requests', 'Too many names looked up; try again in a minute', { retryAfter: w.start + LOOKUP_WINDOW - w.now });
}

/** Spends one unit of the user's budget; `too_many_requests` (with `retryAfter`) when it is spent. */
export async function spendLookup(ports: Ports, realm: string, userId: string): Promise<void> {
  const w = windowOf(ports, realm, userId);
  const [count] = await ports.store.rateLimits.hit([w.key], w.start, w.start + LOOKUP_WINDOW);
  if (count! > LOOKUPS_PER_WINDOW) throw spent(w);
}

/** `too_many_requests` (with `retryAfter`) when the user's budget is spent; spends nothing. */
export async function requireLookupBudget(ports: Ports, realm: string, userId: string): Promise<void> {
  const w = windowOf(ports, realm, userId);
  if ((await ports.store.rateLimits.count(w.key, w.start)) >= LOOKUPS_PER_WINDOW) throw spent(w);
}
