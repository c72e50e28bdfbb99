/**
 * @module tools/gen-api-docs
 * Writes docs/openapi.json and docs/api.md from the route definitions: boots the app in-process on an
 * in-memory SQLite store and reads every route's `config.docs`. `--check` fails when either committed
 * file is out of date (the test suite checks the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../packages/server/src/config/load.ts';
import { collectedRoutes, type RouteEntry } from '../packages/server/src/http/route-docs.ts';
import { createSteward } from '../packages/server/src/steward.ts';
import { renderApiMarkdown } from './api-docs/markdown.ts';
import { buildOpenApi, type ApiDocOptions } from './api-docs/openapi.ts';

export const API_DOC_FILES = {
  openapi: new URL('../docs/openapi.json', import.meta.url),
  markdown: new URL('../docs/api.md', import.meta.url),
} as const;

/** Every route of a freshly built app, with the options the documents need. */
export async function loadRoutes(): Promise<{ routes: readonly RouteEntry[]; options: ApiDocOptions }> {
  const config = loadConfig({}, { databaseUrl: 'sqlite::memory:', demo: false, logLevel: 'silent' });
  const steward = await createSteward(config);
  try {
    const { version } = JSON.parse(readFileSync(new URL('../packages/server/package.json', import.meta.url), 'utf8')) as { version: string };
    return { routes: [...collectedRoutes(steward.app)], options: { sessionHeader: config.sessionHeader, baseUrl: config.baseUrl, version } };
  } finally {
    await steward.close();
  }
}

/** The two documents, as they are written to disk. */
export async function generateApiDocs(): Promise<{ openapi: string; markdown: string; routes: readonly RouteEntry[] }> {
  const { routes, options } = await loadRoutes();
  return {
    openapi: `${JSON.stringify(buildOpenApi(routes, options), null, 2)}\n`,
    markdown: renderApiMarkdown(routes, options),
    routes,
  };
}

if (import.meta.main) {
  const docs = await generateApiDocs();
  if (process.argv.includes('--check')) {
    const stale = (['openapi', 'markdown'] as const).filter((k) => {
      try {
        return readFileSync(API_DOC_FILES[k], 'utf8') !== docs[k];
      } catch {
        return true;
      }
    });
    if (stale.length > 0) {
      process.stderr.write(`${stale.map((k) => API_DOC_FILES[k].pathname.split('/').slice(-2).join('/')).join(' and ')} out of date: run npm run docs:api\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(API_DOC_FILES.openapi, docs.openapi);
    writeFileSync(API_DOC_FILES.markdown, docs.markdown);
  }
}
