/**
 * @module bench/policies-graph
 * Nested policies at scale: one primary policy (Alice shares a resource with Bob), Bob re-shares it
 * with 100 users, each of whom re-shares it with 999 more — 100,000 delegations (re-share
 * permissions) in 101 re-share policies. Measures deleting Alice's primary policy and recreating it
 * through the owner-policy services, with live RPTs held by leaf parties (each revocation re-reads that
 * party's chain), on SQLite and PostgreSQL. Prints a Markdown table.
 *
 *   npm run bench:policies                      # both dialects
 *   BENCH_DIALECTS=sqlite npm run bench:policies
 */
import { performance } from 'node:perf_hooks';
import { currentAccess, deletePolicy, sharePolicy, type Policy, type Resource, type TokenRecord, type User } from '@steward/core';
import { createSteward, loadConfig, type Steward } from '@steward/server';
import { freshDatabaseUrl } from '../packages/store/test/databases.ts';

const FIRST_LEVEL = 100;
const SECOND_LEVEL = 999;
const LIVE_RPTS = Number(process.env.BENCH_LIVE_RPTS ?? 200);
const REALM = 'demo';

interface Row {
  dialect: string;
  build: number;
  narrow: number;
  del: number;
  recreate: number;
  leafAccess: number;
  revoked: number;
}

function user(username: string, now: number): User {
  return { realm: REALM, id: `u-${username}`, username, email: null, passwordHash: 'x', admin: false, disabled: false, createdAt: now };
}

async function run(dialect: 'sqlite' | 'postgres'): Promise<Row> {
  const db = await freshDatabaseUrl(dialect);
  const config = loadConfig({}, { databaseUrl: db.url, port: 8080, baseUrl: 'http://127.0.0.1:8080', demo: true, logLevel: 'silent' });
  const steward: Steward = await createSteward(config, { logLevel: 'silent' });
  try {
    const { store } = steward.deps;
    const now = steward.deps.clock.now();
    const alice = (await store.users.findByUsername(REALM, 'alice'))!;
    const bob = (await store.users.findByUsername(REALM, 'bob'))!;
    const resource: Resource = {
      realm: REALM, id: 'medical-record', owner: alice.id, resourceServer: 'photoz-rs', name: 'Medical record', type: null, iconUri: null, description: null,
      scopes: ['view', 'comment'], extra: {}, createdAt: now, updatedAt: now,
    };
    await store.resources.insert(resource);
    const primary = { policyId: resource.id, permissions: [{ subject: 'bob', scopes: ['view', 'comment'] }] };
    await sharePolicy(steward.deps, { realm: REALM, owner: alice, resourceId: resource.id, body: primary, mode: 'create', expectedRev: null });

    const started = performance.now();
    const reshare = (owner: User, subjects: string[]): Policy => ({
      realm: REALM, id: resource.id, owner: owner.id, resourceOwner: alice.id, rev: `r-${owner.username}`,
      permissions: subjects.map((subject) => ({ subject, scopes: ['view'] })), createdAt: now, updatedAt: now,
    });
    const first = Array.from({ length: FIRST_LEVEL }, (_, i) => user(`l1-${i}`, now));
    await store.transaction(async (tx) => {
      for (const u of first) await tx.users.create(u);
      await tx.policies.create(reshare(bob, first.map((u) => u.username)));
      for (const u of first) await tx.policies.create(reshare(u, Array.from({ length: SECOND_LEVEL }, (_, j) => `${u.username}-l2-${j}`)));
    });
    // Leaf parties holding live RPTs through the chain (accounts only for them; other leaves are names).
    const leaves = Array.from({ length: Math.max(1, LIVE_RPTS) }, (_, k) => user(`l1-${k % FIRST_LEVEL}-l2-${Math.floor(k / FIRST_LEVEL)}`, now));
    const records: TokenRecord[] = leaves.slice(0, LIVE_RPTS).map((u, k) => ({
      realm: REALM, id: `rpt-${k}`, kind: 'rpt', clientId: 'photoz-client', subject: u.id, grantId: `g-${k}`, createdAt: now, expiresAt: now + 3600, revoked: false,
      data: { permissions: [{ resourceId: resource.id, scopes: ['view'], owner: alice.id, resourceServer: 'photoz-rs' }] },
    }));
    await store.transaction(async (tx) => {
      for (const u of leaves) await tx.users.create(u);
      for (let i = 0; i < records.length; i += 50) await tx.tokens.insertMany(records.slice(i, i + 50));
    });
    const build = performance.now() - started;

    const leaf = { kind: 'user' as const, subject: leaves[0]!.id, username: leaves[0]!.username };
    const context = { now, clientId: 'photoz-client', resharing: true };
    if (!(await currentAccess(store, { realm: REALM, resource, party: leaf, context })).mayAccess) throw new Error('the leaf should hold the resource before the delete');

    // Narrowing re-evaluates every live grant's chain (none is revoked: the leaves hold only view).
    let t = performance.now();
    const narrowed = { policyId: resource.id, permissions: [{ subject: 'bob', scopes: ['view'] }] };
    await sharePolicy(steward.deps, { realm: REALM, owner: alice, resourceId: resource.id, body: narrowed, mode: 'update', expectedRev: null });
    const narrow = performance.now() - t;
    if ((await store.tokens.get(REALM, 'rpt-0'))?.revoked === true) throw new Error('narrowing to view should keep the leaves\' view');

    t = performance.now();
    await deletePolicy(steward.deps, { realm: REALM, owner: alice, resourceId: resource.id });
    const del = performance.now() - t;
    const revoked = (await Promise.all(records.map((r) => store.tokens.get(REALM, r.id)))).filter((r) => r?.revoked).length;
    if ((await currentAccess(store, { realm: REALM, resource, party: leaf, context })).mayAccess) throw new Error('the chain should be broken after the delete');

    t = performance.now();
    await sharePolicy(steward.deps, { realm: REALM, owner: alice, resourceId: resource.id, body: primary, mode: 'create', expectedRev: null });
    const recreate = performance.now() - t;

    t = performance.now();
    const access = await currentAccess(store, { realm: REALM, resource, party: leaf, context });
    const leafAccess = performance.now() - t;
    if (!access.mayAccess || access.allowed.join() !== 'view') throw new Error('the chain should be reinstated after the recreate');
    if ((await store.policies.page(REALM, first[0]!.id, { order: 'id', limit: 1 }))[0]!.permissions.length !== SECOND_LEVEL) throw new Error('the re-shares should still be stored');
    return { dialect, build, narrow, del, recreate, leafAccess, revoked };
  } finally {
    await steward.close();
    await db.drop();
  }
}

const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',').map((d) => d.trim()) as Array<'sqlite' | 'postgres'>;
const ms = (n: number) => `${n.toFixed(1)} ms`;
console.log(`Nested policies: 1 primary, ${FIRST_LEVEL + FIRST_LEVEL * SECOND_LEVEL} delegations in ${FIRST_LEVEL + 1} re-share policies, ${LIVE_RPTS} live RPTs of leaf parties\n`);
console.log('| database | build (not timed against the target) | narrow primary (every live grant re-evaluated) | delete primary (+ revoke) | RPTs revoked | recreate primary | a leaf\'s access after recreate |');
console.log('|---|---|---|---|---|---|---|');
for (const dialect of dialects) {
  const r = await run(dialect);
  console.log(`| ${r.dialect} | ${(r.build / 1000).toFixed(1)} s | ${ms(r.narrow)} | **${ms(r.del)}** | ${r.revoked} / ${LIVE_RPTS} | **${ms(r.recreate)}** | ${ms(r.leafAccess)} |`);
}
