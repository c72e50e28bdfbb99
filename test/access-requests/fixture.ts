/**
 * @module test/access-requests/fixture
 * Shared steps of the access-request and audit tests: the owner's pendingrequests and auditHistory
 * URLs, signing in, and the UMA world (resources, tickets, the grant) of the UMA grant tests.
 */
import assert from 'node:assert/strict';
import { request, type Reply } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { session, signIn } from '../owner-policies/fixture.ts';

export { assertCrest, policyUrl, session, signIn } from '../owner-policies/fixture.ts';
export { assertError, payload, rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';

export function pendingUrl(user: string, id?: string, query = ''): string {
  return `/json/realms/root/realms/demo/users/${user}/uma/pendingrequests${id === undefined ? '' : `/${encodeURIComponent(id)}`}${query}`;
}

export function auditUrl(user: string, query = ''): string {
  return `/json/realms/root/realms/demo/users/${user}/uma/auditHistory${query}`;
}

export const REPORT_URL = '/realms/demo/authz/protection/access';

/** A signed-in owner: her session headers and calls on her requests and history. */
export class Owner {
  readonly s: TestSteward;
  readonly username: string;
  readonly token: string;

  private constructor(s: TestSteward, username: string, token: string) {
    this.s = s;
    this.username = username;
    this.token = token;
  }

  static async signIn(s: TestSteward, username: string): Promise<Owner> {
    return new Owner(s, username, await signIn(s, username));
  }

  get headers(): Record<string, string> {
    return session(this.token);
  }

  /** GET pendingrequests with these query parameters. */
  list(params: Record<string, string> = {}, user = this.username): Promise<Reply> {
    const query = new URLSearchParams(params).toString();
    return request(this.s.app, 'GET', pendingUrl(user, undefined, query ? `?${query}` : ''), { headers: this.headers });
  }

  /** POST `_action` on one request (with an optional JSON body). */
  act(id: string, action: string, body?: unknown, user = this.username): Promise<Reply> {
    return request(this.s.app, 'POST', pendingUrl(user, id, `?_action=${encodeURIComponent(action)}`), { headers: this.headers, ...(body === undefined ? {} : { body }) });
  }

  /** GET auditHistory with these query parameters. */
  history(params: Record<string, string> = {}, user = this.username): Promise<Reply> {
    const query = new URLSearchParams(params).toString();
    return request(this.s.app, 'GET', auditUrl(user, query ? `?${query}` : ''), { headers: this.headers });
  }

  /** Her pending requests on one resource (asserting a 200). */
  async pendingOn(resourceId: string): Promise<any[]> {
    const res = await this.list({ _queryFilter: `resourceId eq "${resourceId}"` });
    assert.equal(res.status, 200, res.body);
    return res.json.result;
  }
}
