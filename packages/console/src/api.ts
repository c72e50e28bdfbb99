/**
 * @module api
 * The owner APIs the console calls, with the user's bearer token (no cookies: the API cannot be driven
 * cross-site, so it needs no CSRF token). CREST errors become ApiError with the server's message.
 */
import { currentSession, freshSession, realm } from './auth.ts';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Called when the session cannot be renewed: the app signs in again. */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export interface CallOptions {
  method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
}

/** The user's own owner-API URL: `/json/realms/root/realms/{realm}/users/{me}/{path}`. */
export function userUrl(path: string, username = currentSession()?.username ?? ''): string {
  return `/json/realms/root/realms/${encodeURIComponent(realm)}/users/${encodeURIComponent(username)}/${path}`;
}

async function send(url: string, options: CallOptions, token: string): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}`, ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(url, { method: options.method ?? 'GET', headers, body: options.body === undefined ? null : JSON.stringify(options.body), credentials: 'omit', cache: 'no-store' });
}

/** Calls an owner API; retries once with a refreshed token on 401. */
export async function call<T>(path: string, options: CallOptions = {}): Promise<{ body: T; headers: Headers }> {
  const query = Object.entries(options.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
  const url = userUrl(path) + (query.length ? `${path.includes('?') ? '&' : '?'}${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)]))}` : '');
  let session = await freshSession();
  if (!session) {
    onSignedOut();
    throw new ApiError(401, 'Your session has ended. Please sign in again.');
  }
  let res = await send(url, options, session.accessToken);
  if (res.status === 401) {
    session = await freshSession(true);
    if (!session) {
      onSignedOut();
      throw new ApiError(401, 'Your session has ended. Please sign in again.');
    }
    res = await send(url, options, session.accessToken);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!res.ok) {
    const message = (body as { message?: unknown } | null)?.message;
    throw new ApiError(res.status, typeof message === 'string' ? message : `The server answered ${res.status}.`);
  }
  return { body: body as T, headers: res.headers };
}

/** A CREST query result. */
export interface QueryResult<T> {
  result: T[];
  resultCount: number;
  /** The next page's `_pagedResultsCookie`; null on the last page. */
  pagedResultsCookie: string | null;
  /** -1 when unknown. */
  remainingPagedResults: number;
  /** -1 when not counted. */
  totalPagedResults?: number;
}

/** Most matches an ESTIMATE count reports. */
export const ESTIMATE_LIMIT = 10_000;

export interface PolicyPermission {
  subject: string;
  scopes: string[];
  conditions?: Array<{ type: 'Expiration'; expirationDate: number } | { type: 'ClientId'; clientIds: string[] }>;
}

export interface Policy {
  _id: string;
  _rev: string;
  policyId: string;
  name: string;
  permissions: PolicyPermission[];
}

export interface ResourceSet {
  _id: string;
  name: string;
  type: string | null;
  icon_uri: string | null;
  description: string | null;
  resourceServer: string;
  scopes: string[];
  policy: Policy | null;
}

export interface SharedItem {
  _id: string;
  name: string;
  type: string | null;
  icon_uri: string | null;
  resourceServer: string;
  scopes: string[];
  resourceOwner: string;
  sharedBy: string[];
  permissions: string[];
  expirationDate?: number;
  clientIds?: string[];
  reshareAllowed: boolean;
  resharedWith: string[];
}

export type Lookup = { found: false } | { found: true; username: string; displayName: string; matchedBy: 'username' | 'email' | 'group'; warning?: string };

export function expiryOf(p: PolicyPermission): number | undefined {
  for (const c of p.conditions ?? []) if (c.type === 'Expiration') return c.expirationDate;
  return undefined;
}

export function clientsOf(p: PolicyPermission): string[] | undefined {
  for (const c of p.conditions ?? []) if (c.type === 'ClientId') return c.clientIds;
  return undefined;
}

/**
 * Writes the user's policy on a resource (her own, or a re-share): creates it when `current` is null,
 * else replaces it at that revision; deletes it when no permission is left.
 */
export async function writePolicy(id: string, current: Policy | null, permissions: PolicyPermission[]): Promise<void> {
  const path = `uma/policies/${encodeURIComponent(id)}`;
  if (permissions.length === 0) {
    if (current) await call(path, { method: 'DELETE' });
    return;
  }
  const headers: Record<string, string> = current ? { 'if-match': `"${current._rev}"` } : { 'if-none-match': '*' };
  await call(path, { method: 'PUT', body: { policyId: id, permissions }, headers });
}

/** The user's own policy on a resource (a re-share for a resource of someone else's), or null. */
export async function readPolicy(id: string): Promise<Policy | null> {
  try {
    return (await call<Policy>(`uma/policies/${encodeURIComponent(id)}`)).body;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}
