/** Keycloak-style URI patterns (decision/glob): semantics, a bounded number of steps, and agreement with slow references. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { globMatches, type GlobCounter } from '../src/decision/glob.ts';

/** The straightforward recursive reading of the pattern language: exponential, fine on small inputs. */
function slowMatches(pattern: string, uri: string): boolean {
  if (pattern === '') return uri === '';
  if (pattern[0] === '*') return [...Array(uri.length + 1).keys()].some((k) => slowMatches(pattern.slice(1), uri.slice(k)));
  if (pattern[0] === '{') {
    const close = [...pattern.slice(1)].findIndex((c) => c === '}' || c === '/');
    if (close >= 0 && pattern[close + 1] === '}') {
      const rest = pattern.slice(close + 2);
      for (let k = 1; k <= uri.length && uri[k - 1] !== '/'; k++) if (slowMatches(rest, uri.slice(k))) return true;
      return false;
    }
  }
  return uri[0] === pattern[0] && slowMatches(pattern.slice(1), uri.slice(1));
}

/** The earlier implementation, a regular expression built from the pattern (`.` stops at line ends). */
function regexMatches(pattern: string, uri: string): boolean {
  const source = pattern
    .split(/(\*|\{[^}/]*\})/)
    .map((part) => (part === '*' ? '.*' : /^\{[^}/]*\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(uri);
}

function steps(pattern: string, uri: string): { matched: boolean; steps: number } {
  const counter: GlobCounter = { steps: 0 };
  return { matched: globMatches(pattern, uri, counter), steps: counter.steps };
}

describe('URI patterns', () => {
  it('* is any run of characters, / and nothing included', () => {
    const cases: Array<[string, string, boolean]> = [
      ['/api/*', '/api/', true],
      ['/api/*', '/api/users', true],
      ['/api/*', '/api/users/42/photos', true],
      ['/api/*', '/api', false],
      ['/api/*', '/apix/users', false],
      ['/api/*', '/other/api/users', false],
      ['/*/photos/*', '/alice/photos/1', true],
      ['/*/photos/*', '/alice/bob/photos/1', true],
      ['/*/photos/*', '//photos/', true],
      ['/*/photos/*', '/alice/photo/1', false],
      ['*', '', true],
      ['*', 'anything/at/all?x=1', true],
      ['**', 'a', true],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'acb', false],
      ['*.json', '/a/b.json', true],
      ['*.json', '/a/b.jsonx', false],
      ['', '', true],
      ['', '/', false],
    ];
    for (const [pattern, uri, expected] of cases) assert.equal(globMatches(pattern, uri), expected, `${pattern} ~ ${uri}`);
  });

  it('{name} is one path segment: one or more characters, no /', () => {
    const cases: Array<[string, string, boolean]> = [
      ['/albums/{id}', '/albums/42', true],
      ['/albums/{id}', '/albums/', false],
      ['/albums/{id}', '/albums/42/photos', false],
      ['/albums/{id}/photos/{photo}', '/albums/42/photos/7', true],
      ['/albums/{}', '/albums/x', true],
      ['/albums/{id}.json', '/albums/42.json', true],
      ['/albums/{id}.json', '/albums/.json', false],
      ['/albums/{id}*', '/albums/42/photos', true],
      ['/albums/{id}*', '/albums/', false],
      ['*{id}', '/', false],
      ['*{id}', '/a', true],
      // A { with no } before the next / is itself.
      ['/a{b/c}', '/a{b/c}', true],
      ['/a{b/c}', '/ax/c}', false],
      ['/{{{', '/{{{', true],
      ['/{a{b}', '/x', true],
    ];
    for (const [pattern, uri, expected] of cases) assert.equal(globMatches(pattern, uri), expected, `${pattern} ~ ${uri}`);
  });

  it('every other character is itself: dots, ?, and regular expression syntax', () => {
    const cases: Array<[string, string, boolean]> = [
      ['/a.b', '/a.b', true],
      ['/a.b', '/aXb', false],
      ['/a?b=1', '/a?b=1', true],
      ['/a?b=1', '/ab=1', false],
      ['/a+', '/aa', false],
      ['/a+', '/a+', true],
      ['/(a|b)', '/a', false],
      ['/(a|b)', '/(a|b)', true],
      ['/[ab]', '/a', false],
      ['/[ab]', '/[ab]', true],
      ['/^a$', '/^a$', true],
      ['/a\\d', '/a\\d', true],
      ['/a\\d', '/a1', false],
      ['/.*', '/anything', false],
      ['/.*', '/.anything', true],
      ['/é/*', '/é/ü', true],
      ['/a\nb', '/a\nb', true],
      ['/*', '/a\nb', true],
    ];
    for (const [pattern, uri, expected] of cases) assert.equal(globMatches(pattern, uri), expected, `${JSON.stringify(pattern)} ~ ${JSON.stringify(uri)}`);
  });

  it('agrees with the recursive reading on small inputs (property)', () => {
    const char = fc.constantFrom('a', 'b', '/', '.', '*', '{', '}', '?');
    const text = fc.constantFrom('a', 'b', '/', '.', '{', '}', '?', '*');
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 10 }), fc.string({ unit: text, maxLength: 12 }), (pattern, uri) => {
        assert.equal(globMatches(pattern, uri), slowMatches(pattern, uri), `${pattern} ~ ${uri}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the regular expressions it replaces (property; URIs without line ends)', () => {
    const char = fc.constantFrom('a', 'b', '/', '.', '*', '{', '}', '(', '|', '[', '\\', '$', '+');
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 10 }), fc.string({ unit: char, maxLength: 12 }), (pattern, uri) => {
        assert.equal(globMatches(pattern, uri), regexMatches(pattern, uri), `${pattern} ~ ${uri}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the recursive reading on matching URIs built from the pattern (property)', () => {
    // Random URIs rarely match; build ones that do (and then perturb them) to test the positive side.
    const piece = fc.oneof(fc.constantFrom('*', '{x}', '/'), fc.string({ unit: fc.constantFrom('a', 'b', '.'), minLength: 1, maxLength: 3 }));
    const fill = fc.string({ unit: fc.constantFrom('a', 'b', '/', '.'), maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, fill, fill), { maxLength: 6 }), fc.nat(), (parts, cut) => {
        const pattern = parts.map(([p]) => p).join('');
        const uri = parts.map(([p, f, g]) => (p === '*' ? f : p === '{x}' ? `a${g.replaceAll('/', '')}` : p)).join('');
        assert.equal(globMatches(pattern, uri), true, `${pattern} ~ ${uri}`);
        const shorter = uri.slice(0, uri.length === 0 ? 0 : cut % uri.length);
        assert.equal(globMatches(pattern, shorter), slowMatches(pattern, shorter), `${pattern} ~ ${shorter}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('URI pattern cost', () => {
  it('many * against long URIs: at most (|pattern| + 1)·(|uri| + 1) steps, and linear in the URI', () => {
    for (const stars of [5, 8, 20, 100]) {
      const pattern = `/${'*a'.repeat(stars)}*c`;
      for (const length of [90, 1000, 2048, 20_000]) {
        for (const uri of [`/${'a'.repeat(length)}`, `/${'a'.repeat(length)}c`, `/${'ab'.repeat(length / 2)}`]) {
          const r = steps(pattern, uri);
          assert.equal(r.matched, uri.endsWith('c') && length >= stars, `${stars} stars, ${length}`);
          assert.ok(r.steps <= (pattern.length + 1) * (uri.length + 1), `${r.steps} steps`);
          // No stretch between two * is longer than one token here: at most w + 3 = 4 positions per character.
          assert.ok(r.steps <= 4 * (uri.length + 1), `${stars} stars, ${length}: ${r.steps} steps`);
        }
      }
    }
  });

  it('the worst patterns (a long self-overlapping literal after * or {name}) stay within (|pattern| + 1)·(|uri| + 1)', () => {
    for (const pattern of [`*${'a'.repeat(500)}b`, `/{x}${'a'.repeat(500)}b`, `${'{x}'.repeat(150)}b`, `${'*a{x}'.repeat(100)}b`]) {
      const uri = `/${'a'.repeat(2048)}`;
      const r = steps(pattern, uri);
      assert.equal(r.matched, false);
      assert.ok(r.steps <= (pattern.length + 1) * (uri.length + 1), `${pattern.slice(0, 12)}…: ${r.steps} steps`);
    }
  });

  it('a limit stops the work: false, with steps past the limit by less than one character\'s worth', () => {
    const pattern = `*${'a'.repeat(500)}b`;
    const uri = 'a'.repeat(2048);
    const counter: GlobCounter = { steps: 0, limit: 10_000 };
    assert.equal(globMatches(pattern, uri, counter), false);
    assert.ok(counter.steps > 10_000 && counter.steps <= 10_000 + pattern.length + 1, `${counter.steps} steps`);
    // The counter adds up over calls: a second call with the limit spent stops at once.
    const before = counter.steps;
    assert.equal(globMatches(`*${'a'.repeat(10)}`, `${'a'.repeat(20)}`, counter), false);
    assert.ok(counter.steps - before <= pattern.length + 1);
    // Within the limit the answer is the true one.
    assert.equal(globMatches('/*a*a*c', '/aaac', { steps: 0, limit: 1000 }), true);
  });

  it('compiling a pattern of many unclosed { is linear too', () => {
    const pattern = `/${'{'.repeat(20_000)}`;
    assert.equal(globMatches(pattern, pattern), true);
    assert.equal(globMatches(pattern, '/{'), false);
  });
});
