/**
 * @module config/load
 * Reads configuration from the defaults, an optional JSON file and `STEWARD_*` variables, validates
 * every value and fails with a message that names the exact key.
 */
import { readFileSync } from 'node:fs';
import { isJsonObject } from '@steward/core';
import { CONFIG_KEYS, type ConfigKey, type ConfigValues } from './defaults.ts';

/**
 * The configuration: one member per key of the defaults table (config/defaults), of that key's type,
 * null where the key has no default and is not set; `baseUrl` is always set (its default follows `port`).
 */
export type Config = Omit<ConfigValues, 'baseUrl'> & { baseUrl: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseValue(def: ConfigKey, raw: unknown, source: string): string | number | boolean {
  const where = `${source} ${source === 'environment variable' ? def.env : def.key}`;
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (def.type) {
    case 'port': {
      const n = typeof text === 'number' ? text : /^\d+$/.test(String(text)) ? Number(text) : NaN;
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${where} must be a port number 0–65535, got ${JSON.stringify(raw)}`);
      return n;
    }
    case 'integer': {
      const n = typeof text === 'number' ? text : /^\d+$/.test(String(text)) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${where} must be a positive integer, got ${JSON.stringify(raw)}`);
      return n;
    }
    case 'count': {
      const n = typeof text === 'number' ? text : /^\d+$/.test(String(text)) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) throw new ConfigError(`${where} must be a whole number (0 turns it off), got ${JSON.stringify(raw)}`);
      return n;
    }
    case 'boolean': {
      if (typeof text === 'boolean') return text;
      if (['1', 'true', 'yes', 'on'].includes(String(text).toLowerCase())) return true;
      if (['0', 'false', 'no', 'off'].includes(String(text).toLowerCase())) return false;
      throw new ConfigError(`${where} must be a boolean (1/0, true/false), got ${JSON.stringify(raw)}`);
    }
    case 'host':
    case 'string':
    case 'path': {
      if (typeof text !== 'string' || text === '') throw new ConfigError(`${where} must be a non-empty string`);
      if (def.values && !def.values.includes(text)) throw new ConfigError(`${where} must be one of ${def.values.join(', ')}, got ${JSON.stringify(raw)}`);
      if (def.key === 'sessionHeader' && !/^[A-Za-z0-9_-]+$/.test(text)) throw new ConfigError(`${where} must be a header name`);
      checkOperationsValue(def.key, text, where);
      return text;
    }
    case 'url': {
      let u: URL;
      try {
        u = new URL(String(text));
      } catch {
        throw new ConfigError(`${where} must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
      }
      if (!['http:', 'https:'].includes(u.protocol) || u.search || u.hash || u.username) {
        throw new ConfigError(`${where} must be an http(s) URL without query, fragment or credentials, got ${JSON.stringify(raw)}`);
      }
      return String(text).replace(/\/+$/, '');
    }
    case 'database-url': {
      const s = String(text);
      if (/^sqlite:.+/.test(s) || /^postgres(ql)?:\/\/.+/.test(s)) return s;
      throw new ConfigError(`${where} must be sqlite:PATH or postgres://…, got ${JSON.stringify(raw)}`);
    }
  }
}

/** Builds the configuration from `env` (default `process.env`) and optional overrides (tests). */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const known = new Set<string>(CONFIG_KEYS.map((k) => k.env));
  for (const name of Object.keys(env)) {
    if (name.startsWith('STEWARD_') && !known.has(name) && !name.startsWith('STEWARD_TEST_')) {
      throw new ConfigError(`unknown environment variable ${name} (known: ${[...known].join(', ')})`);
    }
  }
  let file: Record<string, unknown> = {};
  const configFile = env.STEWARD_CONFIG ?? overrides.configFile ?? null;
  if (configFile) {
    try {
      file = JSON.parse(readFileSync(configFile, 'utf8'));
    } catch (e) {
      throw new ConfigError(`environment variable STEWARD_CONFIG: cannot read JSON from ${configFile}: ${(e as Error).message}`);
    }
    if (!isJsonObject(file)) throw new ConfigError(`config file ${configFile} must hold a JSON object`);
    const keys = new Set<string>(CONFIG_KEYS.map((k) => k.key));
    for (const k of Object.keys(file)) if (!keys.has(k) || k === 'configFile') throw new ConfigError(`config file member ${k} is unknown`);
  }
  const out: Partial<Record<keyof ConfigValues, string | number | boolean | null>> = {};
  for (const def of CONFIG_KEYS) {
    let value: string | number | boolean | null = def.default;
    if (def.key in file) value = parseValue(def, file[def.key], 'config file member');
    const fromEnv = env[def.env];
    if (fromEnv !== undefined) value = parseValue(def, fromEnv, 'environment variable');
    if (def.key in overrides) value = overrides[def.key] ?? null;
    out[def.key] = value;
  }
  if (out.baseUrl === null) out.baseUrl = `http://127.0.0.1:${out.port}`;
  // Every key of the table is set above, each parsed to its type (parseValue) or its default.
  const config = out as Config;
  checkOperationsKeys(config);
  return config;
}

/** Value checks of the operations keys (metrics, proxy), naming the key. */
function checkOperationsValue(key: string, text: string, where: string): void {
  if (key === 'adminTokenSha256' && !/^[0-9a-fA-F]{64}$/.test(text)) throw new ConfigError(`${where} must be 64 hex digits (a SHA-256)`);
  if (key === 'metricsTokenSha256' && !/^[0-9a-fA-F]{64}$/.test(text)) throw new ConfigError(`${where} must be 64 hex digits (a SHA-256)`);
  if (key === 'trustProxy') {
    for (const part of text.split(',')) {
      if (!/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(part.trim())) throw new ConfigError(`${where} must list IP addresses or CIDR ranges, got ${JSON.stringify(part.trim())}`);
    }
  }
}

/** Checks between keys, naming the key that is missing. */
function checkOperationsKeys(out: Config): void {
  if (out.metrics === 'token' && out.metricsTokenSha256 === null) throw new ConfigError('STEWARD_METRICS_TOKEN_SHA256 is required when STEWARD_METRICS is token');
  if ((out.tlsCert === null) !== (out.tlsKey === null)) throw new ConfigError(`${out.tlsCert === null ? 'STEWARD_TLS_CERT' : 'STEWARD_TLS_KEY'} is required when ${out.tlsCert === null ? 'STEWARD_TLS_KEY' : 'STEWARD_TLS_CERT'} is set`);
  if (out.keyActivationDelay < 10) throw new ConfigError('STEWARD_KEY_ACTIVATION_DELAY must be at least 10 seconds');
  if (out.lockoutMaxSeconds < out.lockoutSeconds) throw new ConfigError('STEWARD_LOCKOUT_MAX_SECONDS must not be less than STEWARD_LOCKOUT_SECONDS');
}
