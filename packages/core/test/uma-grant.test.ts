/**
 * The UMA grant (UMA Grant §3.3) against the ports in memory: every outcome §3.3.1 and §3.3.6 name,
 * and the rules that decide between them, without a server.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { opaqueKey, umaGrant, type UmaGrantRequest } from '@steward/core';
import { ID_TOKEN, payload, rejection, REALM, RS, world, type World } from './fakes/world.ts';

/** The grant as `printer` asks it, for bob (his ID token) unless `over` says otherwise. */
async function asBob(w: World, ticket: string, over: Partial<UmaGrantRequest> = {}) {
  return umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket, claimToken: await w.idToken(w.bob, w.printer), claimTokenFormat: ID_TOKEN, ...over });
}

const live = (w: World, ticket: string) => w.fakes.tickets.get(REALM, opaqueKey(w.ports, ticket), w.clock.now());

describe('UMA grant §3.3.1: an RPT is issued', () => {
  it('carries the permissions the policy grants, addressed to the resource server, and is recorded with its refresh token and PCT', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    const result = await asBob(w, ticket);
    const rpt = payload(result.accessToken);
    assert.deepEqual(rpt.permissions, [{ resource_id: 'album', resource_scopes: ['view'] }]);
    assert.equal(rpt.scope, undefined, 'an RPT carries permissions, never scope');
    assert.deepEqual([rpt.sub, rpt.aud, rpt.azp, rpt.preferred_username], ['bob-id', RS, 'printer', 'bob']);
    assert.equal(result.expiresIn, w.realm.settings.rptLifetime);
    assert.equal(rpt.exp, w.clock.now() + w.realm.settings.rptLifetime);
    const record = await w.fakes.tokens.get(REALM, rpt.jti);
    assert.deepEqual([record?.kind, record?.subject, record?.clientId, record?.revoked], ['rpt', 'bob-id', 'printer', false]);
    assert.deepEqual(record?.data.permissions, [{ resourceId: 'album', scopes: ['view'], owner: 'alice-id', resourceServer: RS }]);
    assert.equal((await w.fakes.tokens.get(REALM, opaqueKey(w.ports, result.refreshToken!)))?.kind, 'refresh');
    assert.equal((await w.fakes.tokens.get(REALM, opaqueKey(w.ports, result.pct!)))?.kind, 'pct');
    assert.equal(result.upgraded, undefined, 'no rpt was presented');
    const issued = w.fakes.audit.of(REALM).filter((e) => e.type === 'rpt.issued');
    assert.deepEqual(issued.map((e) => [e.owner, e.requester, e.resourceId, e.scopes, e.detail?.rpt]), [['alice-id', 'bob-id', 'album', ['view'], rpt.jti]]);
    assert.equal(await live(w, ticket), null, 'the ticket is spent');
  });

  it('grants part of the request and drops what no policy allows (§3.3.4)', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view', 'edit'] }, { resourceId: 'photo', scopes: ['view'] }]);
    assert.deepEqual(payload((await asBob(w, ticket)).accessToken).permissions, [{ resource_id: 'album', resource_scopes: ['view'] }]);
  });

  it('adds a requested scope the client pre-registered, on the resources offering it', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view', 'print'] }]);
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    assert.deepEqual(payload((await asBob(w, ticket, { scope: 'print' })).accessToken).permissions, [{ resource_id: 'album', resource_scopes: ['view', 'print'] }]);
  });

  it('gives the owner her own resource without any policy', async () => {
    const w = await world();
    const ticket = await w.ticket([{ resourceId: 'photo', scopes: ['download'] }]);
    const result = await umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket, claimToken: await w.idToken(w.alice, w.printer), claimTokenFormat: ID_TOKEN });
    assert.deepEqual(payload(result.accessToken).permissions, [{ resource_id: 'photo', resource_scopes: ['download'] }]);
  });

  it('lets a confidential client act for itself when a policy names client:{id}: no refresh token, no PCT (§3.3.4)', async () => {
    const w = await world();
    await w.share('photo', [{ subject: 'client:printer', scopes: ['view'] }]);
    const result = await umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket: await w.ticket([{ resourceId: 'photo', scopes: ['view'] }]) });
    assert.equal(payload(result.accessToken).sub, 'printer');
    assert.equal(payload(result.accessToken).preferred_username, undefined);
    assert.deepEqual([result.refreshToken, result.pct], [undefined, undefined]);
  });

  it('issues no refresh token to a client configured without them', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const result = await asBob(w, await w.ticket([{ resourceId: 'album', scopes: ['view'] }]), { client: { ...w.printer, rptRefreshTokens: false } });
    assert.equal(result.refreshToken, undefined);
    assert.ok(result.pct);
  });

  it('redeems a ticket raced by two requests exactly once', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    const outcomes = await Promise.allSettled([asBob(w, ticket), asBob(w, ticket), asBob(w, ticket)]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    for (const o of outcomes) if (o.status === 'rejected') assert.equal(o.reason.code, 'invalid_grant');
    assert.equal(w.fakes.tokens.table.rows((t) => t.kind === 'rpt').length, 1, 'one RPT recorded');
  });
});

describe('UMA grant §3.3.5: persisted claims (PCT)', () => {
  it('a PCT alone identifies the requesting party at the next grant, and is handed back', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const first = await asBob(w, await w.ticket([{ resourceId: 'album', scopes: ['view'] }]));
    const again = await umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket: await w.ticket([{ resourceId: 'album', scopes: ['view'] }]), pct: first.pct });
    assert.equal(payload(again.accessToken).sub, 'bob-id');
    assert.equal(again.pct, first.pct, 'the same PCT, no new one');
    assert.equal(w.fakes.tokens.table.rows((t) => t.kind === 'pct').length, 1);
  });

  it('refuses another client’s PCT with invalid_grant (§5.2), and spends the ticket', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const { pct } = await asBob(w, await w.ticket([{ resourceId: 'album', scopes: ['view'] }]));
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    await rejection(umaGrant(w.ports, { realm: w.realm, client: { ...w.printer, clientId: 'other' }, ticket, pct }), 'invalid_grant');
    assert.equal(await live(w, ticket), null);
  });

  it('treats an expired PCT, or one of a disabled user, as absent', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }, { subject: 'client:printer', scopes: ['view'] }]);
    const { pct } = await asBob(w, await w.ticket([{ resourceId: 'album', scopes: ['view'] }]));
    await w.fakes.users.update({ ...w.bob, disabled: true });
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    assert.equal(payload((await umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket, pct })).accessToken).sub, 'printer', 'the client acts for itself');
    await w.fakes.users.update(w.bob);
    w.clock.advance(w.realm.settings.pctLifetime);
    const later = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    assert.equal(payload((await umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket: later, pct })).accessToken).sub, 'printer');
  });
});

describe('UMA grant §3.3.6: invalid_grant for a ticket that cannot be redeemed', () => {
  it('an unknown ticket, an overlong one, and one of another realm', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    const [id, secret] = ticket.split('.') as [string, string];
    for (const bad of ['nope', `${id}.${secret.slice(1)}x`, 'x'.repeat(513)]) await rejection(asBob(w, bad), 'invalid_grant');
    await rejection(asBob(w, ticket, { realm: { ...w.realm, id: 'other' } }), 'invalid_grant');
    assert.ok(await live(w, ticket), 'the real ticket is left unspent');
  });

  it('a spent ticket: the second use of a ticket that issued an RPT', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    await asBob(w, ticket);
    const error = await rejection(asBob(w, ticket), 'invalid_grant');
    assert.match(error.description!, /unknown, expired or already used/);
  });

  it('an expired ticket: redeemable until its lifetime ends, not at that second', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const early = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    const late = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    w.clock.advance(w.realm.settings.ticketLifetime - 1);
    await asBob(w, early);
    w.clock.advance(1);
    await rejection(asBob(w, late), 'invalid_grant');
  });

  it('a ticket whose resources were all deleted, and the ticket is spent', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    await w.fakes.resources.delete(REALM, 'alice-id', 'album');
    await rejection(asBob(w, ticket), 'invalid_grant');
    assert.equal(await live(w, ticket), null);
  });

  it('a malformed request is invalid_request and does not spend the ticket', async () => {
    const w = await world();
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    await rejection(umaGrant(w.ports, { realm: w.realm, client: w.printer }), 'invalid_request');
    await rejection(umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket, claimToken: 'x' }), 'invalid_request');
    await rejection(umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket, claimTokenFormat: ID_TOKEN }), 'invalid_request');
    assert.ok(await live(w, ticket));
  });
});

describe('UMA grant §3.3.6: invalid_scope', () => {
  it('for a scope no resource of the ticket offers, or one the client did not pre-register; the ticket is spent', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view', 'edit', 'print'] }]);
    for (const scope of ['delete', 'edit', 'print download']) {
      const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
      await rejection(asBob(w, ticket, { scope }), 'invalid_scope');
      assert.equal(await live(w, ticket), null, scope);
    }
  });
});

describe('UMA grant §3.3.6: need_info', () => {
  it('when the client alone asks for a resource shared with users: a new ticket, the required claims and where to send the user', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    const error = await rejection(umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket }), 'need_info');
    const issuer = w.ports.issuer(REALM);
    assert.equal(error.extras.redirect_user, `${issuer}/uma/claims`);
    assert.deepEqual(error.extras.required_claims?.map((c) => [c.name, c.claim_type, c.issuer]), [['sub', 'id_token', [issuer]]]);
    assert.ok(error.extras.required_claims?.[0]?.claim_token_format?.includes(ID_TOKEN));
    assert.equal(await live(w, ticket), null, 'the ticket is spent');
    const successor = error.extras.ticket!;
    assert.notEqual(successor, ticket);
    const stored = await live(w, successor);
    assert.deepEqual([stored?.owner, stored?.permissions, stored?.expiresAt], ['alice-id', [{ resourceId: 'album', scopes: ['view'] }], w.clock.now() + w.realm.settings.ticketLifetime]);
    assert.deepEqual(payload((await asBob(w, successor)).accessToken).permissions, [{ resource_id: 'album', resource_scopes: ['view'] }], 'the successor and a claim token succeed');
  });

  it('when a public client brings no user', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const error = await rejection(umaGrant(w.ports, { realm: w.realm, client: w.viewer, ticket: await w.ticket([{ resourceId: 'album', scopes: ['view'] }]) }), 'need_info');
    assert.ok(error.extras.ticket);
  });

  it('for a claim token of an unknown format, of another client, expired, or not an ID token', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const other = { ...w.printer, clientId: 'other' };
    const claims: Array<[string, string]> = [
      [await w.idToken(w.bob, w.printer), 'urn:example:saml'],
      [await w.idToken(w.bob, other), ID_TOKEN],
      ['not.a.jwt', ID_TOKEN],
    ];
    for (const [claimToken, claimTokenFormat] of claims) {
      const error = await rejection(umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket: await w.ticket([{ resourceId: 'album', scopes: ['view'] }]), claimToken, claimTokenFormat }), 'need_info');
      assert.ok(error.extras.ticket);
    }
    const stale = await w.idToken(w.bob, w.printer);
    w.clock.advance(w.realm.settings.accessTokenLifetime);
    await rejection(asBob(w, await w.ticket([{ resourceId: 'album', scopes: ['view'] }]), { claimToken: stale }), 'need_info');
  });
});

describe('UMA grant §3.3.6: request_denied', () => {
  it('when no policy allows the party and the realm records no requests; the ticket is spent and grant.denied published', async () => {
    const w = await world();
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
    const error = await rejection(asBob(w, ticket), 'request_denied');
    assert.equal(error.extras.ticket, undefined, 'no ticket to go on with');
    assert.equal(await live(w, ticket), null);
    assert.deepEqual(w.fakes.accessRequests.table.rows(), []);
    const denied = w.fakes.audit.of(REALM).filter((e) => e.type === 'grant.denied');
    assert.deepEqual(denied.map((e) => [e.owner, e.requester, e.resourceId, e.scopes]), [['alice-id', 'bob-id', 'album', ['view']]]);
  });

  it('when the client asks with submit_request=false though the realm records requests', async () => {
    const w = await world({ accessRequests: true });
    await rejection(asBob(w, await w.ticket([{ resourceId: 'album', scopes: ['view'] }]), { submitRequest: false }), 'request_denied');
    assert.deepEqual(w.fakes.accessRequests.table.rows(), []);
  });
});

describe('UMA grant §3.3.6: request_submitted', () => {
  it('records one pending request however often the successor polls, then grants once the owner shares', async () => {
    const w = await world({ accessRequests: true, pollInterval: 7 });
    const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view', 'edit'] }]);
    const error = await rejection(asBob(w, ticket), 'request_submitted');
    assert.equal(error.extras.interval, 7);
    assert.equal(await live(w, ticket), null, 'the ticket is spent');
    const requests = () => w.fakes.accessRequests.table.rows().map((r) => [r.owner, r.requester, r.clientId, r.resourceId, r.scopes, r.status]);
    assert.deepEqual(requests(), [['alice-id', 'bob-id', 'printer', 'album', ['view', 'edit'], 'pending']]);
    // The successor remembers bob for this client: polling with it alone is enough.
    const poll = await rejection(umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket: error.extras.ticket! }), 'request_submitted');
    assert.deepEqual(requests(), [['alice-id', 'bob-id', 'printer', 'album', ['view', 'edit'], 'pending']], 'no duplicate');
    assert.equal(w.fakes.audit.of(REALM).filter((e) => e.type === 'access_request.created').length, 1);
    await w.share('album', [{ subject: 'bob', scopes: ['view', 'edit'] }]);
    const result = await umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket: poll.extras.ticket! });
    assert.deepEqual(payload(result.accessToken).permissions, [{ resource_id: 'album', resource_scopes: ['view', 'edit'] }]);
  });

  it('the successor’s claims count for the client they were gathered for only', async () => {
    const w = await world({ accessRequests: true });
    const error = await rejection(asBob(w, await w.ticket([{ resourceId: 'album', scopes: ['view'] }])), 'request_submitted');
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const other = { ...w.printer, clientId: 'other' };
    await rejection(umaGrant(w.ports, { realm: w.realm, client: other, ticket: error.extras.ticket! }), 'need_info');
  });

  it('turns into request_denied once the owner denied those scopes, until she changes her policy', async () => {
    const w = await world({ accessRequests: true });
    const error = await rejection(asBob(w, await w.ticket([{ resourceId: 'album', scopes: ['view'] }])), 'request_submitted');
    const [pending] = w.fakes.accessRequests.table.rows();
    w.clock.advance(1);
    assert.ok(await w.fakes.accessRequests.answer(REALM, 'alice-id', pending!.id, 'denied', w.clock.now()));
    await rejection(umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket: error.extras.ticket! }), 'request_denied');
    w.clock.advance(1);
    await w.share('album', [{ subject: 'carol', scopes: ['view'] }]);
    await rejection(asBob(w, await w.ticket([{ resourceId: 'album', scopes: ['view'] }])), 'request_submitted');
  });
});
