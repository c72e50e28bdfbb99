/**
 * @module bench/peer-oidc-provider
 * The peer we compare with: panva's oidc-provider with client_credentials and introspection enabled,
 * in-memory adapter (which favours it: no database round trip). Prints "ready <port>" when listening.
 */
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';

const port = Number(process.argv[2] ?? 3000);
const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
const jwk = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'bench',
      client_secret: 'bench-secret-bench-secret-bench-secret',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  features: { clientCredentials: { enabled: true }, introspection: { enabled: true }, devInteractions: { enabled: false } },
  jwks: { keys: [jwk] },
  cookies: { keys: ['a-cookie-key-that-is-long-enough-0123456789'] },
  scopes: ['api:read'],
});
const server = provider.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
