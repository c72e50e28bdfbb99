/**
 * @module notes-api/connect
 * "Connect to Steward": the owner signs in at Steward and allows the notes API to register and share
 * her notes. The authorization code flow (RFC 6749 §4.1) with PKCE (RFC 7636, S256), asking for
 * `uma_protection` (the token is her PAT, UMA Fed Authz §1.3), `sharing` (Steward's owner policy API)
 * and `openid` (userinfo tells her username). Her tokens go to the PAT store; she gets a session here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { UmaPatStore } from '@steward/rs';
import type { NotesConfig } from './config.ts';
import { ApiError } from './errors.ts';
import { cookie, type Sessions } from './owners.ts';
import type { Steward } from './steward.ts';

const FLOW_COOKIE = 'notes_connect';
const SCOPE = 'openid uma_protection sharing';
/** Flows not finished within ten minutes are forgotten; at most this many are pending at once. */
const FLOW_SECONDS = 600;
const MAX_PENDING = 10_000;

export function connectRoutes(config: NotesConfig, steward: Steward, pats: UmaPatStore, sessions: Sessions): Router {
  const router = Router();
  const redirectUri = `${config.baseUrl}/connect/callback`;
  /** state → PKCE verifier, while the owner is at Steward. */
  const pending = new Map<string, { verifier: string; until: number }>();

  router.get('/connect', async (_req, res) => {
    const now = Date.now();
    for (const [state, flow] of pending) if (flow.until < now) pending.delete(state);
    if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    pending.set(state, { verifier, until: now + FLOW_SECONDS * 1000 });
    // The state is bound to this browser: the callback must come back with the same cookie.
    res.cookie(FLOW_COOKIE, state, { httpOnly: true, sameSite: 'lax', path: '/connect', maxAge: FLOW_SECONDS * 1000 });
    const { authorization_endpoint } = await steward.endpoints();
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: redirectUri,
      scope: SCOPE,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    res.redirect(302, `${authorization_endpoint}?${params}`);
  });

  router.get('/connect/callback', async (req, res) => {
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const flow = pending.get(state);
    if (!flow || cookie(req, FLOW_COOKIE) !== state || flow.until < Date.now()) throw new ApiError(400, 'invalid_request', 'Unknown or expired connection attempt: start again at GET /connect');
    pending.delete(state);
    res.clearCookie(FLOW_COOKIE, { path: '/connect' });
    // RFC 9207: the answer must come from the issuer we sent her to.
    if (req.query.iss !== undefined && req.query.iss !== config.issuer) throw new ApiError(400, 'invalid_request', 'The answer comes from another authorization server');
    if (typeof req.query.error === 'string') throw new ApiError(403, 'not_connected', `Steward answered ${req.query.error}`);
    if (typeof req.query.code !== 'string') throw new ApiError(400, 'invalid_request', 'code is missing');

    const tokens = await steward.redeemCode(req.query.code, flow.verifier, redirectUri);
    if (tokens.status !== 200) throw new ApiError(502, 'authorization_server_failed', `Steward refused the code (${tokens.json?.error ?? tokens.status})`);
    const me = await steward.userinfo(tokens.json.access_token);
    if (me.status !== 200 || typeof me.json?.preferred_username !== 'string') throw new ApiError(502, 'authorization_server_failed', 'Steward did not say who signed in');
    const owner: string = me.json.preferred_username;
    await pats.saveTokenResponse(owner, tokens.json);
    sessions.start(res, owner);
    res.redirect(303, '/my/notes');
  });

  return router;
}
