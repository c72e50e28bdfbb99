/** @module discovery — the AS's UMA discovery document (`{issuer}/.well-known/uma2-configuration`), fetched once and cached. */
import { AsUnavailable, asObject, callAs } from './http.ts';

/** The endpoints the kit uses. */
export interface UmaDiscovery {
  issuer: string;
  token_endpoint?: string;
  permission_endpoint: string;
  introspection_endpoint?: string;
  jwks_uri?: string;
}

function optionalUrl(doc: Record<string, unknown>, name: string): string | undefined {
  const value = doc[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value)) throw new AsUnavailable(`discovery: ${name} is not a URL`);
  return value;
}

/** Validates the document: `issuer` must equal the configured issuer (RFC 8414 §3.3); `permission_endpoint` is mandatory. */
export function parseDiscovery(issuer: string, body: unknown): UmaDiscovery {
  const doc = asObject(body);
  if (!doc) throw new AsUnavailable('discovery: not a JSON object');
  if (doc.issuer !== issuer) throw new AsUnavailable(`discovery: issuer ${JSON.stringify(doc.issuer)} is not ${issuer}`);
  const permission = optionalUrl(doc, 'permission_endpoint');
  if (!permission) throw new AsUnavailable('discovery: no permission_endpoint');
  const result: UmaDiscovery = { issuer, permission_endpoint: permission };
  for (const name of ['token_endpoint', 'introspection_endpoint', 'jwks_uri'] as const) {
    const url = optionalUrl(doc, name);
    if (url) result[name] = url;
  }
  return result;
}

/** A loader that fetches the document on first use; a failure is not cached (the next request tries again). */
export function discoveryLoader(issuer: string, fetchImpl: typeof fetch, timeoutMs: number): () => Promise<UmaDiscovery> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/uma2-configuration`;
  let pending: Promise<UmaDiscovery> | null = null;
  return () => {
    pending ??= (async () => {
      const res = await callAs(fetchImpl, url, { headers: { accept: 'application/json' } }, timeoutMs);
      if (res.status !== 200) throw new AsUnavailable(`discovery: HTTP ${res.status}`);
      return parseDiscovery(issuer, res.json);
    })();
    const current = pending;
    current.catch(() => {
      if (pending === current) pending = null;
    });
    return current;
  };
}
