/** @module ports/store/resources — resources, scoped by (realm, owner, id); a resource server's own lookups by (realm, resource server). */
import type { Resource } from '../../model/resource.ts';
import type { ResourceFilter, ResourcePageQuery, ServerResourcePageQuery } from './pages.ts';

export interface ResourceStore {
  insert(resource: Resource): Promise<void>;
  /** The resource when it exists in the realm AND belongs to the owner; null otherwise (no leak). */
  get(realm: string, owner: string, id: string): Promise<Resource | null>;
  /** The resources of one owner among `ids`; unknown or foreign ids are simply absent. Any order. */
  getMany(realm: string, owner: string, ids: string[]): Promise<Resource[]>;
  /** Full replacement of the mutable fields, matched by (realm, owner, id). Returns false when absent. */
  update(resource: Resource): Promise<boolean>;
  /** Deletes the resource and every policy on it (the owner's and re-shares of it). Returns false when absent. */
  delete(realm: string, owner: string, id: string): Promise<boolean>;
  /** One page of the owner's resources that match, in `query.order` after `query.after` (ports/store/pages). */
  page(realm: string, owner: string, query: ResourcePageQuery): Promise<Resource[]>;
  /** How many of the owner's resources match, counting no further than `limit`. */
  count(realm: string, owner: string, filter: ResourceFilter, limit: number): Promise<number>;
  /** Whether any resource of the realm (any owner) was registered by this resource server. Admin checks only. */
  existsForResourceServer(realm: string, resourceServer: string): Promise<boolean>;
  /** Every resource of the realm (any owner) ordered by id: realm export. */
  listByRealm(realm: string): Promise<Resource[]>;
  /**
   * The resource with this id registered by `resourceServer` in the realm, whoever owns it; null for an
   * unknown id or a resource of another resource server. For the Keycloak ticketless grant, where the
   * resource server names a resource by id for a requesting party (ids are unguessable UUIDs).
   */
  getByServer(realm: string, resourceServer: string, id: string): Promise<Resource | null>;
  /**
   * The resources among `ids` registered by `resourceServer` in the realm, whoever owns them; unknown
   * ids and resources of another resource server are simply absent. Any order. Read by primary key.
   */
  getManyByServer(realm: string, resourceServer: string, ids: string[]): Promise<Resource[]>;
  /**
   * One page of the resources `resourceServer` registered in the realm (any owner) that match, by id
   * after `query.after` (ports/store/pages), from an index leading with (realm, resource server).
   */
  pageByServer(realm: string, resourceServer: string, query: ServerResourcePageQuery): Promise<Resource[]>;
  /**
   * The resources of `resourceServer` whose name is exactly `name` (case-sensitive) and that one of
   * `owners` owns; any order. Never through a share: whoever shares chooses the name. Empty: nothing.
   */
  findByName(realm: string, resourceServer: string, name: string, owners: string[]): Promise<Resource[]>;
}
