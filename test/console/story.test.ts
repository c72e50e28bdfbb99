/**
 * The account console end to end, in headless Chromium (Debian's chromium through playwright-core):
 * Alice signs in (authorization code with PKCE), shares her bank account with Bob for `view` with an
 * expiry; Bob signs in and finds it under "Shared with me"; Bob's request for `pay` reaches Alice's
 * Requests and she denies it; Alice revokes and Bob's list empties. axe-core checks every page (no
 * serious or critical violation), at desktop and phone width. With STEWARD_SCREENSHOTS=1 the run
 * writes the README's screenshots to docs/images/console-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumPath, launchBrowser, type Browser } from '../helpers/browser.ts';
import { addUser } from '../helpers/seed.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { policyUrl, session, signIn as ownerSession } from '../owner-policies/fixture.ts';
import { admin, enableAdmin, putPolicy } from '../scopes/fixture.ts';
import { REPORT_URL } from '../access-requests/fixture.ts';
import { UmaWorld } from '../uma-grant/fixture.ts';
import { accessRequestsOf } from '../../packages/store/test/helpers/lists.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = process.env.STEWARD_SCREENSHOTS === '1';
const IMAGES = new URL('../../docs/images/', import.meta.url);
const PHONE = { width: 375, height: 740 };
/** An icon on another origin: the page's CSP (images from itself and data: only) keeps it out, initials stand in. */
const ICON = 'https://bank.example/icons/account.png';

/** Runs axe-core on the page; fails on serious or critical violations, naming them. */
async function assertAccessible(page: Page, what: string): Promise<void> {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses an injected <script>.
  if (!(await page.evaluate("typeof window.axe === 'object'"))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) })))`,
  )) as Array<{ id: string; impact: string; help: string; targets: string[] }>;
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `${what}: accessibility violations`);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(IMAGES, { recursive: true });
  await page.screenshot({ path: new URL(`console-${name}.png`, IMAGES).pathname, fullPage: true });
}

/** Opens the console and signs in on Steward's sign-in page; resolves on "My resources". */
async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/realms/demo/account/`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByRole('heading', { level: 1, name: 'My resources' }).waitFor();
}

async function go(page: Page, link: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

const skip = chromiumPath() === null ? 'chromium is not installed (apt-get install chromium)' : false;

describe('account console in a browser (sqlite)', { skip }, () => {
  let s: TestSteward;
  let w: UmaWorld;
  let aliceBrowser: Browser;
  let bobBrowser: Browser;
  let alice: Page;
  let bob: Page;
  let bank: string;
  let album: string;
  /** Errors the pages logged (a Content-Security-Policy violation would show here). */
  const pageErrors: string[] = [];
  const expiry = new Date(Date.now() + 30 * 86_400_000);
  const expiryValue = `${expiry.getFullYear()}-${String(expiry.getMonth() + 1).padStart(2, '0')}-${String(expiry.getDate()).padStart(2, '0')}`;

  before(async () => {
    s = await startTestSteward('sqlite', { listen: true });
    w = new UmaWorld(s);
    const register = async (name: string, scopes: string[], type: string, icon_uri?: string) => {
      const res = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: `Bearer ${await w.pat('alice')}` }, body: { name, type, resource_scopes: scopes, ...(icon_uri ? { icon_uri } : {}) } });
      assert.equal(res.status, 201, res.body);
      return res.json._id as string;
    };
    bank = await register('Bank account', ['view', 'pay'], 'https://bank.example/rsrcs/account', ICON);
    album = await register('Photo album', ['view', 'download'], 'https://photoz.example/rsrcs/album');
    await register('Medical records', ['read', 'write'], 'https://health.example/rsrcs/record');
    [aliceBrowser, bobBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
    alice = await aliceBrowser.context.newPage();
    bob = await bobBrowser.context.newPage();
    for (const page of [alice, bob]) {
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      page.on('pageerror', (error) => pageErrors.push(error.message));
    }
  });

  after(async () => {
    await Promise.all([aliceBrowser?.close(), bobBrowser?.close()]);
    await s?.close();
  });

  it('serves the page with a strict Content-Security-Policy and no caching', async () => {
    const res = await fetch(`${s.baseUrl}/realms/demo/account/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'self'; script-src 'self'; style-src 'self';.*frame-ancestors 'none'; base-uri 'none'/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(await res.text())?.[1];
    assert.ok(asset);
    const js = await fetch(`${s.baseUrl}/realms/demo/account/${asset}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${s.baseUrl}/realms/demo/account/assets/..%2Fpackage.json`)).status, 404);
    assert.equal((await fetch(`${s.baseUrl}/realms/nope/account/`)).status, 404);
    const bare = await fetch(`${s.baseUrl}/realms/demo/account`, { redirect: 'manual' });
    assert.equal(bare.status, 302);
    assert.equal(bare.headers.get('location'), '/realms/demo/account/');
  });

  it('Alice signs in and sees her resources', async () => {
    await signIn(alice, s.baseUrl, 'alice');
    const rows = alice.getByRole('table').getByRole('row');
    await rows.nth(3).waitFor();
    assert.deepEqual(await alice.getByRole('table').getByRole('link').allTextContents(), ['Bank account', 'Medical records', 'Photo album']);
    await alice.getByLabel('Search resources').fill('bank');
    await alice.getByRole('table').getByRole('link').nth(1).waitFor({ state: 'detached' });
    assert.deepEqual(await alice.getByRole('table').getByRole('link').allTextContents(), ['Bank account']);
    await alice.getByLabel('Search resources').fill('');
    await alice.getByRole('table').getByRole('link').nth(2).waitFor();
    await alice.getByLabel('Sort by').selectOption('-name');
    await alice.getByRole('table').getByRole('link').first().getByText('Photo album').waitFor();
    await alice.getByLabel('Sort by').selectOption('name');
    await alice.getByRole('table').getByRole('link').first().getByText('Bank account').waitFor();
    await assertAccessible(alice, 'My resources');
    await shot(alice, 'resources');
  });

  it('Alice shares her bank account with Bob for view, with an expiry', async () => {
    await alice.getByRole('link', { name: 'Bank account' }).click();
    await alice.getByRole('heading', { level: 1, name: 'Bank account' }).waitFor();
    await alice.getByText('Only you have access.').waitFor();
    await assertAccessible(alice, 'resource page');
    await alice.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = alice.getByRole('dialog', { name: 'Share Bank account' });
    await dialog.waitFor();
    await dialog.getByLabel('Person or group').fill('bob');
    await dialog.getByLabel('view').check();
    await dialog.getByLabel('Expires after (optional)').fill(expiryValue);
    await dialog.getByText('Found: bob').waitFor();
    await assertAccessible(alice, 'share dialog');
    await shot(alice, 'share-dialog');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = alice.getByRole('row', { name: /bob/ });
    await row.waitFor();
    assert.match(await row.textContent() ?? '', /view/);
    await alice.getByRole('status').getByText('Shared Bank account with bob.').waitFor();
    await shot(alice, 'resource');
    // The share is a policy like any other: the policies API shows it.
    const policy = await request(s.app, 'GET', policyUrl('alice', bank), { headers: session(await ownerSession(s, 'alice')) });
    assert.equal(policy.status, 200, policy.body);
    const [permission] = policy.json.permissions;
    assert.equal(permission.subject, 'bob');
    assert.deepEqual(permission.scopes, ['view']);
    const expiration = permission.conditions.find((c: { type: string }) => c.type === 'Expiration').expirationDate;
    assert.equal(new Date(expiration * 1000).toDateString(), expiry.toDateString());
  });

  it('the share dialog finds only exact names and warns about look-alikes', async () => {
    await alice.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = alice.getByRole('dialog', { name: 'Share Bank account' });
    await dialog.getByLabel('Person or group').fill('bo');
    await dialog.getByLabel('pay').check();
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.getByRole('alert').getByText('No one matches “bo” exactly. Check the spelling.').waitFor();
    // A look-alike name is found, but its warning must be read before sharing.
    await addUser(s.deps, 'demo', { username: 'b0b', password: 'Another-Pass-1' });
    await dialog.getByLabel('Person or group').fill('b0b');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.getByText(/"b0b" has the digit 0 or 1 among letters/).waitFor();
    await dialog.getByText('Read the warning about this name, then press Share again if it is the right person.').waitFor();
    assert.equal((await s.deps.store.policies.get('demo', await w.userId('alice'), bank))?.permissions.length, 1, 'nothing shared yet');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Focus returns to the button that opened the dialog.
    assert.equal(await alice.evaluate('document.activeElement?.textContent'), 'Share');
    // By keyboard: Enter opens it with focus in the first field, Escape closes it and gives focus back.
    await alice.keyboard.press('Enter');
    await dialog.waitFor();
    assert.equal(await alice.evaluate("document.activeElement?.closest('dialog') !== null && document.activeElement?.tagName"), 'INPUT');
    await alice.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await alice.evaluate('document.activeElement?.textContent'), 'Share');
  });

  it('Bob signs in and sees the bank account under "Shared with me"', async () => {
    await signIn(bob, s.baseUrl, 'bob');
    await bob.getByText('You have no resources yet.').waitFor();
    await go(bob, 'Shared with me', 'Shared with me');
    const row = bob.getByRole('row', { name: /Bank account/ });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /alice/);
    assert.match(text, /view/);
    assert.doesNotMatch(text, /Never/);
    await assertAccessible(bob, 'Shared with me');
    await shot(bob, 'shared');
  });

  it('Bob re-shares what he holds with Chris', async () => {
    await bob.getByRole('button', { name: 'Re-share Bank account' }).click();
    const dialog = bob.getByRole('dialog', { name: 'Re-share Bank account' });
    await dialog.getByLabel('Person or group').fill('chris');
    assert.deepEqual(await dialog.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => (b as unknown as { value: string }).value)), ['view'], 'only what Bob holds');
    await dialog.getByRole('button', { name: 'Re-share', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await bob.getByRole('status').getByText('Re-shared Bank account with chris.').waitFor();
    await bob.getByRole('button', { name: 'Re-share Bank account' }).getByText('Re-share (1)').waitFor();
    const chris = await request(s.app, 'GET', '/json/realms/root/realms/demo/users/chris/uma/sharedWithMe', { headers: session(await ownerSession(s, 'chris')) });
    assert.deepEqual(chris.json.result.map((r: { name: string; sharedBy: string[] }) => [r.name, r.sharedBy]), [['Bank account', ['bob']]]);
  });

  it('Bob\'s request for pay reaches Alice\'s Requests, and she denies it', async () => {
    const submitted = await w.grantAs('bob', { ticket: await w.ticket('alice', [[bank, ['pay']]]) });
    assert.equal(submitted.status, 403, submitted.body);
    assert.equal(submitted.json.error, 'request_submitted');
    await go(alice, 'Requests', 'Requests');
    await assertAccessible(alice, 'Requests');
    const deny = alice.getByRole('button', { name: 'Deny bob\'s request for Bank account' });
    if (!(await alice.getByText('Answering access requests is not available on this server yet.').isVisible())) {
      await deny.waitFor();
      await shot(alice, 'requests');
      await deny.click();
      await alice.getByText('No pending requests.').waitFor();
      await alice.getByRole('status').getByText('Denied bob\'s request for Bank account.').waitFor();
      const requests = await accessRequestsOf(s.deps.store, 'demo', await w.userId('alice'));
      assert.deepEqual(requests.map((r) => r.status), ['denied']);
      // Bob sees his own request and its answer.
      await go(bob, 'Requests', 'Requests');
      const mine = bob.getByRole('row', { name: /Bank account/ });
      await mine.waitFor();
      assert.match((await mine.textContent()) ?? '', /alice.*pay.*Denied/);
      await assertAccessible(bob, 'Requests (requester)');
    } else {
      await shot(alice, 'requests');
    }
  });

  it('History shows Alice\'s audit events with filters: one event per row, who and which permissions', async () => {
    // A share with a group (no requesting party yet: the row names the group) and an access Bob made.
    enableAdmin(s);
    assert.equal((await admin(s, 'POST', '/admin/realms/demo/groups', { name: 'family', visible: true })).status, 201);
    const shared = await putPolicy(s, 'demo', await ownerSession(s, 'alice'), 'alice', album, [{ subject: 'group:family', scopes: ['view'] }]);
    assert.equal(shared.status, 201, shared.body);
    const reported = await request(s.app, 'POST', REPORT_URL, { headers: { authorization: `Bearer ${await w.pat('alice')}` }, body: { resource_id: bank, subject: await w.userId('bob'), scopes: ['view'] } });
    assert.equal(reported.status, 201, reported.body);

    await go(alice, 'History', 'History');
    await alice.locator('table.list, .empty').first().waitFor();
    await assertAccessible(alice, 'History');
    await shot(alice, 'history');
    // Every label names one event, as its row shows it.
    assert.deepEqual(await alice.getByLabel('Event').locator('option').allTextContents(), [
      'All events', 'Access granted', 'Access revoked', 'Access requested', 'Request approved', 'Request denied', 'Denial withdrawn', 'Token issued',
      'Access refused', 'Access attempted', 'Resource used', 'Share created', 'Share changed', 'Share deleted', 'Resource removed',
    ]);
    const rowsOf = async (type: string, title: string) => {
      await alice.getByLabel('Event').selectOption(type);
      await alice.getByRole('button', { name: 'Apply filters' }).click();
      const rows = alice.getByRole('table').getByRole('row').filter({ hasText: title });
      await rows.first().waitFor();
      return rows.allTextContents();
    };
    const granted = await rowsOf('share.granted', 'Access granted');
    assert.ok(granted.some((r) => /Bank account.*bob.*view/.test(r)), granted.join('\n'));
    assert.ok(granted.some((r) => /Bank account.*chris.*view/.test(r)), `Bob's re-share: ${granted.join('\n')}`);
    assert.ok(granted.some((r) => /Photo album.*group:family.*view/.test(r)), `the group share names the group: ${granted.join('\n')}`);
    const used = await rowsOf('resource.accessed', 'Resource used');
    assert.deepEqual(used.map((r) => /Bank account.*bob.*view$/.test(r)), [true]);
    const created = await rowsOf('policy.created', 'Share created');
    assert.ok(created.some((r) => /Photo album.*group:family/.test(r)), `a policy names its subjects: ${created.join('\n')}`);
    const denied = await rowsOf('access_request.denied', 'Request denied');
    assert.deepEqual(denied.map((r) => /Bank account.*bob.*pay/.test(r)), [true]);
    assert.equal(await alice.getByRole('table').getByRole('row').count(), 2, 'the header row and the one denial');
  });

  it('Alice revokes Bob, and Bob\'s list updates', async () => {
    await go(alice, 'My resources', 'My resources');
    await alice.getByRole('link', { name: 'Bank account' }).click();
    await alice.getByRole('button', { name: 'Revoke bob\'s access' }).click();
    const confirm = alice.getByRole('dialog', { name: 'Revoke bob\'s access?' });
    // What it promises about tokens bob already holds is what holds (docs/revocation.md).
    await confirm.getByText(/already hold stop working within a second in apps that check with Steward; an app that checks tokens only by itself may still accept them until they expire/).waitFor();
    await assertAccessible(alice, 'revoke confirmation');
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await alice.getByText('Only you have access.').waitFor();
    await go(bob, 'My resources', 'My resources');
    await go(bob, 'Shared with me', 'Shared with me');
    await bob.getByText('Nothing is shared with you.').waitFor();
    await assertAccessible(bob, 'Shared with me, empty');
  });

  it('works at phone width', async () => {
    await alice.setViewportSize(PHONE);
    await go(alice, 'My resources', 'My resources');
    await alice.getByRole('link', { name: 'Bank account' }).waitFor();
    const overflow = (await alice.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375px`);
    await assertAccessible(alice, 'My resources at phone width');
    await shot(alice, 'resources-phone');
  });

  it('signs out through the realm\'s logout endpoint', async () => {
    await alice.getByRole('button', { name: 'Sign out' }).click();
    await alice.getByRole('heading', { level: 1, name: 'You are signed out' }).waitFor();
    await assertAccessible(alice, 'signed out');
  });

  it('ran every page under its Content-Security-Policy without a violation or a script error', () => {
    // 404s are expected answers (the favicon of the sign-in page, reading a re-share that does not exist yet).
    assert.deepEqual(pageErrors.filter((e) => !/status of 404/.test(e)), []);
  });
});
