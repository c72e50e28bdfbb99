/**
 * @module test/keycloak/resources
 * Keycloak's resource registration extras: the resource server's own PAT registers for a named owner
 * and manages what it registered; `displayName`, `uris`, `attributes`, `ownerManagedAccess` and
 * `scopes` as `{name}` objects round-trip; the list filters; no user reaches another's resources.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishConfiguration } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { BASIC_RS, call, enforcerAsk, keycloakWorld, payload, userToken, type KeycloakWorld } from './fixture.ts';

for (const dialect of dialects) {
  describe(`Keycloak resource registration extras (${dialect})`, () => {
    let w: KeycloakWorld;
    let rsPat: string;
    let url: string;
    let shelf: string;
    before(async () => {
      w = await keycloakWorld(dialect);
      // photoz-rs is a resource server of the realm (its configuration is published), so its own PAT
      // may register resources for users.
      await publishConfiguration(w.s.deps, { realm: 'demo', resourceServer: DEMO.rs.id, scopes: {}, types: { 'urn:photoz:shelf': { scopes: [] } } });
      url = `${w.s.baseUrl}${DEMO.resourceSet}`;
      const cc = await call(`${w.s.baseUrl}${DEMO.token}`, { headers: { authorization: BASIC_RS }, form: [['grant_type', 'client_credentials'], ['scope', 'openid']] });
      rsPat = cc.json.access_token;
    });
    after(async () => w?.close());

    const as = (token: string, path = '', init: { method?: string; json?: unknown } = {}) => call(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}` } });

    it('the resource server\'s own PAT registers a resource for Alice, Keycloak members kept', async () => {
      const body = {
        name: 'Shelf',
        displayName: 'Alice\'s shelf',
        type: 'urn:photoz:shelf',
        uris: ['/shelves/alice/*'],
        attributes: { color: ['red'], size: 'L' },
        ownerManagedAccess: true,
        owner: 'alice',
        scopes: [{ name: 'view' }, 'edit'],
      };
      const res = await as(rsPat, '', { json: body });
      assert.equal(res.status, 201, res.body);
      shelf = res.json._id;
      assert.deepEqual(res.json.resource_scopes, ['view', 'edit']);
      assert.equal(res.json.displayName, 'Alice\'s shelf');
      assert.deepEqual(res.json.uris, ['/shelves/alice/*']);
      assert.deepEqual(res.json.attributes, { color: ['red'], size: ['L'] });
      assert.equal(res.json.ownerManagedAccess, true);
      // Alice owns it: her PAT lists it, and she holds it at the grant.
      assert.ok((await as(w.alice)).json.includes(shelf));
      assert.equal((await enforcerAsk(w, w.alice, [`${shelf}#edit`])).status, 200);
      // The resource server reads it back (any owner, its own registrations only).
      const read = await as(rsPat, `/${shelf}`);
      assert.equal(read.status, 200, read.body);
      assert.equal(read.json.displayName, 'Alice\'s shelf');
    });

    it('lists with Keycloak\'s filters', async () => {
      const ids = async (q: string, token = rsPat) => (await as(token, `?${q}`)).json;
      assert.deepEqual(await ids('owner=alice&name=hel'), [shelf]);
      assert.deepEqual(await ids('owner=alice&name=Shel&exactName=true'), []);
      assert.deepEqual(await ids('owner=alice&name=Shelf&exactName=true'), [shelf]);
      assert.deepEqual(await ids('owner=alice&uri=/shelves/alice/*'), [shelf]);
      assert.deepEqual(await ids('owner=alice&uri=/shelves/alice/top'), []);
      assert.deepEqual(await ids('owner=alice&uri=/shelves/alice/top&matchingUri=true'), [shelf]);
      assert.deepEqual(await ids('owner=alice&type=urn:photoz:shelf'), [shelf]);
      assert.deepEqual(await ids(`owner=${payload(w.alice).sub}&scope=edit`), [w.album, shelf]);
      assert.deepEqual(await ids('owner=alice&first=1&max=1'), [w.photo]);
      assert.deepEqual(await ids('owner=alice&max=0'), []);
      const deep = (await as(rsPat, '?owner=alice&name=Shelf&deep=true')).json;
      assert.equal(deep[0]._id, shelf);
      assert.deepEqual(deep[0].owner, { id: payload(w.alice).sub });
      // Without an owner, everything the resource server registered, for every owner (as Keycloak lists it); Alice's list is hers.
      assert.deepEqual([...(await ids(''))].sort(), [w.album, w.photo, shelf].sort());
      assert.deepEqual((await ids('name=Album', w.alice)), [w.album]);
    });

    it('no user reaches another\'s resources: owner filters, reads, writes and owner changes are refused', async () => {
      const bob = await userToken(w.s, 'bob', 'uma_protection');
      assert.deepEqual((await as(bob, '?owner=alice')).json, []);
      assert.equal((await as(bob, `/${shelf}`)).status, 404);
      assert.equal((await as(bob, `/${shelf}`, { method: 'DELETE' })).status, 404);
      const steal = await as(bob, '', { json: { name: 'x', resource_scopes: ['view'], owner: 'alice' } });
      assert.equal(steal.status, 400, steal.body);
      const move = await as(rsPat, `/${shelf}`, { method: 'PUT', json: { name: 'Shelf', resource_scopes: ['view'], owner: 'bob' } });
      assert.equal(move.status, 400, move.body);
      assert.equal((await as(rsPat, '', { json: { name: 'x', resource_scopes: ['view'], owner: 'nobody-here' } })).status, 400);
    });

    it('the resource server updates and deletes what it registered for Alice', async () => {
      const put = await as(rsPat, `/${shelf}`, { method: 'PUT', json: { ...(await as(rsPat, `/${shelf}`)).json, displayName: 'Renamed' } });
      assert.equal(put.status, 200, put.body);
      assert.equal(put.json.displayName, 'Renamed');
      assert.equal((await as(w.alice, `/${shelf}`)).json.displayName, 'Renamed');
      assert.equal((await as(rsPat, `/${shelf}`, { method: 'DELETE' })).status, 204);
      assert.equal((await as(w.alice, `/${shelf}`)).status, 404);
    });

    const bad: Array<[string, unknown]> = [
      ['uris as a string list of numbers', { resource_scopes: ['view'], uris: [1] }],
      ['attributes as an array', { resource_scopes: ['view'], attributes: ['a'] }],
      ['ownerManagedAccess as a string', { resource_scopes: ['view'], ownerManagedAccess: 'yes' }],
      ['a scope object without a name', { scopes: [{ id: 'x' }] }],
      ['owner as a number', { resource_scopes: ['view'], owner: 7 }],
    ];
    for (const [name, body] of bad) {
      it(`refuses ${name} with 400 invalid_request`, async () => {
        const res = await as(rsPat, '', { json: body });
        assert.equal(res.status, 400, res.body);
        assert.equal(res.json.error, 'invalid_request');
      });
    }
    it('refuses malformed list parameters with 400 invalid_request', async () => {
      for (const q of ['max=lots', 'first=x', 'deep=maybe', 'exactName=1', 'max=5000', 'name=a&name=b']) {
        const res = await as(rsPat, `?${q}`);
        assert.equal(res.status, 400, `${q}: ${res.body}`);
        assert.equal(res.json.error, 'invalid_request');
      }
    });
  });
}
