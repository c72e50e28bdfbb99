/**
 * @module model/revocation
 * One entry of the revocation log: an RPT revoked while its audience included this resource server.
 * The log is written in the commit that revokes the RPT (one entry per resource server of its `aud`,
 * see services/issue-tokens `rptAudience`) and read by the protection API's event stream
 * (docs/revocation.md). `seq` orders the entries of the whole database in commit order.
 */
export interface RevokedRpt {
  /** Position in the log: increasing in commit order, never reused (gaps are possible). */
  seq: number;
  realm: string;
  /** A client id in the RPT's `aud`. */
  resourceServer: string;
  /** The RPT's `jti`. */
  jti: string;
  /** The RPT's `exp` (seconds since the epoch): after it the entry can go. */
  expiresAt: number;
}
