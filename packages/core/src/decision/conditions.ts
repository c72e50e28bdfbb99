/**
 * @module decision/conditions
 * What a decision knows besides the policies (the time, the asking client, the realm's re-sharing
 * switch, the re-sharers loaded with the policies) and whether a permission's conditions hold in it.
 */
import type { PolicyConditions } from '../model/policy.ts';

/** What a decision knows besides the policies: the time, the asking client, and the realm's re-sharing switch. */
export interface EvaluationContext {
  /** Seconds since the epoch; without it an `Expiration` condition never holds. */
  now?: number;
  /** The client asking for the RPT; without it a `ClientId` condition never holds (unless `anyClient`). */
  clientId?: string;
  /** Skip `ClientId` conditions: what a sharer holds whatever client they use (checked when re-sharing). */
  anyClient?: boolean;
  /** Whether policies of requesting parties (re-shares) count; default true. */
  resharing?: boolean;
  /** Username of each re-sharing policy owner (user id → username), as loaded with the policies. */
  sharers?: ReadonlyMap<string, string>;
  /** The `group:{name}` subjects of each re-sharing policy owner (user id → subjects); absent: none. */
  sharerGroups?: ReadonlyMap<string, readonly string[]>;
  /** Counts evaluation steps (a permission looked at, a re-share edge followed), to observe the cost. */
  counter?: { steps: number };
}

/** Whether a permission's conditions all hold for this client at this time (no conditions: true). */
export function conditionsHold(conditions: PolicyConditions | undefined, ctx: EvaluationContext): boolean {
  if (!conditions) return true;
  if (conditions.expiresAt !== undefined && (ctx.now === undefined || ctx.now >= conditions.expiresAt)) return false;
  if (conditions.clientIds !== undefined && !ctx.anyClient && (ctx.clientId === undefined || !conditions.clientIds.includes(ctx.clientId))) return false;
  return true;
}
