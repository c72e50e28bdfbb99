/**
 * @module services/client-party
 * A client acting for itself as the requesting party (UMA Grant §3.3.4: a client with no end-user
 * claims). Only a confidential client can be one: a public client proves no identity of its own, so
 * `client:{id}` and `org:{id}` subjects never name it; it asks for a user (claims, PCT, user token).
 */
import type { RequestingParty } from '../decision/decide.ts';
import { isPublicClient, type Client } from '../model/client.ts';

/** The client as its own requesting party; null for a public client. */
export function clientParty(client: Client): (RequestingParty & { kind: 'client' }) | null {
  return isPublicClient(client) ? null : { kind: 'client', subject: client.clientId };
}
