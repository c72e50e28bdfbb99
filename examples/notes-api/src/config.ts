/**
 * @module notes-api/config
 * What the notes API needs to know: where it is, which Steward realm protects it, and its own client
 * at Steward (`steward client add … --client-id notes-api`, see docs/guides/protect-your-api.md).
 */
export interface NotesConfig {
  /** The public URL of this API (the redirect URI is `{baseUrl}/connect/callback`). */
  baseUrl: string;
  /** The Steward realm's issuer, e.g. `http://127.0.0.1:8080/realms/notes`. */
  issuer: string;
  /** The API's client at Steward: a confidential client with authorization_code and refresh_token. */
  clientId: string;
  clientSecret: string;
}

/** The configuration from the environment. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): NotesConfig & { port: number; host: string } {
  const port = Number(env.NOTES_PORT ?? 3000);
  const host = env.NOTES_HOST ?? '127.0.0.1';
  const clientSecret = env.NOTES_CLIENT_SECRET;
  if (!clientSecret) throw new Error('NOTES_CLIENT_SECRET is required (printed once by `steward client add`)');
  return {
    port,
    host,
    baseUrl: env.NOTES_BASE_URL ?? `http://${host}:${port}`,
    issuer: env.STEWARD_ISSUER ?? 'http://127.0.0.1:8080/realms/notes',
    clientId: env.NOTES_CLIENT_ID ?? 'notes-api',
    clientSecret,
  };
}
