/**
 * @module notes-api/main
 * Runs the notes API: `NOTES_CLIENT_SECRET=… node src/main.ts` (see config.ts for the other variables).
 */
import { createNotesApi } from './app.ts';
import { configFromEnv } from './config.ts';

const config = configFromEnv();
const { app } = createNotesApi(config);
const server = app.listen(config.port, config.host, () => console.log(`notes API on ${config.baseUrl}, protected by ${config.issuer}`));
process.on('SIGTERM', () => server.close());
process.on('SIGINT', () => server.close());
