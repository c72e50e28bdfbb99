/** @module cli/purge — `steward purge`: delete what has expired, in bounded batches. */
import { purgeExpired } from '@steward/core';
import { withDeps } from './context.ts';
import { EXIT_OK, parseFlags, printJson, UsageError, type CliIo, type CommandGroup } from './io.ts';

const HELP = `Usage: steward purge [--batch N] [--json]

Deletes expired permission tickets, token records (authorization codes, access tokens, RPTs, refresh
tokens, PCTs), owner sessions and retired signing keys, at most N rows per statement (default
STEWARD_PURGE_BATCH; at most 1,000; only as many as take about 4 ms, with a pause as long after each,
so servers beside it keep their latency), until none is left. Safe while servers run, on any number of
nodes; \`steward serve\` also runs it periodically.
`;

async function purge(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { batch: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  let batch: number | undefined;
  if (values.batch !== undefined) {
    batch = /^\d+$/.test(values.batch as string) ? Number(values.batch) : NaN;
    if (!Number.isSafeInteger(batch) || batch < 1) throw new UsageError('--batch must be a positive integer');
  }
  const counts = await withDeps(io, (deps) => purgeExpired(deps, { batch: batch ?? deps.config.purgeBatch }));
  if (values.json) printJson(io, counts);
  else io.stdout(`Purged ${counts.tickets} tickets, ${counts.tokens} token records, ${counts.sessions} sessions, ${counts.keys} retired keys.\n`);
  return EXIT_OK;
}

export const purgeCommand: CommandGroup = { name: 'purge', summary: 'Delete expired tickets, codes, tokens, PCTs, sessions and retired keys', run: purge };
