/** @module ports/store/realms — the realms: their settings and what they hold. */
import type { Realm, RealmContent } from '../../model/realm.ts';

export interface RealmStore {
  /** null when absent. */
  get(id: string): Promise<Realm | null>;
  /** Throws `conflict` when the id exists. */
  create(realm: Realm): Promise<void>;
  /** Replaces display name and settings. Returns false when absent. */
  update(realm: Realm): Promise<boolean>;
  /** Ordered by id. */
  list(): Promise<Realm[]>;
  /**
   * What the realm holds besides its settings, signing keys and webhooks, as the kinds that have at
   * least one record, in the order of REALM_CONTENTS; clients named in `ignoreClients` (those the
   * server registers itself) do not count.
   */
  contents(id: string, ignoreClients: readonly string[]): Promise<RealmContent[]>;
  /**
   * Deletes the realm and every record of it (keys, users, clients, resources, policies, tickets,
   * tokens, sessions, access requests, groups, organizations, webhooks, deliveries, audit events,
   * failed sign-ins…) all at once: in the caller's transaction, else in one of its own, so a failure
   * leaves everything in place. False when the realm does not exist.
   */
  delete(id: string): Promise<boolean>;
}
