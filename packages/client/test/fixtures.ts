/**
 * @module client/test/fixtures
 * Test servers over real sockets: a small UMA resource server in front of a real Steward (tickets from
 * the permission endpoint, RPTs checked by introspection, both with a PAT), a recording fetch, and a
 * scriptable fake authorization server / resource server for the failure cases.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a node:http server on 127.0.0.1; returns its base URL and a close function. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString())).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** One token endpoint call seen by {@link recordingFetch}. */
export interface GrantCall {
  params: URLSearchParams;
  status: number;
  body: any;
}

/** The global fetch, recording every call whose URL ends in `/token` (form and JSON answer). */
export function recordingFetch(): { fetch: typeof fetch; grants: GrantCall[] } {
  const grants: GrantCall[] = [];
  const rec: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (String(input).endsWith('/token')) {
      const body = await res.clone().json().catch(() => undefined);
      grants.push({ params: new URLSearchParams(String(init?.body ?? '')), status: res.status, body });
    }
    return res;
  };
  return { fetch: rec, grants };
}

/** A resource the test resource server protects: its path, its id at the AS and the scope a GET needs. */
export interface Protected {
  path: string;
  resourceId: string;
  scope: string;
}

/** What the test resource server saw: one entry per request. */
export interface RsLog {
  path: string;
  authorization: string | undefined;
  status: number;
}

/**
 * A UMA resource server (UMA Grant §3.2, Fed Authz §4–5): no or a bad RPT → a ticket from the
 * permission endpoint and `401 WWW-Authenticate: UMA …`; an RPT whose introspection shows the needed
 * scope → 200 with the resource name.
 */
export async function startResourceServer(issuer: string, pat: string, resources: Protected[]): Promise<{ url: string; log: RsLog[]; close(): Promise<void> }> {
  const log: RsLog[] = [];
  const srv = await serve(async (req, res) => {
    const path = req.url ?? '/';
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      log.push({ path, authorization: req.headers.authorization, status });
      json(res, status, body, headers);
    };
    const r = resources.find((x) => x.path === path);
    if (!r) return reply(404, { error: 'not_found' });
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const intro = await fetch(`${issuer}/protocol/openid-connect/token/introspect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: auth.slice(7) }).toString(),
      }).then((x) => x.json() as Promise<any>);
      const ok = intro.active === true && (intro.permissions ?? []).some((p: any) => p.resource_id === r.resourceId && p.resource_scopes?.includes(r.scope));
      if (ok) return reply(200, { path, resource: r.resourceId });
    }
    const ticketRes = await fetch(`${issuer}/authz/protection/permission`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ resource_id: r.resourceId, resource_scopes: [r.scope] }]),
    });
    const { ticket } = (await ticketRes.json()) as { ticket: string };
    reply(401, { error: 'unauthorized' }, { 'www-authenticate': `UMA realm="photoz", as_uri="${issuer}", ticket="${ticket}"` });
  });
  return { url: srv.url, log, close: srv.close };
}
