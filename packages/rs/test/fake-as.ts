/**
 * @module rs/test/fake-as
 * A small UMA authorization server on 127.0.0.1 for the failure cases a real one rarely shows: its own
 * signing keys (rotatable), knobs for slow or failing endpoints, PATs it can stop accepting, scripted
 * introspection answers, and a log of every call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** One signing key of the fake AS. */
export interface FakeKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** A recorded call. */
export interface FakeCall {
  path: string;
  authorization: string | undefined;
  body: string;
}

const PATHS = { discovery: '/.well-known/uma2-configuration', token: '/token', permission: '/permission', jwks: '/jwks', introspect: '/introspect' } as const;
export type FakePath = keyof typeof PATHS;

export async function newKey(kid: string): Promise<FakeKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export class FakeAs {
  readonly #server: Server;
  readonly issuer: string;
  /** Keys published at the JWKS; the first signs. */
  keys: FakeKey[];
  /** Per endpoint: answer with this status instead (e.g. 500). */
  status: Partial<Record<FakePath, number>> = {};
  /** Per endpoint: never answer (the client must time out). */
  hang: Partial<Record<FakePath, boolean>> = {};
  /** `expires_in` of the PATs it issues. */
  patExpiresIn = 3600;
  /** PATs the permission and introspection endpoints accept. */
  readonly validPats = new Set<string>();
  /** Introspection answers by token (default `{active:false}`). */
  readonly introspection = new Map<string, Record<string, unknown>>();
  /** Overrides the ticket it returns. */
  ticket: string | undefined;
  /** Overrides the discovery document's issuer. */
  claimedIssuer: string | undefined;
  readonly calls: FakeCall[] = [];
  #counter = 0;

  private constructor(server: Server, issuer: string, keys: FakeKey[]) {
    this.#server = server;
    this.issuer = issuer;
    this.keys = keys;
  }

  static async start(): Promise<FakeAs> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeAs(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/fake`, [await newKey('key-1')]);
    server.on('request', (req, res) => void fake.#handle(req, res));
    return fake;
  }

  /** Calls made to one endpoint. */
  callsTo(path: FakePath): FakeCall[] {
    return this.calls.filter((c) => c.path === PATHS[path]);
  }

  /** The permission requests' bodies, parsed. */
  permissionRequests(): unknown[] {
    return this.callsTo('permission').map((c) => JSON.parse(c.body));
  }

  /** Issues an RPT (signed by the first key unless another is given). */
  async rpt(claims: JWTPayload, options: { key?: FakeKey; kid?: string } = {}): Promise<string> {
    const key = options.key ?? this.keys[0]!;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: this.issuer, sub: 'bob-id', azp: 'bob-client', iat: now, exp: now + 300, typ: 'Bearer', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid })
      .sign(key.privateKey);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace('/realms/fake', '');
    const body = Buffer.concat(chunks).toString();
    this.calls.push({ path, authorization: req.headers.authorization, body });
    const name = (Object.keys(PATHS) as FakePath[]).find((k) => PATHS[k] === path);
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (!name) return send(404, { error: 'not_found' });
    if (this.hang[name]) return;
    const forced = this.status[name];
    if (forced !== undefined) return send(forced, { error: 'server_error' });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    switch (name) {
      case 'discovery':
        return send(200, {
          issuer: this.claimedIssuer ?? this.issuer,
          token_endpoint: `${this.issuer}${PATHS.token}`,
          permission_endpoint: `${this.issuer}${PATHS.permission}`,
          introspection_endpoint: `${this.issuer}${PATHS.introspect}`,
          jwks_uri: `${this.issuer}${PATHS.jwks}`,
        });
      case 'token': {
        const expected = `Basic ${Buffer.from('rs:rs-secret').toString('base64')}`;
        if (req.headers.authorization !== expected) return send(401, { error: 'invalid_client' });
        const pat = `pat-${++this.#counter}`;
        this.validPats.add(pat);
        return send(200, { access_token: pat, token_type: 'Bearer', expires_in: this.patExpiresIn, scope: 'uma_protection' });
      }
      case 'permission':
        if (!bearer || !this.validPats.has(bearer)) return send(401, { error: 'invalid_token' });
        return send(201, { ticket: this.ticket ?? `ticket-${++this.#counter}` });
      case 'introspect': {
        if (!bearer || !this.validPats.has(bearer)) return send(401, { error: 'invalid_token' });
        const token = new URLSearchParams(body).get('token') ?? '';
        return send(200, this.introspection.get(token) ?? { active: false });
      }
      case 'jwks':
        return send(200, { keys: this.keys.map((k) => k.jwk) });
    }
  }
}
