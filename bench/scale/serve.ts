/**
 * @module bench/scale/serve
 * `steward serve` for the scale benchmark (argv: port, SQLite file or PostgreSQL URL), as
 * bench/serve-steward.ts starts it (the `bench` realm with the resource server `rs`, the client `app`,
 * the users `owner` and `party`, created on first start), with the periodic purge off so that only the
 * benchmark's own `steward purge` deletes expired rows. Prints "ready <port>" when listening.
 */
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient, addUser, createRealm, loadConfig, startSteward } from '@steward/server';

const port = Number(process.argv[2] ?? 3501);
const target = process.argv[3] ?? './data/scale.db';
const databaseUrl = target.startsWith('postgres') ? target : `sqlite:${target}`;
const config = loadConfig({}, { port, baseUrl: `http://127.0.0.1:${port}`, databaseUrl, demo: false, logLevel: 'silent', purgeInterval: 0 });
const steward = await startSteward(config);
const deps = steward.deps;
if (!(await deps.store.realms.get('bench'))) {
  await createRealm(deps, { id: 'bench', settings: {} });
  await addUser(deps, 'bench', { username: 'owner', password: 'owner-password' });
  await addUser(deps, 'bench', { username: 'party', password: 'party-password' });
  await addClient(deps, 'bench', { clientId: 'rs', secret: 'rs-secret-rs-secret-rs-secret', grantTypes: ['client_credentials', 'password'] });
  await addClient(deps, 'bench', { clientId: 'app', secret: 'app-secret-app-secret-app-secret', grantTypes: [UMA_GRANT_TYPE, 'password'], rptRefreshTokens: true });
}
process.stdout.write(`ready ${port}\n`);
process.on('SIGTERM', () => void steward.close().then(() => process.exit(0)));
