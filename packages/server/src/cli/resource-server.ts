/**
 * @module cli/resource-server
 * `steward resource-server configure|show|remove`: a resource server's public configuration (ForgeRock's UMA scope model:
 * scope definitions and resource types with template scopes), through the same services as the admin API.
 */
import { publishConfiguration, readConfiguration, withdrawConfiguration } from '@steward/core';
import { readFile } from 'node:fs/promises';
import { configurationToWire, readConfiguration as readConfigurationBody } from '../wire/scopes.ts';
import { withDeps } from './context.ts';
import { CommandError, EXIT_OK, parseFlags, printJson, requireFlag, runSubcommand, type CliIo, type CommandGroup } from './io.ts';

const HELP = `Usage: steward resource-server <subcommand> --realm <realm> --client <clientId>

Subcommands:
  configure --file <path|->   Publish the configuration in the JSON file (or standard input):
                              {"scopes": {name: {"description": …}}, "types": {name: {"scopes": [...]}}}
  show                        Print the published configuration
  remove                      Withdraw it (types are free text again)

Examples of configurations: docs/examples/resource-servers/.
`;

const FLAGS = { realm: { type: 'string' }, client: { type: 'string' } } as const;

async function configure(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { ...FLAGS, file: { type: 'string' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const client = requireFlag(values, 'client');
  const file = requireFlag(values, 'file');
  const text = file === '-' ? await io.readStdin() : await readFile(file, 'utf8').catch((e: Error) => { throw new CommandError(`cannot read ${file}: ${e.message}`); });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CommandError(`${file === '-' ? 'standard input' : file} is not JSON`);
  }
  const config = await withDeps(io, (deps) => publishConfiguration(deps, { realm, resourceServer: client, ...readConfigurationBody(body) }));
  printJson(io, configurationToWire(config));
  return EXIT_OK;
}

async function show(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, FLAGS);
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const client = requireFlag(values, 'client');
  printJson(io, configurationToWire(await withDeps(io, (deps) => readConfiguration(deps, realm, client))));
  return EXIT_OK;
}

async function remove(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, FLAGS);
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const client = requireFlag(values, 'client');
  await withDeps(io, (deps) => withdrawConfiguration(deps, realm, client));
  io.stdout(`Configuration of ${client} withdrawn.\n`);
  return EXIT_OK;
}

export const resourceServerCommand: CommandGroup = {
  name: 'resource-server',
  summary: 'Publish, show or withdraw a resource server\'s public configuration (scopes, resource types)',
  run: (args, io) => runSubcommand('resource-server', HELP, { configure, show, remove }, args, io),
};
