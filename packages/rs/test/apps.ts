/**
 * @module rs/test/apps
 * The two protected test apps, one per adapter, with the same routes: `GET /albums/:id` needs `view`,
 * `POST /albums/:id/pay` needs `pay`, `POST /rpc/:id` needs the scope named by the body's `action`.
 * Each records the grants its handlers saw, so a test can tell that a handler was not called.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { umaExpress, umaFastify, type UmaEnforcer, type UmaGrant, type UmaRule, type UmaVerifyMode } from '../src/index.ts';

/** A minimal response, the same for both adapters. */
export interface AppReply {
  status: number;
  headers: Record<string, string>;
  json: any;
}

export interface TestApp {
  /** Grants seen by handlers, in order. */
  seen: UmaGrant[];
  call(method: 'GET' | 'POST', path: string, options?: { rpt?: string; authorization?: string; body?: unknown }): Promise<AppReply>;
  close(): Promise<void>;
}

/** The body parsed as JSON, or the raw text when it is not JSON (e.g. Express's HTML 404). */
function parse(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

function headersOf(authorization: string | undefined, body: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

/** A Fastify app protected by the plugin; requests go through `app.inject`. */
export async function fastifyApp(enforcer: UmaEnforcer, verify?: UmaVerifyMode): Promise<TestApp> {
  const app: FastifyInstance = Fastify();
  await app.register(umaFastify, { enforcer });
  const seen: UmaGrant[] = [];
  type ById = FastifyRequest<{ Params: { id: string } }>;
  const rule = (scopes: UmaRule<FastifyRequest>['scopes']): UmaRule<FastifyRequest> => ({ resource: (req) => (req as ById).params.id, scopes, ...(verify ? { verify } : {}) });
  const handler = async (request: FastifyRequest) => {
    seen.push(request.uma);
    return { ok: true, granted: request.uma.granted, subject: request.uma.subject ?? null };
  };
  app.get('/albums/:id', { config: { uma: rule(['view']) } }, handler);
  app.post('/albums/:id/pay', { config: { uma: rule(['pay']) } }, handler);
  app.post('/rpc/:id', { config: { uma: rule((req) => [String((req.body as { action?: unknown }).action)]) } }, handler);
  app.get('/open', async () => ({ open: true }));
  await app.ready();
  return {
    seen,
    async call(method, path, options = {}) {
      const authorization = options.rpt ? `Bearer ${options.rpt}` : options.authorization;
      const res = await app.inject({ method, url: path, headers: headersOf(authorization, options.body), ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}) });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
      return { status: res.statusCode, headers, json: parse(res.body) };
    },
    close: async () => {
      enforcer.close();
      await app.close();
    },
  };
}

/** An Express app protected by the middleware, listening on a loopback port; requests go through `fetch`. */
export async function expressApp(enforcer: UmaEnforcer, verify?: UmaVerifyMode): Promise<TestApp> {
  const app = express();
  app.use(express.json());
  const seen: UmaGrant[] = [];
  const rule = (scopes: UmaRule<express.Request>['scopes']): UmaRule<express.Request> => ({ resource: (req) => String(req.params.id), scopes, ...(verify ? { verify } : {}) });
  const handler = (req: express.Request, res: express.Response) => {
    seen.push(req.uma);
    res.json({ ok: true, granted: req.uma.granted, subject: req.uma.subject ?? null });
  };
  app.get('/albums/:id', umaExpress(enforcer, rule(['view'])), handler);
  app.post('/albums/:id/pay', umaExpress(enforcer, rule(['pay'])), handler);
  app.post('/rpc/:id', umaExpress(enforcer, rule((req) => [String(req.body?.action)])), handler);
  app.get('/open', (_req, res) => {
    res.json({ open: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    seen,
    async call(method, path, options = {}) {
      const authorization = options.rpt ? `Bearer ${options.rpt}` : options.authorization;
      const res = await fetch(`${base}${path}`, { method, headers: headersOf(authorization, options.body), ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        headers[k] = v;
      });
      const text = await res.text();
      return { status: res.status, headers, json: parse(text) };
    },
    close: () => new Promise<void>((resolve) => {
      enforcer.close();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
