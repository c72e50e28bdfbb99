/** @module cli/keys — `steward keys list|rotate`: a realm's signing keys. */
import { listKeys, type SigningAlg } from '@steward/core';
import { rotateRealmKeys } from '../realms/rotate-keys.ts';
import { withDeps } from './context.ts';
import { EXIT_OK, isoTime, parseFlags, printJson, printTable, requireFlag, runSubcommand, UsageError, type CliIo, type CommandGroup } from './io.ts';
import { realmExists } from './user.ts';

const HELP = `Usage: steward keys <subcommand> --realm REALM …

Subcommands:
  list --realm R [--json]               The realm's keys and their states: pending (published, not
                                        signing yet), active, retiring (verifies, no longer signs), retired
  rotate --realm R [--alg ES256|RS256] [--json]
                                        Add a new key (per algorithm, or the one named). It is published
                                        in the realm's certs at once and signs after
                                        STEWARD_KEY_ACTIVATION_DELAY seconds; the old key then stops
                                        signing and retires after the longest token lifetime plus a minute.
`;

function table(io: CliIo, keys: Awaited<ReturnType<typeof listKeys>>): void {
  printTable(io, ['KID', 'ALG', 'STATE', 'CREATED', 'SIGNS FROM', 'RETIRES'], keys.map((k) => [k.kid, k.alg, k.state, isoTime(k.createdAt), isoTime(k.activeFrom), isoTime(k.retiredAt)]));
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { realm: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const keys = await withDeps(io, async (deps) => (await realmExists(deps, realm), listKeys(deps, realm)));
  if (values.json) printJson(io, keys);
  else table(io, keys);
  return EXIT_OK;
}

async function rotate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { realm: { type: 'string' }, alg: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const alg = values.alg as string | undefined;
  if (alg !== undefined && alg !== 'ES256' && alg !== 'RS256') throw new UsageError('--alg must be ES256 or RS256');
  const result = await withDeps(io, async (deps) => (await realmExists(deps, realm), rotateRealmKeys(deps, realm, alg ? [alg as SigningAlg] : undefined)));
  if (values.json) printJson(io, result);
  else {
    io.stdout(`Rotated ${result.added.map((k) => k.alg).join(' and ')} keys of realm ${realm}; they sign from ${isoTime(result.added[0]!.activeFrom)}.\n`);
    table(io, result.keys);
  }
  return EXIT_OK;
}

export const keysCommand: CommandGroup = {
  name: 'keys',
  summary: 'List or rotate the signing keys of a realm',
  run: (args, io) => runSubcommand('keys', HELP, { list, rotate }, args, io),
};
