/** @module model/permission — a resource id with the scopes asked for or granted (Fed Authz §4, §5.1.1). */

export interface Permission {
  resourceId: string;
  scopes: string[];
}

/** A permission inside an RPT: also names whose resource it is and which resource server holds it. */
export interface GrantedPermission extends Permission {
  owner: string;
  resourceServer: string;
  /** Seconds since the epoch after which this permission no longer holds (shorter than the RPT). */
  exp?: number;
}
