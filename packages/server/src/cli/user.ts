/** @module cli/user — `steward user add|list|set-password|disable|enable|delete`: realm users, by username. */
import { createUser, deleteUser, findUserByName, listUsers, REALM_ID_PATTERN, setUserDisabled, setUserPassword } from '@steward/core';
import { withDeps } from './context.ts';
import { CommandError, EXIT_OK, isoTime, parseFlags, printJson, printTable, requireFlag, runSubcommand, UsageError, type CliIo, type CommandGroup } from './io.ts';
import { randomBytes } from 'node:crypto';

const HELP = `Usage: steward user <subcommand> --realm REALM …

Subcommands:
  add --realm R --username U [--email E] [--admin] [--password-stdin] [--json]
        Add a user. The password is read from standard input with --password-stdin (never give it
        as an argument: other users of the machine see arguments); otherwise one is generated and
        printed once. Stored as an argon2id hash.
  list --realm R [--json]          List the realm's users
  set-password --realm R USERNAME [--password-stdin] [--json]
        Set the user's password: read from standard input with --password-stdin, otherwise generated
        and printed once. Their failed sign-ins are forgotten (a locked-out user can sign in at once);
        sessions and tokens stay (disable the user to end them).
  disable --realm R USERNAME       Disable: sign-in refused, sessions ended, tokens revoked, at once
  enable --realm R USERNAME        Enable again (revoked tokens stay revoked)
  delete --realm R USERNAME        Delete a user nothing refers to (refused while they own resources
                                   or policies or a policy names them: disable instead)
`;

async function add(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { realm: { type: 'string' }, username: { type: 'string' }, email: { type: 'string' }, admin: { type: 'boolean' }, 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const username = requireFlag(values, 'username');
  const { password, generated } = await passwordFrom(values, io);
  const user = await withDeps(io, async (deps) => {
    await realmExists(deps, realm);
    return createUser(deps, realm, { username, password, ...(values.email ? { email: values.email as string } : {}), admin: values.admin === true });
  });
  if (values.json) printJson(io, generated ? { user, password } : { user });
  else io.stdout(`Added user ${user.username} (${user.id}) to realm ${realm}.\n${generated ? `Password (shown once): ${password}\n` : ''}`);
  return EXIT_OK;
}

/** The password piped in with --password-stdin (without the trailing newline), or a generated one. */
async function passwordFrom(values: Record<string, unknown>, io: CliIo): Promise<{ password: string; generated: boolean }> {
  if (!values['password-stdin']) return { password: randomBytes(18).toString('base64url'), generated: true };
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  if (password === '') throw new UsageError('--password-stdin: standard input is empty');
  return { password, generated: false };
}

async function setPassword(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { realm: { type: 'string' }, 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const username = positionals[0];
  if (!username) throw new UsageError('USERNAME is required');
  const { password, generated } = await passwordFrom(values, io);
  const user = await withDeps(io, async (deps) => {
    await realmExists(deps, realm);
    return setUserPassword(deps, realm, (await findUserByName(deps, realm, username)).id, password);
  });
  if (values.json) printJson(io, generated ? { user, password } : { user });
  else io.stdout(`Set the password of ${user.username}.\n${generated ? `Password (shown once): ${password}\n` : ''}`);
  return EXIT_OK;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { realm: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const users = await withDeps(io, async (deps) => (await realmExists(deps, realm), listUsers(deps, realm)));
  if (values.json) printJson(io, users);
  else printTable(io, ['USERNAME', 'ID', 'EMAIL', 'ADMIN', 'DISABLED', 'CREATED'], users.map((u) => [u.username, u.id, u.email, u.admin, u.disabled, isoTime(u.createdAt)]));
  return EXIT_OK;
}

function byName(action: 'disable' | 'enable' | 'delete') {
  return async (args: string[], io: CliIo): Promise<number> => {
    const { values, positionals } = parseFlags(args, { realm: { type: 'string' }, json: { type: 'boolean' } }, 1);
    if (values.help) return (io.stdout(HELP), EXIT_OK);
    const realm = requireFlag(values, 'realm');
    const username = positionals[0];
    if (!username) throw new UsageError('USERNAME is required');
    const result = await withDeps(io, async (deps) => {
      await realmExists(deps, realm);
      const user = await findUserByName(deps, realm, username);
      if (action === 'delete') return (await deleteUser(deps, realm, user.id), null);
      return setUserDisabled(deps, realm, user.id, action === 'disable');
    });
    if (values.json) printJson(io, result ?? { deleted: username });
    else io.stdout(`User ${username} ${action === 'delete' ? 'deleted' : `${action}d`}.\n`);
    return EXIT_OK;
  };
}

/** `not_found` naming the realm, before anything else is looked up in it. */
export async function realmExists(deps: { store: { realms: { get(id: string): Promise<unknown> } } }, realm: string): Promise<void> {
  if (!REALM_ID_PATTERN.test(realm) || !(await deps.store.realms.get(realm))) throw new CommandError(`realm ${realm} does not exist (see steward realm list)`);
}

export const userCommand: CommandGroup = {
  name: 'user',
  summary: 'Add, list, set the password of, disable, enable or delete users of a realm',
  run: (args, io) => runSubcommand('user', HELP, { add, list, 'set-password': setPassword, disable: byName('disable'), enable: byName('enable'), delete: byName('delete') }, args, io),
};
