/** @module cli/client — `steward client add|list|disable|enable|delete`: OAuth clients of a realm. */
import { createClient, deleteClient, listClients, setClientDisabled } from '@steward/core';
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
  summary: 'Add, list, disable, enable or delete OAuth clients of a realm',
  run: (args, io) => runSubcommand('client', HELP, { add, list, disable: byId('disable'), enable: byId('enable'), delete: byId('delete') }, args, io),
};
