/** @module ports/store/audit — the audit log and its queries. */
import type { EventType, StewardEvent } from '../../model/event.ts';
import type { SortKey } from './pages.ts';

/** Which events an audit query returns: every given condition holds (absent ones match all). */
export interface AuditFilter {
  /** Any of these types (an empty list matches nothing). */
  types?: EventType[];
  resourceId?: string;
  requester?: string;
  clientId?: string;
  requestId?: string;
  /** `at >= atLeast`. */
  atLeast?: number;
  /** `at <= atMost`. */
  atMost?: number;
}

export interface AuditQuery {
  filter?: AuditFilter;
  /** By time, ties in the order the events were appended. Default 'asc' (oldest first). */
  sort?: 'asc' | 'desc';
  /** Matches to skip. Default 0. */
  offset?: number;
  /** Start after this key (an AuditPage's `keys` entry) instead of at the first match. */
  after?: SortKey;
  /** Most events to return (0: none, only the total). */
  limit: number;
  /** Count the matches up to this many (0 or absent: no count, `total` is -1). */
  countLimit?: number;
}

export interface AuditPage {
  events: StewardEvent[];
  /** Each event's sort key (its time and append order), for `after`. */
  keys: SortKey[];
  /** How many events match the filter (at most the query's `countLimit`), whatever the offset and limit; -1 when not counted. */
  total: number;
}

/**
 * The audit log: append-only. No method updates or deletes one event; only a whole realm's log can be
 * purged (when the realm itself goes).
 */
export interface AuditStore {
  /** Writes all events or none (throws `conflict` when an (realm, id) exists). An empty list writes nothing. */
  append(events: StewardEvent[]): Promise<void>;
  /** The owner's events in the realm matching the query; events of other owners or realms never appear. */
  query(realm: string, owner: string, query: AuditQuery): Promise<AuditPage>;
  /** Deletes every event of the realm; returns how many. */
  purgeRealm(realm: string): Promise<number>;
}
