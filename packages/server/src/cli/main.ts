/**
 * @module cli/main
 * Dispatches `steward <group> …` to its command group and turns failures into exit codes: 0 done,
 * 1 the operation failed (message on stderr), 2 usage or configuration error (naming the flag or key).
 */
import { isStewardError } from '@steward/core';
import { ConfigError } from '../config/load.ts';
import { COMMANDS } from './commands.ts';
import { CommandError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io.ts';

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: steward <command> [subcommand] [flags]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}
  ${'help'.padEnd(width)}  Show this help

Every command takes --help. Configuration comes from STEWARD_* environment variables (docs/configuration.md);
STEWARD_DATABASE_URL names the database the commands work on.
Exit codes: 0 done, 1 failed, 2 usage or configuration error.
`;
}

/** Runs the command line `argv` (the words after `steward`); resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`steward: unknown command ${JSON.stringify(name)}\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`steward ${name}: ${e.message} (see steward ${name} --help)\n`);
      return EXIT_USAGE;
    }
    if (e instanceof ConfigError) {
      io.stderr(`steward: configuration error: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof CommandError) {
      io.stderr(`steward ${name}: ${e.message}\n`);
      return EXIT_FAILURE;
    }
    if (isStewardError(e)) {
      io.stderr(`steward ${name}: ${e.description ?? e.code} (${e.code})\n`);
      return EXIT_FAILURE;
    }
    io.stderr(`steward ${name}: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_FAILURE;
  }
}
