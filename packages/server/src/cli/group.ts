/**
 * @module cli/group
 * `steward group list|create|delete|members|add-member|remove-member`: groups of users, through the
 * same services as the admin API. Users are named by username here (resolved in the realm).
 */
import { addGroupMember, createGroup, deleteGroup, fail, groupMembers, listGroups, readGroup, removeGroupMember, type Group } from '@steward/core';
import type { Deps } from '../deps.ts';
import { groupToWire } from '../wire/scopes.ts';
import { userIdOf, withDeps } from './context.ts';
import { EXIT_OK, isoTime, parseFlags, printJson, printTable, requireFlag, runSubcommand, type CliIo, type CommandGroup } from './io.ts';

const HELP = `Usage: steward group <subcommand> --realm <realm> [flags]

Subcommands:
  list [--json]                          The realm's groups
  create --name <name> [--visible]       Add a group (visible: every user may share with it)
  delete --group <name>                  Delete a group and its memberships
  members --group <name> [--json]        List its members (usernames)
  add-member --group <name> --user <username>
  remove-member --group <name> --user <username>

Owners share with a group by naming group:<name> in a policy; membership counts from the next grant.
`;

const REALM = { realm: { type: 'string' } } as const;
const MEMBER = { ...REALM, group: { type: 'string' }, user: { type: 'string' } } as const;

async function groupByName(deps: Deps, realm: string, name: string): Promise<Group> {
  const group = await deps.store.groups.findByName(realm, name);
  if (!group) throw fail('not_found', `Group ${name.slice(0, 100)} not found`);
  return group;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { ...REALM, json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const groups = await withDeps(io, (deps) => listGroups(deps, realm));
  if (values.json) printJson(io, groups.map(groupToWire));
  else printTable(io, ['NAME', 'SUBJECT', 'VISIBLE', 'ID', 'CREATED'], groups.map((g) => [g.name, `group:${g.name}`, g.visible, g.id, isoTime(g.createdAt)]));
  return EXIT_OK;
}

async function create(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { ...REALM, name: { type: 'string' }, visible: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const name = requireFlag(values, 'name');
  printJson(io, groupToWire(await withDeps(io, (deps) => createGroup(deps, { realm, name, visible: values.visible === true }))));
  return EXIT_OK;
}

async function remove(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { ...REALM, group: { type: 'string' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const name = requireFlag(values, 'group');
  await withDeps(io, async (deps) => deleteGroup(deps, realm, (await groupByName(deps, realm, name)).id));
  io.stdout(`Group ${name} deleted.\n`);
  return EXIT_OK;
}

async function members(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { ...REALM, group: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const name = requireFlag(values, 'group');
  const usernames = await withDeps(io, async (deps) => {
    const group = await readGroup(deps, realm, (await groupByName(deps, realm, name)).id);
    const ids = await groupMembers(deps.store, realm, group.id);
    const users = await Promise.all(ids.map((id) => deps.store.users.get(realm, id)));
    return users.flatMap((u) => (u ? [u.username] : [])).sort();
  });
  if (values.json) printJson(io, usernames);
  else printTable(io, ['USERNAME'], usernames.map((u) => [u]));
  return EXIT_OK;
}

function membership(add: boolean) {
  return async (args: string[], io: CliIo): Promise<number> => {
    const { values } = parseFlags(args, MEMBER);
    if (values.help) return (io.stdout(HELP), EXIT_OK);
    const realm = requireFlag(values, 'realm');
    const name = requireFlag(values, 'group');
    const username = requireFlag(values, 'user');
    await withDeps(io, async (deps) => {
      const input = { realm, groupId: (await groupByName(deps, realm, name)).id, userId: await userIdOf(deps, realm, username) };
      await (add ? addGroupMember(deps, input) : removeGroupMember(deps, input));
    });
    io.stdout(add ? `${username} added to ${name}.\n` : `${username} removed from ${name}.\n`);
    return EXIT_OK;
  };
}

export const groupCommand: CommandGroup = {
  name: 'group',
  summary: 'Manage groups of users (owners share with group:<name>)',
  run: (args, io) => runSubcommand('group', HELP, { list, create, delete: remove, members, 'add-member': membership(true), 'remove-member': membership(false) }, args, io),
};
