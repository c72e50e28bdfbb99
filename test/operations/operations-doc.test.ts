/**
 * docs/operations.md (and the README's several-nodes section) name only things that exist: every
 * `steward …` command and subcommand is listed by `steward --help` / `steward <command> --help`, and
 * every metric is served by a live `/metrics`. The checks themselves are shown to catch a wrong name.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { runCli } from '../../packages/server/src/cli/main.ts';
import { startConfigured, type ConfiguredSteward } from './fixture.ts';

const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const severalNodes = /## Running several nodes\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';

/** The text of inline code spans and fenced blocks: where commands and metric names are written. */
function codeOf(markdown: string): string {
  const blocks = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]);
  const inline = [...markdown.replace(/```[a-z]*\n[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...blocks, ...inline].join('\n');
}

function commandsNamed(markdown: string): Array<{ command: string; sub: string | null }> {
  const seen = new Map<string, { command: string; sub: string | null }>();
  for (const m of codeOf(markdown).matchAll(/\bsteward ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)) seen.set(`${m[1]} ${m[2] ?? ''}`, { command: m[1]!, sub: m[2] ?? null });
  return [...seen.values()];
}

function metricsNamed(markdown: string): string[] {
  return [...new Set([...codeOf(markdown).matchAll(/\b((?:steward|process|nodejs)_[a-z_]+)\b/g)].map((m) => m[1]!))];
}

/** `steward … --help`, run in process (the dispatcher `steward` runs, with captured output). */
async function help(args: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env: {}, readStdin: async () => '' };
  const code = await runCli([...args, '--help'], io);
  assert.equal(code, 0, `steward ${args.join(' ')} --help: ${stderr}`);
  return stdout;
}

/** Names listed under a `Heading:` line of a help text (two-space indented, first word). */
function listed(text: string, heading: string): Set<string> | null {
  const section = new RegExp(`^${heading}:\\n((?:  .*\\n?|\\s*\\n)+)`, 'm').exec(text);
  if (!section) return null;
  return new Set([...section[1]!.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!));
}

/** The commands among `named` that the CLI does not have. */
async function missingCommands(named: Array<{ command: string; sub: string | null }>, top: Set<string>, groupHelp: (command: string) => Promise<string>): Promise<string[]> {
  const missing: string[] = [];
  for (const { command, sub } of named) {
    if (!top.has(command)) {
      missing.push(`steward ${command}`);
      continue;
    }
    if (sub === null) continue;
    const subs = listed(await groupHelp(command), 'Subcommands');
    if (!subs?.has(sub)) missing.push(`steward ${command} ${sub}`);
  }
  return missing;
}

/** The metric names among `named` that the exposition does not have (histogram series count). */
function missingMetrics(named: string[], exposition: string): string[] {
  const families = new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  return named.filter((name) => {
    if (families.has(name)) return false;
    const base = name.replace(/_(count|sum|bucket)$/, '');
    return families.get(base) !== 'histogram';
  });
}

describe('docs/operations.md names only what exists', () => {
  let steward: ConfiguredSteward;
  let exposition: string;
  const helps = new Map<string, string>();
  const groupHelp = async (command: string) => {
    if (!helps.has(command)) helps.set(command, await help([command]));
    return helps.get(command)!;
  };

  before(async () => {
    steward = await startConfigured(dialects.includes('postgres') ? 'postgres' : 'sqlite');
    await request(steward.app, 'GET', '/health/live');
    exposition = (await request(steward.app, 'GET', '/metrics')).body;
  });
  after(() => steward?.close());

  it('every steward command and subcommand it names is in the CLI help', async () => {
    const top = listed(await help([]), 'Commands');
    assert.ok(top && top.has('serve'), 'steward --help lists its commands');
    const named = [...commandsNamed(operations), ...commandsNamed(severalNodes)];
    assert.ok(named.length >= 8, `the docs name ${named.length} commands`);
    assert.ok(named.some((c) => c.command === 'migrate' && c.sub === 'up'));
    assert.deepEqual(await missingCommands(named, top, groupHelp), []);
    assert.deepEqual(await missingCommands([{ command: 'frobnicate', sub: null }, { command: 'migrate', sub: 'sideways' }, { command: 'serve', sub: 'now' }], top, groupHelp), ['steward frobnicate', 'steward migrate sideways', 'steward serve now'], 'the check catches names that do not exist');
  });

  it('every metric it names is served by /metrics', () => {
    const named = [...metricsNamed(operations), ...metricsNamed(severalNodes)];
    assert.ok(named.length >= 10, `the docs name ${named.length} metrics`);
    assert.deepEqual(missingMetrics(named, exposition), []);
    assert.deepEqual(missingMetrics(['steward_no_such_total', 'steward_active_sessions_count'], exposition), ['steward_no_such_total', 'steward_active_sessions_count'], 'the check catches names that do not exist');
  });

  it('documents every steward_ metric that /metrics serves', () => {
    const served = [...exposition.matchAll(/^# TYPE (steward_\S+) /gm)].map((m) => m[1]!);
    const named = new Set(metricsNamed(operations));
    assert.deepEqual(served.filter((m) => !named.has(m)), []);
  });
});
