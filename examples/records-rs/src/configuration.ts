/** @module records-rs/configuration — the resource server's public configuration: scopes and record types (ForgeRock's UMA scope model). */

/** The scope categories' "template" source: every scope the service knows, with what it lets one do. */
export const SCOPES = {
  meta: { description: 'Meta data about the resource' },
  content: { description: 'The content (JSON) related to the resource' },
  print: { description: 'Print the resource' },
  download: { description: 'Download the content as a file' },
  transfer: { description: 'Transfer funds from the resource (an account)' },
} as const;

/** The scope names of {@link SCOPES}. */
export type ScopeName = keyof typeof SCOPES;

/** Record types and their template scopes: the default scopes a record of that type is registered with. */
export const TYPES = {
  healthcare: { description: 'A medical record', scopes: ['meta', 'content', 'print'] },
  finance: { description: 'A bank account', scopes: ['meta', 'content', 'download', 'transfer'] },
} as const satisfies Record<string, { description: string; scopes: readonly ScopeName[] }>;

/** The record type names of {@link TYPES}. */
export type RecordType = keyof typeof TYPES;

/** Whether `value` names a record type of the public configuration. */
export function isRecordType(value: unknown): value is RecordType {
  return typeof value === 'string' && Object.hasOwn(TYPES, value);
}

/** The template scopes of a record type (a fresh array). */
export function templateScopes(type: RecordType): string[] {
  return [...TYPES[type].scopes];
}

/** The public configuration document served at `/.well-known/resource-server-configuration`. */
export function publicConfiguration(baseUrl: string, issuer: string): Record<string, unknown> {
  return { resource_server: baseUrl, authorization_server: issuer, scopes: SCOPES, types: TYPES };
}
