/** @module services/token-scope — the OAuth scopes a client may ask for at the token endpoint, and narrowing on refresh. */
import { splitScope } from '../decision/scopes.ts';
import { fail } from '../errors.ts';

/**
 * The scope that lets an access token act on the owner APIs (share, unshare) for its user. A PAT or a
 * token for sign-in only must not: sharing is the owner's own decision.
 */
export const OWNER_API_SCOPE = 'sharing';

/** Scopes the token endpoint grants outside the UMA grant (OIDC Core §5.4, UMA Fed Authz §1.3). */
export const TOKEN_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'uma_protection', OWNER_API_SCOPE];

/** Scope of a client_credentials token when the request names none: a PAT for the client's own resources. */
export const CLIENT_CREDENTIALS_DEFAULT_SCOPE = 'uma_protection';

/** Scope of a user's token (password, authorization code) when the request names none. */
export const USER_GRANT_DEFAULT_SCOPE = 'profile email';

export { splitScope } from '../decision/scopes.ts';

/**
 * The scope to grant for a `scope` parameter (`fallback` when omitted). Throws `invalid_scope` when
 * it names a scope outside TOKEN_SCOPES or names none at all.
 */
export function requestedTokenScope(scope: string | undefined, fallback: string): string {
  if (scope === undefined) return fallback;
  const wanted = splitScope(scope);
  if (wanted.length === 0) throw fail('invalid_scope', 'scope names no scope');
  const unknown = wanted.find((s) => !TOKEN_SCOPES.includes(s));
  if (unknown !== undefined) throw fail('invalid_scope', `Unknown scope ${unknown.slice(0, 100)}`);
  return wanted.join(' ');
}

/**
 * The scope of a refreshed token: `granted` when the request names none, else the requested scope,
 * which must be a subset of `granted` (RFC 6749 §6), or `invalid_scope`.
 */
export function narrowScope(scope: string | undefined, granted: string): string {
  if (scope === undefined) return granted;
  const have = new Set(splitScope(granted));
  const wanted = splitScope(scope);
  if (wanted.length === 0) throw fail('invalid_scope', 'scope names no scope');
  const extra = wanted.find((s) => !have.has(s));
  if (extra !== undefined) throw fail('invalid_scope', `Scope ${extra.slice(0, 100)} exceeds the scope originally granted`);
  return wanted.join(' ');
}
