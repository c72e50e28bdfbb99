/** @module ports/store/resource-server-configs — resource servers' public configurations. */
import type { ResourceServerConfig } from '../../model/resource-server-config.ts';

/** One public configuration per (realm, resource server) (ForgeRock's UMA scope model). */
export interface ResourceServerConfigStore {
  /** null when the resource server has published none. */
  get(realm: string, resourceServer: string): Promise<ResourceServerConfig | null>;
  /** Creates or replaces the whole configuration of (realm, resource server). */
  put(config: ResourceServerConfig): Promise<void>;
  /** Returns false when there was none. */
  delete(realm: string, resourceServer: string): Promise<boolean>;
}
