/**
 * Security: bearer JWTs naming an unknown `kid`. Anyone can send them without credentials; each one
 * must not make the server re-read (and re-import) the realm's signing keys from the database, or an
 * anonymous caller turns every request into database and key-import work.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

function forgedJwt(kid: string): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256', kid, typ: 'Bearer' })}.${part({ iss: 'x', jti: kid })}.${Buffer.from('sig').toString('base64url')}`;
}

for (const dialect of dialects) {
  describe(`security: tokens with unknown kid (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    it('does not reload the signing keys from the database for every anonymous token with an unknown kid', async () => {
      const keys = s.deps.store.keys;
      const original = keys.list.bind(keys);
      let reads = 0;
      keys.list = async (realm: string) => {
        reads++;
        return original(realm);
      };
      try {
        // Warm the cache once with a well-formed request.
        await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(forgedJwt('warm-up')) } });
        reads = 0;
        for (let i = 0; i < 20; i++) {
          const res = await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(forgedJwt(`unknown-${i}`)) } });
          assert.equal(res.status, 401, res.body);
        }
      } finally {
        keys.list = original;
      }
      assert.ok(reads <= 2, `20 anonymous requests with unknown kids caused ${reads} reads of the realm's keys`);
    });
  });
}
