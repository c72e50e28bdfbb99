/**
 * @module @steward/example-records-rs
 * The reference resource server (ForgeRock's UMA resource-server sample): a record service whose owners register and share their
 * records at Steward, and whose requesting parties read them with an RPT.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { AuthorizationServer } from './authorization-server.ts';
import { publicConfiguration } from './configuration.ts';
import { protectRecords } from './enforcement.ts';
import { renderError } from './errors.ts';
import { manageRoutes, type PatBook } from './manage.ts';
import { recordRoutes } from './records.ts';
import { RecordStore } from './store.ts';

export { SCOPES, TYPES, templateScopes, type RecordType } from './configuration.ts';
export { SSO_HEADER } from './manage.ts';
export type { RecordMeta, StoredRecord } from './store.ts';

/** How to build the records server. */
export interface RecordsServerOptions {
  /** The Steward realm's issuer, e.g. `http://127.0.0.1:8080/realms/demo`. */
  issuer: string;
  /** This server's public base URL. */
  baseUrl: string;
  /** The resource server's client at Steward. */
  clientId: string;
  clientSecret: string;
  /** Keep records in `records.json` under this folder; in memory when absent. */
  dataDir?: string;
  /** Fastify log level (default `silent`). */
  logLevel?: string;
}

/** Builds the records server (not listening yet: call `app.listen`, or `app.inject` in tests). */
export async function createRecordsServer(options: RecordsServerOptions): Promise<FastifyInstance> {
  const store = await RecordStore.open(options.dataDir);
  const as = new AuthorizationServer(options);
  const pats: PatBook = new Map();
  const app = Fastify({ logger: { level: options.logLevel ?? 'silent' }, bodyLimit: 1024 * 1024 });
  // A JSON-only API: other media types are 415, not a string the routes would misread.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(renderError);
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.` }));

  await protectRecords(app, {
    issuer: as.issuer,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    pat: ({ resourceId }) => {
      const owner = store.byResourceId(resourceId)?.meta.owner;
      const pat = owner === undefined ? undefined : pats.get(owner);
      // The PATs live in memory only: after a restart the owner must use her application once
      // (until then the kit answers 403, no ticket to be had).
      if (pat === undefined) throw new Error('no PAT of the record owner');
      return pat;
    },
  });

  const configuration = publicConfiguration(options.baseUrl, as.issuer);
  app.get('/.well-known/resource-server-configuration', async () => configuration);
  app.get('/config', async () => configuration);
  manageRoutes(app, { store, as, pats });
  recordRoutes(app, store);
  return app;
}
