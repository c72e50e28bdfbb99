/**
 * @module bench/scale/size
 * The realm the scale benchmark seeds: the full size, or a fraction of it (`BENCH_SCALE`: `full`, or a
 * factor such as `0.1`; the default, `0.01`, is the quick run). Every count scales by the factor,
 * with at least one row of each kind.
 */

export interface ScaleSize {
  factor: number;
  users: number;
  resources: number;
  /** Resources of the four big owners (user-1 … user-4); the rest are spread over the other users. */
  bigOwners: [number, number, number, number];
  /** Subjects named in each resource's policy (one policy per resource): policy_subjects rows ≈ resources × this. */
  subjectsPerPolicy: number;
  tokens: number;
  /** Of the tokens, how many have expired (the purge's work). */
  expiredTokens: number;
  auditEvents: number;
  memberships: number;
  groups: number;
  /** Pending access requests, spread over the resources as the audit events are. */
  pendingRequests: number;
}

const FULL = {
  users: 100_000,
  resources: 1_000_000,
  bigOwners: [100_000, 10_000, 1_000, 100] as const,
  tokens: 5_500_000,
  expiredTokens: 5_000_000,
  auditEvents: 5_000_000,
  memberships: 1_000_000,
  groups: 10_000,
  pendingRequests: 100_000,
};

/** `full` is 1; a number is taken as the factor; unset is the quick size (1/100). */
export function scaleFactor(env: string | undefined): number {
  if (env === undefined || env.trim() === '') return 0.01;
  if (env.trim() === 'full') return 1;
  const f = Number(env);
  if (!Number.isFinite(f) || f <= 0 || f > 1) throw new Error(`BENCH_SCALE must be "full" or a factor in (0, 1], got "${env}"`);
  return f;
}

export function scaleSize(factor: number): ScaleSize {
  const n = (full: number) => Math.max(1, Math.round(full * factor));
  const users = Math.max(20, n(FULL.users));
  return {
    factor,
    users,
    resources: n(FULL.resources),
    bigOwners: [n(FULL.bigOwners[0]), n(FULL.bigOwners[1]), n(FULL.bigOwners[2]), n(FULL.bigOwners[3])],
    // 10 subjects per policy: 10,000,000 policy_subjects rows at full size (plus the popular user's).
    subjectsPerPolicy: Math.min(10, users - 2),
    tokens: n(FULL.tokens),
    expiredTokens: n(FULL.expiredTokens),
    auditEvents: n(FULL.auditEvents),
    memberships: n(FULL.memberships),
    groups: Math.max(10, n(FULL.groups)),
    pendingRequests: n(FULL.pendingRequests),
  };
}
