/**
 * @module bench/serve-steward
 * Starts Steward for the benchmark on a fresh database (argv: port, SQLite file or PostgreSQL URL) with a
 * `bench` realm (ES256, the default, or `BENCH_ALG=RS256`) holding a resource server, a requesting party's client, an owner and a
 * requesting party. Prints "ready <port>" when listening. bench:scale starts it too, with BENCH_NO_PURGE=1.
 */
import { createClient, createUser, UMA_GRANT_TYPE } from '@steward/core';
import { createRealm, loadConfig, startSteward } from '@steward/server';

const port = Number(process.argv[2] ?? 3001);
// A database URL (postgres://…) or an SQLite file.
const target = process.argv[3] ?? './data/bench.db';
const databaseUrl = target.startsWith('postgres') ? target : `sqlite:${target}`;
// BENCH_ALG=RS256 signs as the demo realm does (Keycloak's libraries); the default is ES256.
const signingAlg = process.env.BENCH_ALG === 'RS256' ? 'RS256' : 'ES256';
// BENCH_NO_PURGE=1: no periodic purge (bench:scale runs `steward purge` itself, while it measures).
const config = loadConfig({}, { port, baseUrl: `http://127.0.0.1:${port}`, databaseUrl, demo: false, logLevel: 'silent', ...(process.env.BENCH_NO_PURGE ? { purgeInterval: 0 } : {}) });
const steward = await startSteward(config);
const deps = steward.deps;
if (!(await deps.store.realms.get('bench'))) {
  await createRealm(deps, { id: 'bench', settings: { signingAlg } });
  await createUser(deps, 'bench', { username: 'owner', password: 'owner-password' });
  await createUser(deps, 'bench', { username: 'party', password: 'party-password' });
  await createClient(deps, 'bench', { clientId: 'rs', grantTypes: ['client_credentials', 'password'] }, { secret: 'rs-secret-rs-secret-rs-secret' });
  await createClient(deps, 'bench', { clientId: 'app', grantTypes: [UMA_GRANT_TYPE, 'password'], rptRefreshTokens: true }, { secret: 'app-secret-app-secret-app-secret' });
}
process.stdout.write(`ready ${port}\n`);
process.on('SIGTERM', () => void steward.close().then(() => process.exit(0)));
