/**
 * @module bench/scale/seed
 * Seeds the `bench` realm (already created by the server: its clients `rs` and `app`, users `owner` and
 * `party`) to a given size with `INSERT … SELECT` over a generated series, straight into the migrated
 * schema: SQLite in one transaction (a recursive CTE), PostgreSQL in one transaction (`generate_series`,
 * triggers off for the load, then the store version moved once and `ANALYZE`). Rows are encoded as the
 * stores encode them (packages/store/src/schema.ts): JSON text for lists, 0/1 flags, integer seconds.
 *
 * Users `user-1` … `user-N` (ids `su-0000001` …; every one's password is `owner-password`). Resource i
 * (`sr-0000001` …) belongs to user-1 for the first bigOwners[0] resources, then user-2, user-3 and user-4,
 * and the rest to users 5 … N-1 in turn. Each resource has one policy naming `subjectsPerPolicy` users
 * spread evenly (each user is named in about resources × subjectsPerPolicy / N policies), and user-N
 * (the popular one) is also named in every policy of user-1. Audit events and pending requests are
 * spread over the resources in turn (so over the owners in proportion to their resources); tokens too,
 * of which the first `expiredTokens` have expired. `party` is a member of ten groups.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../packages/store/src/schema.ts';
import type { ScaleSize } from './size.ts';

export const REALM = 'bench';
const PAD = 8;

export interface Seeded {
  /** Usernames of the measured parties. */
  biggestOwner: string;
  typicalOwner: string;
  popularUser: string;
  typicalUser: string;
  /** Resources of the owners measured (their first ones, for policy writes and deletions). */
  biggestOwnerResources: string[];
  /** Per measured user (by username): resources owned, audit events of her history, policies naming her. */
  ownedBy: Record<string, number>;
  auditEventsOf: Record<string, number>;
  namedIn: Record<string, number>;
  /** Rows per table, counted after the load. */
  rows: Record<string, number>;
  seconds: number;
  /** The seeding clock: expired rows lie before it, live ones after. */
  now: number;
}

/** Dialect spellings of the few things that differ. */
function spell(dialect: 'sqlite' | 'postgres') {
  return {
    series: (n: number) => (dialect === 'postgres' ? `generate_series(1, ${n}) as s(i)` : `(with recursive s(i) as (select 1 union all select i + 1 from s where i < ${n}) select i from s) as s`),
    pad: (x: string) => (dialect === 'postgres' ? `lpad((${x})::text, ${PAD}, '0')` : `printf('%0${PAD}d', ${x})`),
  };
}

export async function seedRealm(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', size: ScaleSize, log: (line: string) => void): Promise<Seeded> {
  const started = performance.now();
  const { series, pad } = spell(dialect);
  const now = Math.floor(Date.now() / 1000);
  const t0 = now - 400 * 86_400;
  const U = size.users;
  const R = size.resources;
  const [b0, b1, b2, b3] = size.bigOwners;
  const S = size.subjectsPerPolicy;
  const step = Math.floor((U - 1) / S);
  // Owner (user number) of resource number `x`: the four big owners, then users 5 … U-1 in turn.
  const ownerOf = (x: string) =>
    `(case when ${x} <= ${b0} then 1 when ${x} <= ${b0 + b1} then 2 when ${x} <= ${b0 + b1 + b2} then 3 when ${x} <= ${b0 + b1 + b2 + b3} then 4 else 5 + ((${x}) % ${U - 5}) end)`;
  const userId = (n: string) => `'su-' || ${pad(n)}`;
  const resourceId = (x: string) => `'sr-' || ${pad(x)}`;
  // The k-th subject of resource i's policy: users 1 … U-1, spread evenly.
  const subjectOf = (k: number) => `(1 + ((i + ${k * step}) % ${U - 1}))`;

  const raw = (q: Kysely<Database>, statement: string) => q.executeQuery(CompiledQuery.raw(statement));
  const passwordHash = (await db.selectFrom('users').select('password_hash').where('realm', '=', REALM).where('username', '=', 'owner').executeTakeFirstOrThrow()).password_hash;
  const party = (await db.selectFrom('users').select('id').where('realm', '=', REALM).where('username', '=', 'party').executeTakeFirstOrThrow()).id;

  const permissions = [
    `'['`,
    ...Array.from({ length: S }, (_, k) => `${k === 0 ? '' : `',' || `}'{"subject":"user-' || ${subjectOf(k)} || '","scopes":["view"]}'`),
    `(case when i <= ${b0} then ',{"subject":"user-${U}","scopes":["view"]}' else '' end)`,
    `']'`,
  ].join(' || ');

  const steps: Array<[string, string]> = [
    ['users', `insert into users (realm, id, username, email, password_hash, admin, disabled, created_at)
      select '${REALM}', ${userId('i')}, 'user-' || i, null, '${passwordHash.replaceAll("'", "''")}', 0, 0, ${t0} + i from ${series(U)}`],
    ['resources', `insert into resources (realm, id, owner, resource_server, name, type, icon_uri, description, scopes, extra, created_at, updated_at)
      select '${REALM}', ${resourceId('i')}, ${userId(ownerOf('i'))}, 'rs', 'Resource ' || i, null, null, null, '["view","pay"]', '{}', ${t0} + i, ${t0} + i from ${series(R)}`],
    ['policies', `insert into policies (realm, id, owner, resource_owner, rev, permissions, created_at, updated_at)
      select '${REALM}', ${resourceId('i')}, ${userId(ownerOf('i'))}, null, 'seed', ${permissions}, ${t0} + i, ${t0} + i from ${series(R)}`],
    ...Array.from({ length: S }, (_, k): [string, string] => [
      `policy_subjects (${k + 1}/${S})`,
      `insert into policy_subjects (realm, resource_id, subject, owner)
      select '${REALM}', ${resourceId('i')}, 'user-' || ${subjectOf(k)}, ${userId(ownerOf('i'))} from ${series(R)}`,
    ]),
    ['policy_subjects (popular user)', `insert into policy_subjects (realm, resource_id, subject, owner)
      select '${REALM}', ${resourceId('i')}, 'user-${U}', ${userId('1')} from ${series(b0)}`],
    ['tokens', `insert into tokens (realm, id, kind, client_id, subject, grant_id, created_at, expires_at, revoked, data)
      select '${REALM}', 'st-' || ${pad('i')}, case i % 3 when 0 then 'pct' when 1 then 'rpt' else 'refresh' end, 'app', ${userId(`1 + (i % ${U - 1})`)}, 'sg-' || ${pad('(i + 1) / 3')},
        ${now - 90_000} + (i % 3600), case when i <= ${size.expiredTokens} then ${now - 86_400} + (i % 3600) else ${now + 30 * 86_400} + (i % 3600) end, 0,
        case i % 3 when 0 then '{"claims":{"sub":"su-' || ${pad(`1 + (i % ${U - 1})`)} || '"}}'
          else '{"permissions":[{"resourceId":"sr-' || ${pad(`1 + (i % ${R})`)} || '","scopes":["view"],"owner":"su-' || ${pad(ownerOf(`1 + (i % ${R})`))} || '","resourceServer":"rs"}]}' end
      from ${series(size.tokens)}`],
    // The grants' index by resource (migration 0012), as the store writes it with each RPT and refresh record.
    ['grant_resources', `insert into grant_resources (realm, resource_id, grant_id, expires_at)
      select '${REALM}', 'sr-' || ${pad(`1 + (i % ${R})`)}, 'sg-' || ${pad('(i + 1) / 3')},
        max(case when i <= ${size.expiredTokens} then ${now - 86_400} + (i % 3600) else ${now + 30 * 86_400} + (i % 3600) end)
      from ${series(size.tokens)} where i % 3 <> 0 group by 2, 3`],
    ['audit_events', `insert into audit_events (realm, id, owner, type, at, requester, client_id, resource_id, resource_name, scopes, request_id, detail)
      select '${REALM}', 'se-' || ${pad('i')}, ${userId(ownerOf(`1 + (i % ${R})`))},
        case i % 4 when 0 then 'rpt.issued' when 1 then 'policy.updated' when 2 then 'share.granted' else 'resource.accessed' end,
        ${t0} + (i * ${Math.max(1, Math.floor((400 * 86_400) / size.auditEvents))}), ${userId(`1 + (i % ${U - 1})`)}, 'app', ${resourceId(`1 + (i % ${R})`)}, 'Resource ' || (1 + (i % ${R})), '["view"]', null, null
      from ${series(size.auditEvents)}`],
    ['access_requests', `insert into access_requests (realm, id, owner, resource_id, requester, client_id, scopes, status, created_at, updated_at, approved_scopes)
      select '${REALM}', 'sa-' || ${pad('i')}, ${userId(ownerOf(`1 + (i % ${R})`))}, ${resourceId(`1 + (i % ${R})`)}, ${userId(`1 + ((i * 7) % ${U - 1})`)}, 'app', '["view"]', 'pending', ${t0} + i, ${t0} + i, null
      from ${series(Math.min(size.pendingRequests, R))}`],
    ['groups', `insert into groups (realm, id, name, visible, created_at)
      select '${REALM}', 'sgr-' || ${pad('i')}, 'group-' || i, 0, ${t0} + i from ${series(size.groups)}`],
    ['group_members', `insert into group_members (realm, group_id, user_id)
      select '${REALM}', 'sgr-' || ${pad(`1 + (i % ${size.groups})`)}, ${userId(`1 + (i / ${size.groups}) % ${U - 1}`)} from ${series(size.memberships)}`],
    ['group_members (party)', `insert into group_members (realm, group_id, user_id)
      select '${REALM}', 'sgr-' || ${pad('i')}, '${party}' from ${series(Math.min(10, size.groups))}`],
  ];

  // SQLite: the load need not be durable until it ends (a crash means seeding again), and a big page cache keeps the indexes' pages.
  if (dialect === 'sqlite') for (const p of ['synchronous = off', 'cache_size = -1048576']) await raw(db, `pragma ${p}`);
  await db.transaction().execute(async (trx) => {
    // PostgreSQL: no per-row triggers for the load (the store-version trigger would queue one event per
    // row until COMMIT); the version is moved once below.
    if (dialect === 'postgres') await raw(trx, 'set local session_replication_role = replica');
    for (const [name, statement] of steps) {
      const t = performance.now();
      const result = await raw(trx, statement);
      log(`  ${name}: ${Number(result.numAffectedRows ?? 0).toLocaleString('en')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  });
  if (dialect === 'postgres') {
    await raw(db, 'update steward_store_version set version = version + 1');
    await raw(db, 'analyze');
  } else {
    await raw(db, 'pragma optimize = 0x10002');
  }

  const rows: Record<string, number> = {};
  for (const table of ['users', 'resources', 'policies', 'policy_subjects', 'tokens', 'grant_resources', 'audit_events', 'access_requests', 'group_members'] as const) {
    const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    rows[table] = Number(r.n);
  }
  const measured = { biggestOwner: 'user-1', typicalOwner: `user-${5 + Math.floor((U - 5) / 2)}`, popularUser: `user-${U}`, typicalUser: `user-${Math.floor(U / 3)}` };
  const ownedBy: Record<string, number> = {};
  const auditEventsOf: Record<string, number> = {};
  const namedIn: Record<string, number> = {};
  for (const username of Object.values(measured)) {
    const id = (await db.selectFrom('users').select('id').where('realm', '=', REALM).where('username', '=', username).executeTakeFirstOrThrow()).id;
    const count = async (table: 'resources' | 'audit_events' | 'policy_subjects', column: 'owner' | 'subject', value: string) =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('realm', '=', REALM).where(column, '=', value).executeTakeFirstOrThrow()).n);
    ownedBy[username] = await count('resources', 'owner', id);
    auditEventsOf[username] = await count('audit_events', 'owner', id);
    namedIn[username] = await count('policy_subjects', 'subject', username);
  }
  const biggestOwnerResources = Array.from({ length: Math.min(b0, 400) }, (_, k) => `sr-${String(k + 1).padStart(PAD, '0')}`);
  return {
    ...measured,
    ownedBy,
    auditEventsOf,
    namedIn,
    biggestOwnerResources,
    rows,
    seconds: (performance.now() - started) / 1000,
    now,
  };
}
