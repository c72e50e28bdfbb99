/** @module services/ports — everything a core service may touch, passed explicitly. */
import type { Clock, Digest, KeyGenerator, PasswordHasher, Random, Signer } from '../ports/crypto.ts';
import type { Store } from '../ports/store.ts';
import type { LockoutPolicy } from './login-lockout.ts';

export interface Ports {
  store: Store;
  clock: Clock;
  random: Random;
  digest: Digest;
  passwords: PasswordHasher;
  signer: Signer;
  keyGenerator: KeyGenerator;
  /** `{baseUrl}/realms/{realm}`. */
  issuer(realm: string): string;
  /** Progressive lockout after failed passwords; none when absent. */
  lockout?: LockoutPolicy;
}
