/**
 * The revocation event stream of the Protection API over real HTTP, on both stores: who may open it,
 * what each event is (a SET signed with the realm's key, for this resource server only), the replay
 * of what was missed (everything live, or after Last-Event-ID), heartbeats, and the end of the stream
 * when its PAT is revoked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { TOKEN_REVOKED_EVENT } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, postForm, basic } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { albumRpt, buildWorld, docRpt, eventsUrl, jtiOf, ownPat, revokeRpt, type World } from './world.ts';
import { SseStream, type SseEvent } from './sse.ts';

for (const dialect of dialects) {
  describe(`revocation event stream (${dialect})`, () => {
    let s: TestSteward;
    let w: World;
    let rsPat: string;
    const open: SseStream[] = [];
    const subscribe = async (token: string, headers: Record<string, string> = {}, realm = 'demo') => {
      const stream = await SseStream.open(eventsUrl(s, realm), { authorization: `Bearer ${token}`, ...headers });
      open.push(stream);
      return stream;
    };

    before(async () => {
      s = await startTestSteward(dialect, { listen: true, env: { STEWARD_EVENTS_HEARTBEAT: '1', STEWARD_EVENTS_POLL_MS: '100' } });
      w = await buildWorld(s);
      rsPat = await ownPat(s, DEMO.rs);
    });
    after(async () => {
      for (const stream of open) stream.close();
      await s?.close();
    });

    /** The verified claims of a `revocation` event. */
    async function verified(event: SseEvent, audience: string = DEMO.rs.id) {
      assert.equal(decodeProtectedHeader(event.data).typ, 'secevent+jwt');
      const keys = createRemoteJWKSet(new URL(`${s.issuer}/protocol/openid-connect/certs`));
      const { payload } = await jwtVerify(event.data, keys, { issuer: s.issuer, audience, typ: 'secevent+jwt' });
      return payload as { sub_id: { format: string; id: string }; events: Record<string, { jti: string; exp: number }>; exp?: number };
    }

    it('refuses a caller without a PAT, with a token that is not a PAT, with another realm\'s PAT, and a malformed Last-Event-ID', async () => {
      const none = await SseStream.open(eventsUrl(s), {});
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer realm="demo"/);
      const user = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      const notPat = await subscribe(user.json.access_token);
      assert.equal(notPat.status, 403);
      assert.equal((await notPat.json()).error, 'insufficient_scope');
      const rpt = await subscribe(await albumRpt(s, w));
      assert.equal(rpt.status, 401);
      assert.equal((await rpt.json()).error, 'invalid_token');
      await s.deps.store.realms.create({ ...(await s.deps.store.realms.get('demo'))!, id: 'other', displayName: 'Other' });
      const foreign = await subscribe(rsPat, {}, 'other');
      assert.equal(foreign.status, 401);
      assert.equal((await foreign.json()).error, 'invalid_token');
      const unknownRealm = await subscribe(rsPat, {}, 'nowhere');
      assert.equal(unknownRealm.status, 404);
      for (const bad of ['abc', '-1', '1e3', '9'.repeat(16)]) {
        const res = await subscribe(rsPat, { 'last-event-id': bad });
        assert.equal(res.status, 400, bad);
        assert.equal((await res.json()).error, 'invalid_request');
      }
    });

    it('sends each RPT revoked for its resource server as a SET signed with the realm key, never another resource server\'s', async () => {
      const stream = await subscribe(rsPat);
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(stream.headers.get('cache-control'), 'no-store');
      await stream.next('caught-up');
      const docs = await subscribe(w.docsPat);
      await docs.next('caught-up');
      const theirs = await docRpt(s, w);
      const mine = await albumRpt(s, w);
      await revokeRpt(s, theirs);
      await revokeRpt(s, mine);
      const event = await stream.next('revocation', 0, 3000);
      const claims = await verified(event);
      assert.deepEqual(claims.sub_id, { format: 'opaque', id: jtiOf(mine) });
      assert.equal(claims.events[TOKEN_REVOKED_EVENT]!.jti, jtiOf(mine));
      assert.equal(claims.events[TOKEN_REVOKED_EVENT]!.exp, JSON.parse(Buffer.from(mine.split('.')[1]!, 'base64url').toString()).exp);
      assert.equal(claims.exp, undefined, 'a SET is not a token: no exp');
      assert.match(event.id ?? '', /^\d+$/);
      const other = await verified(await docs.next('revocation', 0, 3000), 'docs-rs');
      assert.equal(other.sub_id.id, jtiOf(theirs));
      // Heartbeats, and nothing of docs-rs on photoz-rs's stream.
      await stream.until(() => stream.comments.includes('heartbeat'), 3000, 'a heartbeat');
      assert.deepEqual(stream.events.filter((e) => e.event === 'revocation').map((e) => e.id), [event.id]);
    });

    it('replays every live revocation to a new subscriber, and only what came after Last-Event-ID to one that resumes', async () => {
      const first = await albumRpt(s, w);
      const second = await albumRpt(s, w);
      await revokeRpt(s, first);
      const fresh = await subscribe(rsPat);
      const caught = await fresh.next('caught-up');
      const replayed = fresh.events.filter((e) => e.event === 'revocation');
      const jtis = await Promise.all(replayed.map(async (e) => (await verified(e)).sub_id.id));
      assert.ok(jtis.includes(jtiOf(first)), 'a revocation made before the stream opened is replayed');
      assert.ok(fresh.events.indexOf(caught) > fresh.events.indexOf(replayed.at(-1)!), 'caught-up follows the replay');
      assert.match(caught.id ?? '', /^\d+$/);
      fresh.close();
      await revokeRpt(s, second);
      const resumed = await subscribe(rsPat, { 'last-event-id': caught.id! });
      await resumed.next('caught-up');
      const again = resumed.events.filter((e) => e.event === 'revocation');
      assert.deepEqual(await Promise.all(again.map(async (e) => (await verified(e)).sub_id.id)), [jtiOf(second)], 'only what came after');
      // An id this server never gave (ahead of its log) replays everything live.
      const ahead = await subscribe(rsPat, { 'last-event-id': '999999999999' });
      await ahead.next('caught-up');
      assert.ok(ahead.events.filter((e) => e.event === 'revocation').length >= 2);
    });

    it('ends the stream when its PAT is revoked', async () => {
      const pat = await ownPat(s, DEMO.rs);
      const stream = await subscribe(pat);
      await stream.next('caught-up');
      const revoked = await postForm(s.app, DEMO.revoke, { token: pat }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(revoked.status, 200);
      await Promise.race([stream.ended, new Promise((_, reject) => setTimeout(() => reject(new Error('still open')), 3000))]);
      assert.ok(stream.comments.some((c) => c.startsWith('end: the PAT is no longer live')), stream.comments.join('; '));
    });
  });
}
