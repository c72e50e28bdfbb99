/**
 * @module config/defaults
 * Every configuration key, its default and its documentation. `docs/configuration.md` is generated from
 * this file (`npm run docs:config`); edit here, never there.
 */

export interface ConfigKey {
  /** Environment variable that sets it. */
  env: string;
  /** JSON config file member that sets it. */
  key: string;
  type: 'port' | 'host' | 'url' | 'database-url' | 'boolean' | 'string' | 'integer' | 'path';
  default: string | number | boolean | null;
  description: string;
}

export const CONFIG_KEYS = [
  {
    env: 'STEWARD_PORT',
    key: 'port',
    type: 'port',
    default: 8080,
    description: 'TCP port the HTTP server listens on (1–65535; 0 picks a free port).',
  },
  {
    env: 'STEWARD_HOST',
    key: 'host',
    type: 'host',
    default: '127.0.0.1',
    description: 'Interface to listen on. Use `0.0.0.0` to accept connections from other machines.',
  },
  {
    env: 'STEWARD_BASE_URL',
    key: 'baseUrl',
    type: 'url',
    default: null,
    description:
      'Public URL clients use to reach Steward, without a trailing slash. Every issuer is `{baseUrl}/realms/{realm}`. Default: `http://127.0.0.1:{port}`.',
  },
  {
    env: 'STEWARD_DATABASE_URL',
    key: 'databaseUrl',
    type: 'database-url',
    default: 'sqlite:./data/steward.db',
    description:
      'Where data lives: `sqlite:PATH` (embedded, one node) or `postgres://user:pass@host:port/db` (any number of nodes).',
  },
  {
    env: 'STEWARD_DEMO',
    key: 'demo',
    type: 'boolean',
    default: true,
    description: 'Create the `demo` realm (users alice, bob, chris, dave, amAdmin; clients photoz-rs, photoz-client) when the database has no realm yet. `0` turns it off.',
  },
  {
    env: 'STEWARD_SESSION_HEADER',
    key: 'sessionHeader',
    type: 'string',
    default: 'iPlanetDirectoryPro',
    description: 'Header (and cookie) name that carries the owner session token of the owner APIs.',
  },
  {
    env: 'STEWARD_BODY_LIMIT',
    key: 'bodyLimit',
    type: 'integer',
    default: 65536,
    description: 'Largest request body accepted, in bytes; larger bodies get 413.',
  },
  {
    env: 'STEWARD_LOG_LEVEL',
    key: 'logLevel',
    type: 'string',
    default: 'info',
    description: 'One of `fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`.',
  },
  {
    env: 'STEWARD_CONFIG',
    key: 'configFile',
    type: 'path',
    default: null,
    description: 'Optional JSON file whose members (the `key` column) set these options; environment variables win over it.',
  },
] as const satisfies readonly ConfigKey[];
