/**
 * @module cli/commands
 * The command groups of `steward`, in the order the help lists them. To add a group: write
 * `cli/<group>.ts` exporting a `CommandGroup` (see cli/migrate.ts for the pattern: a HELP text,
 * `runSubcommand` over its subcommands, `parseFlags` for flags, `withDeps` to reach the store), then add
 * ONE line to this list. Nothing else needs to change: `steward --help` and dispatch read this list.
 */
import type { CommandGroup } from './io.ts';
import { serveCommand } from './serve.ts';
import { migrateCommand } from './migrate.ts';

export const COMMANDS: CommandGroup[] = [
  serveCommand,
  migrateCommand,
];
