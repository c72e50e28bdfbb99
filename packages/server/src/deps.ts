/** @module deps — what every endpoint receives: configuration, the core's ports and the key ring. */
import type { Ports, Store } from '@steward/core';
import type { Config } from './config/load.ts';
import type { KeyRing } from './crypto/keys.ts';

export interface Deps extends Ports {
  config: Config;
  store: Store;
  keys: KeyRing;
}
