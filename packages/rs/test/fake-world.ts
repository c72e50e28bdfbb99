/**
 * @module rs/test/fake-world
 * Helpers for the tests against the fake AS: a protected app per case (either adapter) and the exact
 * assertions for a challenge and for an unreachable AS, each also checking the handler was not called.
 */
import assert from 'node:assert/strict';
import { createUmaEnforcer, TOKEN_DESCRIPTIONS, ENFORCER_ERROR_KINDS, type UmaEnforcerOptions, type UmaEnforcerErrorCode } from '../src/index.ts';
import { expressApp, fastifyApp, type AppReply, type TestApp } from './apps.ts';
import type { FakeAs } from './fake-as.ts';

export type Adapter = 'fastify' | 'express';
export const ADAPTERS: Adapter[] = ['fastify', 'express'];
export const RESOURCE = 'album-1';
export const TICKET = 'the-ticket';

/** Resets the fake's knobs between cases. */
export function resetFake(as: FakeAs): void {
  as.status = {};
  as.hang = {};
  as.ticket = TICKET;
  as.claimedIssuer = undefined;
  as.patExpiresIn = 3600;
  as.introspection.clear();
  as.calls.splice(0);
}

/** A Fastify or Express app protected by an enforcer for the fake AS (client credentials `rs`/`rs-secret`, 300 ms timeout, a silent `onError` unless given). */
export async function protect(adapter: Adapter, as: FakeAs, options: Partial<UmaEnforcerOptions> = {}): Promise<TestApp> {
  const enforcer = createUmaEnforcer({ issuer: as.issuer, realm: 'photos', clientId: 'rs', clientSecret: 'rs-secret', timeoutMs: 300, onError: () => {}, ...options });
  return adapter === 'fastify' ? fastifyApp(enforcer) : expressApp(enforcer);
}

/** One request to `GET /albums/album-1` (needs `view`) on a fresh app; returns the reply and the grants the handler saw. */
export async function once(adapter: Adapter, as: FakeAs, rpt: string | undefined, options: Partial<UmaEnforcerOptions> = {}): Promise<{ res: AppReply; app: TestApp }> {
  const app = await protect(adapter, as, options);
  try {
    return { res: await app.call('GET', `/albums/${RESOURCE}`, rpt ? { rpt } : {}), app };
  } finally {
    await app.close();
  }
}

/** The RFC 6750 §3.1 parameters the challenge carries after the ticket for a rejected RPT. */
export function rejection(code: UmaEnforcerErrorCode): string {
  return `, error="${ENFORCER_ERROR_KINDS[code]}", error_description="${(TOKEN_DESCRIPTIONS as Record<string, string>)[code]}"`;
}

/**
 * Exactly a UMA challenge with the fake's ticket, after a permission request for exactly album-1/view;
 * handler not called. `rejected`: the presented RPT was refused for this reason, which the header
 * tells after the ticket (absent: no error parameters at all).
 */
export function assertChallenge(as: FakeAs, res: AppReply, app: TestApp, rejected?: UmaEnforcerErrorCode): void {
  assert.equal(res.status, 401, JSON.stringify(res.json));
  const base = `UMA realm="photos", as_uri="${as.issuer}", ticket="${as.ticket}"`;
  assert.equal(res.headers['www-authenticate'], rejected ? base + rejection(rejected) : base);
  assert.equal(res.headers.warning, undefined);
  assert.equal(res.json.error, 'unauthorized');
  assert.equal(res.json.ticket, as.ticket);
  if (rejected) assert.ok(res.json.error_description.startsWith((TOKEN_DESCRIPTIONS as Record<string, string>)[rejected]), res.json.error_description);
  assert.deepEqual(as.permissionRequests().at(-1), { resource_id: RESOURCE, resource_scopes: ['view'] });
  assert.equal(app.seen.length, 0);
}

/** Exactly the 403 of an unreachable AS (with this code when given); no challenge; handler not called. */
export function assertUnreachable(res: AppReply, app: TestApp, code?: UmaEnforcerErrorCode): void {
  assert.equal(res.status, 403, JSON.stringify(res.json));
  assert.equal(res.headers.warning, '199 - "UMA Authorization Server Unreachable"');
  assert.equal(res.headers['www-authenticate'], undefined);
  assert.equal(res.json.error, 'authorization_server_unreachable');
  assert.equal(ENFORCER_ERROR_KINDS[res.json.code as UmaEnforcerErrorCode], 'unreachable', res.json.code);
  if (code) assert.equal(res.json.code, code);
  assert.equal(app.seen.length, 0);
}

/** Exactly the 403 of a refused ticket or PAT, with its code; the UMA Warning (§3.2.2); handler not called. */
export function assertTicketUnavailable(res: AppReply, app: TestApp, code: UmaEnforcerErrorCode): void {
  assert.equal(res.status, 403, JSON.stringify(res.json));
  assert.equal(res.headers.warning, '199 - "UMA Authorization Server Unreachable"');
  assert.equal(res.headers['www-authenticate'], undefined);
  assert.deepEqual(res.json, { error: 'ticket_unavailable', error_description: 'No permission ticket could be obtained for this request', code });
  assert.equal(app.seen.length, 0);
}

/** Exactly the 500 of a misconfigured kit, with its code; no Warning, no challenge; handler not called. */
export function assertMisconfigured(res: AppReply, app: TestApp, code: UmaEnforcerErrorCode): void {
  assert.equal(res.status, 500, JSON.stringify(res.json));
  assert.equal(res.headers.warning, undefined);
  assert.equal(res.headers['www-authenticate'], undefined);
  assert.deepEqual(res.json, { error: 'uma_misconfigured', error_description: 'The resource server cannot check permissions: its UMA configuration does not match the authorization server', code });
  assert.equal(app.seen.length, 0);
}

/** A pass: 200 and the handler saw the grant for album-1/view. */
export function assertPass(res: AppReply, app: TestApp): void {
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.equal(app.seen.length, 1);
  assert.deepEqual(app.seen[0]!.granted, { resourceId: RESOURCE, scopes: ['view'] });
}
