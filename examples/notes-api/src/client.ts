/**
 * @module notes-api/client
 * Bob's client reading a note shared with him, with `@steward/client`: the first request gets `401`
 * and a UMA ticket; the kit trades it at Steward for an RPT (UMA Grant §3.3.1), pushing Bob's ID
 * token as the claim token, and sends the request again with the RPT.
 *
 *   READER_CLIENT_SECRET=… BOB_PASSWORD=… node src/client.ts http://127.0.0.1:3000/notes/<id>
 */
import { pathToFileURL } from 'node:url';
import { createUmaClient, UmaError, type UmaClient } from '@steward/client';

const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';

export interface ReaderOptions {
  issuer: string;
  /** The requesting client at Steward (`--grant-type urn:ietf:params:oauth:grant-type:uma-ticket`). */
  clientId: string;
  clientSecret: string;
  /** Bob's ID token, which tells Steward who asks (a web client gets it when Bob signs in). */
  idToken: () => Promise<string>;
}

export function noteReader(options: ReaderOptions): UmaClient {
  return createUmaClient({
    trustedAs: [options.issuer],
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    claimToken: async () => ({ token: await options.idToken(), format: ID_TOKEN_FORMAT }),
  });
}

/**
 * Bob's ID token by the password grant: for this command-line example only. A web client signs Bob
 * in with the authorization code flow, as the notes API does for owners.
 */
export async function passwordIdToken(issuer: string, clientId: string, clientSecret: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username, password, scope: 'openid' }),
  });
  const json = (await res.json()) as { id_token?: string; error?: string };
  if (!json.id_token) throw new Error(`no ID token for ${username}: ${json.error ?? res.status}`);
  return json.id_token;
}

async function main(): Promise<void> {
  const url = process.argv[2];
  const env = process.env;
  if (!url || !env.READER_CLIENT_SECRET || !env.BOB_PASSWORD) throw new Error('usage: READER_CLIENT_SECRET=… BOB_PASSWORD=… node src/client.ts <note URL>');
  const issuer = env.STEWARD_ISSUER ?? 'http://127.0.0.1:8080/realms/notes';
  const clientId = env.READER_CLIENT_ID ?? 'notes-reader';
  const username = env.BOB_USERNAME ?? 'bob';
  const reader = noteReader({ issuer, clientId, clientSecret: env.READER_CLIENT_SECRET, idToken: () => passwordIdToken(issuer, clientId, env.READER_CLIENT_SECRET!, username, env.BOB_PASSWORD!) });
  const res = await reader.fetch(url);
  console.log(JSON.stringify({ status: res.status, body: await res.json() }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    // Steward's refusal (e.g. request_denied: the note is not shared with Bob) as one JSON line.
    if (e instanceof UmaError) console.log(JSON.stringify({ error: e.code, description: e.description }));
    else console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
