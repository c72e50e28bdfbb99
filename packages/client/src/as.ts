/** @module as — talking to an authorization server: discovery and token endpoint requests, each bounded in time and abortable. */
import { UmaError } from './errors.ts';

/** How requests to the authorization server are made. */
export interface AsHttp {
  fetch: typeof fetch;
  timeoutMs: number;
  /** The caller's signal: aborting it aborts the request with the caller's reason. */
  signal?: AbortSignal | undefined;
}

/** A JSON answer of the authorization server. */
export interface AsAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The UMA grant type (UMA Grant §3.3.1). */
export const UMA_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:uma-ticket';

/** `as_uri` without trailing slashes: the key under which the client keeps what it holds for that server. */
export function normalizeAsUri(asUri: string): string {
  return asUri.replace(/\/+$/, '');
}

/** Sends a request to the authorization server and reads its JSON answer. */
async function exchange(url: string, init: RequestInit, http: AsHttp, asUri: string): Promise<AsAnswer> {
  const signals = [AbortSignal.timeout(http.timeoutMs)];
  if (http.signal) signals.push(http.signal);
  let status: number;
  let text: string;
  try {
    const res = await http.fetch(url, { ...init, signal: AbortSignal.any(signals), redirect: 'error' });
    status = res.status;
    text = await res.text();
  } catch (e) {
    if (http.signal?.aborted) throw http.signal.reason;
    const timedOut = e instanceof Error && e.name === 'TimeoutError';
    throw new UmaError('as_unreachable', {
      asUri,
      description: timedOut ? `no answer from ${url} within ${http.timeoutMs} ms` : `cannot reach ${url}`,
      cause: e,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UmaError('invalid_as_response', { asUri, status, description: `${url} answered ${status} without a JSON object` });
  }
  return { status, body: body as Record<string, unknown> };
}

/** True for an absolute http(s) URL. */
function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Reads `{as_uri}/.well-known/uma2-configuration` (UMA Grant §2) and returns its `token_endpoint`.
 * The document's `issuer`, when present, must name the same server (RFC 8414 §3.3).
 */
export async function discoverTokenEndpoint(asUri: string, http: AsHttp): Promise<string> {
  const url = `${normalizeAsUri(asUri)}/.well-known/uma2-configuration`;
  const { status, body } = await exchange(url, { method: 'GET', headers: { accept: 'application/json' } }, http, asUri);
  if (status !== 200) throw new UmaError('invalid_as_response', { asUri, status, description: `discovery at ${url} answered ${status}` });
  if (body['issuer'] !== undefined && (typeof body['issuer'] !== 'string' || normalizeAsUri(body['issuer']) !== normalizeAsUri(asUri))) {
    throw new UmaError('invalid_as_response', { asUri, status, description: `discovery at ${url} names another issuer` });
  }
  if (!isHttpUrl(body['token_endpoint'])) throw new UmaError('invalid_as_response', { asUri, status, description: `discovery at ${url} has no token_endpoint` });
  return body['token_endpoint'];
}

/** The client's credentials at the token endpoint. */
export interface ClientCredentials {
  clientId: string;
  /** With a secret: `client_secret_basic`; without: a public client sending `client_id`. */
  clientSecret?: string | undefined;
}

/** POSTs a token request (RFC 6749 §3.2) with the client authenticated, and returns the JSON answer. */
export async function tokenRequest(
  tokenEndpoint: string,
  params: Record<string, string | undefined>,
  client: ClientCredentials,
  http: AsHttp,
  asUri: string,
): Promise<AsAnswer> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) form.set(name, value);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (client.clientSecret !== undefined) {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before the Basic encoding.
    const user = encodeURIComponent(client.clientId);
    const pass = encodeURIComponent(client.clientSecret);
    headers['authorization'] = `Basic ${btoa(`${user}:${pass}`)}`;
  } else {
    form.set('client_id', client.clientId);
  }
  return exchange(tokenEndpoint, { method: 'POST', headers, body: form.toString() }, http, asUri);
}
