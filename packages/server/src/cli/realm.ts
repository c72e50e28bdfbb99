/** @module cli/realm — `steward realm create|list|update|delete|export|import`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { exportRealm, importRealm, isStewardError, readRealmSettings, type RealmSettings } from '@steward/core';
import { createRealm } from '../realms/create-realm.ts';
import { changeRealm, removeRealm } from '../realms/change-realm.ts';
import { withDeps } from './context.ts';
import { CommandError, EXIT_OK, isoTime, parseFlags, printJson, printTable, runSubcommand, UsageError, type CliIo, type CommandGroup } from './io.ts';

const HELP = `Usage: steward realm <subcommand> …

Subcommands:
  create ID [--display-name NAME] [--settings JSON] [--json]
        Create a realm with its own ES256 and RS256 keys. --settings overrides default settings,
        e.g. '{"signingAlg":"RS256","accessRequests":true}'.
  list [--json]                    List the realms
  update ID [--display-name NAME] [--settings JSON] [--json]
        Change the display name and/or some settings, checked as at creation; settings not given
        keep their values, e.g. '{"accessRequests":false}'. Every setting: docs/configuration.md.
  delete ID [--force] [--json]     Delete a realm. Refused while it has users, clients (other than the
                                   account console's), resources, policies, groups, organizations or
                                   resource-server configurations; --force deletes all of it, keys,
                                   tokens, sessions and audit events too, in one transaction.
  export ID [--output FILE]        Write the realm (settings, users, clients, resources, policies) as
                                   one JSON document to FILE or standard output. Secrets appear only
                                   as hashes; signing keys are not exported.
  import FILE|- [--json]           Create the realm of a document (from a file, or - for standard
                                   input) with new signing keys. The whole document is checked
                                   first: unknown members or dangling references are refused and
                                   nothing is written. The realm must not exist.
`;

/** The JSON text of --settings, parsed (checked by the services). */
function settingsFlag(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('--settings must be a JSON object');
  }
}

async function create(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { 'display-name': { type: 'string' }, settings: { type: 'string' }, json: { type: 'boolean' } }, 1);
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const id = positionals[0];
  if (!id) throw new UsageError('ID is required');
  const parsed = settingsFlag(values.settings as string | undefined);
  const settings: Partial<RealmSettings> | undefined = parsed === undefined ? undefined : readRealmSettings(parsed);
  const realm = await withDeps(io, (deps) => createRealm(deps, { id, ...(values['display-name'] ? { displayName: values['display-name'] as string } : {}), ...(settings ? { settings } : {}) }));
  if (values.json) printJson(io, realm);
  else io.stdout(`Created realm ${realm.id}; issuer ${cliIssuer(io, realm.id)}\n`);
  return EXIT_OK;
}

function cliIssuer(io: CliIo, realm: string): string {
  const base = io.env.STEWARD_BASE_URL ?? `http://127.0.0.1:${io.env.STEWARD_PORT ?? 8080}`;
  return `${base.replace(/\/+$/, '')}/realms/${realm}`;
}

async function update(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { 'display-name': { type: 'string' }, settings: { type: 'string' }, json: { type: 'boolean' } }, 1);
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const id = positionals[0];
  if (!id) throw new UsageError('ID is required');
  const settings = settingsFlag(values.settings as string | undefined);
  if (settings === undefined && values['display-name'] === undefined) throw new UsageError('nothing to change: give --display-name and/or --settings');
  const realm = await withDeps(io, (deps) =>
    changeRealm(deps, id, { ...(values['display-name'] !== undefined ? { displayName: values['display-name'] as string } : {}), ...(settings !== undefined ? { settings } : {}) }),
  );
  if (values.json) printJson(io, realm);
  else io.stdout(`Updated realm ${realm.id}.\n`);
  return EXIT_OK;
}

async function deleteCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { force: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const id = positionals[0];
  if (!id) throw new UsageError('ID is required');
  const held = await withDeps(io, async (deps) => {
    try {
      return await removeRealm(deps, id, values.force === true);
    } catch (e) {
      if (isStewardError(e) && e.code === 'conflict') throw new CommandError(`${e.description} (steward realm delete ${id} --force)`);
      throw e;
    }
  });
  if (values.json) printJson(io, { deleted: id, held });
  else io.stdout(`Deleted realm ${id}${held.length > 0 ? ` with its ${held.join(', ')}` : ''}.\n`);
  return EXIT_OK;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realms = await withDeps(io, (deps) => deps.store.realms.list());
  if (values.json) printJson(io, realms);
  else printTable(io, ['REALM', 'NAME', 'SIGNING', 'CREATED'], realms.map((r) => [r.id, r.displayName, r.settings.signingAlg, isoTime(r.createdAt)]));
  return EXIT_OK;
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { output: { type: 'string', short: 'o' } }, 1);
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const id = positionals[0];
  if (!id) throw new UsageError('ID is required');
  const doc = await withDeps(io, (deps) => exportRealm(deps, id));
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (values.output) {
    // Password and secret hashes: readable by the owner only.
    writeFileSync(values.output as string, text, { mode: 0o600, flag: 'wx' });
    io.stderr(`Exported realm ${id} to ${values.output}: ${doc.users.length} users, ${doc.clients.length} clients, ${doc.resources.length} resources, ${doc.policies.length} policies.\n`);
  } else io.stdout(text);
  return EXIT_OK;
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { json: { type: 'boolean' } }, 1);
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const file = positionals[0];
  if (!file) throw new UsageError('FILE is required (- for standard input)');
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : readFileSync(file, 'utf8');
  } catch (e) {
    throw new CommandError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CommandError(`${file} is not JSON: ${(e as Error).message}`);
  }
  const result = await withDeps(io, (deps) => importRealm(deps, doc));
  if (values.json) printJson(io, result);
  else io.stdout(`Imported realm ${result.realm}: ${result.users} users, ${result.clients} clients, ${result.resources} resources, ${result.policies} policies.\n`);
  return EXIT_OK;
}

export const realmCommand: CommandGroup = {
  name: 'realm',
  summary: 'Create, list, update, delete, export or import realms',
  run: (args, io) => runSubcommand('realm', HELP, { create, list, update, delete: deleteCommand, export: exportCommand, import: importCommand }, args, io),
};
