/**
 * @module url
 * Parses the database URL (`STEWARD_DATABASE_URL`): `sqlite:./relative.db`, `sqlite:/abs.db`,
 * `sqlite::memory:`, `postgres://…` or `postgresql://…`.
 */
import path from 'node:path';

export type DatabaseTarget =
  | { dialect: 'sqlite'; /** Absolute file path, or `:memory:`. */ filename: string }
  | { dialect: 'postgres'; connectionString: string };

const EXPECTED = 'expected sqlite:<path>, sqlite::memory: or postgres://user@host:port/database';

/** Throws an Error naming STEWARD_DATABASE_URL when the URL is malformed. Never echoes a password. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (typeof url !== 'string' || url.trim() === '') {
    throw invalid('(empty)', 'the URL is empty');
  }
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length);
    if (rest === ':memory:') return { dialect: 'sqlite', filename: ':memory:' };
    if (rest.startsWith('//')) throw invalid(url, 'write sqlite:./file.db or sqlite:/absolute/file.db');
    if (rest === '' || rest.endsWith('/') || rest.includes('\0')) throw invalid(url, 'no database file');
    return { dialect: 'sqlite', filename: path.resolve(rest) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid(redact(url), 'not a valid URL');
    }
    if (parsed.hostname === '' && !parsed.searchParams.has('host')) throw invalid(redact(url), 'no host');
    return { dialect: 'postgres', connectionString: url };
  }
  throw invalid(redact(url), 'unsupported scheme');
}

/** The URL with any password replaced, fit for messages and logs. */
export function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

function invalid(url: string, why: string): Error {
  return new Error(`STEWARD_DATABASE_URL is invalid (${url}): ${why}; ${EXPECTED}`);
}
