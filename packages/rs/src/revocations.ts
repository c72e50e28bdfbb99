/**
 * @module revocations — the kit's subscription to the authorization server's revocation event stream
 * (Steward's `revocation_events_endpoint`, docs/revocation.md): Server-Sent Events over `fetch`, opened
 * with the resource server's own PAT, each event a Security Event Token (RFC 8417) verified against the
 * AS's JWKS. It keeps the revoked RPTs' `jti`s (bounded) until their `exp`, so the enforcer refuses
 * them whatever the verification mode, and says whether it can vouch for JWKS verification right now:
 * only while connected and caught up (the `caught-up` event after the replay) with nothing forgotten.
 * Otherwise (connecting, disconnected, silent past `staleAfterSeconds`, or its set full) the enforcer
 * asks the AS (introspection) for every RPT. It reconnects with backoff and `Last-Event-ID`; its timers
 * never keep the process alive; `close()` ends it.
 */
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { UmaDiscovery } from './discovery.ts';
import type { PatSource } from './pat.ts';

/** The event type of a revoked token (OAuth event types for the Shared Signals Framework). */
export const TOKEN_REVOKED_EVENT = 'https://schemas.openid.net/secevent/oauth/event-type/token-revoked';

/** Asymmetric algorithms only, as for RPTs. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
/** Reconnection delays: from the first to the longest, doubling, with jitter. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;
/** The longest line the kit reads from the stream (a SET is a few hundred bytes). */
const MAX_LINE = 64 * 1024;

export interface RevocationStreamOptions {
  issuer: string;
  /** The resource server's client id: each SET's `aud`. */
  clientId: string;
  /** The resource server's own PAT. */
  pat: PatSource;
  fetch: typeof fetch;
  timeoutMs: number;
  /** Most revoked RPTs kept at once. */
  maxEntries: number;
  /** A stream silent this long (no event, no heartbeat) is taken as dead. */
  staleAfterSeconds: number;
  toleranceSeconds: number;
}

/** What the enforcer asks of the subscription. */
export interface RevocationWatch {
  /** Starts it (once discovery is known); later calls do nothing. */
  start(discovery: UmaDiscovery): void;
  /** Whether an RPT with this `jti` was revoked (and has not expired yet). */
  isRevoked(jti: string): boolean;
  /**
   * Whether a locally verified RPT can be trusted not to be revoked: the stream is caught up and has
   * forgotten nothing, or the AS announces no stream at all (JWKS mode then keeps its limits).
   */
  vouches(discovery: UmaDiscovery): boolean;
  /** `unsupported` (the AS announces no stream), `down` (not caught up: JWKS mode introspects) or `live`. */
  state(): 'unsupported' | 'down' | 'live';
  /** Ends the stream and its timers. */
  close(): void;
}

/** The `jti` claim of a JWT, read without verifying it (only to look it up); undefined when none. */
export function unverifiedJti(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload || payload.length > 100_000) return undefined;
  try {
    const jti: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).jti;
    return typeof jti === 'string' ? jti : undefined;
  } catch {
    return undefined;
  }
}

export function revocationStream(options: RevocationStreamOptions): RevocationWatch {
  /** jti → exp (milliseconds). */
  const revoked = new Map<string, number>();
  /** While the set was full, entries were dropped: local verification cannot be vouched for until then (ms). */
  let forgottenUntil = 0;
  let caughtUp = false;
  let lastEventId: string | undefined;
  let started = false;
  let unsupported = false;
  let closed = false;
  let attempt = 0;
  let abort: AbortController | null = null;
  let retry: NodeJS.Timeout | undefined;
  let stale: NodeJS.Timeout | undefined;
  let keys: { uri: string; get: JWTVerifyGetKey } | null = null;

  const sweep = () => {
    const now = Date.now();
    for (const [jti, exp] of revoked) if (exp <= now) revoked.delete(jti);
  };

  const remember = (jti: string, expSeconds: number) => {
    const exp = (expSeconds + options.toleranceSeconds) * 1000;
    if (exp <= Date.now() || revoked.has(jti)) return;
    if (revoked.size >= options.maxEntries) sweep();
    if (revoked.size >= options.maxEntries) {
      forgottenUntil = Math.max(forgottenUntil, exp);
      return;
    }
    revoked.set(jti, exp);
  };

  const keySet = (uri: string): JWTVerifyGetKey => {
    if (keys?.uri !== uri) keys = { uri, get: createRemoteJWKSet(new URL(uri), { timeoutDuration: options.timeoutMs, [customFetch]: options.fetch }) };
    return keys.get;
  };

  /** Verifies one SET and remembers its RPT; false when it does not verify (the stream is then dropped). */
  const accept = async (set: string, discovery: UmaDiscovery): Promise<boolean> => {
    if (!discovery.jwks_uri) return false;
    try {
      const { payload } = await jwtVerify(set, keySet(discovery.jwks_uri), { issuer: options.issuer, audience: options.clientId, typ: 'secevent+jwt', algorithms: ALGORITHMS });
      const event = (payload.events as Record<string, unknown> | undefined)?.[TOKEN_REVOKED_EVENT] as { jti?: unknown; exp?: unknown } | undefined;
      if (!event || typeof event.jti !== 'string' || typeof event.exp !== 'number') return true; // another event type: nothing to do
      remember(event.jti, event.exp);
      return true;
    } catch {
      return false;
    }
  };

  const disconnected = () => {
    caughtUp = false;
    clearTimeout(stale);
    abort?.abort();
    abort = null;
  };

  const schedule = (discovery: UmaDiscovery) => {
    if (closed) return;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempt, 10));
    attempt++;
    retry = setTimeout(() => void connect(discovery), delay / 2 + Math.random() * (delay / 2));
    retry.unref();
  };

  const watchdog = () => {
    clearTimeout(stale);
    stale = setTimeout(() => disconnected(), options.staleAfterSeconds * 1000);
    stale.unref();
  };

  const connect = async (discovery: UmaDiscovery, refused?: string): Promise<void> => {
    if (closed) return;
    const endpoint = discovery.revocation_events_endpoint!;
    const controller = new AbortController();
    abort = controller;
    try {
      const pat = await options.pat({ resourceId: '', request: undefined, ...(refused ? { refused } : {}) });
      const headers: Record<string, string> = { authorization: `Bearer ${pat}`, accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const connecting = setTimeout(() => controller.abort(), options.timeoutMs);
      let res: Response;
      try {
        res = await options.fetch(endpoint, { headers, redirect: 'manual', signal: controller.signal });
      } finally {
        clearTimeout(connecting);
      }
      if (res.status === 401 && refused === undefined) {
        await res.body?.cancel();
        return connect(discovery, pat);
      }
      if (res.status !== 200 || !res.body) {
        await res.body?.cancel();
        return;
      }
      watchdog();
      await read(res.body, discovery);
    } catch {
      // Unreachable, refused, aborted, broken: reconnect below.
    } finally {
      if (abort === controller) disconnected();
      if (!closed) schedule(discovery);
    }
  };

  /** Reads the stream (WHATWG HTML §9.2 event stream parsing) until it ends. */
  const read = async (body: ReadableStream<Uint8Array>, discovery: UmaDiscovery): Promise<void> => {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = { id: undefined as string | undefined, type: '', data: [] as string[] };
    for await (const chunk of body) {
      watchdog();
      buffer += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (event.type === 'revocation' && event.data.length > 0) {
            if (!(await accept(event.data.join('\n'), discovery))) return;
            if (event.id !== undefined) lastEventId = event.id;
          } else if (event.type === 'caught-up') {
            if (event.id !== undefined) lastEventId = event.id;
            caughtUp = true;
            attempt = 0;
          }
          event = { id: undefined, type: '', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') event.data.push(value);
        else if (field === 'event') event.type = value;
        else if (field === 'id' && !value.includes('\0')) event.id = value;
      }
      if (buffer.length > MAX_LINE) return;
    }
  };

  return {
    start(discovery) {
      if (started || closed) return;
      started = true;
      unsupported = !discovery.revocation_events_endpoint;
      if (unsupported) return;
      void connect(discovery);
    },
    isRevoked(jti) {
      const exp = revoked.get(jti);
      if (exp === undefined) return false;
      if (exp > Date.now()) return true;
      revoked.delete(jti);
      return false;
    },
    vouches(discovery) {
      if (!discovery.revocation_events_endpoint) return true;
      return caughtUp && !closed && forgottenUntil <= Date.now();
    },
    state() {
      if (unsupported) return 'unsupported';
      return caughtUp && !closed && forgottenUntil <= Date.now() ? 'live' : 'down';
    },
    close() {
      closed = true;
      clearTimeout(retry);
      disconnected();
    },
  };
}
