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
  type: 'port' | 'host' | 'url' | 'database-url' | 'boolean' | 'string' | 'integer' | 'path' | 'count';
  default: string | number | boolean | null;
  /** The only values a `string` key accepts, when it is one of a fixed few. */
  values?: readonly string[];
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
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    description: 'One of `fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`.',
  },
  {
    env: 'STEWARD_MIGRATE_ON_START',
    key: 'migrateOnStart',
    type: 'boolean',
    default: true,
    description:
      'Apply pending database migrations when the server starts. With `0`, a start against a database with pending migrations is refused (run `steward migrate` first): the setting for several nodes, where an upgrade migrates once, on purpose.',
  },
  {
    env: 'STEWARD_PURGE_INTERVAL',
    key: 'purgeInterval',
    type: 'count',
    default: 300,
    description:
      'Seconds between two purges of expired rows by `steward serve` (tickets, codes, tokens, PCTs, sessions, retired keys, rate-limit counters), each bounded to a few batches of `STEWARD_PURGE_BATCH`; every node may run it. `0` turns it off (run `steward purge` from a scheduler instead).',
  },
  {
    env: 'STEWARD_SHUTDOWN_TIMEOUT',
    key: 'shutdownTimeout',
    type: 'integer',
    default: 10,
    description: 'On SIGTERM or SIGINT, seconds to let requests in flight finish before their connections are closed.',
  },
  {
    env: 'STEWARD_TRUST_PROXY',
    key: 'trustProxy',
    type: 'string',
    default: null,
    description:
      'Comma-separated addresses or CIDR ranges of reverse proxies (e.g. `10.0.0.0/8,127.0.0.1`). `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` are honoured only from these; the client address they give is what rate limits and logs use. Issuers always come from `STEWARD_BASE_URL`, never from request headers.',
  },
  {
    env: 'STEWARD_TLS_CERT',
    key: 'tlsCert',
    type: 'path',
    default: null,
    description: 'PEM certificate (chain) file: Steward serves HTTPS itself. Set together with `STEWARD_TLS_KEY`.',
  },
  {
    env: 'STEWARD_TLS_KEY',
    key: 'tlsKey',
    type: 'path',
    default: null,
    description: 'PEM private key file of `STEWARD_TLS_CERT`.',
  },
  {
    env: 'STEWARD_METRICS',
    key: 'metrics',
    type: 'string',
    default: 'open',
    values: ['open', 'token', 'off'],
    description:
      'Prometheus `/metrics`: `open` (anyone who reaches it; the metrics hold no secrets nor user data), `token` (a bearer token whose SHA-256 is `STEWARD_METRICS_TOKEN_SHA256`) or `off` (404).',
  },
  {
    env: 'STEWARD_METRICS_TOKEN_SHA256',
    key: 'metricsTokenSha256',
    type: 'string',
    default: null,
    description: 'Hex SHA-256 of the bearer token `/metrics` requires when `STEWARD_METRICS=token` (`printf %s "$TOKEN" | sha256sum`).',
  },
  {
    env: 'STEWARD_RATE_LIMIT_WINDOW',
    key: 'rateLimitWindow',
    type: 'integer',
    default: 60,
    description: 'Length in seconds of the fixed windows the request rate limits below count in.',
  },
  {
    env: 'STEWARD_RATE_LIMIT_LOGIN_PER_IP',
    key: 'rateLimitLoginPerIp',
    type: 'count',
    default: 300,
    description: 'Sign-in attempts (owner API `authenticate`, the login page and the claims pages) one client address may make per window; `0` turns the limit off. Beyond it: 429 with `Retry-After`.',
  },
  {
    env: 'STEWARD_RATE_LIMIT_TOKEN_PER_IP',
    key: 'rateLimitTokenPerIp',
    type: 'count',
    default: 0,
    description: 'Token endpoint requests one client address may make per window; `0` (default) turns the limit off. Each limited request costs one database write.',
  },
  {
    env: 'STEWARD_RATE_LIMIT_TOKEN_PER_CLIENT',
    key: 'rateLimitTokenPerClient',
    type: 'count',
    default: 0,
    description: 'Token endpoint requests one authenticated client may make per window; `0` (default) turns the limit off.',
  },
  {
    env: 'STEWARD_LOCKOUT_THRESHOLD',
    key: 'lockoutThreshold',
    type: 'count',
    default: 5,
    description:
      'Failed passwords in a row for one user name (known or not) from one client address before sign-in under that name from that address is refused for `STEWARD_LOCKOUT_SECONDS`; each further failure after a lockout doubles it. `0` turns lockout off.',
  },
  {
    env: 'STEWARD_LOCKOUT_USER_THRESHOLD',
    key: 'lockoutUserThreshold',
    type: 'count',
    default: 50,
    description:
      'Failed passwords in a row for one user name from all client addresses together before sign-in under that name is refused from everywhere, progressively as above: the ceiling on guessing spread over many addresses. `0` leaves only the per-address count; a value below `STEWARD_LOCKOUT_THRESHOLD` counts as equal to it.',
  },
  {
    env: 'STEWARD_LOCKOUT_SECONDS',
    key: 'lockoutSeconds',
    type: 'integer',
    default: 60,
    description: 'First lockout, in seconds.',
  },
  {
    env: 'STEWARD_LOCKOUT_MAX_SECONDS',
    key: 'lockoutMaxSeconds',
    type: 'integer',
    default: 900,
    description: 'Longest lockout, in seconds.',
  },
  {
    env: 'STEWARD_LOCKOUT_RESET_SECONDS',
    key: 'lockoutResetSeconds',
    type: 'integer',
    default: 3600,
    description: 'Failures are forgotten after this many seconds without a new one (a successful sign-in forgets them at once).',
  },
  {
    env: 'STEWARD_ADMIN_TOKEN_SHA256',
    key: 'adminTokenSha256',
    type: 'string',
    default: null,
    description:
      'Hex SHA-256 of the bearer token the admin API (`/admin/realms/…`) requires (`printf %s "$TOKEN" | sha256sum`). Unset: the admin API answers 404 to everything. Only the hash is configured, never the token.',
  },
  {
    env: 'STEWARD_KEY_ACTIVATION_DELAY',
    key: 'keyActivationDelay',
    type: 'integer',
    default: 30,
    description:
      'Seconds between `steward keys rotate` publishing a new signing key in the realm\'s `certs` and the key starting to sign, so that resource servers and other nodes have fetched it before they meet a token it signed (at least 10).',
  },
  {
    env: 'STEWARD_PURGE_BATCH',
    key: 'purgeBatch',
    type: 'integer',
    default: 500,
    description: 'Rows deleted per statement by `steward purge` and the periodic purge of `serve` (expired tickets, codes, tokens, PCTs, sessions; at most 1,000); small batches keep each transaction short, and the event loop turns between two.',
  },
  {
    env: 'STEWARD_NOTIFY',
    key: 'notify',
    type: 'boolean',
    default: true,
    description:
      'Run the notification worker on this node: it delivers the outbox (webhook calls and e-mails) with retries. Any number of nodes may run it against one database; each delivery is claimed by one node at a time. `0` leaves deliveries to other nodes (they wait in the outbox, never lost).',
  },
  {
    env: 'STEWARD_NOTIFY_POLL_MS',
    key: 'notifyPollMs',
    type: 'integer',
    default: 1000,
    description: 'Milliseconds between two looks at the outbox when it had nothing due. A write answered by this node wakes its worker at once; a change made on another node is seen within this delay.',
  },
  {
    env: 'STEWARD_NOTIFY_BATCH',
    key: 'notifyBatch',
    type: 'integer',
    default: 20,
    description: 'Deliveries one worker claims and sends at once.',
  },
  {
    env: 'STEWARD_NOTIFY_TIMEOUT_MS',
    key: 'notifyTimeoutMs',
    type: 'integer',
    default: 10000,
    description: 'Milliseconds one webhook call or one SMTP step may take before the attempt counts as failed.',
  },
  {
    env: 'STEWARD_NOTIFY_LEASE_MS',
    key: 'notifyLeaseMs',
    type: 'integer',
    default: 60000,
    description:
      'Milliseconds a claimed delivery stays reserved for the node that claimed it; if that node dies, another one retries it after this. Must exceed `STEWARD_NOTIFY_TIMEOUT_MS`.',
  },
  {
    env: 'STEWARD_NOTIFY_MAX_ATTEMPTS',
    key: 'notifyMaxAttempts',
    type: 'integer',
    default: 12,
    description: 'Attempts of one delivery before it is dead-lettered (status `dead`, kept in the outbox with its last error).',
  },
  {
    env: 'STEWARD_NOTIFY_RETRY_BASE_MS',
    key: 'notifyRetryBaseMs',
    type: 'integer',
    default: 10000,
    description: 'Wait before the first retry, in milliseconds; it doubles with each failed attempt (with random jitter), up to `STEWARD_NOTIFY_RETRY_MAX_MS`.',
  },
  {
    env: 'STEWARD_NOTIFY_RETRY_MAX_MS',
    key: 'notifyRetryMaxMs',
    type: 'integer',
    default: 3600000,
    description: 'Longest wait between two attempts of one delivery, in milliseconds.',
  },
  {
    env: 'STEWARD_NOTIFY_RETENTION',
    key: 'notifyRetention',
    type: 'count',
    default: 604800,
    description: 'Seconds delivered and dead deliveries stay in the outbox (for investigation) before the periodic purge deletes them; `0` keeps them forever.',
  },
  {
    env: 'STEWARD_WEBHOOKS',
    key: 'webhooks',
    type: 'string',
    default: null,
    description:
      'Webhook subscriptions applied at start, as JSON text: `{"<realm>": [{"id": "crm", "url": "https://…", "secret": "…", "events": ["access_request.created"], "enabled": true}]}`. Each is created or replaced by id (`events` defaults to all five; `secret` is required, 16+ characters). Realms that do not exist are skipped with a warning. See docs/events.md.',
  },
  {
    env: 'STEWARD_SMTP_HOST',
    key: 'smtpHost',
    type: 'string',
    default: null,
    description:
      'SMTP server for e-mail notifications (the owner on a new access request, the requesting party on an answer). Unset: no e-mail is sent by this node and e-mails wait in the outbox for a node that has SMTP.',
  },
  {
    env: 'STEWARD_SMTP_PORT',
    key: 'smtpPort',
    type: 'port',
    default: 587,
    description: 'SMTP port (587 submission with STARTTLS when offered, 465 with `STEWARD_SMTP_SECURE=1`, 25).',
  },
  {
    env: 'STEWARD_SMTP_SECURE',
    key: 'smtpSecure',
    type: 'boolean',
    default: false,
    description: 'Connect with TLS from the start (port 465). Otherwise STARTTLS is used when the server offers it.',
  },
  {
    env: 'STEWARD_SMTP_USER',
    key: 'smtpUser',
    type: 'string',
    default: null,
    description: 'SMTP user name; no authentication when unset.',
  },
  {
    env: 'STEWARD_SMTP_PASSWORD',
    key: 'smtpPassword',
    type: 'string',
    default: null,
    description: 'SMTP password of `STEWARD_SMTP_USER`.',
  },
  {
    env: 'STEWARD_SMTP_FROM',
    key: 'smtpFrom',
    type: 'string',
    default: 'Steward <steward@localhost>',
    description: 'Sender address of notification e-mails.',
  },
  {
    env: 'STEWARD_EVENTS_POLL_MS',
    key: 'eventsPollMs',
    type: 'integer',
    default: 200,
    description: 'Milliseconds between two reads of the revocation log while this node has resource servers subscribed to the protection API event stream (docs/revocation.md): a revocation made on any node reaches them within about this delay.',
  },
  {
    env: 'STEWARD_EVENTS_HEARTBEAT',
    key: 'eventsHeartbeat',
    type: 'integer',
    default: 15,
    description: 'Seconds between two heartbeat comments on an idle revocation event stream; at each one the stream also checks that its PAT is still live. A subscriber may take a stream silent for three heartbeats as dead.',
  },
  {
    env: 'STEWARD_EVENTS_MAX_STREAMS',
    key: 'eventsMaxStreams',
    type: 'count',
    default: 1000,
    description: 'Most revocation event streams one node serves at once (at most a sixteenth of them, and at least one, per resource server); beyond, a new subscriber gets 429 and retries later. `0` turns the stream off on this node (404).',
  },
  {
    env: 'STEWARD_CONFIG',
    key: 'configFile',
    type: 'path',
    default: null,
    description: 'Optional JSON file whose members (the `key` column) set these options; environment variables win over it.',
  },
] as const satisfies readonly ConfigKey[];

type Key = (typeof CONFIG_KEYS)[number];

/** What each type of key holds once parsed. */
interface ValueOfType {
  port: number;
  integer: number;
  count: number;
  boolean: boolean;
  host: string;
  string: string;
  url: string;
  'database-url': string;
  path: string;
}

/** A key's value: one of its `values`, else of its type; null when it has no default and is not set. */
type ValueOf<K extends Key> = (K extends { values: readonly (infer V)[] } ? V : ValueOfType[K['type']]) | (K['default'] extends null ? null : never);

/** Every key of the table with the type of its value, by its `key` (config/load builds Config from it). */
export type ConfigValues = { -readonly [K in Key as K['key']]: ValueOf<K> };
