/**
 * Policy revisions and concurrent writers: every write bumps `_rev`; of concurrent writers holding the
 * same `If-Match` revision (or all creating with `If-None-Match: *`) exactly one wins and the others
 * get 412; the stored policy is always exactly one writer's, with that writer's revision.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, bobViewComment, policyUrl, registerResource, session, signIn } from './fixture.ts';

const WRITERS = 20;
const SUBJECTS = ['bob', 'chris', 'dave'];
const SCOPES = ['view', 'comment', 'download'];

/** Writer i's body: distinct for every i below 21 (3 subjects × 7 non-empty scope sets). */
function body(id: string, i: number): { policyId: string; permissions: { subject: string; scopes: string[] }[] } {
  const bits = (i % 7) + 1;
  return { policyId: id, permissions: [{ subject: SUBJECTS[Math.floor(i / 7) % 3]!, scopes: SCOPES.filter((_, b) => bits & (1 << b)) }] };
}

const etag = (res: Reply) => String(res.headers.etag).replaceAll('"', '');

for (const dialect of dialects) {
  describe(`owner policies: revisions and concurrent writes (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    const put = (id: string, payload: unknown, extra: Record<string, string> = {}) => request(steward.app, 'PUT', policyUrl('alice', id), { body: payload, headers: session(alice, extra) });
    const read = (id: string) => request(steward.app, 'GET', policyUrl('alice', id), { headers: session(alice) });
    const queried = async (id: string) => {
      const res = await request(steward.app, 'GET', `/json/realms/root/realms/demo/users/alice/uma/policies?_queryFilter=true`, { headers: session(alice) });
      return res.json.result.find((p: any) => p._id === id);
    };

    /** The stored policy is writer `i`'s body with revision `rev`, in a read and in a query. */
    async function assertStored(id: string, i: number, rev: string): Promise<void> {
      const res = await read(id);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json._rev, rev);
      assert.equal(etag(res), rev);
      assert.deepEqual(res.json.permissions, body(id, i).permissions);
      assert.deepEqual(await queried(id), res.json);
    }

    before(async () => {
      steward = await startTestSteward(dialect);
      alice = await signIn(steward, 'alice');
    });
    after(() => steward.close());

    it('bumps _rev on every write, identical bodies included, and refuses the old revision', async () => {
      const id = await registerResource(steward, 'alice');
      const created = await put(id, bobViewComment(id), { 'if-none-match': '*' });
      assert.equal(created.status, 201, created.body);
      const revs = [created.json._rev as string];
      assert.equal(etag(created), revs[0]);
      const same = await put(id, bobViewComment(id), { 'if-match': `"${revs[0]}"` });
      assert.equal(same.status, 200, same.body);
      revs.push(same.json._rev);
      const plain = await put(id, bobViewComment(id));
      assert.equal(plain.status, 200, plain.body);
      revs.push(plain.json._rev);
      const star = await put(id, bobViewComment(id), { 'if-match': '*' });
      assert.equal(star.status, 200, star.body);
      revs.push(star.json._rev);
      assert.equal(new Set(revs).size, 4, `revisions must all differ: ${revs.join(', ')}`);
      assert.equal((await read(id)).json._rev, revs[3]);
      assert.equal((await queried(id))._rev, revs[3]);
      for (const old of revs.slice(0, 3)) assertCrest(await put(id, bobViewComment(id), { 'if-match': old }), 412, 'Precondition Failed');
      assert.equal((await read(id)).json._rev, revs[3]);
    });

    it(`lets exactly one of ${WRITERS} concurrent updates with the same If-Match win`, async () => {
      const id = await registerResource(steward, 'alice');
      const created = await put(id, bobViewComment(id), { 'if-none-match': '*' });
      assert.equal(created.status, 201, created.body);
      const rev = created.json._rev as string;
      const replies = await Promise.all(Array.from({ length: WRITERS }, (_, i) => put(id, body(id, i), { 'if-match': `"${rev}"` })));
      const winners = replies.flatMap((r, i) => (r.status === 200 ? [i] : []));
      assert.equal(winners.length, 1, replies.map((r) => r.status).join(','));
      for (const r of replies) if (r.status !== 200) assertCrest(r, 412, 'Precondition Failed');
      const winner = winners[0]!;
      const won = replies[winner]!;
      assert.notEqual(won.json._rev, rev);
      assert.deepEqual(won.json.permissions, body(id, winner).permissions);
      await assertStored(id, winner, won.json._rev);
    });

    it(`lets exactly one of ${WRITERS} concurrent creates with If-None-Match: * win`, async () => {
      const id = await registerResource(steward, 'alice');
      const replies = await Promise.all(Array.from({ length: WRITERS }, (_, i) => put(id, body(id, i), { 'if-none-match': '*' })));
      const winners = replies.flatMap((r, i) => (r.status === 201 ? [i] : []));
      assert.equal(winners.length, 1, replies.map((r) => r.status).join(','));
      for (const r of replies) if (r.status !== 201) assertCrest(r, 412, 'Precondition Failed', `UMA Policy already exists, ${id}`);
      const winner = winners[0]!;
      await assertStored(id, winner, replies[winner]!.json._rev);
    });

    it(`keeps one writer's whole policy when ${WRITERS} unconditional writes race`, async () => {
      const id = await registerResource(steward, 'alice');
      const replies = await Promise.all(Array.from({ length: WRITERS }, (_, i) => put(id, body(id, i))));
      for (const r of replies) assert.ok(r.status === 200 || r.status === 201, r.body);
      assert.equal(replies.filter((r) => r.status === 201).length, 1);
      const revs = replies.map((r) => r.json._rev as string);
      assert.equal(new Set(revs).size, WRITERS, 'each write has its own revision');
      const stored = (await read(id)).json;
      const last = revs.indexOf(stored._rev);
      assert.ok(last >= 0, 'the stored revision is one a writer was answered');
      await assertStored(id, last, stored._rev);
    });
  });
}
