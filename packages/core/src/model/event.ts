/**
 * @module model/event
 * Domain events: what happened to an owner's sharing state, named `noun.verb`. Each event is written to
 * the owner's audit history by `services/publish-events.ts`, in the same transaction as the change it
 * reports, and the same call feeds every other consumer (notifications). Events are facts: never updated.
 */

/** Every event type Steward publishes. `docs/events.md` says when each fires. */
export const EVENT_TYPES = [
  /** A permission ticket was issued to a resource server for a requesting party's attempt. */
  'permission.requested',
  /** A grant was refused (`request_denied`). */
  'grant.denied',
  /** A refused grant recorded (or refreshed) a pending request for the owner (`request_submitted`). */
  'access_request.created',
  /** The owner approved a pending request (`scopes` are the approved ones). */
  'access_request.approved',
  /** The owner denied a pending request. */
  'access_request.denied',
  /** The owner withdrew her denial of a request: the requester may ask again. */
  'access_request.reopened',
  /** A requesting party was granted scopes on a resource (by approval or a policy write). */
  'share.granted',
  /** A requesting party lost scopes on a resource (policy narrowed or deleted, resource deleted). */
  'share.revoked',
  /** An RPT was issued (`scopes` are those granted on `resourceId`; one event per resource). */
  'rpt.issued',
  'policy.created',
  'policy.updated',
  'policy.deleted',
  'resource.deleted',
  /** A resource server reported that a requesting party actually accessed the resource. */
  'resource.accessed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** Small JSON values only: the detail is for display, never for decisions. */
export type EventDetail = Record<string, string | number | boolean | null | string[]>;

export interface StewardEvent {
  /** UUID v7 (`Random.uuid()`): unique, and sorts in publication order. */
  id: string;
  realm: string;
  /** The resource owner the event concerns (user id); her audit history shows it. */
  owner: string;
  type: EventType;
  /** Seconds since the epoch. */
  at: number;
  /** The requesting party's subject (user id, or client id for a client acting for itself). */
  requester?: string;
  /** The requesting party's client, when one is involved (resource servers appear in `detail.resourceServer`). */
  clientId?: string;
  resourceId?: string;
  /** The resource's name at the time of the event (kept: the resource may be deleted later). */
  resourceName?: string;
  scopes?: string[];
  /** The access request the event concerns. */
  requestId?: string;
  detail?: EventDetail;
}
