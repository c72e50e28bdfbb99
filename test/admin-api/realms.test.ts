/**
 * Admin API realms: create (with keys), get, list, update (settings checked as at creation, seen at
 * once), delete (refused with 409 while the realm holds data; forced, nothing of it is left in any
 * table), refusals; on both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { connect } from '../../packages/store/src/connect.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { admin, startAdminSteward } from './fixture.ts';

/** The header and claims of a JWT. */
function decode(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, c] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()), claims: JSON.parse(Buffer.from(c!, 'base64url').toString()) };
}

/** Rows of `realm` in every table of the database that has a `realm` column, by table (tables with none left out). */
async function rowsOfRealm(databaseUrl: string, realm: string): Promise<Record<string, number>> {
  const { db, dialect } = connect(databaseUrl, { poolSize: 1 });
  try {
    const tables =
      dialect === 'sqlite'
        ? (await sql<{ name: string }>`select m.name from sqlite_master m join pragma_table_info(m.name) c where m.type = 'table' and c.name = 'realm'`.execute(db)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select table_name as name from information_schema.columns where column_name = 'realm' and table_schema = current_schema()`.execute(db)).rows.map((r) => r.name);
    assert.ok(tables.length >= 20, tables.join());
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const n = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where realm = ${realm}`.execute(db)).rows[0]!.n);
      if (n > 0) counts[table] = n;
    }
    return counts;
  } finally {
    await db.destroy();
  }
}

const clientToken = (s: TestSteward) => postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });

for (const dialect of dialects) {
  describe(`admin API realms (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startAdminSteward(dialect);
    });
    after(() => s?.close());

    it('creates a realm with its signing keys and settings; serves its discovery at once', async () => {
      const res = await admin(s, 'POST', '/admin/realms', { id: 'acme', displayName: 'Acme', settings: { signingAlg: 'RS256', rptLifetime: 120 } });
      assert.equal(res.status, 201, res.body);
      assert.equal(res.headers.location, '/admin/realms/acme');
      assert.equal(res.json.settings.signingAlg, 'RS256');
      assert.equal(res.json.settings.rptLifetime, 120);
      assert.equal(res.json.settings.ticketLifetime, 300, 'defaults for the rest');
      assert.deepEqual((await admin(s, 'GET', '/admin/realms/acme')).json, res.json);
      assert.deepEqual((await admin(s, 'GET', '/admin/realms')).json.map((r: { id: string }) => r.id), ['acme', 'demo']);
      const certs = await request(s.app, 'GET', '/realms/acme/protocol/openid-connect/certs');
      assert.deepEqual(certs.json.keys.map((k: { alg: string }) => k.alg).sort(), ['ES256', 'RS256']);
      const keys = await admin(s, 'GET', '/admin/realms/acme/keys');
      assert.deepEqual(keys.json.map((k: { state: string }) => k.state), ['active', 'active']);
    });

    it('refuses a taken id with 409 and bad input with 400, writing nothing', async () => {
      assert.equal((await admin(s, 'POST', '/admin/realms', { id: 'acme' })).status, 409);
      const cases: Array<[unknown, RegExp]> = [
        [{ id: 'Bad Id' }, /^id 'Bad Id' is not allowed \(it must match \^\[a-z0-9\]/],
        [{}, /id is required/],
        [{ id: 'x1', settings: { colour: 'red' } }, /unknown member 'colour'/],
        [{ id: 'x2', settings: { rptLifetime: -1 } }, /rptLifetime/],
        [{ id: 'x3', settings: { signingAlg: 'none' } }, /signingAlg/],
        [{ id: 'x4', owner: 'me' }, /Unknown member 'owner'/],
        ['"acme"', /object/],
      ];
      for (const [body, pattern] of cases) {
        const res = await admin(s, 'POST', '/admin/realms', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.error, 'invalid_request');
        assert.match(res.json.error_description, pattern);
      }
      assert.deepEqual((await s.deps.store.realms.list()).map((r) => r.id), ['acme', 'demo']);
    });

    it('changes the display name and some settings, the others keep theirs; this node uses them at once', async () => {
      const before = (await admin(s, 'GET', '/admin/realms/demo')).json;
      // A client without an algorithm of its own signs with the realm's.
      const secret = (await admin(s, 'POST', '/admin/realms/demo/clients', { clientId: 'job', grantTypes: ['client_credentials'] })).json.secret as string;
      const jobToken = () => postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic('job', secret) });
      const old = await jobToken();
      assert.equal(decode(old.json.access_token).header.alg, 'RS256', 'the demo realm signs with RS256');
      const res = await admin(s, 'PATCH', '/admin/realms/demo', { displayName: 'Demo ✓', settings: { signingAlg: 'ES256', accessTokenLifetime: 120 } });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, { ...before, displayName: 'Demo ✓', settings: { ...before.settings, signingAlg: 'ES256', accessTokenLifetime: 120 } });
      assert.deepEqual((await admin(s, 'GET', '/admin/realms/demo')).json, res.json);
      const next = await jobToken();
      assert.equal(next.status, 200, next.body);
      const { header, claims } = decode(next.json.access_token);
      assert.equal(header.alg, 'ES256');
      assert.equal((claims.exp as number) - (claims.iat as number), 120);
      assert.equal(next.json.expires_in, 120);
    });

    it('refuses a bad update with 400 naming the setting, an unknown realm with 404, and changes nothing', async () => {
      const before = (await admin(s, 'GET', '/admin/realms/demo')).json;
      const cases: Array<[unknown, RegExp]> = [
        [{ settings: { colour: 'red' } }, /unknown member 'colour'/],
        [{ settings: { rptLifetime: 0 } }, /settings\.rptLifetime/],
        [{ settings: { rptLifetime: 1.5 } }, /settings\.rptLifetime/],
        [{ settings: { codeLifetime: 601 } }, /settings\.codeLifetime.*600/],
        [{ settings: { signingAlg: 'none' } }, /settings\.signingAlg: must be ES256 or RS256/],
        [{ settings: { accessRequests: 'yes' } }, /settings\.accessRequests: must be true or false/],
        [{ settings: [] }, /^settings must be a JSON object$/],
        [{ settings: { ticketLifetime: 60, resharing: 1 } }, /resharing/],
        [{ displayName: '' }, /displayName/],
        [{ id: 'renamed' }, /Unknown member 'id'/],
        ['"demo"', /object/],
      ];
      for (const [body, pattern] of cases) {
        const res = await admin(s, 'PATCH', '/admin/realms/demo', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.error, 'invalid_request');
        assert.match(res.json.error_description, pattern);
      }
      assert.deepEqual((await admin(s, 'GET', '/admin/realms/demo')).json, before, 'the valid ticketLifetime of a refused update is not applied either');
      const missing = await admin(s, 'PATCH', '/admin/realms/nowhere', { displayName: 'x' });
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error, 'not_found');
    });

    it('deletes a realm that holds nothing but what every realm gets', async () => {
      assert.equal((await admin(s, 'DELETE', '/admin/realms/acme')).status, 204);
      assert.equal((await admin(s, 'GET', '/admin/realms/acme')).status, 404);
      assert.equal((await request(s.app, 'GET', '/realms/acme/protocol/openid-connect/certs')).status, 404);
      assert.deepEqual(await rowsOfRealm(s.deps.config.databaseUrl, 'acme'), {});
      assert.equal((await admin(s, 'DELETE', '/admin/realms/acme')).status, 404);
    });

    it('refuses to delete a realm with data (409 naming it) unless forced; forced, nothing of the realm is left', async () => {
      // Data of many kinds: tokens, a resource, a permission ticket, a failed sign-in.
      const pat = (await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) })).json.access_token as string;
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat) }, body: { name: 'doc', resource_scopes: ['read'] } });
      assert.equal(created.status, 201, created.body);
      const ticket = await request(s.app, 'POST', DEMO.permission, { headers: { authorization: bearer(pat) }, body: [{ resource_id: created.json._id, resource_scopes: ['read'] }] });
      assert.equal(ticket.status, 201, ticket.body);
      await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'bob', password: 'wrong-password' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      const held = await rowsOfRealm(s.deps.config.databaseUrl, 'demo');
      for (const table of ['users', 'clients', 'keys', 'resources', 'tokens', 'tickets', 'login_failures']) assert.ok(held[table]! > 0, `${table}: ${JSON.stringify(held)}`);

      const refused = await admin(s, 'DELETE', '/admin/realms/demo');
      assert.equal(refused.status, 409, refused.body);
      assert.equal(refused.json.error, 'conflict');
      assert.match(refused.json.error_description, /^Realm demo still has users, clients, resources.*force/);
      assert.equal((await admin(s, 'DELETE', '/admin/realms/demo?force=yes')).status, 400);
      assert.deepEqual(await rowsOfRealm(s.deps.config.databaseUrl, 'demo'), held, 'nothing deleted');

      assert.equal((await admin(s, 'DELETE', '/admin/realms/demo?force=true')).status, 204);
      assert.deepEqual(await rowsOfRealm(s.deps.config.databaseUrl, 'demo'), {});
      assert.deepEqual((await admin(s, 'GET', '/admin/realms')).json, []);
      assert.equal((await clientToken(s)).status, 404, 'its endpoints are gone at once');
      assert.equal((await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(pat) } })).status, 404);
      assert.equal((await admin(s, 'DELETE', '/admin/realms/demo?force=true')).status, 404);
    });
  });
}
