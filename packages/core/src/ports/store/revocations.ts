/** @module ports/store/revocations — the revocation log that the protection API's event stream reads. */
import type { RevokedRpt } from '../../model/revocation.ts';

/**
 * The revocation log (model/revocation): what the protection API's event stream tells resource servers.
 * Written only by the token stores' revocations (above); read by sequence.
 */
export interface RevocationLog {
  /** The highest `seq` written so far (0 when none): where a process starts following the log. */
  last(): Promise<number>;
  /** Entries of every realm with `seq > after`, by `seq`, at most `limit`: what one poll of a process reads. */
  after(after: number, limit: number): Promise<RevokedRpt[]>;
  /**
   * The entries of one resource server of the realm with `seq > after` whose RPT is unexpired at `now`
   * (`expiresAt > now`), by `seq`, at most `limit`. Entries of other realms or resource servers never
   * appear. Indexed by (realm, resource server, seq).
   */
  forResourceServer(realm: string, resourceServer: string, after: number, now: number, limit: number): Promise<RevokedRpt[]>;
}
