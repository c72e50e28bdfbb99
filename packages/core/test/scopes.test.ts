/** Scope set math (UMA Grant §3.3.4): unit examples and fast-check properties of the set laws. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { candidateGrantedScopes, difference, distinct, intersect, isSubset, requestedScopes, splitScope, union } from '../src/decision/scopes.ts';

const scope = fc.constantFrom<string>('view', 'edit', 'print', 'download', 'resize', 'a:b', 'https://x/s');
const scopes = fc.array(scope, { maxLength: 8 });
const sameSet = (a: string[], b: string[]) => assert.deepEqual([...a].sort(), [...b].sort());
const noDuplicates = (a: string[]) => assert.equal(new Set(a).size, a.length);

describe('scope set math', () => {
  it('splits a scope parameter on spaces, dropping empties and duplicates', () => {
    assert.deepEqual(splitScope(undefined), []);
    assert.deepEqual(splitScope('phone  address phone'), ['phone', 'address']);
  });

  it('keeps first-seen order', () => {
    assert.deepEqual(union(['b', 'a'], ['c', 'a']), ['b', 'a', 'c']);
    assert.deepEqual(intersect(['c', 'a', 'b'], ['b', 'c']), ['c', 'b']);
    assert.deepEqual(difference(['c', 'a', 'b'], ['a']), ['c', 'b']);
  });

  it('computes the spec example of UMA Grant §3.3.4 (album, photo1, photo2, client scope download)', () => {
    const photo = ['view', 'resize', 'print', 'download'];
    const album = ['view', 'edit', 'download'];
    const A = ['download'];
    const B = ['download'];
    assert.deepEqual(requestedScopes(['edit'], A, B, album), ['edit', 'download']);
    assert.deepEqual(requestedScopes(['view'], A, B, photo), ['view', 'download']);
    // The policy lets this party view photo1 only.
    assert.deepEqual(candidateGrantedScopes(['view', 'download'], ['view']), ['view']);
    assert.deepEqual(candidateGrantedScopes(['edit', 'download'], []), []);
  });

  it('adds a requested scope only to resources that offer it (the Gravitee example)', () => {
    const A = ['phone', 'address'];
    const B = ['phone', 'address'];
    assert.deepEqual(requestedScopes(['profile'], A, B, ['profile']), ['profile']);
    assert.deepEqual(requestedScopes(['email'], A, B, ['phone', 'email', 'address']), ['email', 'phone', 'address']);
  });

  it('drops a requested scope the client did not pre-register', () => {
    assert.deepEqual(requestedScopes(['view'], [], ['download'], ['view', 'download']), ['view']);
  });

  it('union: commutative as sets, associative, idempotent, without duplicates', () => {
    fc.assert(
      fc.property(scopes, scopes, scopes, (a, b, c) => {
        sameSet(union(a, b), union(b, a));
        assert.deepEqual(union(union(a, b), c), union(a, union(b, c)));
        assert.deepEqual(union(a, a), distinct(a));
        noDuplicates(union(a, b));
        assert.ok(isSubset(a, union(a, b)) && isSubset(b, union(a, b)));
      }),
    );
  });

  it('intersection: commutative as sets, contained in both, distributes over union', () => {
    fc.assert(
      fc.property(scopes, scopes, scopes, (a, b, c) => {
        sameSet(intersect(a, b), intersect(b, a));
        assert.ok(isSubset(intersect(a, b), a) && isSubset(intersect(a, b), b));
        sameSet(intersect(a, union(b, c)), union(intersect(a, b), intersect(a, c)));
        noDuplicates(intersect(a, b));
      }),
    );
  });

  it('difference: disjoint from what it removes, and a = (a \\ b) ∪ (a ∩ b)', () => {
    fc.assert(
      fc.property(scopes, scopes, (a, b) => {
        assert.deepEqual(intersect(difference(a, b), b), []);
        sameSet(union(difference(a, b), intersect(a, b)), distinct(a));
      }),
    );
  });

  it('E = C ∪ (A ∩ B ∩ D): contains the ticket scopes, adds only registered, requested, offered ones', () => {
    fc.assert(
      fc.property(scopes, scopes, scopes, scopes, (C, A, B, D) => {
        const E = requestedScopes(C, A, B, D);
        assert.ok(isSubset(C, E));
        for (const s of difference(E, C)) assert.ok(A.includes(s) && B.includes(s) && D.includes(s), s);
        noDuplicates(E);
      }),
    );
  });

  it('G = E ∩ F is contained in both', () => {
    fc.assert(
      fc.property(scopes, scopes, (E, F) => {
        const G = candidateGrantedScopes(E, F);
        assert.ok(isSubset(G, E) && isSubset(G, F));
      }),
    );
  });
});
