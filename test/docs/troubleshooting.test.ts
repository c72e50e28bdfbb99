/**
 * docs/troubleshooting.md lists every `invalid_grant` and `invalid_client` description Steward can
 * answer with. The descriptions are collected from the sources: every `fail('<code>', '…')` (or
 * `new StewardError('<code>', '…')`) under packages/{core,store,server}/src. A call for these codes
 * whose description is not a plain string literal cannot be collected and fails the test, so a new
 * refusal cannot slip past it; an error whose code is a variable is not seen (none produces these
 * codes today: the edge's renderers only map a code they are given). The collector is shown to catch
 * an unlisted description and an uncollectable one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['packages/core/src', 'packages/store/src', 'packages/server/src'];
const CODES = ['invalid_grant', 'invalid_client'] as const;
const troubleshooting = readFileSync(join(ROOT, 'docs/troubleshooting.md'), 'utf8');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

interface Collected {
  /** Every description found, with where. */
  descriptions: Array<{ description: string; at: string }>;
  /** Calls for the code whose description is not a string literal. */
  uncollectable: string[];
}

/** The descriptions `code` is thrown with in `sources` (file name → text). */
function collect(code: string, sources: Record<string, string>): Collected {
  const found: Collected = { descriptions: [], uncollectable: [] };
  for (const [file, text] of Object.entries(sources)) {
    for (const m of text.matchAll(new RegExp(`(fail|StewardError)\\('${code}'`, 'g'))) {
      const at = `${file}:${text.slice(0, m.index).split('\n').length}`;
      const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 500);
      const literal = /^\s*,\s*'((?:[^'\\\n]|\\.)*)'/.exec(rest);
      if (literal) found.descriptions.push({ description: literal[1]!.replace(/\\(.)/g, '$1'), at });
      else found.uncollectable.push(`${at}: ${m[0]}${rest.split('\n')[0]}`);
    }
  }
  return found;
}

const sources = Object.fromEntries(SOURCES.flatMap(tsFiles).map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));

describe('docs/troubleshooting.md lists every description of', () => {
  for (const code of CODES) {
    it(code, () => {
      const { descriptions, uncollectable } = collect(code, sources);
      assert.deepEqual(uncollectable, [], 'write the description as a string literal, so that it can be listed');
      assert.ok(descriptions.length >= (code === 'invalid_grant' ? 20 : 8), `${descriptions.length} found`);
      const missing = descriptions.filter((d) => !troubleshooting.includes(`\`${d.description}\``));
      assert.deepEqual(missing, [], 'add these to docs/troubleshooting.md, each in backticks with its cause and fix');
    });
  }

  it('(the collector catches an unlisted description and one it cannot read)', () => {
    const fake = {
      'a.ts': "throw fail('invalid_grant', 'The ticket is made of cheese');\nif (x) throw fail('invalid_grant', `Ticket ${id} is gone`);",
      'b.ts': "throw new StewardError('invalid_grant', 'Refresh token expired', {});\nreturn fail('invalid_client', 'Nope');",
    };
    const { descriptions, uncollectable } = collect('invalid_grant', fake);
    assert.deepEqual(descriptions, [{ description: 'The ticket is made of cheese', at: 'a.ts:1' }, { description: 'Refresh token expired', at: 'b.ts:1' }]);
    assert.equal(uncollectable.length, 1);
    assert.match(uncollectable[0]!, /^a\.ts:2: /);
    assert.deepEqual(descriptions.filter((d) => !troubleshooting.includes(`\`${d.description}\``)).map((d) => d.description), ['The ticket is made of cheese']);
  });
});
