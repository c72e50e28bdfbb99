/** @module client — `createUmaClient`: a fetch that answers UMA challenges (UMA Grant §3) with RPTs it obtains, keeps and upgrades. */
import { discoverTokenEndpoint, normalizeAsUri, tokenRequest, UMA_GRANT_TYPE, type AsAnswer, type AsHttp } from './as.ts';
import { findUmaChallenge, type UmaChallenge } from './challenge.ts';
import { UmaError, type NeedInfo, type RequiredClaim } from './errors.ts';
import { prepareRequest, withRpt, type FetchInput, type PreparedRequest } from './request.ts';

/** A claim token pushed to the authorization server, e.g. the requesting party's ID token. */
export interface ClaimToken {
  token: string;
  /** `claim_token_format`, e.g. `http://openid.net/specs/openid-connect-core-1_0.html#IDToken`. */
  format: string;
}

/** Options of {@link createUmaClient}. */
export interface UmaClientOptions {
  /** The client's id at the authorization server. */
  clientId: string;
  /** The client secret (sent as `client_secret_basic`); omit for a public client (sends `client_id`). */
  clientSecret?: string;
  /** Supplies a claim token when the client holds no PCT for that server, and again after `need_info`. Null: none. */
  claimToken?: (asUri: string) => Promise<ClaimToken | null>;
  /** Called with every `need_info` answer, before the client retries once with a new claim token or throws. */
  onNeedInfo?: (info: NeedInfo) => void | Promise<void>;
  /** How long `request_submitted` polling may last, from the first such answer. Default 60 000 ms. */
  pollDeadlineMs?: number;
  /** Upper bound of one wait between polls, whatever `interval` the server asks. Default 30 000 ms. */
  maxPollIntervalMs?: number;
  /** At most this many UMA grant requests (polls included) for one `fetch` call. Default 100. */
  maxGrantAttempts?: number;
  /**
   * The authorization servers (their `as_uri`) the client will use; a challenge naming another is
   * returned as the plain 401. Required when `clientSecret` or `claimToken` is set: otherwise any
   * resource server could name a server of its own and collect the secret and the user's claims.
   * Without credentials it defaults to any server.
   */
  trustedAs?: string[];
  /** The fetch used for everything. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Time limit of each request to an authorization server (discovery, token endpoint). Default 10 000 ms. */
  timeoutMs?: number;
  /** Milliseconds since the epoch, for RPT expiry. Default `Date.now`. */
  now?: () => number;
}

/** What the client holds for one authorization server. */
export interface RptInfo {
  rpt: string;
  /** When the RPT expires (ms since the epoch), if the server said (`expires_in`). */
  expiresAt: number | undefined;
  /** The server's `upgraded` flag of the grant that issued this RPT. */
  upgraded: boolean;
  /** Whether a refresh token is held for it. */
  refreshable: boolean;
}

/** A UMA-aware fetch and the tokens it holds, per authorization server (`as_uri`). */
export interface UmaClient {
  /** Same signature and Response as fetch; answers a UMA challenge once per call; an AbortSignal in `init` cancels everything, polling included. */
  fetch(input: FetchInput, init?: RequestInit): Promise<Response>;
  /** The RPT held for this authorization server, or null. */
  rptFor(asUri: string): string | null;
  /** The persisted claims token held for this authorization server, or null. */
  pct(asUri: string): string | null;
  /** Details of the RPT held for this authorization server, or null. */
  rptInfo(asUri: string): RptInfo | null;
  /** Drops what is held for one authorization server, or for all. */
  forget(asUri?: string): void;
}

interface Held {
  rpt?: string | undefined;
  expiresAt?: number | undefined;
  refreshToken?: string | undefined;
  pct?: string | undefined;
  upgraded?: boolean;
}

/** Seconds to wait after `request_submitted` without an `interval` (UMA Grant §3.3.6 leaves it to the client). */
const DEFAULT_INTERVAL = 5;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Creates a UMA client; see {@link UmaClientOptions}. */
export function createUmaClient(options: UmaClientOptions): UmaClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollDeadlineMs = options.pollDeadlineMs ?? 60_000;
  const maxPollIntervalMs = options.maxPollIntervalMs ?? 30_000;
  const maxGrantAttempts = options.maxGrantAttempts ?? 100;
  if (!options.trustedAs && (options.clientSecret !== undefined || options.claimToken !== undefined)) {
    throw new TypeError('createUmaClient: trustedAs is required with clientSecret or claimToken (name the authorization servers the credentials may go to)');
  }
  const trusted = options.trustedAs ? new Set(options.trustedAs.map(normalizeAsUri)) : null;
  const client = { clientId: options.clientId, clientSecret: options.clientSecret };

  const held = new Map<string, Held>();
  // Which authorization server protects which resource server origin: an RPT goes only to an
  // origin whose challenge named its server.
  const asOfOrigin = new Map<string, string>();
  const tokenEndpoints = new Map<string, Promise<string>>();

  const holding = (asKey: string): Held => {
    let h = held.get(asKey);
    if (!h) held.set(asKey, (h = {}));
    return h;
  };

  function tokenEndpoint(asKey: string, http: AsHttp): Promise<string> {
    let p = tokenEndpoints.get(asKey);
    if (!p) {
      p = discoverTokenEndpoint(asKey, http);
      tokenEndpoints.set(asKey, p);
      // A failed discovery is not cached: the next call tries again.
      p.catch(() => tokenEndpoints.delete(asKey));
    }
    return p;
  }

  function keep(asKey: string, body: Record<string, unknown>, rpt: string): void {
    const h = holding(asKey);
    const previous = h.rpt;
    h.rpt = rpt;
    const expiresIn = body['expires_in'];
    h.expiresAt = typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? now() + expiresIn * 1000 : undefined;
    const refresh = str(body['refresh_token']);
    // A refresh token belongs to the RPT it came with.
    if (refresh !== undefined) h.refreshToken = refresh;
    else if (previous !== rpt) h.refreshToken = undefined;
    const pct = str(body['pct']);
    if (pct !== undefined) h.pct = pct;
    h.upgraded = body['upgraded'] === true;
  }

  /** The RPT to send to this server: refreshed when expired and refreshable, dropped when expired otherwise. */
  async function usableRpt(asKey: string, http: AsHttp): Promise<string | null> {
    const h = held.get(asKey);
    if (!h?.rpt) return null;
    if (h.expiresAt === undefined || now() < h.expiresAt) return h.rpt;
    const refreshToken = h.refreshToken;
    h.rpt = h.expiresAt = h.refreshToken = undefined;
    if (refreshToken === undefined) return null;
    try {
      const answer = await tokenRequest(await tokenEndpoint(asKey, http), { grant_type: 'refresh_token', refresh_token: refreshToken }, client, http, asKey);
      const rpt = str(answer.body['access_token']);
      if (answer.status !== 200 || rpt === undefined) return null;
      keep(asKey, answer.body, rpt);
      return rpt;
    } catch (e) {
      // Without a usable RPT the resource server challenges and the grant runs as usual.
      if (e instanceof UmaError) return null;
      throw e;
    }
  }

  function oauthError(answer: AsAnswer, asKey: string, code: string): UmaError {
    return new UmaError(code, { asUri: asKey, status: answer.status, description: str(answer.body['error_description']) ?? `the authorization server answered ${code}` });
  }

  /**
   * Trades the challenge's ticket for an RPT (UMA Grant §3.3), polling and retrying as the server asks;
   * `attempts` counts the grant requests of the whole `fetch` call. Resolves with null once an RPT is
   * held, or with the `invalid_grant` refusal of a request that carried the held RPT for an upgrade
   * (UMA Grant §3.3.1): that RPT is dropped (it was revoked or has expired at the server) and the ticket
   * is spent, so the caller may start again without it. Throws for every other refusal.
   */
  async function obtainRpt(challenge: UmaChallenge, http: AsHttp, attempts: { made: number }): Promise<UmaError | null> {
    const asKey = normalizeAsUri(challenge.asUri);
    const signal = http.signal;
    const endpoint = await tokenEndpoint(asKey, http);
    await usableRpt(asKey, http);
    let ticket = challenge.ticket;
    let claims: ClaimToken | null = null;
    let sentPct = holding(asKey).pct !== undefined;
    if (!sentPct && options.claimToken) {
      claims = await options.claimToken(challenge.asUri);
      signal?.throwIfAborted();
    }
    let pollStart: number | undefined;
    let interval: number | undefined;
    let slowDown = 0;
    let retriedNeedInfo = false;
    for (;;) {
      if (++attempts.made > maxGrantAttempts) {
        throw new UmaError('too_many_attempts', { asUri: asKey, description: `no RPT after ${maxGrantAttempts} grant requests` });
      }
      const h = holding(asKey);
      const params: Record<string, string | undefined> = { grant_type: UMA_GRANT_TYPE, ticket, rpt: h.rpt };
      if (sentPct && h.pct !== undefined) params['pct'] = h.pct;
      else if (claims) {
        params['claim_token'] = claims.token;
        params['claim_token_format'] = claims.format;
      }
      const answer = await tokenRequest(endpoint, params, client, http, asKey);
      const accessToken = str(answer.body['access_token']);
      if (answer.status === 200 && accessToken !== undefined) {
        keep(asKey, answer.body, accessToken);
        return null;
      }
      const error = str(answer.body['error']);
      if (error === undefined) throw new UmaError('invalid_as_response', { asUri: asKey, status: answer.status, description: 'token endpoint answered neither an RPT nor an error' });
      const newTicket = str(answer.body['ticket']);

      if (error === 'need_info') {
        if (newTicket === undefined) throw new UmaError('invalid_as_response', { asUri: asKey, status: answer.status, description: 'need_info without a new ticket' });
        const info: NeedInfo = { asUri: challenge.asUri, ticket: newTicket };
        const redirectUser = str(answer.body['redirect_user']);
        if (redirectUser !== undefined) info.redirectUser = redirectUser;
        if (Array.isArray(answer.body['required_claims'])) info.requiredClaims = answer.body['required_claims'] as RequiredClaim[];
        await options.onNeedInfo?.(info);
        signal?.throwIfAborted();
        // One more try, only with a claim token other than the one just found wanting.
        const next = options.claimToken ? await options.claimToken(challenge.asUri) : null;
        signal?.throwIfAborted();
        const fresh = next !== null && (sentPct || claims === null || next.token !== claims.token || next.format !== claims.format);
        if (!fresh || retriedNeedInfo) {
          throw new UmaError('need_info', { ...info, status: answer.status, description: str(answer.body['error_description']) ?? 'the authorization server needs more claims' });
        }
        retriedNeedInfo = true;
        ticket = newTicket;
        claims = next;
        sentPct = false;
        continue;
      }

      if (error === 'request_submitted' || (error === 'slow_down' && pollStart !== undefined)) {
        if (error === 'request_submitted') {
          if (newTicket === undefined) throw new UmaError('invalid_as_response', { asUri: asKey, status: answer.status, description: 'request_submitted without a new ticket' });
          const asked = answer.body['interval'];
          if (typeof asked === 'number' && Number.isFinite(asked) && asked > 0) interval = asked;
        } else {
          // RFC 8628 §3.5: slow_down adds 5 seconds to the interval for all later polls.
          slowDown += 5;
        }
        if (newTicket !== undefined) ticket = newTicket;
        pollStart ??= now();
        const wait = Math.min((Math.max(interval ?? DEFAULT_INTERVAL, 1) + slowDown) * 1000, maxPollIntervalMs);
        if (now() + wait - pollStart > pollDeadlineMs) {
          throw new UmaError('timeout', { asUri: asKey, status: answer.status, description: `the resource owner did not decide within ${pollDeadlineMs} ms` });
        }
        await sleep(wait, signal);
        continue;
      }

      if (error === 'invalid_grant') {
        // A stale RPT or PCT of ours may be the reason: the next request goes without it. The RPT is
        // suspected first (the PCT stays until a request without the RPT is refused too).
        if (params['rpt'] !== undefined) {
          h.rpt = h.expiresAt = h.refreshToken = undefined;
          return oauthError(answer, asKey, error);
        }
        if (params['pct'] !== undefined) h.pct = undefined;
      }
      throw oauthError(answer, asKey, error);
    }
  }

  async function umaFetch(input: FetchInput, init?: RequestInit): Promise<Response> {
    const prepared: PreparedRequest = await prepareRequest(input, init);
    let origin: string;
    try {
      origin = new URL(prepared.url).origin;
    } catch {
      // Not an absolute URL: nothing to match an RPT to; fetch decides what it means.
      return doFetch(prepared.url, prepared.init);
    }
    const http: AsHttp = { fetch: doFetch, timeoutMs, signal: prepared.signal };
    const knownAs = asOfOrigin.get(origin);
    const first = await doFetch(prepared.url, withRpt(prepared, knownAs ? await usableRpt(knownAs, http) : null));
    if (first.status !== 401) return first;
    const challenge = findUmaChallenge(first.headers.get('www-authenticate'));
    if (!challenge || (trusted && !trusted.has(normalizeAsUri(challenge.asUri)))) return first;
    await first.body?.cancel().catch(() => {});
    const asKey = normalizeAsUri(challenge.asUri);
    asOfOrigin.set(origin, asKey);
    const attempts = { made: 0 };
    const refused = await obtainRpt(challenge, http, attempts);
    if (refused) {
      // The server refused the held RPT (now dropped) and spent the ticket (UMA Grant §5.5): once, the
      // request goes again without an RPT for a new challenge, whose ticket is traded without one.
      if (!prepared.replayable) throw refused;
      const again = await doFetch(prepared.url, withRpt(prepared, null));
      if (again.status !== 401) return again;
      const next = findUmaChallenge(again.headers.get('www-authenticate'));
      if (!next || normalizeAsUri(next.asUri) !== asKey) return again;
      await again.body?.cancel().catch(() => {});
      // No RPT is held now, so this trade cannot be refused for one.
      const failed = await obtainRpt(next, http, attempts);
      if (failed) throw failed;
    }
    if (!prepared.replayable) {
      throw new UmaError('body_not_replayable', { asUri: asKey, description: 'the request body was a stream and cannot be sent again; an RPT is now held, so send the request again' });
    }
    return doFetch(prepared.url, withRpt(prepared, held.get(asKey)?.rpt ?? null));
  }

  return {
    fetch: umaFetch,
    rptFor: (asUri) => held.get(normalizeAsUri(asUri))?.rpt ?? null,
    pct: (asUri) => held.get(normalizeAsUri(asUri))?.pct ?? null,
    rptInfo(asUri) {
      const h = held.get(normalizeAsUri(asUri));
      if (!h?.rpt) return null;
      return { rpt: h.rpt, expiresAt: h.expiresAt, upgraded: h.upgraded === true, refreshable: h.refreshToken !== undefined };
    },
    forget(asUri) {
      if (asUri === undefined) held.clear();
      else held.delete(normalizeAsUri(asUri));
    },
  };
}
