/**
 * @module notes-api/test/story
 * The guide's story over real HTTP against a listening notes API and a listening Steward, asserting
 * every step: Alice connects (authorization code + PKCE, through Steward's sign-in page), writes a note
 * (registered at Steward), Bob's client is refused with a UMA ticket, Alice shares, Bob reads (the API
 * sees his username), Alice stops sharing (Bob is refused at once), Alice deletes the note (its
 * resource is gone at Steward). Used by the example's own test and by the packed-kits test.
 */
import assert from 'node:assert/strict';
import { hiddenFields } from '../../../test/authorization-code/browser.ts';

export interface HttpReply {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/** A browser without redirects followed: a cookie jar per origin. */
export class WebBrowser {
  readonly #jars = new Map<string, Map<string, string>>();

  async request(method: string, url: string, options: { json?: unknown; form?: Record<string, string> } = {}): Promise<HttpReply> {
    const origin = new URL(url).origin;
    const jar = this.#jars.get(origin) ?? new Map<string, string>();
    this.#jars.set(origin, jar);
    const headers: Record<string, string> = { accept: 'application/json, text/html' };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = decodeURIComponent(pair!.slice(eq + 1).trim());
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  }
}

/** The owner connects her notes to Steward: the API's redirect, Steward's sign-in and consent page, the callback. */
export async function connectOwner(browser: WebBrowser, notesUrl: string, issuer: string, username: string, password: string): Promise<void> {
  const start = await browser.request('GET', `${notesUrl}/connect`);
  assert.equal(start.status, 302, start.text);
  const authorize = new URL(start.headers.get('location')!);
  assert.equal(`${authorize.origin}${authorize.pathname}`, `${issuer}/protocol/openid-connect/auth`);
  assert.equal(authorize.searchParams.get('response_type'), 'code');
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
  assert.equal(authorize.searchParams.get('scope'), 'openid uma_protection sharing');
  assert.equal(authorize.searchParams.get('redirect_uri'), `${notesUrl}/connect/callback`);

  const page = await browser.request('GET', authorize.href);
  assert.equal(page.status, 200, page.text);
  const signedIn = await browser.request('POST', `${issuer}/protocol/openid-connect/auth`, { form: { ...hiddenFields(page.text), action: 'allow', username, password } });
  assert.equal(signedIn.status, 303, signedIn.text);
  const callback = new URL(signedIn.headers.get('location')!);
  assert.equal(`${callback.origin}${callback.pathname}`, `${notesUrl}/connect/callback`);
  assert.ok(callback.searchParams.get('code'));

  const connected = await browser.request('GET', callback.href);
  assert.equal(connected.status, 303, connected.text);
  assert.equal(connected.headers.get('location'), '/my/notes');
}

/** What Bob's client got: the note (status and body), or the UMA error code it threw. */
export type ReadResult = { status: number; body: any } | { error: string };

export interface StoryWorld {
  notesUrl: string;
  issuer: string;
  owner: { username: string; password: string };
  /** The requesting party's username and client id. */
  reader: { username: string; clientId: string };
  /** Bob's client reading a URL with `@steward/client`. */
  read: (url: string) => Promise<ReadResult>;
  /** The registered resource as Steward keeps it, or null. */
  resourceAtSteward: (resourceId: string) => Promise<{ name: string; owner: string; scopes: string[] } | null>;
  /** The RPT Bob's client holds, when it can tell (to show a revoked one is refused). */
  heldRpt?: () => string | undefined;
}

/** Plays the whole story; throws at the first step that does not behave as the guide says. */
export async function playNotesStory(w: StoryWorld): Promise<void> {
  const alice = new WebBrowser();
  const my = (method: string, path: string, json?: unknown) => alice.request(method, `${w.notesUrl}/my/notes${path}`, json === undefined ? {} : { json });

  // Before connecting, the owner's routes ask her to connect.
  const early = await my('GET', '');
  assert.equal(early.status, 401, early.text);
  assert.equal(early.json.error, 'connect_required');

  await connectOwner(alice, w.notesUrl, w.issuer, w.owner.username, w.owner.password);
  assert.deepEqual((await my('GET', '')).json, []);

  // A new note is registered at Steward, owned by Alice, with the scopes read and edit.
  const created = await my('POST', '', { title: 'Groceries', text: 'milk, eggs' });
  assert.equal(created.status, 201, created.text);
  const note = created.json;
  assert.deepEqual(await w.resourceAtSteward(note.resourceId), { name: 'Groceries', owner: w.owner.username, scopes: ['read', 'edit'] });
  const url = `${w.notesUrl}/notes/${note.id}`;

  // Bob's client without an RPT: 401 and a UMA ticket (UMA Grant §3.2.1).
  const bare = await fetch(url);
  assert.equal(bare.status, 401);
  const challenge = /^UMA realm="([^"]*)", as_uri="([^"]*)", ticket="[^"]+"$/.exec(bare.headers.get('www-authenticate') ?? '');
  assert.deepEqual(challenge?.slice(1), ['notes', w.issuer], String(bare.headers.get('www-authenticate')));
  // Not shared yet: Steward refuses Bob's client the RPT.
  assert.deepEqual(await w.read(url), { error: 'request_denied' });

  // Alice shares the note with Bob (read only).
  const shared = await my('POST', `/${note.id}/shares`, { username: w.reader.username, scopes: ['read'] });
  assert.equal(shared.status, 200, shared.text);
  assert.deepEqual(shared.json.users, [w.reader.username]);
  assert.deepEqual(shared.json.scopes, ['read']);

  // Bob's client trades a ticket for an RPT and reads; the API sees who reads.
  const read = await w.read(url);
  assert.ok('status' in read, JSON.stringify(read));
  assert.equal(read.status, 200, JSON.stringify(read.body));
  assert.equal(read.body.text, 'milk, eggs');
  assert.equal(read.body.readBy, w.reader.username);
  assert.equal(read.body.uma.username, w.reader.username);
  assert.equal(read.body.uma.clientId, w.reader.clientId);
  assert.equal(typeof read.body.uma.subject, 'string');
  assert.deepEqual(read.body.uma.granted, { resourceId: note.resourceId, scopes: ['read'] });
  const rpt = w.heldRpt?.();
  if (w.heldRpt) assert.ok(rpt, 'the client holds the RPT it read with');

  // Alice stops sharing: Bob's RPT is refused at once, and no new one is given.
  const unshared = await my('DELETE', `/${note.id}/shares`);
  assert.equal(unshared.status, 204, unshared.text);
  if (rpt) {
    const revoked = await fetch(url, { headers: { authorization: `Bearer ${rpt}` } });
    assert.equal(revoked.status, 401);
    assert.match(revoked.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  }
  assert.deepEqual(await w.read(url), { error: 'request_denied' });

  // Alice deletes the note: its resource is gone at Steward.
  const deleted = await my('DELETE', `/${note.id}`);
  assert.equal(deleted.status, 204, deleted.text);
  assert.equal(await w.resourceAtSteward(note.resourceId), null);
  assert.equal((await fetch(url)).status, 404);
  assert.deepEqual((await my('GET', '')).json, []);
}
