/**
 * @module http/query
 * Single-valued parameters and boolean flags, as every endpoint reads them: a query parameter sent
 * twice is an `invalid_request`, an empty one counts as omitted, and a flag is `true` or `false`.
 */
import { fail } from '@steward/core';

/** The single value of query parameter `member`; undefined when absent or empty. */
export function queryValue(query: Record<string, unknown>, member: string): string | undefined {
  const value = query[member];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw fail('invalid_request', `Query parameter ${member} is repeated`);
  return value;
}

/** A boolean parameter (query or form): `true` or `false`; undefined when absent, `invalid_request` otherwise. */
export function flag(value: string | undefined, member: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw fail('invalid_request', `${member} must be true or false`);
  return value === 'true';
}

/** A boolean query parameter; undefined when absent. */
export function queryFlag(query: Record<string, unknown>, member: string): boolean | undefined {
  return flag(queryValue(query, member), member);
}
