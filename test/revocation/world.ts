/**
 * @module test/revocation/world
 * Setup for the revocation tests over a real Steward: Alice's resource at photoz-rs shared with Bob,
 * a second resource server (docs-rs) with its own resource shared with Bob, and Bob's RPTs for each.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { alicePat, aliceSharesWithBob, bobRpt, registerResource } from '../../packages/rs/test/steward-world.ts';

export const DOCS_RS = { id: 'docs-rs', secret: 'docs-rs-secret' };

/** The events endpoint of the demo realm (or another). */
export const eventsUrl = (s: TestSteward, realm = 'demo') => `${s.baseUrl}/realms/${realm}/authz/protection/events`;

/** A resource server's own PAT (client_credentials). */
export async function ownPat(s: TestSteward, rs: { id: string; secret: string }): Promise<string> {
  const res = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials', scope: 'uma_protection' }, { authorization: basic(rs.id, rs.secret) });
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
}

/** A permission ticket for the resource and scopes, asked with the PAT. */
export async function ticketFor(s: TestSteward, pat: string, resourceId: string, scopes: string[]): Promise<string> {
  const res = await request(s.app, 'POST', DEMO.permission, { headers: { authorization: bearer(pat) }, body: { resource_id: resourceId, resource_scopes: scopes } });
  assert.equal(res.status, 201, res.body);
  return res.json.ticket;
}

/** The `jti` of a JWT (unverified: the test's own token). */
export function jtiOf(jwt: string): string {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).jti;
}

export interface World {
  alicePat: string;
  /** Alice's album at photoz-rs, shared with Bob for `view`. */
  album: string;
  /** docs-rs's own resource, shared with Bob for `read`. */
  doc: string;
  docsPat: string;
}

/** Creates docs-rs (a copy of photoz-rs), the two resources and the shares. */
export async function buildWorld(s: TestSteward): Promise<World> {
  const photoz = await s.deps.store.clients.get('demo', DEMO.rs.id);
  assert.ok(photoz);
  await s.deps.store.clients.create({ ...photoz, clientId: DOCS_RS.id, name: 'Docs', secretHash: createHash('sha256').update(DOCS_RS.secret).digest('hex') });
  const pat = await alicePat(s);
  const album = await registerResource(s, pat, "Alice's album", ['view']);
  await aliceSharesWithBob(s, album, ['view']);
  const docsPat = await ownPat(s, DOCS_RS);
  const doc = await registerResource(s, docsPat, 'Handbook', ['read']);
  const now = s.deps.clock.now();
  assert.ok(await s.deps.store.policies.create({ realm: 'demo', id: doc, owner: DOCS_RS.id, rev: s.deps.random.uuid(), permissions: [{ subject: 'bob', scopes: ['read'] }], createdAt: now, updatedAt: now }));
  return { alicePat: pat, album, doc, docsPat };
}

/** A fresh RPT of Bob for Alice's album (photoz-rs). */
export async function albumRpt(s: TestSteward, w: World): Promise<string> {
  return bobRpt(s, await ticketFor(s, w.alicePat, w.album, ['view']));
}

/** A fresh RPT of Bob for docs-rs's handbook. */
export async function docRpt(s: TestSteward, w: World): Promise<string> {
  return bobRpt(s, await ticketFor(s, w.docsPat, w.doc, ['read']));
}

/** Bob's client revokes an RPT at the revocation endpoint (RFC 7009). */
export async function revokeRpt(s: TestSteward, rpt: string): Promise<void> {
  const res = await postForm(s.app, DEMO.revoke, { token: rpt }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
  assert.equal(res.status, 200, res.body);
}
