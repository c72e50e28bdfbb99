/**
 * @module test/helpers/http
 * Small request helpers over `app.inject`: real HTTP semantics (routing, parsers, headers), no socket.
 */
import type { FastifyInstance } from 'fastify';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Parsed JSON body (undefined when the body is not JSON). */
  json: any;
}

/** The reply of an `app.inject` call, its body parsed when it is JSON. */
export function toReply(res: { statusCode: number; headers: Record<string, any>; body: string }): Reply {
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body: res.body, json };
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** POST a form. Array values repeat the parameter. */
export async function postForm(
  app: FastifyInstance,
  url: string,
  params: Record<string, string | string[] | undefined>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  }
  const res = await app.inject({ method: 'POST', url, payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  return toReply(res);
}

/** Any request with an optional JSON body (a string body is sent as-is). */
export async function request(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS',
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const res = await app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  return toReply(res);
}

export const DEMO = {
  realm: 'demo',
  password: 'Ch4ng31t',
  token: '/realms/demo/protocol/openid-connect/token',
  introspect: '/realms/demo/protocol/openid-connect/token/introspect',
  revoke: '/realms/demo/protocol/openid-connect/revoke',
  userinfo: '/realms/demo/protocol/openid-connect/userinfo',
  resourceSet: '/realms/demo/authz/protection/resource_set',
  permission: '/realms/demo/authz/protection/permission',
  rs: { id: 'photoz-rs', secret: 'photoz-rs-secret' },
  client: { id: 'photoz-client', secret: 'photoz-client-secret' },
} as const;
