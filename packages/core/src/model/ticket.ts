/** @module model/ticket — a permission ticket: single use, rotated on need_info and request_submitted. */
import type { Permission } from './permission.ts';

export interface Ticket {
  realm: string;
  /** SHA-256 (hex) of the ticket string; the string itself is never stored. */
  hash: string;
  /** The one resource owner whose resources the ticket names (derived from the PAT). */
  owner: string;
  /** Client id of the resource server that asked for it. */
  resourceServer: string;
  permissions: Permission[];
  /** Claims gathered so far in this authorization process (carried to successor tickets). */
  claims: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
}
