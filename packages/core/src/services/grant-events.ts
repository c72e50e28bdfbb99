/**
 * @module services/grant-events
 * The events of a UMA grant's outcome, for the owners concerned: `grant.denied` per resource of a
 * refused ticket, `rpt.issued` per resource of an issued RPT (services/uma-grant publishes them).
 */
import type { StewardEvent } from '../model/event.ts';
import type { GrantedPermission, Permission } from '../model/permission.ts';
import type { Resource } from '../model/resource.ts';
import { mergeTicketPermissions } from '../decision/decide.ts';
import { newEvent } from './new-event.ts';
import type { Ports } from './ports.ts';

/** Who asked, through which client. */
export interface GrantParty {
  realm: string;
  requester: string;
  clientId: string;
}

function named(resources: readonly Resource[], id: string): { resourceName?: string } {
  const name = resources.find((r) => r.id === id)?.name;
  return name === undefined || name === null ? {} : { resourceName: name };
}

/** One `grant.denied` per resource of the ticket that still exists. */
export function grantDeniedEvents(ports: Ports, party: GrantParty, owner: string, permissions: readonly Permission[], resources: readonly Resource[]): StewardEvent[] {
  const events: StewardEvent[] = [];
  for (const [resourceId, scopes] of mergeTicketPermissions(permissions)) {
    if (!resources.some((r) => r.id === resourceId)) continue;
    events.push(newEvent(ports, { ...party, owner, type: 'grant.denied', resourceId, ...named(resources, resourceId), scopes }));
  }
  return events;
}

/** One `rpt.issued` per permission of the RPT, for that permission's owner. */
export function rptIssuedEvents(ports: Ports, party: GrantParty, permissions: readonly GrantedPermission[], resources: readonly Resource[], rptId: string): StewardEvent[] {
  return permissions.map((p) =>
    newEvent(ports, {
      ...party,
      owner: p.owner,
      type: 'rpt.issued',
      resourceId: p.resourceId,
      ...named(resources, p.resourceId),
      scopes: p.scopes,
      detail: p.exp === undefined ? { rpt: rptId } : { rpt: rptId, exp: p.exp },
    }),
  );
}
