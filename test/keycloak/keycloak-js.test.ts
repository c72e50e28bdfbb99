/**
 * @module test/keycloak/keycloak-js
 * keycloak-js 26.2.4's `KeycloakAuthorization`, unchanged, against a real Steward: `entitlement`
 * (ticketless, by resource id) and `authorize` with a permission ticket, as the public client
 * `photoz-spa` whose only credential is the user's bearer token. It runs in headless Chromium (the page
 * is served at Steward's origin, as an SPA would be) and in Node with a small XMLHttpRequest shim.
 * Bob's photoz-spa token is minted by the core's password-grant service, standing in for the browser
 * sign-in (which the authorization-code tests cover).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { issuePasswordTokens } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { chromiumPath, launchBrowser } from '../helpers/browser.ts';
import { DEMO } from '../helpers/http.ts';
import { call, keycloakWorld, payload, type KeycloakWorld } from './fixture.ts';
import { accessRequestsOf } from '../../packages/store/test/helpers/lists.ts';

interface ScenarioInput {
  moduleUrl: string;
  origin: string;
  bob: string;
  chris: string;
  albumTicket: string;
  photoTicket: string;
  albumId: string;
}

interface Outcome {
  rpt?: string;
  denied?: boolean;
  error?: boolean;
}

/**
 * What an application does with the library. Self-contained (no outer names): it is also sent to
 * the browser as source.
 */
async function scenario(input: ScenarioInput): Promise<Record<string, Outcome>> {
  const { default: KeycloakAuthorization } = await import(input.moduleUrl);
  const authzFor = (token: string) => new KeycloakAuthorization({ didInitialize: true, authServerUrl: input.origin, realm: 'demo', clientId: 'photoz-spa', token });
  const outcome = (request: { then: (g: (rpt: string) => void, d: () => void, e: () => void) => void }) =>
    new Promise<Outcome>((resolve) => request.then((rpt) => resolve({ rpt }), () => resolve({ denied: true }), () => resolve({ error: true })));
  const bob = authzFor(input.bob);
  const chris = authzFor(input.chris);
  return {
    entitled: await outcome(bob.entitlement('photoz-rs', { permissions: [{ id: input.albumId, scopes: ['view'] }] })),
    editDenied: await outcome(bob.entitlement('photoz-rs', { permissions: [{ id: input.albumId, scopes: ['edit'] }] })),
    authorized: await outcome(bob.authorize({ ticket: input.albumTicket })),
    photoDenied: await outcome(bob.authorize({ ticket: input.photoTicket, submitRequest: false })),
    chrisDenied: await outcome(chris.entitlement('photoz-rs', { permissions: [{ id: input.albumId, scopes: ['view'] }] })),
    // A name is looked up among Chris's own and the resource server's own: unknown to him, 400, which the library reports as an error.
    chrisUnknownName: await outcome(chris.entitlement('photoz-rs', { permissions: [{ id: 'Album', scopes: ['view'] }] })),
  };
}

/** A permission ticket from photoz-rs for Alice's resource (what its UMA challenge would carry). */
async function ticketFor(w: KeycloakWorld, resourceId: string, scopes: string[]): Promise<string> {
  const res = await call(`${w.s.baseUrl}${DEMO.permission}`, { headers: { authorization: `Bearer ${w.alice}` }, json: [{ resource_id: resourceId, resource_scopes: scopes }] });
  assert.equal(res.status, 201, res.body);
  return res.json.ticket;
}

async function spaToken(w: KeycloakWorld, username: string): Promise<string> {
  const realm = (await w.s.deps.store.realms.get('demo'))!;
  const client = (await w.s.deps.store.clients.get('demo', 'photoz-spa'))!;
  return (await issuePasswordTokens(w.s.deps, { realm, client, username, password: DEMO.password, scope: 'openid', address: '127.0.0.1' })).accessToken;
}

function checkOutcomes(w: KeycloakWorld, results: Record<string, Outcome>): void {
  assert.ok(results.entitled?.rpt, JSON.stringify(results));
  const entitled = payload(results.entitled.rpt);
  assert.equal(entitled.azp, 'photoz-spa');
  // RFC 9068 §3: addressed to the resource server (Keycloak adds the client too); the client is azp.
  assert.equal(entitled.aud, 'photoz-rs');
  assert.equal(entitled.typ, 'Bearer');
  assert.deepEqual(entitled.authorization.permissions, [{ rsid: w.album, rsname: 'Album', scopes: ['view'] }]);
  assert.deepEqual(results.editDenied, { denied: true });
  assert.ok(results.authorized?.rpt, JSON.stringify(results));
  assert.deepEqual(payload(results.authorized.rpt).permissions.map((p: { resource_id: string }) => p.resource_id), [w.album]);
  assert.deepEqual(results.photoDenied, { denied: true });
  assert.deepEqual(results.chrisDenied, { denied: true });
  assert.deepEqual(results.chrisUnknownName, { error: true });
}

for (const dialect of dialects) {
  describe(`keycloak-js 26.2.4 KeycloakAuthorization against Steward (${dialect})`, () => {
    let w: KeycloakWorld;
    let input: Omit<ScenarioInput, 'moduleUrl' | 'origin'>;
    before(async () => {
      w = await keycloakWorld(dialect);
      input = {
        bob: await spaToken(w, 'bob'),
        chris: await spaToken(w, 'chris'),
        albumTicket: await ticketFor(w, w.album, ['view']),
        photoTicket: await ticketFor(w, w.photo, ['view']),
        albumId: w.album,
      };
    });
    after(async () => w?.close());

    it('in Node with an XMLHttpRequest shim: entitlement and authorize grant what is shared, deny the rest', async () => {
      const saved = (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest;
      (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = XhrShim;
      try {
        checkOutcomes(w, await scenario({ ...input, moduleUrl: 'keycloak-js/authz', origin: w.s.baseUrl }));
        // submitRequest: false was honoured: the refusal recorded nothing for Alice.
        assert.deepEqual(await accessRequestsOf(w.s.deps.store, 'demo', payload(w.alice).sub, 'pending'), []);
      } finally {
        (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = saved;
      }
    });

    it('in headless Chromium, from a page at Steward\'s origin', { skip: chromiumPath() === null ? 'chromium is not installed' : dialect !== dialects[0] ? 'the browser run is about the library: one database is enough' : false }, async () => {
      // Fresh tickets: the Node run spent the first ones.
      const fresh = { ...input, albumTicket: await ticketFor(w, w.album, ['view']), photoTicket: await ticketFor(w, w.photo, ['view']) };
      const source = readFileSync(createRequire(import.meta.url).resolve('keycloak-js/authz'), 'utf8');
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        await page.route(`${w.s.baseUrl}/spa-under-test/**`, (route) => {
          const js = route.request().url().endsWith('.js');
          return route.fulfill({ status: 200, contentType: js ? 'text/javascript' : 'text/html', body: js ? source : '<!doctype html><title>spa</title>' });
        });
        await page.goto(`${w.s.baseUrl}/spa-under-test/index.html`);
        const results = await page.evaluate(scenario, { ...fresh, moduleUrl: '/spa-under-test/keycloak-authz.js', origin: w.s.baseUrl });
        checkOutcomes(w, results);
      } finally {
        await browser.close();
      }
    });
  });
}

/** Just enough XMLHttpRequest for keycloak-js, over fetch. */
class XhrShim {
  readyState = 0;
  status = 0;
  responseText = '';
  onreadystatechange: (() => void) | null = null;
  #method = 'GET';
  #url = '';
  #headers: Record<string, string> = {};
  open(method: string, url: string): void {
    this.#method = method;
    this.#url = url;
    this.readyState = 1;
  }
  setRequestHeader(name: string, value: string): void {
    this.#headers[name] = value;
  }
  send(body?: string): void {
    void fetch(this.#url, { method: this.#method, headers: this.#headers, ...(body !== undefined ? { body } : {}) }).then(async (res) => {
      this.status = res.status;
      this.responseText = await res.text();
      if (process.env.KC_DEBUG) console.log(this.#url, body, res.status, this.responseText);
      this.readyState = 4;
      this.onreadystatechange?.();
    });
  }
}
