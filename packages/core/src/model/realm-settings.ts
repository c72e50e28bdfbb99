/**
 * @module model/realm-settings
 * The one table of realm settings: name, kind, default, bounds and meaning of each. The defaults
 * (model/realm `DEFAULT_REALM_SETTINGS`), the checks of every write (realm creation, update and
 * import) and the settings section of docs/configuration.md (tools/gen-config-docs) all read it.
 */
import { fail } from '../errors.ts';
import { isJsonObject } from './json.ts';
import type { RealmSettings, SigningAlg } from './realm.ts';

export type RealmSettingSpec =
  | { kind: 'seconds'; default: number; min: number; max: number; description: string }
  | { kind: 'boolean'; default: boolean; description: string }
  | { kind: 'enum'; default: string; values: readonly string[]; description: string };

type SpecOf<T> = T extends number ? Extract<RealmSettingSpec, { kind: 'seconds' }> : T extends boolean ? Extract<RealmSettingSpec, { kind: 'boolean' }> : Extract<RealmSettingSpec, { kind: 'enum' }> & { default: T };

/** Ten years: the longest lifetime a setting accepts. */
const LONGEST = 315_360_000;

const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'RS256'];

/** Every realm setting, in the order the docs list them. A key missing here does not compile. */
export const REALM_SETTINGS: { readonly [K in keyof RealmSettings]: SpecOf<RealmSettings[K]> } = {
  ticketLifetime: { kind: 'seconds', default: 300, min: 1, max: LONGEST, description: 'Seconds a permission ticket stays redeemable at the token endpoint.' },
  rptLifetime: { kind: 'seconds', default: 300, min: 1, max: LONGEST, description: 'Seconds an RPT is valid.' },
  accessTokenLifetime: { kind: 'seconds', default: 300, min: 1, max: LONGEST, description: 'Seconds an access token (a PAT, a user\'s token) is valid.' },
  refreshTokenLifetime: { kind: 'seconds', default: 1800, min: 1, max: LONGEST, description: 'Seconds a refresh token is valid.' },
  pctLifetime: { kind: 'seconds', default: 2_592_000, min: 1, max: LONGEST, description: 'Seconds a persisted claims token (PCT, UMA Grant §3.3.5) is valid.' },
  codeLifetime: { kind: 'seconds', default: 60, min: 1, max: 600, description: 'Seconds an authorization code is valid (at most 600, RFC 6749 §4.1.2).' },
  sessionLifetime: { kind: 'seconds', default: 3600, min: 1, max: LONGEST, description: 'Seconds an owner session (sign-in at the authorization endpoint, the owner authenticate endpoint) is valid.' },
  accessRequests: { kind: 'boolean', default: false, description: 'When true, a denied UMA grant records an access request for the owner and answers `request_submitted` (UMA Grant §3.3.6) instead of `request_denied`.' },
  pollInterval: { kind: 'seconds', default: 5, min: 1, max: 3600, description: 'Seconds a client should wait between two polls after `request_submitted` (the `interval` of the answer).' },
  signingAlg: { kind: 'enum', default: 'ES256', values: SIGNING_ALGS, description: 'Algorithm that signs the realm\'s tokens (`ES256` or `RS256`) unless a client sets its own.' },
  resharing: { kind: 'boolean', default: true, description: 'When true, a requesting party may re-share the scopes they hold on a resource (nested policies).' },
};

/** The settings' names, in table order. */
export const REALM_SETTING_NAMES = Object.keys(REALM_SETTINGS) as Array<keyof RealmSettings>;

/**
 * Some settings as a request or a document gives them: an object of known names only, each checked
 * against its row of the table. `invalid_request` names the setting (prefixed with `where`).
 */
export function readRealmSettingsPatch(value: unknown, where = 'settings'): Partial<RealmSettings> {
  if (!isJsonObject(value)) throw fail('invalid_request', `${where}: must be an object`);
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!Object.hasOwn(REALM_SETTINGS, name)) throw fail('invalid_request', `${where}: unknown member '${name.slice(0, 64)}' (settings are ${REALM_SETTING_NAMES.join(', ')})`);
    const spec: RealmSettingSpec = REALM_SETTINGS[name as keyof RealmSettings];
    const problem = settingProblem(spec, v);
    if (problem) throw fail('invalid_request', `${where}.${name}: ${problem}`);
    out[name] = v;
  }
  return out as Partial<RealmSettings>;
}

function settingProblem(spec: RealmSettingSpec, v: unknown): string | null {
  switch (spec.kind) {
    case 'seconds':
      return Number.isSafeInteger(v) && (v as number) >= spec.min && (v as number) <= spec.max ? null : `must be a positive integer of seconds, at most ${spec.max}`;
    case 'boolean':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v) ? null : `must be ${spec.values.join(' or ')}`;
  }
}
