/**
 * @module decision/scopes
 * The scope set math of UMA Grant §3.3.4 and the Implementer's Guide ("Set Math"): A = client
 * registered, B = client requested, C = ticket scopes, D = resource scopes, E = C ∪ (A ∩ B ∩ D),
 * F = satisfied policy conditions (⊆ D), G = E ∩ F. Sets are arrays without duplicates, in first-seen
 * order, so results are deterministic.
 */

/** The distinct elements of `a` in first-seen order. */
export function distinct(a: Iterable<string>): string[] {
  return [...new Set(a)];
}

/** a ∪ b, keeping the order of `a` then the new elements of `b`. */
export function union(a: readonly string[], b: readonly string[]): string[] {
  return distinct([...a, ...b]);
}

/** a ∩ b, in the order of `a`. */
export function intersect(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return distinct(a.filter((s) => other.has(s)));
}

/** a \ b, in the order of `a`. */
export function difference(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return distinct(a.filter((s) => !other.has(s)));
}

/** True when every element of `a` is in `b`. */
export function isSubset(a: readonly string[], b: readonly string[]): boolean {
  const other = new Set(b);
  return a.every((s) => other.has(s));
}

/** The scopes of a space-separated `scope` parameter (RFC 6749 §3.3), without empties or duplicates. */
export function splitScope(scope: string | undefined): string[] {
  return scope === undefined ? [] : distinct(scope.split(' ').filter((s) => s !== ''));
}

/**
 * RequestedScopes for one resource (E): the ticket's scopes for it, plus the client-requested scopes
 * the client pre-registered (A ∩ B) that this resource offers (D). A requested scope is never added
 * to a resource that does not offer it.
 */
export function requestedScopes(
  ticketScopes: readonly string[],
  clientRegistered: readonly string[],
  clientRequested: readonly string[],
  resourceScopes: readonly string[],
): string[] {
  return union(ticketScopes, intersect(intersect(clientRequested, clientRegistered), resourceScopes));
}

/** CandidateGrantedScopes for one resource (G = E ∩ F). */
export function candidateGrantedScopes(requested: readonly string[], satisfied: readonly string[]): string[] {
  return intersect(requested, satisfied);
}
