/**
 * @module test/fuzz/dangling-links
 * Deleting through the admin API leaves nothing pointing at what was deleted (found by the fuzz's
 * store check, pinned here over HTTP on both stores): a deleted user leaves her groups and the
 * organizations she administered; a deleted client no longer acts for its organization, and a client
 * a policy names cannot be deleted (409, as a user a policy names, docs/decisions.md), so a new client
 * given the same id inherits neither the organization nor the share.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import { storeInconsistencies } from './consistency.ts';
import { ADMIN_TOKEN, startFuzzSteward, type FuzzSteward } from './credentials.ts';

const ADMIN = '/admin/realms/demo';

for (const dialect of dialects) {
  describe(`admin deletions leave no dangling link (${dialect})`, () => {
    let s: FuzzSteward;
    const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<Reply> =>
      request(s.app, method, url, { headers: { authorization: bearer(ADMIN_TOKEN) }, ...(body === undefined ? {} : { body }) });
    const created = async (url: string, body: unknown) => {
      const res = await admin('POST', url, body);
      assert.equal(res.status, 201, res.body);
      return res.json;
    };
    /** A client_credentials token of the client: its subject says whom it acts for. */
    const subjectOf = async (clientId: string, secret: string) => {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials', scope: 'uma_protection' }, { authorization: basic(clientId, secret) });
      assert.equal(res.status, 200, res.body);
      return { token: res.json.access_token as string, sub: JSON.parse(Buffer.from(res.json.access_token.split('.')[1], 'base64url').toString()).sub as string };
    };

    before(async () => {
      s = await startFuzzSteward(dialect);
    });
    after(async () => s?.close());

    it('a deleted user leaves her groups and the organizations she administered', async () => {
      const user = await created(`${ADMIN}/users`, { username: 'leaver', password: 'leaver-password-1' });
      const group = await created(`${ADMIN}/groups`, { name: 'team' });
      assert.equal((await admin('PUT', `${ADMIN}/groups/${group.id}/members/${user.id}`)).status, 204);
      await created(`${ADMIN}/organizations`, { id: 'guild', admins: [user.id] });

      assert.equal((await admin('DELETE', `${ADMIN}/users/${user.id}`)).status, 204);

      assert.deepEqual((await admin('GET', `${ADMIN}/groups/${group.id}/members`)).json, []);
      assert.deepEqual((await admin('GET', `${ADMIN}/organizations/guild`)).json.admins, []);
      assert.deepEqual(await storeInconsistencies(s.databaseUrl), []);
    });

    it('a deleted client no longer acts for its organization: a new client with its id does not inherit it', async () => {
      await created(`${ADMIN}/organizations`, { id: 'acme' });
      const first = await created(`${ADMIN}/clients`, { clientId: 'acme-rs', grantTypes: ['client_credentials'] });
      assert.equal((await admin('PUT', `${ADMIN}/organizations/acme/clients/acme-rs`)).status, 204);
      assert.equal((await subjectOf('acme-rs', first.secret)).sub, 'org:acme');

      assert.equal((await admin('DELETE', `${ADMIN}/clients/acme-rs`)).status, 204);
      assert.deepEqual((await admin('GET', `${ADMIN}/organizations/acme`)).json.clients, []);

      const second = await created(`${ADMIN}/clients`, { clientId: 'acme-rs', grantTypes: ['client_credentials'] });
      const { token, sub } = await subjectOf('acme-rs', second.secret);
      assert.equal(sub, 'acme-rs', 'the new client acts for itself, not for the organization');
      const registered = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(token) }, body: { name: 'Ledger', resource_scopes: ['read'] } });
      assert.equal(registered.status, 201, registered.body);
      assert.equal((await s.deps.store.resources.getByServer('demo', 'acme-rs', registered.json._id))?.owner, 'acme-rs');
      assert.deepEqual(await storeInconsistencies(s.databaseUrl), []);
    });

    it('a client a policy names cannot be deleted (409): a new client with its id would inherit the share', async () => {
      await created(`${ADMIN}/clients`, { clientId: 'kiosk', grantTypes: ['client_credentials'] });
      const signIn = await request(s.app, 'POST', '/json/realms/root/realms/demo/authenticate', { headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
      assert.equal(signIn.status, 200, signIn.body);
      const pat = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      const album = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat.json.access_token) }, body: { name: 'Album', resource_scopes: ['view'] } });
      assert.equal(album.status, 201, album.body);
      const policy = `/json/realms/root/realms/demo/users/alice/uma/policies/${album.json._id}`;
      const shared = await request(s.app, 'PUT', policy, { headers: { [s.sessionHeader]: signIn.json.tokenId }, body: { policyId: album.json._id, permissions: [{ subject: 'client:kiosk', scopes: ['view'] }] } });
      assert.equal(shared.status, 201, shared.body);

      const refused = await admin('DELETE', `${ADMIN}/clients/kiosk`);
      assert.equal(refused.status, 409, refused.body);
      assert.equal(refused.json.error, 'conflict');
      assert.match(refused.json.error_description, /Policies share resources with client:kiosk/);
      assert.equal((await admin('GET', `${ADMIN}/clients/kiosk`)).status, 200);

      assert.equal((await request(s.app, 'DELETE', policy, { headers: { [s.sessionHeader]: signIn.json.tokenId } })).status, 200);
      assert.equal((await admin('DELETE', `${ADMIN}/clients/kiosk`)).status, 204);
      assert.deepEqual(await storeInconsistencies(s.databaseUrl), []);
    });
  });
}
