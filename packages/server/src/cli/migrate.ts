/** @module cli/migrate — `steward migrate up|status`: apply pending database migrations, or list them. */
import { migrateToLatest, migrationStatus } from '@steward/store';
import { cliConfig } from './context.ts';
import { EXIT_OK, isoTime, parseFlags, printJson, printTable, runSubcommand, type CliIo, type CommandGroup } from './io.ts';

const HELP = `Usage: steward migrate <subcommand>

Subcommands:
  up                Apply every pending migration to the database at STEWARD_DATABASE_URL
  status [--json]   List the migrations: applied (with when) and pending

Concurrent runs are safe: each migration is applied once.
`;

async function up(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const applied = await migrateToLatest(cliConfig(io).databaseUrl);
  if (values.json) printJson(io, { applied });
  else io.stdout(applied.length === 0 ? 'Database is up to date.\n' : `Applied ${applied.join(', ')}.\n`);
  return EXIT_OK;
}

async function status(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const states = await migrationStatus(cliConfig(io).databaseUrl);
  if (values.json) {
    printJson(io, states.map((s) => ({ name: s.name, applied: s.applied, executedAt: s.executedAt?.toISOString() ?? null })));
  } else {
    printTable(io, ['MIGRATION', 'STATE', 'APPLIED AT'], states.map((s) => [s.name, s.applied ? 'applied' : 'pending', s.executedAt ? isoTime(Math.floor(s.executedAt.getTime() / 1000)) : null]));
    const pending = states.filter((s) => !s.applied).length;
    io.stdout(pending === 0 ? 'Up to date.\n' : `${pending} pending: run \`steward migrate up\`.\n`);
  }
  return EXIT_OK;
}

export const migrateCommand: CommandGroup = {
  name: 'migrate',
  summary: 'Apply pending database migrations (up) or list them (status)',
  run: (args, io) => runSubcommand('migrate', HELP, { up, status }, args, io),
};
