/**
 * @module test/keycloak/server-pat
 * One rule for the resource server's own PAT (its client_credentials token) on every Protection API
 * call, over a real socket: it registers a resource for Alice, then reads, lists (every owner's,
 * without `owner`), replaces it, asks permission tickets for it — Alice's tickets, redeemed by Bob
 * through the ordinary UMA grant once she shares — reads its scope categories, reports an access and
 * deletes it. A user's PAT reaches only her own; another resource server's own PAT reaches none of it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueIdToken, publishConfiguration } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { BASIC_RS, call, keycloakWorld, payload, share, UMA, userToken, type Answer, type KeycloakWorld } from './fixture.ts';

const OTHER_RS = { id: 'other-rs', secret: 'other-rs-secret-0123456789' } as const;
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const sorted = (ids: string[]) => [...ids].sort();

for (const dialect of dialects) {
  describe(`the resource server's own PAT, one rule everywhere (${dialect})`, () => {
    let w: KeycloakWorld;
    let rsPat: string;
    let otherPat: string;
    let bobPat: string;
    let aliceId: string;
    let bobId: string;
    let shelf: string;
    let rsOwn: string;

    const serverToken = async (authorization: string): Promise<string> => {
      const res = await call(`${w.s.baseUrl}${DEMO.token}`, { headers: { authorization }, form: [['grant_type', 'client_credentials']] });
      assert.equal(res.status, 200, res.body);
      return res.json.access_token;
    };
    const as = (token: string, path = '', init: { method?: string; json?: unknown } = {}): Promise<Answer> =>
      call(`${w.s.baseUrl}${DEMO.resourceSet}${path}`, { ...init, headers: { authorization: `Bearer ${token}` } });
    const ask = (token: string, permissions: Array<[string, string[]]>): Promise<Answer> =>
      call(`${w.s.baseUrl}${DEMO.permission}`, { headers: { authorization: `Bearer ${token}` }, json: permissions.map(([resource_id, resource_scopes]) => ({ resource_id, resource_scopes })) });
    const report = (token: string, body: unknown): Promise<Answer> => call(`${w.s.issuer}/authz/protection/access`, { headers: { authorization: `Bearer ${token}` }, json: body });
    const ids = async (token: string, query = ''): Promise<string[]> => {
      const res = await as(token, query === '' ? '' : `?${query}`);
      assert.equal(res.status, 200, res.body);
      return res.json;
    };
    /** Bob redeems a ticket at photoz-client with his ID token as claim token (the ordinary UMA grant). */
    const bobRedeems = async (ticket: string): Promise<Answer> => {
      const realm = (await w.s.deps.store.realms.get('demo'))!;
      const client = (await w.s.deps.store.clients.get('demo', DEMO.client.id))!;
      const bob = (await w.s.deps.store.users.findByUsername('demo', 'bob'))!;
      const idToken = await issueIdToken(w.s.deps, { realm, client, subject: bob.id, username: 'bob', email: bob.email });
      return call(`${w.s.baseUrl}${DEMO.token}`, {
        headers: { authorization: basic(DEMO.client.id, DEMO.client.secret) },
        form: [['grant_type', UMA], ['ticket', ticket], ['claim_token', idToken], ['claim_token_format', ID_TOKEN]],
      });
    };

    before(async () => {
      w = await keycloakWorld(dialect);
      // photoz-rs is a resource server of the realm (configuration published): its own PAT may name owners.
      await publishConfiguration(w.s.deps, { realm: 'demo', resourceServer: DEMO.rs.id, scopes: {}, types: {} });
      await addClient(w.s.deps, 'demo', { clientId: OTHER_RS.id, secret: OTHER_RS.secret, grantTypes: ['client_credentials'] });
      await publishConfiguration(w.s.deps, { realm: 'demo', resourceServer: OTHER_RS.id, scopes: {}, types: {} });
      rsPat = await serverToken(BASIC_RS);
      otherPat = await serverToken(basic(OTHER_RS.id, OTHER_RS.secret));
      bobPat = await userToken(w.s, 'bob', 'uma_protection');
      aliceId = payload(w.alice).sub;
      bobId = payload(bobPat).sub;
      const registered = await as(rsPat, '', { json: { name: 'Shelf', resource_scopes: ['view', 'edit'], owner: 'alice' } });
      assert.equal(registered.status, 201, registered.body);
      shelf = registered.json._id;
      const own = await as(rsPat, '', { json: { name: 'Catalogue', resource_scopes: ['view'] } });
      assert.equal(own.status, 201, own.body);
      rsOwn = own.json._id;
    });
    after(async () => w?.close());

    it('reads what it registered for Alice; Alice reads it as hers', async () => {
      const read = await as(rsPat, `/${shelf}`);
      assert.equal(read.status, 200, read.body);
      assert.equal(read.json.name, 'Shelf');
      assert.ok((await ids(w.alice)).includes(shelf));
      assert.equal((await as(w.alice, `/${shelf}`)).status, 200);
      const scopes = await as(rsPat, `/${shelf}/scopes`);
      assert.equal(scopes.status, 200, scopes.body);
      assert.deepEqual(scopes.json.registered, ['view', 'edit']);
    });

    it('lists, without owner, every owner\'s resources it registered (streamed and paged); owner narrows to one', async () => {
      const everything = sorted([w.album, w.photo, shelf, rsOwn]);
      assert.deepEqual(sorted(await ids(rsPat)), everything);
      assert.deepEqual(sorted(await ids(rsPat, 'max=100')), everything);
      assert.deepEqual(sorted([...(await ids(rsPat, 'first=0&max=2')), ...(await ids(rsPat, 'first=2&max=2'))]), everything);
      assert.deepEqual(sorted(await ids(rsPat, 'first=1')), sorted((await ids(rsPat)).slice(1)));
      assert.deepEqual(await ids(rsPat, 'name=Shelf&exactName=true'), [shelf]);
      assert.deepEqual(await ids(rsPat, 'name=Shelf&exactName=true&max=5'), [shelf]);
      assert.deepEqual(await ids(rsPat, 'name=Catalogue&exactName=true'), [rsOwn]);
      assert.deepEqual(sorted(await ids(rsPat, 'scope=edit')), sorted([w.album, shelf]));
      const deep = await as(rsPat, '?name=Shel&deep=true');
      assert.deepEqual(deep.json.map((r: { _id: string }) => r._id), [shelf]);
      assert.deepEqual(deep.json[0].owner, { id: aliceId });
      assert.deepEqual(sorted(await ids(rsPat, 'owner=alice')), sorted([w.album, w.photo, shelf]));
      assert.deepEqual(await ids(rsPat, `owner=${DEMO.rs.id}`), [rsOwn]);
    });

    it('replaces what it registered for Alice; the owner stays hers', async () => {
      const put = await as(rsPat, `/${shelf}`, { method: 'PUT', json: { name: 'Shelf', displayName: 'Top shelf', resource_scopes: ['view', 'edit'] } });
      assert.equal(put.status, 200, put.body);
      assert.equal((await as(w.alice, `/${shelf}`)).json.displayName, 'Top shelf');
      const move = await as(rsPat, `/${shelf}`, { method: 'PUT', json: { name: 'Shelf', resource_scopes: ['view'], owner: 'bob' } });
      assert.equal(move.status, 400, move.body);
      assert.deepEqual((await as(rsPat, `?name=Shelf&exactName=true&deep=true`)).json[0].owner, { id: aliceId });
    });

    it('asks a permission ticket for Alice\'s resource: her ticket, which Bob redeems once she shares', async () => {
      const first = await ask(rsPat, [[shelf, ['view']]]);
      assert.equal(first.status, 201, first.body);
      // Before Alice shares, Bob's request is recorded as hers to answer.
      const refused = await bobRedeems(first.json.ticket);
      assert.equal(refused.status, 403, refused.body);
      assert.equal(refused.json.error, 'request_submitted', refused.body);
      const pending = await w.s.deps.store.accessRequests.page('demo', aliceId, { status: 'pending', resourceId: shelf, limit: 10 });
      assert.deepEqual(pending.map((r) => [r.requester, r.scopes]), [[bobId, ['view']]]);
      assert.equal((await share(w, shelf, { name: 'Bob views the shelf', users: ['bob'], scopes: ['view'] })).status, 200);
      const granted = await bobRedeems((await ask(rsPat, [[shelf, ['view']]])).json.ticket);
      assert.equal(granted.status, 200, granted.body);
      const rpt = payload(granted.json.access_token);
      assert.deepEqual(rpt.permissions.filter((p: { resource_id: string }) => p.resource_id === shelf).map((p: { resource_scopes: string[] }) => p.resource_scopes), [['view']]);
      // A scope Alice did not share stays refused.
      const edit = await bobRedeems((await ask(rsPat, [[shelf, ['edit']]])).json.ticket);
      assert.equal(edit.status, 403, edit.body);
    });

    it('a ticket holds the resources of one owner: Alice\'s and its own together are refused; its own alone are its', async () => {
      const mixed = await ask(rsPat, [[shelf, ['view']], [rsOwn, ['view']]]);
      assert.equal(mixed.status, 400, mixed.body);
      assert.equal(mixed.json.error, 'invalid_request');
      assert.match(mixed.json.error_description, /one owner/);
      assert.equal((await ask(rsPat, [[rsOwn, ['view']]])).status, 201);
      assert.equal((await ask(rsPat, [[w.album, ['view']], [shelf, ['edit']]])).status, 201);
      const unknownScope = await ask(rsPat, [[shelf, ['print']]]);
      assert.equal(unknownScope.json.error, 'invalid_scope', unknownScope.body);
    });

    it('reports an access to Alice\'s resource, recorded in her history', async () => {
      const res = await report(rsPat, { resource_id: shelf, subject: bobId, scopes: ['view'] });
      assert.equal(res.status, 201, res.body);
      const history = (await w.s.deps.store.audit.query('demo', aliceId, { sort: 'desc', limit: 100 })).events;
      assert.deepEqual(history.filter((e) => e.id === res.json._id).map((e) => [e.type, e.resourceId, e.requester]), [['resource.accessed', shelf, bobId]]);
      // The tickets photoz-rs asked for her resource are in her history too, as if her PAT had asked.
      assert.ok(history.some((e) => e.type === 'permission.requested' && e.resourceId === shelf));
    });

    it('shares are the owner\'s: its own PAT manages no uma-policy or permission ticket of hers', async () => {
      const policy = await call(`${w.s.issuer}/authz/protection/uma-policy/${shelf}`, { headers: { authorization: `Bearer ${rsPat}` }, json: { users: ['chris'], scopes: ['view'] } });
      assert.equal(policy.status, 403, policy.body);
      assert.equal(policy.json.error, 'insufficient_scope');
      const tickets = await call(`${w.s.issuer}/authz/protection/permission/ticket?resourceId=${shelf}`, { headers: { authorization: `Bearer ${rsPat}` } });
      assert.equal(tickets.status, 403, tickets.body);
    });

    it('a user\'s PAT reaches only her own: Bob neither reads, lists, changes, tickets nor reports Alice\'s resource', async () => {
      assert.equal((await as(bobPat, `/${shelf}`)).status, 404);
      assert.equal((await as(bobPat, `/${shelf}/scopes`)).status, 404);
      assert.equal((await as(bobPat, `/${shelf}`, { method: 'PUT', json: { name: 'x', resource_scopes: ['view'] } })).status, 404);
      assert.equal((await as(bobPat, `/${shelf}`, { method: 'DELETE' })).status, 404);
      assert.deepEqual(await ids(bobPat), []);
      assert.deepEqual(await ids(bobPat, 'owner=alice'), []);
      assert.deepEqual(await ids(bobPat, 'name=Shelf&exactName=true'), []);
      const ticket = await ask(bobPat, [[shelf, ['view']]]);
      assert.equal(ticket.status, 400, ticket.body);
      assert.equal(ticket.json.error, 'invalid_resource_id');
      assert.equal((await report(bobPat, { resource_id: shelf, subject: bobId })).status, 404);
      // Alice's PAT: her own resource, not the resource server's.
      assert.equal((await ask(w.alice, [[shelf, ['view']]])).status, 201);
      assert.equal((await ask(w.alice, [[rsOwn, ['view']]])).json.error, 'invalid_resource_id');
      assert.equal((await as(w.alice, `/${rsOwn}`)).status, 404);
      assert.ok(!(await ids(w.alice)).includes(rsOwn));
    });

    it('another resource server\'s own PAT reaches none of it', async () => {
      assert.equal((await as(otherPat, `/${shelf}`)).status, 404);
      assert.equal((await as(otherPat, `/${rsOwn}`)).status, 404);
      assert.equal((await as(otherPat, `/${shelf}/scopes`)).status, 404);
      assert.equal((await as(otherPat, `/${shelf}`, { method: 'PUT', json: { name: 'x', resource_scopes: ['view'] } })).status, 404);
      assert.equal((await as(otherPat, `/${shelf}`, { method: 'DELETE' })).status, 404);
      assert.deepEqual(await ids(otherPat), []);
      assert.deepEqual(await ids(otherPat, 'owner=alice'), []);
      assert.deepEqual(await ids(otherPat, 'name=Shelf&exactName=true'), []);
      for (const id of [shelf, rsOwn]) {
        const ticket = await ask(otherPat, [[id, ['view']]]);
        assert.equal(ticket.status, 400, ticket.body);
        assert.equal(ticket.json.error, 'invalid_resource_id');
      }
      assert.equal((await report(otherPat, { resource_id: shelf, subject: bobId })).status, 404);
      // What it registers for Alice is its own to list, not photoz-rs's.
      const its = await as(otherPat, '', { json: { name: 'Shelf', resource_scopes: ['view'], owner: 'alice' } });
      assert.equal(its.status, 201, its.body);
      assert.deepEqual(await ids(otherPat), [its.json._id]);
      assert.ok(!(await ids(rsPat)).includes(its.json._id));
      assert.equal((await ask(rsPat, [[its.json._id, ['view']]])).json.error, 'invalid_resource_id');
    });

    it('deletes what it registered for Alice: gone for her, for its list and for tickets', async () => {
      assert.equal((await as(rsPat, `/${shelf}`, { method: 'DELETE' })).status, 204);
      assert.equal((await as(w.alice, `/${shelf}`)).status, 404);
      assert.equal((await as(rsPat, `/${shelf}`)).status, 404);
      assert.ok(!(await ids(rsPat)).includes(shelf));
      assert.equal((await ask(rsPat, [[shelf, ['view']]])).json.error, 'invalid_resource_id');
    });

    it('streams a list longer than a store page: every owner\'s, each once, by id', async () => {
      const now = w.s.deps.clock.now();
      const bulk: string[] = [];
      for (let i = 0; i < 1_005; i++) {
        const id = w.s.deps.random.uuid();
        bulk.push(id);
        await w.s.deps.store.resources.insert({ realm: 'demo', id, owner: i % 2 === 0 ? aliceId : bobId, resourceServer: DEMO.rs.id, name: `Bulk ${i}`, type: null, iconUri: null, description: null, scopes: ['view'], extra: {}, createdAt: now, updatedAt: now });
      }
      const listed = await ids(rsPat);
      assert.equal(new Set(listed).size, listed.length);
      assert.deepEqual(listed, [...listed].sort());
      assert.deepEqual(listed.filter((id) => bulk.includes(id)), [...bulk].sort());
      assert.deepEqual(sorted(listed.filter((id) => !bulk.includes(id))), sorted([w.album, w.photo, rsOwn]));
      assert.equal((await ids(rsPat, 'first=1000&max=10')).length, listed.length - 1000);
      assert.deepEqual(await ids(rsPat, 'name=Bulk 1004&exactName=true'), [bulk[1004]]);
    });
  });
}
