/**
 * @module cli/organization
 * `steward organization list|create|show|delete|add-admin|remove-admin|add-client|remove-client`:
 * organizations as resource owners and requesting parties, through the same services as the admin
 * API. Administrators are named by username here; clients by client id.
 */
import { addOrganizationAdmin, addOrganizationClient, createOrganization, deleteOrganization, listOrganizations, readOrganization, removeOrganizationAdmin, removeOrganizationClient } from '@steward/core';
import { organizationToWire } from '../wire/scopes.ts';
import { userIdOf, withDeps } from './context.ts';
import { EXIT_OK, parseFlags, printJson, printTable, requireFlag, runSubcommand, type CliIo, type CommandGroup } from './io.ts';

const HELP = `Usage: steward organization <subcommand> --realm <realm> [flags]

Subcommands:
  list [--json]                                       The realm's organizations
  create --id <id> [--name <name>] [--admin <username>]... [--client <clientId>]...
  show --id <id>                                      One organization (JSON)
  delete --id <id>
  add-admin | remove-admin --id <id> --user <username>
  add-client | remove-client --id <id> --client <clientId>

An organization owns resources as org:<id>: its clients' client_credentials PATs have that subject.
Its administrators manage its policies at /json/realms/root/realms/<realm>/users/org:<id>/uma/policies.
A policy naming org:<id> grants to its clients acting for themselves.
`;

const REALM = { realm: { type: 'string' } } as const;

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { ...REALM, json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const orgs = await withDeps(io, (deps) => listOrganizations(deps, realm));
  if (values.json) printJson(io, orgs.map(organizationToWire));
  else printTable(io, ['ID', 'NAME', 'OWNER', 'ADMINS', 'CLIENTS'], orgs.map((o) => [o.id, o.name, `org:${o.id}`, o.admins.length, o.clients.join(',') || null]));
  return EXIT_OK;
}

async function create(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { ...REALM, id: { type: 'string' }, name: { type: 'string' }, admin: { type: 'string', multiple: true }, client: { type: 'string', multiple: true } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const id = requireFlag(values, 'id');
  const org = await withDeps(io, async (deps) => {
    const admins = await Promise.all(((values.admin as string[] | undefined) ?? []).map((u) => userIdOf(deps, realm, u)));
    const input: Parameters<typeof createOrganization>[1] = { realm, id, admins, clients: (values.client as string[] | undefined) ?? [] };
    if (typeof values.name === 'string') input.name = values.name;
    return createOrganization(deps, input);
  });
  printJson(io, organizationToWire(org));
  return EXIT_OK;
}

async function show(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { ...REALM, id: { type: 'string' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const id = requireFlag(values, 'id');
  printJson(io, organizationToWire(await withDeps(io, (deps) => readOrganization(deps, realm, id))));
  return EXIT_OK;
}

async function remove(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { ...REALM, id: { type: 'string' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const id = requireFlag(values, 'id');
  await withDeps(io, (deps) => deleteOrganization(deps, realm, id));
  io.stdout(`Organization ${id} deleted.\n`);
  return EXIT_OK;
}

function adminLink(add: boolean) {
  return async (args: string[], io: CliIo): Promise<number> => {
    const { values } = parseFlags(args, { ...REALM, id: { type: 'string' }, user: { type: 'string' } });
    if (values.help) return (io.stdout(HELP), EXIT_OK);
    const realm = requireFlag(values, 'realm');
    const id = requireFlag(values, 'id');
    const username = requireFlag(values, 'user');
    await withDeps(io, async (deps) => {
      const input = { realm, id, userId: await userIdOf(deps, realm, username) };
      await (add ? addOrganizationAdmin(deps, input) : removeOrganizationAdmin(deps, input));
    });
    io.stdout(add ? `${username} administers ${id}.\n` : `${username} no longer administers ${id}.\n`);
    return EXIT_OK;
  };
}

function clientLink(add: boolean) {
  return async (args: string[], io: CliIo): Promise<number> => {
    const { values } = parseFlags(args, { ...REALM, id: { type: 'string' }, client: { type: 'string' } });
    if (values.help) return (io.stdout(HELP), EXIT_OK);
    const realm = requireFlag(values, 'realm');
    const id = requireFlag(values, 'id');
    const clientId = requireFlag(values, 'client');
    await withDeps(io, (deps) => (add ? addOrganizationClient(deps, { realm, id, clientId }) : removeOrganizationClient(deps, { realm, id, clientId })));
    io.stdout(add ? `${clientId} acts for ${id}.\n` : `${clientId} no longer acts for ${id}.\n`);
    return EXIT_OK;
  };
}

export const organizationCommand: CommandGroup = {
  name: 'organization',
  summary: 'Manage organizations (owners as org:<id>), their administrators and clients',
  run: (args, io) =>
    runSubcommand('organization', HELP, { list, create, show, delete: remove, 'add-admin': adminLink(true), 'remove-admin': adminLink(false), 'add-client': clientLink(true), 'remove-client': clientLink(false) }, args, io),
};
