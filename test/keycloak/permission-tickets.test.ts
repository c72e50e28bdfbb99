/**
 * @module test/keycloak/permission-tickets
 * Keycloak's owner-managed permission tickets over the one share model: a created ticket is a share
 * the grant honours and the policies API shows; a requesting party's access request is a pending
 * ticket the owner grants or denies; every id is checked against the caller (owner or requester) and
 * her resource server — forged, foreign and garbage ids are 404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { call, enforcerAsk, keycloakWorld, payload, userToken, type KeycloakWorld } from './fixture.ts';

for (const dialect of dialects) {
  describe(`Keycloak permission tickets (${dialect})`, () => {
    let w: KeycloakWorld;
    let url: string;
    let tokens: Record<string, string>;
    before(async () => {
      w = await keycloakWorld(dialect);
      url = `${w.s.issuer}/authz/protection/permission/ticket`;
      tokens = { alice: w.alice, bob: await userToken(w.s, 'bob', 'openid sharing'), chris: await userToken(w.s, 'chris', 'openid sharing'), dave: await userToken(w.s, 'dave', 'openid sharing') };
    });
    after(async () => w?.close());

    const as = (who: string, path = '', init: { method?: string; json?: unknown } = {}) => call(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${tokens[who]}` } });
    const sub = (who: string) => payload(tokens[who]!).sub;
    let chrisTicket: string;

    it('the owner grants Chris the album\'s view: a share the grant honours', async () => {
      assert.equal((await enforcerAsk(w, w.chris, [`${w.album}#view`])).status, 403);
      const res = await as('alice', '', { json: { resource: w.album, requesterName: 'chris', scopeName: 'view', granted: true } });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.granted, true);
      assert.equal(res.json.requester, sub('chris'));
      chrisTicket = res.json.id;
      assert.equal((await enforcerAsk(w, w.chris, [`${w.album}#view`])).status, 200);
      const policy = await call(`${w.s.issuer}/authz/protection/uma-policy/${w.album}`, { headers: { authorization: `Bearer ${w.alice}` } });
      assert.deepEqual(policy.json.users, ['bob', 'chris']);
      const again = await as('alice', '', { json: { resource: w.album, requester: sub('chris'), scope: 'view', granted: true } });
      assert.equal(again.status, 400, again.body);
    });

    it('queries as owner and as requester, with names, filters, paging and count', async () => {
      const mine = await as('alice', `?resourceId=${w.album}&returnNames=true`);
      assert.equal(mine.status, 200, mine.body);
      assert.deepEqual(mine.json.map((t: { requesterName: string; scope: string }) => `${t.requesterName}:${t.scope}`).sort(), ['bob:view', 'chris:view']);
      assert.equal(mine.json[0].resourceName, 'Album');
      const chris = await as('chris', '?owner=alice');
      assert.deepEqual(chris.json.map((t: { id: string }) => t.id), [chrisTicket]);
      assert.deepEqual((await as('alice', '?requester=chris')).json.map((t: { id: string }) => t.id), [chrisTicket]);
      assert.deepEqual((await as('alice', '?scopeId=download')).json.map((t: { resource: string }) => t.resource), [w.photo]);
      assert.equal((await as('alice', '?max=1')).json.length, 1);
      assert.equal((await as('alice', '/count')).json, 3);
      assert.equal((await as('alice', '/count?granted=false')).json, 0);
    });

    it('a pending request is a ticket the owner grants: Dave gets the album\'s edit', async () => {
      const submitted = await enforcerAsk(w, await userToken(w.s, 'dave'), [`${w.album}#edit`], [['response_mode', 'decision'], ['submit_request', 'true']]);
      assert.equal(submitted.json.error_description, 'request_submitted');
      const pending = await as('alice', '?granted=false');
      assert.equal(pending.json.length, 1, pending.body);
      assert.deepEqual([pending.json[0].requester, pending.json[0].scope], [sub('dave'), 'edit']);
      // The requester sees his pending ticket but cannot grant it.
      assert.deepEqual((await as('dave', '?granted=false')).json.map((t: { id: string }) => t.id), [pending.json[0].id]);
      assert.equal((await as('dave', '', { method: 'PUT', json: { id: pending.json[0].id, granted: true } })).status, 404);
      const put = await as('alice', '', { method: 'PUT', json: { id: pending.json[0].id, granted: true } });
      assert.equal(put.status, 204, put.body);
      assert.equal((await enforcerAsk(w, await userToken(w.s, 'dave'), [`${w.album}#edit`])).status, 200);
      assert.equal((await as('alice', '/count?granted=false')).json, 0);
    });

    it('ownership: forged, foreign and garbage ids are 404, and nothing changes', async () => {
      const bobTicket = (await as('alice', '?requester=bob&resourceId=' + w.album)).json[0].id;
      const forged = Buffer.from(JSON.stringify(['g', w.album, sub('chris'), 'view'])).toString('base64url');
      assert.equal((await as('bob', `/${chrisTicket}`, { method: 'DELETE' })).status, 404);
      assert.equal((await as('bob', `/${forged}`, { method: 'DELETE' })).status, 404);
      assert.equal((await as('bob', '', { method: 'PUT', json: { id: chrisTicket, granted: false } })).status, 404);
      assert.equal((await as('bob', '', { json: { resource: w.album, requesterName: 'bob', scopeName: 'edit', granted: true } })).status, 404);
      assert.equal((await as('alice', '/not-a-ticket', { method: 'DELETE' })).status, 404);
      assert.equal((await as('alice', `/${Buffer.from(JSON.stringify(['g', 'x', 'y', 'z'])).toString('base64url')}`, { method: 'DELETE' })).status, 404);
      // Bob, a requester, may not ungrant (only the owner sets granted).
      assert.equal((await as('bob', '', { method: 'PUT', json: { id: bobTicket, granted: false } })).status, 403);
      assert.equal((await enforcerAsk(w, w.chris, [`${w.album}#view`])).status, 200);
      assert.equal((await enforcerAsk(w, w.bob, [`${w.album}#view`])).status, 200);
    });

    it('the requester gives up his grant, the owner withdraws another: refused at once', async () => {
      assert.equal((await as('chris', `/${chrisTicket}`, { method: 'DELETE' })).status, 204);
      assert.equal((await enforcerAsk(w, w.chris, [`${w.album}#view`])).status, 403);
      const bobTicket = (await as('alice', '?requester=bob&resourceId=' + w.album)).json[0].id;
      assert.equal((await as('alice', '', { method: 'PUT', json: { id: bobTicket, granted: false } })).status, 204);
      assert.equal((await enforcerAsk(w, w.bob, [`${w.album}#view`])).status, 403);
    });

    const bad: Array<[string, unknown]> = [
      ['no resource', { requesterName: 'bob', scopeName: 'view', granted: true }],
      ['both requester forms', { resource: 'x', requester: 'a', requesterName: 'b', scopeName: 'view', granted: true }],
      ['granted false', { resource: 'x', requesterName: 'bob', scopeName: 'view', granted: false }],
      ['granted as a string', { resource: 'x', requesterName: 'bob', scopeName: 'view', granted: 'true' }],
      ['an unknown requester', { resource: 'x', requesterName: 'nobody-here', scopeName: 'view', granted: true }],
    ];
    for (const [name, body] of bad) {
      it(`refuses ${name} with 400 invalid_request`, async () => {
        const res = await as('alice', '', { json: body });
        assert.equal(res.status, 400, res.body);
        assert.equal(res.json.error, 'invalid_request');
      });
    }
  });
}
