/**
 * @module resources — resource registration (UMA Fed Authz §3.2): `registerResource` when the app
 * creates something an owner may share, `deleteResource` when it goes. Both call the
 * `resource_registration_endpoint` of the AS's discovery document with the owner's PAT; a PAT refused
 * with 401 is replaced once when the app gives a function for it. Every failure is a
 * {@link UmaEnforcerError} naming the cause.
 */
import { discoveryLoader, type UmaDiscovery } from './discovery.ts';
import { describeAnswer, UmaEnforcerError } from './errors.ts';
import { asObject, callAs, isServerTrouble, unusable, type AsResponse } from './http.ts';

/** A resource description (UMA Fed Authz §3.1). */
export interface UmaResourceDescription {
  /** The scopes the resource offers (at least one). */
  resource_scopes: string[];
  name?: string;
  type?: string;
  description?: string;
  icon_uri?: string;
}

/** How to reach the resource registration endpoint, and with which PAT. */
export interface UmaProtectionCall {
  /** The AS issuer; its discovery document is fetched once per issuer and kept. */
  issuer: string;
  /**
   * The owner's PAT, or a function giving it. The function is called again with `refused` when the AS
   * refused a PAT with 401 (e.g. `({ refused }) => pats.pat(owner, { refused })` with `createPatStore`).
   */
  pat: string | ((ctx: { refused?: string }) => string | Promise<string>);
  /** Time limit of every call to the AS, milliseconds. Default 3000. */
  timeoutMs?: number;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/** A registered resource: its id at the AS (`_id`) and, when the AS gives one, where its owner manages access. */
export interface UmaRegisteredResource {
  id: string;
  userAccessPolicyUri?: string;
}

/** Kept discovery loaders, per fetch implementation, issuer and time limit; at most this many per fetch. */
const MAX_KEPT = 64;
const loaders = new WeakMap<typeof fetch, Map<string, () => Promise<UmaDiscovery>>>();

/** The issuer's discovery document, fetched once and kept (a failed fetch is tried again next time). */
export function sharedDiscovery(issuer: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<UmaDiscovery> {
  let byIssuer = loaders.get(fetchImpl);
  if (!byIssuer) loaders.set(fetchImpl, (byIssuer = new Map()));
  const key = `${timeoutMs} ${issuer}`;
  let load = byIssuer.get(key);
  if (!load) {
    if (byIssuer.size >= MAX_KEPT) byIssuer.delete(byIssuer.keys().next().value!);
    byIssuer.set(key, (load = discoveryLoader(issuer, fetchImpl, timeoutMs)));
  }
  return load();
}

/** The options every helper validates the same way: an issuer URL and a time limit. */
export function checkedCall(call: { issuer: string; timeoutMs?: number; fetch?: typeof fetch }, name: string): { fetchImpl: typeof fetch; timeoutMs: number } {
  if (typeof call?.issuer !== 'string' || !URL.canParse(call.issuer)) throw new TypeError(`${name}: issuer must be a URL`);
  const timeoutMs = call.timeoutMs ?? 3000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new TypeError(`${name}: timeoutMs must be a non-negative number`);
  return { fetchImpl: call.fetch ?? globalThis.fetch, timeoutMs };
}

async function registrationEndpoint(call: UmaProtectionCall, fetchImpl: typeof fetch, timeoutMs: number): Promise<string> {
  const doc = await sharedDiscovery(call.issuer, fetchImpl, timeoutMs);
  if (!doc.resource_registration_endpoint) {
    throw new UmaEnforcerError('discovery_invalid', `discovery of ${call.issuer}: no resource_registration_endpoint (UMA Fed Authz §2), so resources cannot be registered there`);
  }
  return doc.resource_registration_endpoint;
}

async function patOf(call: UmaProtectionCall, refused: string | undefined): Promise<string> {
  let token: unknown;
  try {
    token = typeof call.pat === 'function' ? await call.pat(refused ? { refused } : {}) : call.pat;
  } catch (e) {
    if (e instanceof UmaEnforcerError) throw e;
    throw new UmaEnforcerError('pat_supplier_failed', `the pat function threw: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (typeof token !== 'string' || token === '') throw new UmaEnforcerError('pat_supplier_failed', 'the pat is not a non-empty string');
  return token;
}

/** One call with the PAT; a 401 is tried once more with a fresh PAT when `pat` is a function. */
async function withPat(call: UmaProtectionCall, what: string, send: (token: string) => Promise<AsResponse>): Promise<AsResponse> {
  let refused: string | undefined;
  for (;;) {
    const token = await patOf(call, refused);
    const res = await send(token);
    if (res.status !== 401) return res;
    if (typeof call.pat !== 'function' || refused !== undefined) {
      throw new UmaEnforcerError('pat_rejected', `${what}: the AS refused the PAT${refused ? ', and the fresh one too' : ''} (${describeAnswer(res.status, res.json)}): the PAT must be an active uma_protection token of this issuer, issued to this resource server`);
    }
    refused = token;
  }
}

function refusedBy(what: string, res: AsResponse, hint: string): UmaEnforcerError {
  if (isServerTrouble(res.status) || res.status < 400) return unusable(what, res);
  return new UmaEnforcerError('registration_refused', `${what}: ${describeAnswer(res.status, res.json)}${hint}`);
}

function checkDescription(description: UmaResourceDescription): void {
  const scopes = asObject(description)?.resource_scopes;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => typeof s === 'string' && s !== '')) {
    throw new TypeError('registerResource: description.resource_scopes must be a non-empty array of non-empty strings');
  }
}

/**
 * Registers a resource of the PAT's owner (UMA Fed Authz §3.2.1) and resolves with its id at the AS,
 * which is what `UmaRule.resource` must return for it.
 */
export async function registerResource(call: UmaProtectionCall & { description: UmaResourceDescription }): Promise<UmaRegisteredResource> {
  const { fetchImpl, timeoutMs } = checkedCall(call, 'registerResource');
  checkDescription(call.description);
  const endpoint = await registrationEndpoint(call, fetchImpl, timeoutMs);
  const what = `registering resource ${JSON.stringify(call.description.name ?? '')} at ${endpoint}`;
  const body = JSON.stringify(call.description);
  const res = await withPat(call, what, (token) => callAs(fetchImpl, endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body,
  }, timeoutMs));
  if (res.status !== 201 && res.status !== 200) throw refusedBy(what, res, ': check the description (resource_scopes) and that the PAT has scope uma_protection');
  const answer = asObject(res.json);
  const id = answer?._id;
  if (typeof id !== 'string' || id === '') throw new UmaEnforcerError('as_bad_response', `${what}: no _id in the answer`);
  const policy = answer?.user_access_policy_uri;
  return typeof policy === 'string' ? { id, userAccessPolicyUri: policy } : { id };
}

/**
 * Deletes a registered resource (UMA Fed Authz §3.2.4): its protection and the owner's policies for it
 * end. Resolves `true` when deleted, `false` when the AS does not know it for this PAT (already
 * deleted, or another owner's or resource server's).
 */
export async function deleteResource(call: UmaProtectionCall & { resourceId: string }): Promise<boolean> {
  const { fetchImpl, timeoutMs } = checkedCall(call, 'deleteResource');
  if (typeof call.resourceId !== 'string' || call.resourceId === '') throw new TypeError('deleteResource: resourceId must be a non-empty string');
  const endpoint = await registrationEndpoint(call, fetchImpl, timeoutMs);
  const url = `${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(call.resourceId)}`;
  const what = `deleting resource ${JSON.stringify(call.resourceId)} at ${endpoint}`;
  const res = await withPat(call, what, (token) => callAs(fetchImpl, url, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, timeoutMs));
  if (res.status === 204 || res.status === 200) return true;
  if (res.status === 404) return false;
  throw refusedBy(what, res, ': the PAT must be the owner\'s, with scope uma_protection, issued to the resource server that registered the resource');
}
