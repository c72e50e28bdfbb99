/** @module request — turns fetch's `(input, init)` into something the client can send twice: the original try and the retry with an RPT. */

/** What fetch takes as its first argument: a URL string, a URL or a Request. */
export type FetchInput = string | URL | Request;

/** A request ready to be sent, and re-sent when its body allows. */
export interface PreparedRequest {
  url: string;
  /** Everything fetch needs except the Authorization header the client sets. */
  init: RequestInit;
  /** False when the body is a stream, which one send consumes. */
  replayable: boolean;
  /** The caller's signal, from `init` or the Request. */
  signal: AbortSignal | undefined;
}

/** True for bodies one send consumes: web streams and Node's async iterables. */
function isStream(body: unknown): boolean {
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return true;
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body && !(body instanceof Blob);
}

/**
 * Reads fetch's arguments. A Request's body is buffered (read once, then sent from memory); strings,
 * buffers, Blobs, URLSearchParams and FormData are re-sent as they are; streams are not replayable.
 */
export async function prepareRequest(input: FetchInput, init: RequestInit | undefined): Promise<PreparedRequest> {
  if (typeof Request !== 'undefined' && input instanceof Request) {
    const merged: RequestInit = {
      method: input.method,
      headers: new Headers(init?.headers ?? input.headers),
      redirect: input.redirect,
      credentials: input.credentials,
      cache: input.cache,
      mode: input.mode,
      referrerPolicy: input.referrerPolicy,
      integrity: input.integrity,
      keepalive: input.keepalive,
      signal: input.signal,
      ...init,
    };
    merged.headers = new Headers(init?.headers ?? input.headers);
    if (init?.body === undefined || init.body === null) {
      merged.body = input.body === null ? null : await input.arrayBuffer();
      delete (merged as { duplex?: string }).duplex;
    }
    return { url: input.url, init: merged, replayable: !isStream(merged.body), signal: merged.signal ?? undefined };
  }
  const copy: RequestInit = { ...init, headers: new Headers(init?.headers) };
  return { url: String(input), init: copy, replayable: !isStream(copy.body), signal: init?.signal ?? undefined };
}

/** The request's init with `Authorization: Bearer <rpt>` when an RPT is given. */
export function withRpt(prepared: PreparedRequest, rpt: string | null): RequestInit {
  const headers = new Headers(prepared.init.headers);
  if (rpt !== null) headers.set('authorization', `Bearer ${rpt}`);
  return { ...prepared.init, headers };
}
