/** The benchmark's medians and its comparison with the committed baseline (no timing here: pure arithmetic). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareWithBaseline, median, RATIOS, type RoundFigures } from '../../bench/ratios.ts';

const figures = (rps: number) => ({ rps, p50: 1, p99: 2, errors: 0, non2xx: 0 });
const round = (peer: number, steward: number): RoundFigures => ({
  peer: { clientCredentials: figures(peer), introspection: figures(peer) },
  steward: { rptIssuance: figures(steward), rptForClient: figures(steward), permission: figures(steward), introspection: figures(steward) },
});

describe('bench ratios', () => {
  it('takes the median of odd and even counts, unmoved by one wild round', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([0.5, 0.52, 9]), 0.52);
  });

  it('computes every ratio as Steward over the peer, per round', () => {
    for (const r of RATIOS) assert.equal(r.of(round(1000, 600)), 0.6);
  });

  it('flags a median more than 15 % below its baseline, and only that', () => {
    const baseline = { umaGrantUser: 0.6, umaGrantClient: 0.7, permissionTicket: 1.0, introspection: 1.5 };
    const result = compareWithBaseline({ umaGrantUser: 0.5, umaGrantClient: 0.6, permissionTicket: 1.2, introspection: 1.3 }, baseline);
    const flagged = Object.fromEntries(result.map((c) => [c.key, c.regressed]));
    // 0.5 / 0.6 = −17 %: flagged; 0.6 / 0.7 = −14 %: not; a rise never; 1.3 / 1.5 = −13 %: not.
    assert.deepEqual(flagged, { umaGrantUser: true, umaGrantClient: false, permissionTicket: false, introspection: false });
  });

  it('compares nothing without a baseline', () => {
    for (const c of compareWithBaseline({ umaGrantUser: 0.1, umaGrantClient: 0.1, permissionTicket: 0.1, introspection: 0.1 }, null)) {
      assert.equal(c.baseline, null);
      assert.equal(c.regressed, false);
    }
  });

  it('has a committed baseline naming every ratio, with its reason', () => {
    const baseline = JSON.parse(readFileSync(new URL('../../bench/baseline.json', import.meta.url), 'utf8'));
    assert.equal(typeof baseline.reason, 'string');
    assert.ok(baseline.reason.length > 10);
    for (const r of RATIOS) assert.equal(typeof baseline.ratios[r.key], 'number', r.key);
  });
});
