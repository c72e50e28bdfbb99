/** @module cli/backup — `steward backup FILE` and `steward restore FILE` (SQLite; PostgreSQL: docs/backup.md). */
import { backupSqlite, BackupError, restoreSqlite } from '@steward/store';
import { cliConfig } from './context.ts';
import { CommandError, EXIT_OK, parseFlags, printJson, UsageError, type CliIo, type CommandGroup } from './io.ts';

const BACKUP_HELP = `Usage: steward backup FILE [--json]

Writes a consistent copy of the SQLite database (STEWARD_DATABASE_URL) to FILE, online: servers
keep serving. FILE must not exist. For PostgreSQL use pg_dump (docs/backup.md).
`;

const RESTORE_HELP = `Usage: steward restore FILE [--json]

Replaces the SQLite database (STEWARD_DATABASE_URL) with the backup FILE. Stop the servers first.
FILE is checked before anything is written (it must be a sound SQLite file — integrity check — of
Steward with no migration newer than this version); a corrupt, truncated or foreign file is refused
and the database stays as it was. For PostgreSQL use pg_restore (docs/backup.md).
`;

async function run(args: string[], io: CliIo, help: string, action: (url: string, file: string) => Promise<{ migrations: string[]; pages: number }>, verb: string): Promise<number> {
  const { values, positionals } = parseFlags(args, { json: { type: 'boolean' } }, 1);
  if (values.help) return (io.stdout(help), EXIT_OK);
  const file = positionals[0];
  if (!file) throw new UsageError('FILE is required');
  let check;
  try {
    check = await action(cliConfig(io).databaseUrl, file);
  } catch (e) {
    if (e instanceof BackupError) throw new CommandError(e.message);
    throw e;
  }
  if (values.json) printJson(io, { file, ...check });
  else io.stdout(`${verb} ${file}: ${check.pages} pages, last migration ${check.migrations.at(-1)}.\n`);
  return EXIT_OK;
}

export const backupCommand: CommandGroup = {
  name: 'backup',
  summary: 'Copy the SQLite database to a file while serving',
  run: (args, io) => run(args, io, BACKUP_HELP, backupSqlite, 'Backed up to'),
};

export const restoreCommand: CommandGroup = {
  name: 'restore',
  summary: 'Replace the SQLite database with a checked backup file',
  run: (args, io) => run(args, io, RESTORE_HELP, restoreSqlite, 'Restored from'),
};
