/** @module model/permission — a resource id with the scopes asked for or granted (Fed Authz §4, §5.1.1). */

export interface Permission {
  resourceId: string;
  scopes: string[];
}
