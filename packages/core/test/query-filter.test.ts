/** The CREST `_queryFilter` subset: parsing, AM's error messages, evaluation, and fast-check round trips. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { conjunctionTerms, formatQueryFilter, matchesQueryFilter, parseQueryFilter, valuesAt, type QueryFilter } from '../src/decision/query-filter.ts';
import { isStewardError } from '../src/errors.ts';

const FIELDS = ['/resourceServer', 'permissions/subject'];
const parse = (text: string) => parseQueryFilter(text, FIELDS);

function rejects(text: string, message: string | RegExp): void {
  assert.throws(
    () => parse(text),
    (e: unknown) => {
      assert.ok(isStewardError(e), String(e));
      assert.equal(e.code, 'invalid_request');
      if (typeof message === 'string') assert.equal(e.description, message);
      else assert.match(e.description ?? '', message);
      return true;
    },
  );
}

const policy = {
  policyId: 'p1',
  name: 'Photo Album',
  resourceServer: 'UMA-Resource-Server',
  permissions: [
    { subject: 'bob', scopes: ['view', 'comment'] },
    { subject: 'chris', scopes: ['view'] },
  ],
};

describe('query filter: parsing', () => {
  it('reads true, false and eq, with or without the leading slash of the field', () => {
    assert.deepEqual(parse('true'), { op: 'true' });
    assert.deepEqual(parse(' FALSE '), { op: 'false' });
    assert.deepEqual(parse('permissions/subject eq "bob"'), { op: 'eq', field: '/permissions/subject', value: 'bob' });
    assert.deepEqual(parse('/resourceServer EQ "a \\"quoted\\" name"'), { op: 'eq', field: '/resourceServer', value: 'a "quoted" name' });
  });

  it('reads AM\'s documented example: AND, and parentheses grouping', () => {
    assert.deepEqual(parse('resourceServer eq "UMA-Resource-Server" AND permissions/subject eq "bob"'), {
      op: 'and',
      operands: [
        { op: 'eq', field: '/resourceServer', value: 'UMA-Resource-Server' },
        { op: 'eq', field: '/permissions/subject', value: 'bob' },
      ],
    });
    assert.deepEqual(parse('((permissions/subject eq "bob")) and (true and false)'), {
      op: 'and',
      operands: [{ op: 'eq', field: '/permissions/subject', value: 'bob' }, { op: 'and', operands: [{ op: 'true' }, { op: 'false' }] }],
    });
  });

  it('reads numbers and booleans as values', () => {
    assert.deepEqual(parse('resourceServer eq 12'), { op: 'eq', field: '/resourceServer', value: 12 });
    assert.deepEqual(parse('resourceServer eq true'), { op: 'eq', field: '/resourceServer', value: true });
  });

  it('names a field that is not queryable as AM does', () => {
    rejects('/badField eq "x"', "'/badField' not queryable");
    rejects('name eq "x"', "'/name' not queryable");
    rejects('true and policyId eq "x"', "'/policyId' not queryable");
  });

  it('refuses other operators, or, and not, saying so', () => {
    rejects('permissions/subject co "b"', /operator 'co' is not supported on '\/permissions\/subject'; only eq/);
    rejects('resourceServer pr', /operator 'pr' is not supported/);
    rejects('true or false', /'or' is not supported/);
    rejects('!(true)', /'!' \(not\) is not supported/);
    rejects('resourceServer ne "x"', /expected an operator after '\/resourceServer'/);
  });

  it('refuses malformed filters with the position', () => {
    rejects('', /the filter is empty/);
    rejects('(true', /ends too early/);
    rejects('true)', /unexpected '\)' at position 4/);
    rejects('true false', /unexpected 'false' at position 5/);
    rejects('and true', /expected an expression before 'and'/);
    rejects('resourceServer eq "open', /unterminated string at position 18/);
    rejects('resourceServer eq "bad \\x escape"', /malformed string/);
    rejects('resourceServer eq bob', /expected a value/);
    rejects('resourceServer eq', /ends too early/);
    rejects('"bob" eq resourceServer', /expected a field, true or false at position 0/);
  });

  it('bounds length and nesting', () => {
    rejects(`resourceServer eq "${'x'.repeat(3000)}"`, /longer than 2048/);
    rejects(`${'('.repeat(40)}true${')'.repeat(40)}`, /nest deeper than 32/);
    assert.deepEqual(parse(`${'('.repeat(32)}true${')'.repeat(32)}`), { op: 'true' });
  });
});

describe('query filter: evaluation', () => {
  it('matches eq against any value at the field, arrays included', () => {
    assert.deepEqual(valuesAt(policy, 'permissions/subject'), ['bob', 'chris']);
    assert.equal(matchesQueryFilter(parse('permissions/subject eq "chris"'), policy), true);
    assert.equal(matchesQueryFilter(parse('permissions/subject eq "dave"'), policy), false);
    assert.equal(matchesQueryFilter(parse('resourceServer eq "UMA-Resource-Server" AND permissions/subject eq "bob"'), policy), true);
    assert.equal(matchesQueryFilter(parse('resourceServer eq "other" AND permissions/subject eq "bob"'), policy), false);
    assert.equal(matchesQueryFilter(parse('resourceServer eq 1'), { resourceServer: '1' }), false);
    assert.equal(matchesQueryFilter(parse('true'), {}), true);
    assert.equal(matchesQueryFilter(parse('false'), policy), false);
  });
});

const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean());
const filter: fc.Arbitrary<QueryFilter> = fc.letrec<{ f: QueryFilter }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<QueryFilter>({ op: 'true' }),
    fc.constant<QueryFilter>({ op: 'false' }),
    fc.tuple(fc.constantFrom('/resourceServer', '/permissions/subject'), value).map(([field, v]): QueryFilter => ({ op: 'eq', field, value: v })),
    fc.array(tie('f'), { minLength: 2, maxLength: 3 }).map((operands): QueryFilter => ({ op: 'and', operands })),
  ),
})).f;

const record = fc.record({
  resourceServer: fc.constantFrom('rs-a', 'rs-b', ''),
  permissions: fc.array(fc.record({ subject: fc.constantFrom('bob', 'chris', 'dave') }), { maxLength: 3 }),
});

describe('query filter: properties', () => {
  it('parse(format(f)) is f', () => {
    fc.assert(fc.property(filter, (f) => assert.deepEqual(parse(formatQueryFilter(f)), f)));
  });

  it('and is the conjunction of its operands; true and false are constants', () => {
    fc.assert(
      fc.property(filter, record, (f, r) => {
        if (f.op === 'and') assert.equal(matchesQueryFilter(f, r), f.operands.every((g) => matchesQueryFilter(g, r)));
        assert.equal(matchesQueryFilter({ op: 'and', operands: [f, { op: 'true' }] }, r), matchesQueryFilter(f, r));
        assert.equal(matchesQueryFilter({ op: 'and', operands: [f, { op: 'false' }] }, r), false);
      }),
    );
  });

  it('eq on a subject matches exactly the records naming it', () => {
    fc.assert(
      fc.property(record, fc.constantFrom('bob', 'chris', 'dave', 'eve'), (r, s) => {
        const f = parse(`permissions/subject eq ${JSON.stringify(s)}`);
        assert.equal(matchesQueryFilter(f, r), r.permissions.some((p) => p.subject === s));
      }),
    );
  });

  it('never throws anything but invalid_request on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          parse(text);
        } catch (e) {
          assert.ok(isStewardError(e) && e.code === 'invalid_request', String(e));
        }
      }),
    );
  });
});

describe('query filter: conjunction terms', () => {
  it('flattens nested ands into their terms, in order; any other filter is its one term', () => {
    const filter = parseQueryFilter('a eq "1" and (b eq "2" and (c eq "3")) and true', ['/a', '/b', '/c']);
    assert.deepEqual(conjunctionTerms(filter).map(formatQueryFilter), ['/a eq "1"', '/b eq "2"', '/c eq "3"', 'true']);
    assert.deepEqual(conjunctionTerms({ op: 'false' }), [{ op: 'false' }]);
  });
});
