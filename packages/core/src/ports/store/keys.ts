/** @module ports/store/keys — the realms' signing keys and their retirement. */
import type { SigningKey } from '../../model/key.ts';

export interface KeyStore {
  /**
   * The realm's published keys, oldest first (created, then kid): without `now`, those whose `retiredAt`
   * is null; with `now`, also those retiring later (`retiredAt > now`), which still verify.
   */
  list(realm: string, now?: number): Promise<SigningKey[]>;
  /** Every key of the realm, retired ones included, oldest first (for `steward keys list`). */
  listAll(realm: string): Promise<SigningKey[]>;
  insert(key: SigningKey): Promise<void>;
  /**
   * Schedules the key's retirement at `at`; a retirement already scheduled earlier is kept. Returns false
   * when the key is absent.
   */
  retire(realm: string, kid: string, at: number): Promise<boolean>;
  /** Deletes (private key included) at most `limit` keys retired before `now`, any realm; returns how many. */
  purgeRetired(now: number, limit: number): Promise<number>;
}
