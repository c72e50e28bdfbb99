/**
 * One table of decision scenarios — owners, users, groups, organizations, clients, re-shares (through
 * groups too), `Expiration` and `ClientId` conditions — each run through every form of the UMA grant on
 * both stores: the ticketed grant (UMA Grant §3.3.1), and Keycloak's ticketless grant in token,
 * `permissions` and `decision` mode (docs/keycloak.md). All four must give the same answer: the same
 * granted scopes, or a refusal. Policies are written through the store, so a scenario may hold what the
 * policy APIs would refuse to write today (a re-share beyond what the sharer holds, a public client).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addGroupMember, createGroup, createOrganization, issueAccessToken, UMA_GRANT_TYPE, type Policy, type PolicyPermission } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { ID_TOKEN, payload, rptPermissions, UmaWorld, type ClientCreds } from './fixture.ts';

const APP: ClientCreds = { id: 'table-app', secret: 'table-app-secret' };
const OTHER_APP: ClientCreds = { id: 'table-other-app', secret: 'table-other-app-secret' };
const SPA: ClientCreds = { id: 'photoz-spa' };
const SCOPES = ['view', 'edit', 'print'];
const NOW = Math.floor(Date.now() / 1000);
const PAST = NOW - 60;
const FUTURE = NOW + 3600;

/** Who asks: a user through a client (its claims or token), or a client acting for itself. */
type Party = { user: string; via: ClientCreds } | { client: ClientCreds };

interface Scenario {
  name: string;
  /** Policies on one resource of alice: hers first (primary), then re-shares by their `by`. */
  policies: Array<{ by: string; permissions: PolicyPermission[] }>;
  party: Party;
  /** Scopes granted; empty: refused. */
  granted: string[];
}

const viaApp = (user: string): Party => ({ user, via: APP });
const share = (by: string, ...permissions: PolicyPermission[]) => ({ by, permissions });

const SCENARIOS: Scenario[] = [
  { name: 'the owner holds every scope of her resource, without any policy', policies: [], party: viaApp('alice'), granted: SCOPES },
  { name: 'a user named by username', policies: [share('alice', { subject: 'bob', scopes: ['view'] })], party: viaApp('bob'), granted: ['view'] },
  { name: 'a user nobody named', policies: [share('alice', { subject: 'bob', scopes: ['view'] })], party: viaApp('chris'), granted: [] },
  { name: 'a group names its members', policies: [share('alice', { subject: 'group:table-team', scopes: ['view', 'edit'] })], party: viaApp('bob'), granted: ['view', 'edit'] },
  { name: 'a group does not name who is not a member', policies: [share('alice', { subject: 'group:table-team', scopes: ['view'] })], party: viaApp('chris'), granted: [] },
  { name: 'named directly and through a group: the scopes unite', policies: [share('alice', { subject: 'bob', scopes: ['view'] }, { subject: 'group:table-team', scopes: ['edit'] })], party: viaApp('bob'), granted: ['view', 'edit'] },
  { name: 'client:{id} names the client acting for itself', policies: [share('alice', { subject: `client:${APP.id}`, scopes: ['print'] })], party: { client: APP }, granted: ['print'] },
  { name: 'client:{id} does not name a user of that client', policies: [share('alice', { subject: `client:${APP.id}`, scopes: ['print'] })], party: viaApp('bob'), granted: [] },
  { name: 'a username does not name a client', policies: [share('alice', { subject: 'bob', scopes: ['view'] })], party: { client: APP }, granted: [] },
  { name: 'org:{id} names a client acting for the organization', policies: [share('alice', { subject: 'org:table-partner', scopes: ['view'] })], party: { client: APP }, granted: ['view'] },
  { name: 'org:{id} does not name a client of no organization', policies: [share('alice', { subject: 'org:table-partner', scopes: ['view'] })], party: { client: OTHER_APP }, granted: [] },
  { name: 'a public client alone is no party, even named', policies: [share('alice', { subject: `client:${SPA.id}`, scopes: ['view'] })], party: { client: SPA }, granted: [] },
  { name: 'a public client\'s user is the party', policies: [share('alice', { subject: 'bob', scopes: ['view'] })], party: { user: 'bob', via: SPA }, granted: ['view'] },
  { name: 're-share: bob passes on part of what he holds', policies: [share('alice', { subject: 'bob', scopes: ['view', 'edit'] }), share('bob', { subject: 'chris', scopes: ['view'] })], party: viaApp('chris'), granted: ['view'] },
  { name: 're-share: no more than the sharer holds', policies: [share('alice', { subject: 'bob', scopes: ['view'] }), share('bob', { subject: 'chris', scopes: ['view', 'edit'] })], party: viaApp('chris'), granted: ['view'] },
  { name: 're-share by a member of the group alice shared with', policies: [share('alice', { subject: 'group:table-team', scopes: ['view'] }), share('bob', { subject: 'chris', scopes: ['view'] })], party: viaApp('chris'), granted: ['view'] },
  { name: 're-share to a group names its members', policies: [share('alice', { subject: 'bob', scopes: ['view'] }), share('bob', { subject: 'group:table-crew', scopes: ['view'] })], party: viaApp('dave'), granted: ['view'] },
  { name: 're-share two levels down', policies: [share('alice', { subject: 'bob', scopes: ['view', 'edit'] }), share('bob', { subject: 'chris', scopes: ['view', 'edit'] }), share('chris', { subject: 'dave', scopes: ['edit'] })], party: viaApp('dave'), granted: ['edit'] },
  { name: 're-share by someone who holds nothing grants nothing', policies: [share('alice', { subject: 'dave', scopes: ['view'] }), share('bob', { subject: 'chris', scopes: ['view'] })], party: viaApp('chris'), granted: [] },
  { name: 'an expired permission grants nothing', policies: [share('alice', { subject: 'bob', scopes: ['view'], conditions: { expiresAt: PAST } })], party: viaApp('bob'), granted: [] },
  { name: 'a permission not yet expired grants', policies: [share('alice', { subject: 'bob', scopes: ['view'], conditions: { expiresAt: FUTURE } })], party: viaApp('bob'), granted: ['view'] },
  { name: 'an expired share ends the re-shares below it', policies: [share('alice', { subject: 'bob', scopes: ['view'], conditions: { expiresAt: PAST } }), share('bob', { subject: 'chris', scopes: ['view'] })], party: viaApp('chris'), granted: [] },
  { name: 'a ClientId condition naming the asking client', policies: [share('alice', { subject: 'bob', scopes: ['view'], conditions: { clientIds: [APP.id] } })], party: viaApp('bob'), granted: ['view'] },
  { name: 'a ClientId condition naming another client', policies: [share('alice', { subject: 'bob', scopes: ['view'], conditions: { clientIds: [OTHER_APP.id] } })], party: viaApp('bob'), granted: [] },
  { name: 'a ClientId condition naming the public client a user asks through', policies: [share('alice', { subject: 'bob', scopes: ['view'], conditions: { clientIds: [SPA.id] } })], party: { user: 'bob', via: SPA }, granted: ['view'] },
  { name: 'a ClientId condition above a re-share holds for the client asking below', policies: [share('alice', { subject: 'bob', scopes: ['view'], conditions: { clientIds: [OTHER_APP.id] } }), share('bob', { subject: 'chris', scopes: ['view'] })], party: viaApp('chris'), granted: [] },
  { name: 'a ClientId condition on one scope only', policies: [share('alice', { subject: 'bob', scopes: ['view'] }, { subject: 'bob', scopes: ['edit'], conditions: { clientIds: [OTHER_APP.id] } })], party: viaApp('bob'), granted: ['view'] },
];

/** The answer of one form of the grant: the granted scopes (sorted), or null for a refusal; the decision mode's yes or no. */
type Answers = { ticket: string[] | null; token: string[] | null; permissions: string[] | null; decision: boolean };

function sorted(scopes: readonly string[]): string[] {
  return [...scopes].sort();
}

for (const dialect of dialects) {
  describe(`decision table: ticketed and ticketless grants agree (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      await addClient(s.deps, 'demo', { clientId: APP.id, secret: APP.secret, grantTypes: [UMA_GRANT_TYPE] });
      await addClient(s.deps, 'demo', { clientId: OTHER_APP.id, secret: OTHER_APP.secret, grantTypes: [UMA_GRANT_TYPE] });
      const team = await createGroup(s.deps, { realm: 'demo', name: 'table-team' });
      await addGroupMember(s.deps, { realm: 'demo', groupId: team.id, userId: await w.userId('bob') });
      const crew = await createGroup(s.deps, { realm: 'demo', name: 'table-crew' });
      await addGroupMember(s.deps, { realm: 'demo', groupId: crew.id, userId: await w.userId('dave') });
      await createOrganization(s.deps, { realm: 'demo', id: 'table-partner', clients: [APP.id] });
    });
    after(async () => s?.close());

    /** Writes the scenario's policies on a new resource of alice, through the store. */
    async function setUp(scenario: Scenario): Promise<string> {
      const resourceId = await w.resource('alice', SCOPES);
      const alice = await w.userId('alice');
      for (const { by, permissions } of scenario.policies) {
        const owner = await w.userId(by);
        const now = s.deps.clock.now();
        const policy: Policy = { realm: 'demo', id: resourceId, owner, rev: s.deps.random.uuid(), permissions, createdAt: now, updatedAt: now };
        if (owner !== alice) policy.resourceOwner = alice;
        assert.ok(await s.deps.store.policies.create(policy));
      }
      return resourceId;
    }

    /** The user's access token issued to the client (what a resource server or a public client presents). */
    async function userToken(username: string, clientId: string): Promise<string> {
      const realm = (await s.deps.store.realms.get('demo'))!;
      const client = (await s.deps.store.clients.get('demo', clientId))!;
      return (await issueAccessToken(s.deps, { realm, client, subject: await w.userId(username), scope: 'openid', grantId: s.deps.random.uuid(), username })).token;
    }

    async function ticketed(party: Party, resourceId: string): Promise<Reply> {
      const ticket = await w.ticket('alice', [[resourceId, SCOPES]]);
      // submit_request=false: a refusal is request_denied and records nothing.
      if ('client' in party) return w.grant({ ticket, submit_request: 'false' }, party.client);
      return w.grant({ ticket, submit_request: 'false', claim_token: await w.idToken(party.user, party.via.id), claim_token_format: ID_TOKEN }, party.via);
    }

    async function ticketless(party: Party, resourceId: string, mode: 'permissions' | 'decision' | undefined): Promise<Reply> {
      const form = { grant_type: UMA_GRANT_TYPE, audience: DEMO.rs.id, permission: resourceId, response_mode: mode, response_include_resource_name: 'false' };
      const creds = 'client' in party ? party.client : party.via;
      const user = 'user' in party ? await userToken(party.user, creds.id) : undefined;
      // A public client presents its user's token as bearer; a confidential one authenticates and passes it as subject_token.
      if (creds.secret === undefined) return postForm(s.app, DEMO.token, { ...form, client_id: user === undefined ? creds.id : undefined }, user === undefined ? {} : { authorization: bearer(user) });
      return postForm(s.app, DEMO.token, { ...form, subject_token: user }, { authorization: basic(creds.id, creds.secret) });
    }

    function refusal(res: Reply, errors: string[]): null {
      assert.equal(res.status, 403, res.body);
      assert.ok(errors.includes(res.json?.error), res.body);
      return null;
    }

    async function answers(party: Party, resourceId: string): Promise<Answers> {
      const t = await ticketed(party, resourceId);
      const token = await ticketless(party, resourceId, undefined);
      const permissions = await ticketless(party, resourceId, 'permissions');
      const decision = await ticketless(party, resourceId, 'decision');
      const subject = 'user' in party ? await w.userId(party.user) : party.client.id;
      const rptAnswer = (res: Reply): string[] => {
        assert.equal(res.status, 200, res.body);
        assert.equal(payload(res.json.access_token).sub, subject);
        const held = rptPermissions(res.json.access_token);
        assert.deepEqual(held.map(([id]) => id), [resourceId]);
        return sorted(held[0]![1]);
      };
      return {
        ticket: t.status === 200 ? rptAnswer(t) : refusal(t, ['need_info', 'request_denied']),
        token: token.status === 200 ? rptAnswer(token) : refusal(token, ['access_denied']),
        permissions: permissions.status === 200 ? sorted(permissions.json.find((p: { rsid: string }) => p.rsid === resourceId)?.scopes ?? []) : refusal(permissions, ['access_denied']),
        decision: decision.status === 200 ? (assert.deepEqual(decision.json, { result: true }), true) : (refusal(decision, ['access_denied']), false),
      };
    }

    for (const scenario of SCENARIOS) {
      it(scenario.name, async () => {
        const resourceId = await setUp(scenario);
        const expected = scenario.granted.length === 0 ? null : sorted(scenario.granted);
        assert.deepEqual(await answers(scenario.party, resourceId), { ticket: expected, token: expected, permissions: expected, decision: expected !== null });
      });
    }
  });
}
