/** @module ports/store/organizations — organizations, their administrators and their clients. */
import type { Organization } from '../../model/organization.ts';

/** Organizations, per realm, with their administrators (user ids) and clients (client ids). */
export interface OrganizationStore {
  /** Writes the organization with its admins and clients. Throws `conflict` when the id exists, or when one of its clients already belongs to an organization. */
  create(org: Organization): Promise<void>;
  get(realm: string, id: string): Promise<Organization | null>;
  /** Ordered by id. */
  list(realm: string): Promise<Organization[]>;
  /** Deletes it with its admin and client links. Returns false when absent. */
  delete(realm: string, id: string): Promise<boolean>;
  /** Idempotent. Returns false when the organization is absent. */
  addAdmin(realm: string, id: string, userId: string): Promise<boolean>;
  /** Returns false when the user was not an admin. */
  removeAdmin(realm: string, id: string, userId: string): Promise<boolean>;
  /**
   * Links the client to the organization; idempotent. Returns false when the organization is absent;
   * throws `conflict` when the client acts for another organization (a client acts for one at most).
   */
  addClient(realm: string, id: string, clientId: string): Promise<boolean>;
  /** Returns false when the client was not linked to it. */
  removeClient(realm: string, id: string, clientId: string): Promise<boolean>;
  /** The organization the client acts for, or null. Indexed by (realm, client). */
  ofClient(realm: string, clientId: string): Promise<Organization | null>;
}
