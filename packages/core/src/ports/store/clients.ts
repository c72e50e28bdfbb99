/** @module ports/store/clients — the clients of a realm. */
import type { Client } from '../../model/client.ts';

export interface ClientStore {
  get(realm: string, clientId: string): Promise<Client | null>;
  /** Throws `conflict` when the client id exists in the realm. */
  create(client: Client): Promise<void>;
  /** Ordered by client id. */
  list(realm: string): Promise<Client[]>;
  /** Replaces every field of the client (realm, clientId) but createdAt. Returns false when absent. */
  update(client: Client): Promise<boolean>;
  /** Deletes the client row only. Returns false when absent. */
  delete(realm: string, clientId: string): Promise<boolean>;
}
