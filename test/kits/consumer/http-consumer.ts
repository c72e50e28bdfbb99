/**
 * A TypeScript consumer of the packed kits, compiled in a fresh project outside the repository
 * (module nodenext, strict, declarations of dependencies checked) and run: a `node:http` resource
 * server protected with the Connect-style middleware of `@steward/rs`, and `@steward/client` getting
 * through it. Prints one JSON line of what it saw. The repository's typecheck compiles it too, against
 * the kits' sources.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUmaEnforcer, umaExpress, type UmaCheckResult, type UmaEnforcer, type UmaGrant, type UmaNodeRequest } from '@steward/rs';
import { createUmaClient, UmaError, type UmaClient } from '@steward/client';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const issuer = required('ISSUER');
const resourceId = required('RESOURCE_ID');
const ownerPat = required('OWNER_PAT');
const idToken = required('ID_TOKEN');

/** Never called: proves the declarations are real types, not `any` (an unused `@ts-expect-error` fails the build). */
export function typesAreChecked(enforcer: UmaEnforcer): void {
  // @ts-expect-error verify is 'jwks' or 'introspection'
  createUmaEnforcer({ issuer, pat: () => ownerPat, verify: 'offline' });
  // @ts-expect-error scopes is required
  void enforcer.check({ resourceId });
  // @ts-expect-error clientId is required
  createUmaClient({ trustedAs: [issuer] });
}

const enforcer: UmaEnforcer = createUmaEnforcer({ issuer, realm: 'packed-ts', verify: 'introspection', pat: () => ownerPat, timeoutMs: 5000 });
const guard = umaExpress<UmaNodeRequest>(enforcer, { resource: (req) => decodeURIComponent((req.url ?? '').split('/').pop() ?? ''), scopes: ['view'] });

const server = createServer((req, res) => {
  guard(req, res, (err) => {
    const grant: UmaGrant | undefined = (req as UmaNodeRequest).uma;
    res.setHeader('content-type', 'application/json');
    res.statusCode = err ? 500 : 200;
    res.end(JSON.stringify(err ? { error: String(err) } : { granted: grant?.granted, subject: grant?.subject }));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
try {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/photos/${encodeURIComponent(resourceId)}`;
  const direct: UmaCheckResult = await enforcer.check({ resourceId, scopes: ['view'] });
  const bare = await fetch(url);
  const uma: UmaClient = createUmaClient({
    trustedAs: [issuer],
    clientId: 'photoz-client',
    clientSecret: 'photoz-client-secret',
    claimToken: async () => ({ token: idToken, format: 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken' }),
  });
  const granted = await uma.fetch(url);
  let refused: string | undefined;
  try {
    await createUmaClient({ trustedAs: [issuer], clientId: 'photoz-client', clientSecret: 'wrong-secret' }).fetch(url);
  } catch (error) {
    refused = error instanceof UmaError ? error.code : `not a UmaError: ${String(error)}`;
  }
  console.log(JSON.stringify({
    node: process.version,
    direct: direct.ok ? { ok: true } : { ok: false, status: direct.status, ticket: typeof direct.body.ticket === 'string' },
    bare: { status: bare.status, challenge: bare.headers.get('www-authenticate'), body: await bare.json() },
    granted: { status: granted.status, body: await granted.json() },
    refused,
  }));
} finally {
  await new Promise((resolve) => server.close(resolve));
}
