/** @module http — calls to the authorization server with a time limit; any transport failure becomes {@link AsUnavailable}. */

/** The AS could not be reached, timed out, or answered something unusable: the RS must refuse with 403. */
export class AsUnavailable extends Error {
  override readonly name = 'AsUnavailable';
}

/** An answer of the AS: status and parsed JSON body (undefined when not JSON). */
export interface AsResponse {
  status: number;
  json: unknown;
}

/** One HTTP call to the AS, bounded by `timeoutMs` (headers and body alike). */
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
    const reason = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? 'timed out' : 'unreachable';
    throw new AsUnavailable(`${url}: ${reason}`, { cause: e });
  }
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
