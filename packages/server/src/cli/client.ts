/** @module cli/client — `steward client add|list|update|rotate-secret|disable|enable|delete`: OAuth clients of a realm. */
import { createClient, DEFAULT_SECRET_GRACE, deleteClient, listClients, rotateClientSecret, setClientDisabled, updateClient, type ClientChanges } from '@steward/core';
import { withDeps } from './context.ts';
import { EXIT_OK, isoTime, parseFlags, printJson, printTable, requireFlag, runSubcommand, UsageError, type CliIo, type CommandGroup } from './io.ts';
import { realmExists } from './user.ts';

const HELP = `Usage: steward client <subcommand> --realm REALM …

Subcommands:
  add --realm R --client-id ID --grant-type G [--grant-type G…] [--name N] [--public]
      [--redirect-uri URI…] [--claims-redirect-uri URI…] [--uma-scope S…] [--signing-alg ES256|RS256]
      [--no-rpt-refresh-tokens] [--json]
        Add a client. Grant types: authorization_code, client_credentials, refresh_token, password,
        urn:ietf:params:oauth:grant-type:uma-ticket. A confidential client (the default) gets a
        generated secret, printed once and stored as its SHA-256; --public makes one without a secret.
  list --realm R [--json]          List the realm's clients
  update --realm R CLIENT_ID [--name N] [--grant-type G…] [--redirect-uri URI…]
      [--claims-redirect-uri URI…] [--uma-scope S…] [--clear redirect-uri|claims-redirect-uri|uma-scope]
      [--signing-alg ES256|RS256|realm] [--rpt-refresh-tokens|--no-rpt-refresh-tokens] [--json]
        Change a client: only what is given changes; a list given replaces the whole list, --clear
        empties one, --signing-alg realm goes back to the realm's algorithm. Checked as by add.
  rotate-secret --realm R CLIENT_ID [--grace DURATION] [--json]
        Give a confidential client a new generated secret, printed once. The replaced secret stays
        valid for DURATION (seconds, or with s, m, h or d; default 24h, at most 30d); --grace 0
        stops it at once. A secret replaced by an earlier rotation stops now.
  disable --realm R CLIENT_ID      Disable: authentication refused and its tokens revoked, at once
  enable --realm R CLIENT_ID       Enable again (revoked tokens stay revoked)
  delete --realm R CLIENT_ID       Delete (refused while resources it registered exist) and revoke its tokens
`;

async function add(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, {
    realm: { type: 'string' },
    'client-id': { type: 'string' },
    name: { type: 'string' },
    public: { type: 'boolean' },
    'grant-type': { type: 'string', multiple: true },
    'redirect-uri': { type: 'string', multiple: true },
    'claims-redirect-uri': { type: 'string', multiple: true },
    'uma-scope': { type: 'string', multiple: true },
    'signing-alg': { type: 'string' },
    'no-rpt-refresh-tokens': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const clientId = requireFlag(values, 'client-id');
  const grantTypes = (values['grant-type'] as string[] | undefined) ?? [];
  if (grantTypes.length === 0) throw new UsageError('--grant-type is required (repeat it for several)');
  const created = await withDeps(io, async (deps) => {
    await realmExists(deps, realm);
    return createClient(deps, realm, {
      clientId,
      grantTypes,
      public: values.public === true,
      rptRefreshTokens: values['no-rpt-refresh-tokens'] !== true,
      ...(values.name ? { name: values.name as string } : {}),
      ...(values['redirect-uri'] ? { redirectUris: values['redirect-uri'] as string[] } : {}),
      ...(values['claims-redirect-uri'] ? { claimsRedirectUris: values['claims-redirect-uri'] as string[] } : {}),
      ...(values['uma-scope'] ? { umaScopes: values['uma-scope'] as string[] } : {}),
      ...(values['signing-alg'] ? { signingAlg: values['signing-alg'] as string } : {}),
    });
  });
  if (values.json) printJson(io, created);
  else io.stdout(`Added client ${clientId} to realm ${realm}.\n${created.secret ? `Client secret (shown once): ${created.secret}\n` : 'Public client: no secret.\n'}`);
  return EXIT_OK;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { realm: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const clients = await withDeps(io, async (deps) => (await realmExists(deps, realm), listClients(deps, realm)));
  if (values.json) printJson(io, clients);
  else printTable(io, ['CLIENT ID', 'NAME', 'TYPE', 'GRANT TYPES', 'DISABLED', 'CREATED'], clients.map((c) => [c.clientId, c.name, c.confidential ? 'confidential' : 'public', c.grantTypes.join(','), c.disabled, isoTime(c.createdAt)]));
  return EXIT_OK;
}

const LISTS = { 'redirect-uri': 'redirectUris', 'claims-redirect-uri': 'claimsRedirectUris', 'uma-scope': 'umaScopes' } as const;

async function update(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      realm: { type: 'string' },
      name: { type: 'string' },
      'grant-type': { type: 'string', multiple: true },
      'redirect-uri': { type: 'string', multiple: true },
      'claims-redirect-uri': { type: 'string', multiple: true },
      'uma-scope': { type: 'string', multiple: true },
      clear: { type: 'string', multiple: true },
      'signing-alg': { type: 'string' },
      'rpt-refresh-tokens': { type: 'boolean' },
      'no-rpt-refresh-tokens': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    1,
  );
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const clientId = positionals[0];
  if (!clientId) throw new UsageError('CLIENT_ID is required');
  const changes: Record<string, unknown> = {};
  if (values.name !== undefined) changes.name = values.name;
  if (values['grant-type'] !== undefined) changes.grantTypes = values['grant-type'];
  for (const name of (values.clear as string[] | undefined) ?? []) {
    if (!Object.hasOwn(LISTS, name)) throw new UsageError(`--clear takes ${Object.keys(LISTS).join(', ')}`);
    if (values[name] !== undefined) throw new UsageError(`--clear ${name} and --${name} contradict each other`);
    changes[LISTS[name as keyof typeof LISTS]] = [];
  }
  for (const [flag, field] of Object.entries(LISTS)) if (values[flag] !== undefined) changes[field] = values[flag];
  if (values['signing-alg'] !== undefined) changes.signingAlg = values['signing-alg'] === 'realm' ? null : values['signing-alg'];
  if (values['rpt-refresh-tokens'] && values['no-rpt-refresh-tokens']) throw new UsageError('--rpt-refresh-tokens and --no-rpt-refresh-tokens contradict each other');
  if (values['rpt-refresh-tokens'] || values['no-rpt-refresh-tokens']) changes.rptRefreshTokens = values['rpt-refresh-tokens'] === true;
  if (Object.keys(changes).length === 0) throw new UsageError('nothing to change: give at least one of --name, --grant-type, --redirect-uri, --claims-redirect-uri, --uma-scope, --clear, --signing-alg, --[no-]rpt-refresh-tokens');
  const client = await withDeps(io, async (deps) => (await realmExists(deps, realm), updateClient(deps, realm, clientId, changes as ClientChanges)));
  if (values.json) printJson(io, client);
  else io.stdout(`Client ${clientId} updated.\n`);
  return EXIT_OK;
}

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/** `90`, `90s`, `15m`, `24h`, `7d` as seconds; a UsageError otherwise. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text);
  if (!match) throw new UsageError(`--${flag} must be a number of seconds, or a number followed by s, m, h or d (e.g. 24h)`);
  return Number(match[1]) * DURATION_UNITS[match[2]!]!;
}

async function rotateSecret(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { realm: { type: 'string' }, grace: { type: 'string' }, json: { type: 'boolean' } }, 1);
  if (values.help) return (io.stdout(HELP), EXIT_OK);
  const realm = requireFlag(values, 'realm');
  const clientId = positionals[0];
  if (!clientId) throw new UsageError('CLIENT_ID is required');
  const graceSeconds = values.grace === undefined ? DEFAULT_SECRET_GRACE : parseDuration(values.grace as string, 'grace');
  const rotated = await withDeps(io, async (deps) => (await realmExists(deps, realm), rotateClientSecret(deps, realm, clientId, { graceSeconds })));
  if (values.json) printJson(io, rotated);
  else {
    const previous = rotated.previousSecretValidUntil === null ? 'The previous secret no longer works.' : `The previous secret works until ${isoTime(rotated.previousSecretValidUntil)}.`;
    io.stdout(`Rotated the secret of client ${clientId}. ${previous}\nClient secret (shown once): ${rotated.secret}\n`);
  }
  return EXIT_OK;
}

function byId(action: 'disable' | 'enable' | 'delete') {
  return async (args: string[], io: CliIo): Promise<number> => {
    const { values, positionals } = parseFlags(args, { realm: { type: 'string' }, json: { type: 'boolean' } }, 1);
    if (values.help) return (io.stdout(HELP), EXIT_OK);
    const realm = requireFlag(values, 'realm');
    const clientId = positionals[0];
    if (!clientId) throw new UsageError('CLIENT_ID is required');
    const result = await withDeps(io, async (deps) => {
      await realmExists(deps, realm);
      if (action === 'delete') return (await deleteClient(deps, realm, clientId), null);
      return setClientDisabled(deps, realm, clientId, action === 'disable');
    });
    if (values.json) printJson(io, result ?? { deleted: clientId });
    else io.stdout(`Client ${clientId} ${action === 'delete' ? 'deleted' : `${action}d`}.\n`);
    return EXIT_OK;
  };
}

export const clientCommand: CommandGroup = {
  name: 'client',
  summary: 'Add, list, update, rotate the secret of, disable, enable or delete OAuth clients of a realm',
  run: (args, io) => runSubcommand('client', HELP, { add, list, update, 'rotate-secret': rotateSecret, disable: byId('disable'), enable: byId('enable'), delete: byId('delete') }, args, io),
};
