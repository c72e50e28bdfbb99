/** @module discovery — the AS's UMA discovery document (`{issuer}/.well-known/uma2-configuration`), fetched once and cached. */
import { describeAnswer, UmaEnforcerError } from './errors.ts';
import { asObject, callAs, unusable } from './http.ts';

/** The endpoints the kit uses. */
export interface UmaDiscovery {
  issuer: string;
  token_endpoint?: string;
  permission_endpoint: string;
  introspection_endpoint?: string;
  jwks_uri?: string;
  /** Steward's access reports (access-reports.ts); other servers announce none. */
  access_report_endpoint?: string;
  /** UMA Fed Authz §2: where resources are registered (for `registerResource` and `deleteResource`). */
  resource_registration_endpoint?: string;
  /** Steward's revocation event stream (docs/revocation.md); absent at other authorization servers. */
  revocation_events_endpoint?: string;
}

/** The discovery document's URL for an issuer (trailing slashes dropped). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/uma2-configuration`;
}

function optionalUrl(doc: Record<string, unknown>, name: string, url: string): string | undefined {
  const value = doc[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value)) throw new UmaEnforcerError('discovery_invalid', `discovery ${url}: ${name} is not a URL`);
  return value;
}

/** What differs between the configured issuer and the announced one, as a hint for the fix. */
export function issuerDifference(configured: string, announced: string): string {
  if (configured.replace(/\/+$/, '') === announced && configured !== announced) return 'the configured issuer has a trailing slash: drop it';
  if (announced.replace(/\/+$/, '') === configured && configured !== announced) return 'the announced issuer has a trailing slash: configure it exactly so';
  if (!URL.canParse(configured) || !URL.canParse(announced)) return 'configure exactly the issuer the authorization server announces';
  const a = new URL(configured);
  const b = new URL(announced);
  const parts: string[] = [];
  if (a.protocol !== b.protocol) parts.push(`scheme ${a.protocol.slice(0, -1)} vs ${b.protocol.slice(0, -1)}`);
  if (a.hostname !== b.hostname) parts.push(`host ${a.hostname} vs ${b.hostname}`);
  if (a.port !== b.port) parts.push(`port ${a.port || '(default)'} vs ${b.port || '(default)'}`);
  if (a.pathname !== b.pathname) parts.push(`path ${a.pathname} vs ${b.pathname}`);
  const what = parts.length ? `${parts.join(', ')}; ` : '';
  return `${what}configure exactly the issuer the authorization server announces (its public base URL and realm, e.g. STEWARD_BASE_URL on Steward)`;
}

/** Validates the document: `issuer` must equal the configured issuer (RFC 8414 §3.3); `permission_endpoint` is mandatory. */
export function parseDiscovery(issuer: string, body: unknown, url = discoveryUrl(issuer)): UmaDiscovery {
  const doc = asObject(body);
  if (!doc) throw new UmaEnforcerError('discovery_invalid', `discovery ${url}: the answer is not a JSON object (is the issuer a UMA authorization server?)`);
  if (doc.issuer !== issuer) {
    const announced = typeof doc.issuer === 'string' ? doc.issuer : JSON.stringify(doc.issuer);
    throw new UmaEnforcerError('issuer_mismatch', `discovery ${url} announces issuer ${JSON.stringify(doc.issuer)}, not the configured ${JSON.stringify(issuer)} (RFC 8414 §3.3): ${issuerDifference(issuer, announced)}`);
  }
  const permission = optionalUrl(doc, 'permission_endpoint', url);
  if (!permission) throw new UmaEnforcerError('discovery_invalid', `discovery ${url}: no permission_endpoint (is the issuer a UMA 2.0 authorization server?)`);
  const result: UmaDiscovery = { issuer, permission_endpoint: permission };
  for (const name of ['token_endpoint', 'introspection_endpoint', 'jwks_uri', 'access_report_endpoint', 'resource_registration_endpoint', 'revocation_events_endpoint'] as const) {
    const value = optionalUrl(doc, name, url);
    if (value) result[name] = value;
  }
  return result;
}

/** Fetches and validates the document once; throws a {@link UmaEnforcerError} naming what is wrong. */
export async function fetchDiscovery(issuer: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<UmaDiscovery> {
  const url = discoveryUrl(issuer);
  const res = await callAs(fetchImpl, url, { headers: { accept: 'application/json' } }, timeoutMs);
  if (res.status === 200) return parseDiscovery(issuer, res.json, url);
  if (res.status === 404 || res.status === 410) {
    throw new UmaEnforcerError('discovery_not_found', `discovery ${url}: ${describeAnswer(res.status, res.json)}: check the issuer (host, port, path and realm name)`);
  }
  if (res.status >= 300 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw new UmaEnforcerError('discovery_invalid', `discovery ${url}: ${describeAnswer(res.status, res.json)} where a public JSON document was expected: check the issuer`);
  }
  throw unusable(`discovery ${url}`, res);
}

/** A loader that fetches the document on first use; a failure is not cached (the next request tries again). */
export function discoveryLoader(issuer: string, fetchImpl: typeof fetch, timeoutMs: number): () => Promise<UmaDiscovery> {
  let pending: Promise<UmaDiscovery> | null = null;
  return () => {
    pending ??= fetchDiscovery(issuer, fetchImpl, timeoutMs);
    const current = pending;
    current.catch(() => {
      if (pending === current) pending = null;
    });
    return current;
  };
}
