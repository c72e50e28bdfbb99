/**
 * @module bench/ratios
 * The scenarios' ratios against the peer, their medians over rounds, and the comparison with the
 * committed baseline (`bench/baseline.json`): a median more than 15 % below its baseline is a
 * regression to explain or fix.
 */

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** One round: the peer's scenarios, then Steward's. */
export interface RoundFigures {
  peer: Record<string, Figures>;
  steward: Record<string, Figures>;
}

export interface Ratio {
  key: string;
  label: string;
  /** Steward's scenario measured. */
  steward: string;
  /** The goal the ratio should reach. */
  goal: number;
  of(round: RoundFigures): number;
}

const against = (steward: string, peer: string) => (r: RoundFigures) => r.steward[steward]!.rps / r.peer[peer]!.rps;

/** Each ratio reported: Steward's scenario over the peer's comparable one. */
export const RATIOS: readonly Ratio[] = [
  { key: 'umaGrantUser', label: 'RPT issuance (user, pushed ID token) / client_credentials', steward: 'rptIssuance', goal: 0.6, of: against('rptIssuance', 'clientCredentials') },
  { key: 'umaGrantClient', label: 'RPT issuance (client as requesting party) / client_credentials', steward: 'rptForClient', goal: 0.7, of: against('rptForClient', 'clientCredentials') },
  { key: 'permissionTicket', label: 'permission ticket creation / client_credentials', steward: 'permission', goal: 1.0, of: against('permission', 'clientCredentials') },
  { key: 'introspection', label: 'introspection / introspection', steward: 'introspection', goal: 1.5, of: against('introspection', 'introspection') },
];

/** The median of the values (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A drop larger than this fraction of the baseline is a regression. */
export const REGRESSION = 0.15;

export interface Comparison {
  key: string;
  label: string;
  median: number;
  baseline: number | null;
  /** (median − baseline) / baseline; null without a baseline for the scenario. */
  change: number | null;
  regressed: boolean;
  goal: number;
}

/** Each ratio's median against its baseline (absent: nothing to compare). */
export function compareWithBaseline(medians: Record<string, number>, baseline: Record<string, number> | null): Comparison[] {
  return RATIOS.map((r) => {
    const m = medians[r.key]!;
    const b = baseline?.[r.key];
    const change = typeof b === 'number' && b > 0 ? (m - b) / b : null;
    return { key: r.key, label: r.label, median: m, baseline: typeof b === 'number' ? b : null, change, regressed: change !== null && change < -REGRESSION, goal: r.goal };
  });
}
