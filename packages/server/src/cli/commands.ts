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
import { realmCommand } from './realm.ts';
import { userCommand } from './user.ts';
import { clientCommand } from './client.ts';
import { keysCommand } from './keys.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { purgeCommand } from './purge.ts';
import { groupCommand } from './group.ts';
import { organizationCommand } from './organization.ts';
import { resourceServerCommand } from './resource-server.ts';

export const COMMANDS: CommandGroup[] = [
  serveCommand,
  migrateCommand,
  realmCommand,
  userCommand,
  clientCommand,
  keysCommand,
  backupCommand,
  restoreCommand,
  purgeCommand,
  groupCommand,
  organizationCommand,
  resourceServerCommand,
];
