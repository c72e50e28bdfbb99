/**
 * @module cli/io
 * What every command group shares: the streams it writes to (injectable, so tests can run a command in
 * process), the exit codes, argument parsing that refuses unknown flags, and JSON/table output.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit codes of every command: 0 done, 1 the operation failed, 2 usage or configuration error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Environment the configuration is read from. */
  env: Record<string, string | undefined>;
  /** All of standard input, as text (passwords and documents piped in). */
  readStdin(): Promise<string>;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** A command group (`steward user …`): its name, one line for the global help, and what it runs. */
export interface CommandGroup {
  name: string;
  summary: string;
  /** `args` are the words after the group's name. Resolves with the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Wrong usage (unknown flag, missing argument): printed with the command's help, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The operation failed for a reason the user can act on: printed without a stack, exit 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** Parses `args` strictly: unknown flags and missing values are a UsageError. `--help` is always known. */
export function parseFlags<T extends FlagSpec>(args: string[], options: T, positionals = 0): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  if ((parsed.values as Record<string, unknown>).help !== true && parsed.positionals.length > positionals) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals])}`);
  }
  return { values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals };
}

/** A required string flag. */
export function requireFlag(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows as an aligned text table with a header line; `(none)` when there are no rows. */
export function printTable(io: CliIo, columns: string[], rows: Array<Array<string | number | boolean | null>>): void {
  if (rows.length === 0) {
    io.stdout('(none)\n');
    return;
  }
  const cells = [columns, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  for (const row of cells) io.stdout(`${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`);
}

/** Seconds since the epoch as an ISO date, for tables. */
export function isoTime(seconds: number | null): string | null {
  return seconds === null ? null : new Date(seconds * 1000).toISOString();
}

/**
 * Runs one subcommand of a group: `subcommands[args[0]]`, or the group's help for `--help`, `help` or
 * nothing. Usage errors print the message and the help on stderr (exit 2).
 */
export async function runSubcommand(
  group: string,
  help: string,
  subcommands: Record<string, (args: string[], io: CliIo) => Promise<number>>,
  args: string[],
  io: CliIo,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(help);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const run = Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
  if (!run) {
    io.stderr(`steward ${group}: unknown subcommand ${JSON.stringify(sub)}\n${help}`);
    return EXIT_USAGE;
  }
  return run(rest, io);
}
