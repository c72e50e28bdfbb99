/**
 * @module test/keycloak/ticketless
 * Keycloak's ticketless UMA grant at the token endpoint, on the wire: the three response modes, names
 * and ids, fail-closed partial grants, pushed claims, submit_request, and every malformed request
 * answered with the documented error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { BASIC_RS, call, enforcerAsk, keycloakWorld, payload, RS, UMA, type KeycloakWorld } from './fixture.ts';
import { accessRequestsOf } from '../../packages/store/test/helpers/lists.ts';

for (const dialect of dialects) {
  describe(`Keycloak ticketless UMA grant (${dialect})`, () => {
    let w: KeycloakWorld;
    before(async () => {
      w = await keycloakWorld(dialect);
    });
    after(async () => w?.close());

    it('permissions mode: the shared album by id, with Keycloak\'s members; its name is the owner\'s alone', async () => {
      const byId = await enforcerAsk(w, w.bob, [`${w.album}#view`]);
      assert.equal(byId.status, 200, byId.body);
      assert.deepEqual(byId.json, [{ rsid: w.album, rsname: 'Album', scopes: ['view'] }]);
      const nameless = await enforcerAsk(w, w.bob, [`${w.album}#view`], [['response_mode', 'permissions'], ['response_include_resource_name', 'false']]);
      assert.deepEqual(nameless.json, [{ rsid: w.album, scopes: ['view'] }]);
      // A resource-only request answers what is held.
      assert.deepEqual((await enforcerAsk(w, w.bob, [w.album])).json, [{ rsid: w.album, rsname: 'Album', scopes: ['view'] }]);
      // A name resolves among Bob's own and the resource server's own resources only, never through a share.
      const byName = await enforcerAsk(w, w.bob, ['Album#view']);
      assert.equal(byName.status, 400, byName.body);
      assert.equal(byName.json.error, 'invalid_resource_id');
    });

    it('decision mode answers {"result": true}, refusal is 403 access_denied / not_authorized', async () => {
      const yes = await enforcerAsk(w, w.bob, [`${w.album}#view`], [['response_mode', 'decision']]);
      assert.equal(yes.status, 200, yes.body);
      assert.deepEqual(yes.json, { result: true });
      const no = await enforcerAsk(w, w.bob, [`${w.album}#edit`], [['response_mode', 'decision']]);
      assert.equal(no.status, 403, no.body);
      assert.deepEqual(no.json, { error: 'access_denied', error_description: 'not_authorized' });
    });

    it('fail-closed: one ungranted RES#scope refuses the whole request (Keycloak would answer 200 with the album alone)', async () => {
      const partial = await enforcerAsk(w, w.bob, [`${w.album}#view`, `${w.photo}#view`]);
      assert.equal(partial.status, 403, partial.body);
      assert.equal(partial.json.error, 'access_denied');
      const decision = await enforcerAsk(w, w.bob, [`${w.album}#view`, `${w.photo}#view`], [['response_mode', 'decision']]);
      assert.equal(decision.status, 403);
      // Each part alone is answered as held.
      assert.equal((await enforcerAsk(w, w.bob, [`${w.album}#view`, `${w.photo}#download`])).status, 200);
    });

    it('token mode: an RPT with typ Bearer and authorization.permissions, partial grants kept', async () => {
      const res = await enforcerAsk(w, w.bob, [`${w.album}#view`, `${w.album}#edit`], []);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.token_type, 'Bearer');
      // As Keycloak's authorization response: `upgraded` always, false (docs/api.md, RptResponse).
      assert.equal(res.json.upgraded, false);
      const rpt = payload(res.json.access_token);
      assert.equal(rpt.typ, 'Bearer');
      assert.equal(rpt.iss, w.s.issuer);
      assert.equal(rpt.azp, RS.id);
      assert.deepEqual(rpt.authorization.permissions, [{ rsid: w.album, rsname: 'Album', scopes: ['view'] }]);
      assert.deepEqual(rpt.permissions, [{ resource_id: w.album, resource_scopes: ['view'] }]);
      // Alice's audit history records the RPT; a yes/no check (permissions mode) records nothing.
      const history = await w.s.deps.store.audit.query('demo', payload(w.alice).sub, { filter: { types: ['rpt.issued'], resourceId: w.album }, limit: 10 });
      assert.deepEqual(history.events.map((e) => [e.requester, e.clientId, e.scopes]), [[payload(w.bob).sub, RS.id, ['view']]]);
      // Introspection sees the RPT like any other.
      const intro = await call(`${w.s.issuer}/protocol/openid-connect/token/introspect`, { headers: { authorization: BASIC_RS }, form: [['token', res.json.access_token]] });
      assert.equal(intro.json.active, true, intro.body);
    });

    it('refuses Chris, who holds nothing: an unshared name is unknown to him, an id is denied', async () => {
      const byName = await enforcerAsk(w, w.chris, ['Album#view']);
      assert.equal(byName.status, 400, byName.body);
      assert.equal(byName.json.error, 'invalid_resource_id');
      const byId = await enforcerAsk(w, w.chris, [`${w.album}#view`]);
      assert.equal(byId.status, 403, byId.body);
      assert.deepEqual(byId.json, { error: 'access_denied', error_description: 'not_authorized' });
    });

    it('the owner holds her own resources; the resource server alone holds none of hers', async () => {
      assert.deepEqual((await enforcerAsk(w, w.alice, ['Album#view,edit'])).json, [{ rsid: w.album, rsname: 'Album', scopes: ['view', 'edit'] }]);
      const form: Array<[string, string]> = [['grant_type', UMA], ['audience', RS.id], ['permission', `${w.album}#view`], ['response_mode', 'permissions']];
      assert.equal((await call(`${w.s.issuer}/protocol/openid-connect/token`, { headers: { authorization: BASIC_RS }, form })).status, 403);
    });

    it('pushed claims (base64 with padding, or base64url without) are accepted, never echoed', async () => {
      const claims = { 'http.uri': ['/album'], user_agent: ['mozilla'] };
      const json = JSON.stringify(claims);
      for (const token of [Buffer.from(json).toString('base64'), Buffer.from(json).toString('base64url')]) {
        const res = await enforcerAsk(w, w.bob, [`${w.album}#view`], [['response_mode', 'permissions'], ['claim_token', token], ['claim_token_format', 'urn:ietf:params:oauth:token-type:jwt']]);
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(res.json, [{ rsid: w.album, rsname: 'Album', scopes: ['view'] }]);
      }
    });

    it('submit_request records an access request for the owner and answers request_submitted', async () => {
      const res = await enforcerAsk(w, w.bob, [`${w.album}#edit`], [['response_mode', 'decision'], ['submit_request', 'true']]);
      assert.equal(res.status, 403, res.body);
      assert.deepEqual(res.json, { error: 'access_denied', error_description: 'request_submitted' });
      const aliceId = payload(w.alice).sub;
      const pending = await accessRequestsOf(w.s.deps.store, 'demo', aliceId, 'pending');
      assert.ok(pending.some((r) => r.resourceId === w.album && r.scopes.includes('edit') && r.requester === payload(w.bob).sub), JSON.stringify(pending));
    });

    it('permission_resource_format=uri names the party\'s own resource by one of its uris, patterns with permission_resource_matching_uri', async () => {
      const reg = await call(`${w.s.baseUrl}/realms/demo/authz/protection/resource_set`, { headers: { authorization: `Bearer ${w.alice}` }, json: { name: 'Gallery', resource_scopes: ['view'], uris: ['/galleries/alice/*'] } });
      assert.equal(reg.status, 201, reg.body);
      const ask = (uri: string, matching: boolean) =>
        enforcerAsk(w, w.alice, [`${uri}#view`], [['response_mode', 'permissions'], ['permission_resource_format', 'uri'], ...(matching ? [['permission_resource_matching_uri', 'true'] as [string, string]] : [])]);
      assert.deepEqual((await ask('/galleries/alice/*', false)).json, [{ rsid: reg.json._id, rsname: 'Gallery', scopes: ['view'] }]);
      assert.equal((await ask('/galleries/alice/summer', false)).status, 400);
      assert.deepEqual((await ask('/galleries/alice/summer', true)).json, [{ rsid: reg.json._id, rsname: 'Gallery', scopes: ['view'] }]);
    });

    it('response_permissions_limit keeps the first N permissions', async () => {
      const res = await enforcerAsk(w, w.bob, [`${w.album}#view`, `${w.photo}#download`], [['response_mode', 'permissions'], ['response_permissions_limit', '1']]);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.length, 1);
    });

    const bad: Array<[string, () => Promise<{ status: number; json: any }>, number, string]> = [
      ['no audience', () => call(`${w.s.issuer}/protocol/openid-connect/token`, { headers: { authorization: BASIC_RS }, form: [['grant_type', UMA], ['subject_token', w.bob], ['permission', 'Album']] }), 400, 'invalid_request'],
      ['an unknown audience', () => call(`${w.s.issuer}/protocol/openid-connect/token`, { headers: { authorization: BASIC_RS }, form: [['grant_type', UMA], ['audience', 'nope'], ['subject_token', w.bob], ['permission', 'Album']] }), 400, 'invalid_request'],
      ['no permission', () => enforcerAsk(w, w.bob, []), 400, 'invalid_request'],
      ['a scope-only permission', () => enforcerAsk(w, w.bob, ['#view']), 400, 'invalid_request'],
      ['a scope the resource does not offer', () => enforcerAsk(w, w.bob, [`${w.album}#fly`]), 400, 'invalid_scope'],
      ['an unknown response_mode', () => enforcerAsk(w, w.bob, ['Album'], [['response_mode', 'tokens']]), 400, 'invalid_request'],
      ['response_mode twice', () => enforcerAsk(w, w.bob, ['Album'], [['response_mode', 'permissions'], ['response_mode', 'decision']]), 400, 'invalid_request'],
      ['a bad subject_token', () => enforcerAsk(w, 'not.a.token', ['Album']), 400, 'invalid_grant'],
      ['an RPT as subject_token', async () => enforcerAsk(w, (await enforcerAsk(w, w.bob, [`${w.album}#view`], [])).json.access_token, ['Album']), 400, 'invalid_grant'],
      ['claims that are not base64 JSON', () => enforcerAsk(w, w.bob, ['Album'], [['response_mode', 'permissions'], ['claim_token', 'bm90IGpzb24'], ['claim_token_format', 'urn:ietf:params:oauth:token-type:jwt']]), 400, 'invalid_request'],
      ['claims of another format', () => enforcerAsk(w, w.bob, ['Album'], [['response_mode', 'permissions'], ['claim_token', 'e30'], ['claim_token_format', 'urn:other']]), 400, 'invalid_request'],
      ['a limit of 0', () => enforcerAsk(w, w.bob, ['Album'], [['response_mode', 'permissions'], ['response_permissions_limit', '0']]), 400, 'invalid_request'],
      ['submit_request=maybe', () => enforcerAsk(w, w.bob, ['Album'], [['response_mode', 'permissions'], ['submit_request', 'maybe']]), 400, 'invalid_request'],
      ['permission_resource_format=path', () => enforcerAsk(w, w.bob, ['/album'], [['response_mode', 'permissions'], ['permission_resource_format', 'path']]), 400, 'invalid_request'],
      ['a URI no resource of the party has', () => enforcerAsk(w, w.bob, ['/albums/alice'], [['response_mode', 'permissions'], ['permission_resource_format', 'uri']]), 400, 'invalid_resource_id'],
      ['a wrong secret', () => call(`${w.s.issuer}/protocol/openid-connect/token`, { headers: { authorization: `Basic ${Buffer.from(`${RS.id}:wrong`).toString('base64')}` }, form: [['grant_type', UMA], ['audience', RS.id], ['subject_token', w.bob], ['permission', 'Album']] }), 401, 'invalid_client'],
    ];
    for (const [name, send, status, error] of bad) {
      it(`refuses ${name} with ${status} ${error}`, async () => {
        const res = await send();
        assert.equal(res.status, status, JSON.stringify(res.json));
        assert.equal(res.json.error, error);
      });
    }
  });
}
