/** `gt`, `ge`, `lt`, `le` in `_queryFilter`: only on fields a caller lists as ordered; parsing, formatting, evaluation. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatQueryFilter, matchesQueryFilter, parseQueryFilter } from '../src/decision/query-filter.ts';
import { isStewardError } from '../src/errors.ts';

const parse = (text: string) => parseQueryFilter(text, ['/type', '/eventTime'], { ordered: ['eventTime'] });

describe('query filter: ordered comparisons', () => {
  it('parses each comparison on an ordered field and formats it back', () => {
    for (const op of ['gt', 'ge', 'lt', 'le'] as const) {
      const filter = parse(`eventTime ${op} 5`);
      assert.deepEqual(filter, { op, field: '/eventTime', value: 5 });
      assert.deepEqual(parse(formatQueryFilter(filter)), filter);
    }
    assert.deepEqual(parse('type eq "a" and eventTime GT "2026-01-01T00:00:00Z"'), {
      op: 'and',
      operands: [
        { op: 'eq', field: '/type', value: 'a' },
        { op: 'gt', field: '/eventTime', value: '2026-01-01T00:00:00Z' },
      ],
    });
  });

  it('refuses comparisons on other fields, and by default everywhere', () => {
    const refused = (fn: () => unknown, message: RegExp) =>
      assert.throws(fn, (e: unknown) => isStewardError(e) && e.code === 'invalid_request' && message.test(e.description ?? ''));
    refused(() => parse('type gt "a"'), /only eq is/);
    refused(() => parse('eventTime co 5'), /only eq, gt, ge, lt and le are/);
    refused(() => parseQueryFilter('eventTime gt 5', ['/eventTime']), /only eq is/);
  });

  it('compares numbers with numbers and strings with strings, never across types', () => {
    const record = { eventTime: 10, type: 'b' };
    assert.equal(matchesQueryFilter(parse('eventTime gt 9'), record), true);
    assert.equal(matchesQueryFilter(parse('eventTime gt 10'), record), false);
    assert.equal(matchesQueryFilter(parse('eventTime ge 10'), record), true);
    assert.equal(matchesQueryFilter(parse('eventTime lt 10'), record), false);
    assert.equal(matchesQueryFilter(parse('eventTime le 10'), record), true);
    assert.equal(matchesQueryFilter(parse('eventTime lt "z"'), record), false);
    assert.equal(matchesQueryFilter(parse('eventTime gt 1'), { eventTime: '5' }), false);
  });
});
