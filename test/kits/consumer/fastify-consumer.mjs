// A plain JavaScript consumer of the packed kits, run from a fresh project outside the repository:
// a Fastify resource server protected by @steward/rs (enforcer from the AS's discovery document) and
// @steward/client trading the challenge's ticket for an RPT. Prints one JSON line of what it saw.
import Fastify from 'fastify';
import { createUmaEnforcer, umaFastify } from '@steward/rs';
import { createUmaClient } from '@steward/client';

const { ISSUER, RESOURCE_ID, OWNER_PAT, ID_TOKEN } = process.env;
if (!ISSUER || !RESOURCE_ID || !OWNER_PAT || !ID_TOKEN) throw new Error('ISSUER, RESOURCE_ID, OWNER_PAT and ID_TOKEN are required');

const enforcer = createUmaEnforcer({ issuer: ISSUER, realm: 'packed-js', pat: () => OWNER_PAT, timeoutMs: 5000 });
const app = Fastify();
await app.register(umaFastify, { enforcer });
app.get('/photos/:id', { config: { uma: { resource: (req) => req.params.id, scopes: ['view'] } } }, async (request) => ({
  granted: request.uma.granted,
  subject: request.uma.subject,
}));
const origin = await app.listen({ port: 0, host: '127.0.0.1' });
try {
  const url = `${origin}/photos/${encodeURIComponent(RESOURCE_ID)}`;
  const bare = await fetch(url);
  const uma = createUmaClient({
    trustedAs: [ISSUER],
    clientId: 'photoz-client',
    clientSecret: 'photoz-client-secret',
    claimToken: async () => ({ token: ID_TOKEN, format: 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken' }),
  });
  const granted = await uma.fetch(url);
  console.log(JSON.stringify({
    node: process.version,
    bare: { status: bare.status, challenge: bare.headers.get('www-authenticate'), body: await bare.json() },
    granted: { status: granted.status, body: await granted.json() },
    heldRpt: typeof uma.rptFor(ISSUER) === 'string',
  }));
} finally {
  await app.close();
}
