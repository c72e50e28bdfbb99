/** Repeated object members are found wherever they are, and nothing else is taken for one. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { firstRepeatedMember } from '../src/http/json.ts';

describe('firstRepeatedMember', () => {
  it('finds a repeated member at any depth, also when spelled with escapes', () => {
    assert.equal(firstRepeatedMember('{"a":1,"a":2}'), 'a');
    assert.equal(firstRepeatedMember('{"x":{"b":[1,{"c":1,"c":2}]}}'), 'c');
    assert.equal(firstRepeatedMember('{"name":"x","resource_scopes":["v"],"resource_scopes":["p"]}'), 'resource_scopes');
    assert.equal(firstRepeatedMember('{"a":1,"\\u0061":2}'), 'a');
  });

  it('does not mistake values, array items or sibling objects for repeats', () => {
    assert.equal(firstRepeatedMember('{"a":"a","b":["a","a"],"c":{"a":1},"d":{"a":2}}'), null);
    assert.equal(firstRepeatedMember('[{"a":1},{"a":1}]'), null);
    assert.equal(firstRepeatedMember('{"a\\"":1,"a":2}'), null);
    assert.equal(firstRepeatedMember('{"a":"}{\\"a\\":","b":1}'), null);
    assert.equal(firstRepeatedMember('{"a": '), null);
  });

  it('agrees with JSON.parse on every document without repeats', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.equal(firstRepeatedMember(JSON.stringify(value, null, 1)), null);
      }),
    );
  });
});
