/**
 * @module records-rs/main
 * Starts the records server: `RECORDS_PORT` (8081), `RECORDS_HOST` (127.0.0.1), `RECORDS_BASE_URL`,
 * `STEWARD_ISSUER` (http://127.0.0.1:8080/realms/demo), `RECORDS_CLIENT_ID` / `RECORDS_CLIENT_SECRET`
 * (the demo realm's photoz-rs), `RECORDS_DATA_DIR` (in memory when unset).
 */
import { createRecordsServer } from './index.ts';

const env = process.env;
const port = Number(env.RECORDS_PORT ?? 8081);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`RECORDS_PORT must be a port number, not ${env.RECORDS_PORT}`);
  process.exit(1);
}
const host = env.RECORDS_HOST ?? '127.0.0.1';
const app = await createRecordsServer({
  issuer: env.STEWARD_ISSUER ?? 'http://127.0.0.1:8080/realms/demo',
  baseUrl: env.RECORDS_BASE_URL ?? `http://${host}:${port}`,
  clientId: env.RECORDS_CLIENT_ID ?? 'photoz-rs',
  clientSecret: env.RECORDS_CLIENT_SECRET ?? 'photoz-rs-secret',
  ...(env.RECORDS_DATA_DIR ? { dataDir: env.RECORDS_DATA_DIR } : {}),
  logLevel: env.RECORDS_LOG_LEVEL ?? 'info',
});
const address = await app.listen({ port, host });
console.log(`records server listening on ${address}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close());
