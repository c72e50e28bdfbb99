/** @module services/new-event — builds a domain event: a fresh UUID v7 id and the current time. */
import type { StewardEvent } from '../model/event.ts';
import type { Ports } from './ports.ts';

/** The fields the caller knows; `id` and `at` come from the ports. Absent optional fields stay absent. */
export type EventFields = Omit<StewardEvent, 'id' | 'at'> & { at?: number };

const OPTIONAL = ['requester', 'clientId', 'resourceId', 'resourceName', 'scopes', 'requestId', 'detail'] as const;

export function newEvent(ports: Pick<Ports, 'random' | 'clock'>, fields: EventFields): StewardEvent {
  const event: StewardEvent = { id: ports.random.uuid(), at: fields.at ?? ports.clock.now(), realm: fields.realm, owner: fields.owner, type: fields.type };
  for (const key of OPTIONAL) copyPresent(event, fields, key);
  return event;
}

function copyPresent<K extends (typeof OPTIONAL)[number]>(to: Pick<StewardEvent, K>, from: Pick<StewardEvent, K>, key: K): void {
  if (from[key] !== undefined) to[key] = from[key];
}
