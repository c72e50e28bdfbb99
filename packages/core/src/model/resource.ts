/** @module model/resource — a protected resource registered by a resource server for its owner (Fed Authz §3). */

export interface Resource {
  realm: string;
  /** Opaque id chosen by Steward (`_id` on the wire). */
  id: string;
  /** Subject of the resource owner: a user id, or a client id for a client-owned (organization) resource. */
  owner: string;
  /** Client id of the resource server that registered it (the PAT's client). */
  resourceServer: string;
  name: string | null;
  type: string | null;
  iconUri: string | null;
  description: string | null;
  /** `resource_scopes`: the scopes this resource offers. */
  scopes: string[];
  /** Other members kept verbatim, e.g. internationalized `name#fr`, `description#en`. */
  extra: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}
