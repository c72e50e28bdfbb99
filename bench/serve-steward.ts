/**
 * @module bench/serve-steward
 * Starts Steward for the benchmark on a fresh SQLite file (argv: port, database file) with a `bench`
 * realm (ES256, the default) holding a resource server, a requesting party's client, an owner and a
 * requesting party. Prints "ready <port>" when listening.
 */
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient, addUser, createRealm, loadConfig, startSteward } from '@steward/server';

const port = Number(process.argv[2] ?? 3001);
const file = process.argv[3] ?? './data/bench.db';
const config = loadConfig({}, { port, baseUrl: `http://127.0.0.1:${port}`, databaseUrl: `sqlite:${file}`, demo: false, logLevel: 'silent' });
const steward = await startSteward(config);
const deps = steward.deps;
if (!(await deps.store.realms.get('bench'))) {
  await createRealm(deps, { id: 'bench' });
  await addUser(deps, 'bench', { username: 'owner', password: 'owner-password' });
  await addUser(deps, 'bench', { username: 'party', password: 'party-password' });
  await addClient(deps, 'bench', { clientId: 'rs', secret: 'rs-secret-rs-secret-rs-secret', grantTypes: ['client_credentials', 'password'] });
  await addClient(deps, 'bench', { clientId: 'app', secret: 'app-secret-app-secret-app-secret', grantTypes: [UMA_GRANT_TYPE, 'password'], rptRefreshTokens: true });
}
process.stdout.write(`ready ${port}\n`);
process.on('SIGTERM', () => void steward.close().then(() => process.exit(0)));
