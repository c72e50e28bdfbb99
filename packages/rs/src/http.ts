/** @module http — calls to the authorization server with a time limit; transport failures become {@link UmaEnforcerError}s of kind `unreachable`. */
import { describeAnswer, UmaEnforcerError } from './errors.ts';

/** An answer of the AS: status and parsed JSON body (undefined when not JSON). */
export interface AsResponse {
  status: number;
  json: unknown;
}

/** One HTTP call to the AS, bounded by `timeoutMs` (headers and body alike). Throws `as_timeout` or `as_unreachable`. */
export async function callAs(fetchImpl: typeof fetch, url: string, init: RequestInit, timeoutMs: number): Promise<AsResponse> {
  try {
    const res = await fetchImpl(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  } catch (e) {
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
      throw new UmaEnforcerError('as_timeout', `${url}: no answer within ${timeoutMs} ms`, { cause: e });
    }
    const detail = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    throw new UmaEnforcerError('as_unreachable', `${url}: unreachable (${detail})`, { cause: e });
  }
}

/** A status that says the AS is failing or overloaded right now, not that the kit is misconfigured. */
export function isServerTrouble(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** `as_server_error` for a 5xx/408/429 answer, else `as_bad_response`: an answer the kit cannot use. */
export function unusable(what: string, res: AsResponse): UmaEnforcerError {
  return new UmaEnforcerError(isServerTrouble(res.status) ? 'as_server_error' : 'as_bad_response', `${what}: ${describeAnswer(res.status, res.json)}`);
}

/** A plain JSON object, or null. */
export function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** HTTP Basic credentials per RFC 6749 §2.3.1 (form-encoded id and secret). */
export function basicAuth(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}
