/**
 * @module records-rs/authorization-server
 * What the resource server asks Steward: discovery, introspection of the owner's token, resource
 * registration (Fed Authz §3) and the owner's UMA policy (AM's `uma/policies` REST shape, ForgeRock AM's UMA policies REST API).
 * Steward's refusals become {@link RsError}s that say which side failed.
 */
import { RsError } from './errors.ts';

/** A resource description as registered (Fed Authz §3.1). */
export interface ResourceDescription {
  name: string;
  type: string;
  resource_scopes: string[];
}

/** A UMA policy in AM's shape: the permissions of one resource. */
export interface UmaPolicy {
  policyId: string;
  permissions: Array<{ subject: string; scopes: string[] }>;
  [member: string]: unknown;
}

/** How to reach Steward: the realm's issuer and the resource server's client credentials. */
export interface AuthorizationServerOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

interface Answer {
  status: number;
  json: any;
}

/** A small client of Steward's protection and owner APIs for one realm. */
export class AuthorizationServer {
  readonly issuer: string;
  readonly #basic: string;
  #metadata: Promise<Record<string, string>> | undefined;

  constructor(options: AuthorizationServerOptions) {
    this.issuer = options.issuer.replace(/\/+$/, '');
    this.#basic = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`;
  }

  /** The realm's name: the last path segment of the issuer. */
  get realm(): string {
    return decodeURIComponent(this.issuer.slice(this.issuer.lastIndexOf('/') + 1));
  }

  /** The UMA discovery document (fetched once; a failed fetch is retried next time). */
  async metadata(): Promise<Record<string, string>> {
    this.#metadata ??= this.#call('GET', `${this.issuer}/.well-known/uma2-configuration`, {}).then((a) => {
      if (a.status !== 200 || typeof a.json?.resource_registration_endpoint !== 'string') throw unavailable('discovery failed');
      return a.json as Record<string, string>;
    });
    return this.#metadata.catch((e) => {
      this.#metadata = undefined;
      throw e;
    });
  }

  /** The user name of the owner whose PAT this is; 401 unless it is an active `uma_protection` token of ours. */
  async ownerOf(pat: string): Promise<string> {
    const { introspection_endpoint } = await this.metadata();
    const a = await this.#call('POST', introspection_endpoint!, { authorization: this.#basic }, new URLSearchParams({ token: pat }));
    if (a.status !== 200) throw unavailable(`introspection answered ${a.status}`);
    const scopes = typeof a.json.scope === 'string' ? a.json.scope.split(' ') : [];
    if (a.json.active !== true || !scopes.includes('uma_protection') || typeof a.json.username !== 'string') {
      throw new RsError(401, 'invalid_token', 'The access token is not an active uma_protection token of this resource server.');
    }
    return a.json.username;
  }

  /** Registers a resource with the owner's PAT; Steward's resource id. */
  async register(pat: string, description: ResourceDescription): Promise<string> {
    const { resource_registration_endpoint } = await this.metadata();
    const a = await this.#call('POST', resource_registration_endpoint!, { authorization: `Bearer ${pat}` }, description);
    if (a.status !== 201 || typeof a.json?._id !== 'string') throw refused('registering the resource', a);
    return a.json._id;
  }

  /** Replaces a registered resource's description (full replacement). */
  async replace(pat: string, resourceId: string, description: ResourceDescription): Promise<void> {
    const a = await this.#call('PUT', await this.#resourceUrl(resourceId), { authorization: `Bearer ${pat}` }, description);
    if (a.status !== 200) throw refused('updating the resource', a);
  }

  /** Deletes a registered resource; one already gone counts as deleted. */
  async deregister(pat: string, resourceId: string): Promise<void> {
    const a = await this.#call('DELETE', await this.#resourceUrl(resourceId), { authorization: `Bearer ${pat}` });
    if (a.status !== 204 && a.status !== 200 && a.status !== 404) throw refused('deleting the resource', a);
  }

  /** The owner's policy for a resource, or null when she has none. */
  async readPolicy(ssoToken: string, owner: string, resourceId: string): Promise<UmaPolicy | null> {
    const a = await this.#call('GET', await this.#policyUrl(owner, resourceId), { iplanetdirectorypro: ssoToken });
    if (a.status === 404) return null;
    if (a.status !== 200) throw refused('reading the policy', a);
    return a.json as UmaPolicy;
  }

  /** Creates (`If-None-Match: *`) or replaces (`If-Match: *`) the owner's policy for a resource. */
  async writePolicy(ssoToken: string, owner: string, policy: UmaPolicy, exists: boolean): Promise<void> {
    const precondition: Record<string, string> = exists ? { 'if-match': '*' } : { 'if-none-match': '*' };
    const a = await this.#call('PUT', await this.#policyUrl(owner, policy.policyId), { iplanetdirectorypro: ssoToken, ...precondition }, policy);
    if (a.status !== (exists ? 200 : 201)) throw refused('applying the policy', a);
  }

  async #resourceUrl(resourceId: string): Promise<string> {
    return `${(await this.metadata()).resource_registration_endpoint}/${encodeURIComponent(resourceId)}`;
  }

  async #policyUrl(owner: string, resourceId: string): Promise<string> {
    const template = (await this.metadata()).owner_policies_endpoint
      ?? `${this.issuer.replace(/\/realms\/[^/]+$/, '')}/json/realms/root/realms/${encodeURIComponent(this.realm)}/users/{user}/uma/policies`;
    return `${template.replace('{user}', encodeURIComponent(owner))}/${encodeURIComponent(resourceId)}`;
  }

  async #call(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
    const init: RequestInit = { method, headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(10_000) };
    if (body instanceof URLSearchParams) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (e) {
      throw unavailable((e as Error).message);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }
}

function unavailable(why: string): RsError {
  return new RsError(502, 'authorization_server_unavailable', `The authorization server could not be used: ${why}.`);
}

/** Steward said no: its 4xx keeps its status (the caller's input or credentials were wrong), anything else is a 502. */
function refused(what: string, a: Answer): RsError {
  const said = a.json?.message ?? a.json?.error_description ?? a.json?.error ?? `status ${a.status}`;
  const status = a.status >= 400 && a.status < 500 && a.status !== 429 ? a.status : 502;
  return new RsError(status, 'authorization_server_refused', `The authorization server refused ${what}: ${said}`);
}
