/**
 * docs/guides/protect-your-api.md stays in step with examples/notes-api: each `ts` and `sh` code block
 * of the guide is an excerpt of one file of the example (lines in order, indentation aside), and every
 * relative link of the guide names a file that exists. `console` blocks are commands to type.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const GUIDE = path.join(root, 'docs/guides/protect-your-api.md');
const EXAMPLE = path.join(root, 'examples/notes-api');

interface Block {
  lang: string;
  line: number;
  lines: string[];
}

/** The fenced code blocks of a Markdown text. */
function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | null = null;
  markdown.split('\n').forEach((text, i) => {
    const fence = /^```(\w*)\s*$/.exec(text);
    if (fence && !open) open = { lang: fence[1]!, line: i + 1, lines: [] };
    else if (fence && open) {
      blocks.push(open);
      open = null;
    } else open?.lines.push(text);
  });
  return blocks;
}

/** The example's files that the guide may quote: its sources and its setup script. */
function exampleFiles(): Array<{ name: string; lines: string[] }> {
  const names = ['setup.sh', ...readdirSync(path.join(EXAMPLE, 'src')).map((f) => `src/${f}`)];
  return names.map((name) => ({ name, lines: readFileSync(path.join(EXAMPLE, name), 'utf8').split('\n').map((l) => l.trim()) }));
}

/** Where the block's lines appear consecutively (trimmed), or null. */
function excerptOf(block: Block, files: Array<{ name: string; lines: string[] }>): string | null {
  const wanted = block.lines.map((l) => l.trim());
  for (const file of files) {
    for (let start = 0; start + wanted.length <= file.lines.length; start++) {
      if (wanted.every((l, k) => file.lines[start + k] === l)) return file.name;
    }
  }
  return null;
}

/** The `ts`/`sh` blocks that are not excerpts of the example, as `line N` descriptions. */
function strayBlocks(markdown: string, files = exampleFiles()): string[] {
  return codeBlocks(markdown)
    .filter((b) => b.lang === 'ts' || b.lang === 'sh')
    .filter((b) => b.lines.length === 0 || excerptOf(b, files) === null)
    .map((b) => `line ${b.line} (${b.lang}): ${b.lines[0] ?? '(empty)'}`);
}

describe('the protect-your-api guide', () => {
  const guide = readFileSync(GUIDE, 'utf8');

  it('quotes only code that is in examples/notes-api', () => {
    const blocks = codeBlocks(guide).filter((b) => b.lang === 'ts' || b.lang === 'sh');
    assert.ok(blocks.length >= 10, `only ${blocks.length} code blocks`);
    assert.deepEqual(strayBlocks(guide), [], 'update the guide from the example (or the example)');
  });

  it('catches a block that drifted from the example', () => {
    const drifted = guide.replace("scopes: ['read'] }), (req, res) => {", "scopes: ['view'] }), (req, res) => {");
    assert.notEqual(drifted, guide);
    assert.equal(strayBlocks(drifted).length, 1);
  });

  it('links only to files that exist', () => {
    const links = [...guide.matchAll(/\]\((\.{1,2}\/[^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    assert.ok(links.length > 0);
    const missing = links.filter((l) => !existsSync(path.resolve(path.dirname(GUIDE), l)));
    assert.deepEqual(missing, []);
  });

  it('is linked from README.md and packages/rs/README.md', () => {
    assert.match(readFileSync(path.join(root, 'README.md'), 'utf8'), /\]\(docs\/guides\/protect-your-api\.md\)/);
    assert.match(readFileSync(path.join(root, 'packages/rs/README.md'), 'utf8'), /\]\(\.\.\/\.\.\/docs\/guides\/protect-your-api\.md\)/);
  });
});
