/** @module deps — what every endpoint receives: configuration, the core's ports, the database's operations and the key ring. */
import type { Ports, Store, StoreOperations } from '@steward/core';
import type { Config } from './config/load.ts';
import type { KeyRing } from './crypto/keys.ts';

export interface Deps extends Ports {
  config: Config;
  store: Store;
  /** Readiness, metrics and upkeep of the store's database (ports/store/operations). */
  operations: StoreOperations;
  keys: KeyRing;
}
