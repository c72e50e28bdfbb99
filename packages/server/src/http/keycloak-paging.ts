/**
 * @module http/keycloak-paging
 * Keycloak's paging query parameters `first` and `max` (Authorization Services' protection API):
 * integers of at most 7 digits within the route's range. Keycloak sends `first=-1` for "from the
 * start", so -1 is 0 for `first`; any other value out of range is `invalid_request` naming the parameter.
 */
import { fail } from '@steward/core';

/** `value` (absent or empty: `fallback`) as an integer from `min` to `max`. */
export function keycloakPaging(value: string | undefined, member: 'first' | 'max', fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^-?[0-9]{1,7}$/.test(value)) throw fail('invalid_request', `${member} must be an integer`);
  const n = Number(value);
  if (member === 'first' && n === -1) return 0;
  if (n < min || n > max) throw fail('invalid_request', `${member} must be from ${min} to ${max}`);
  return n;
}
