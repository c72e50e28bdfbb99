/**
 * @module services/opaque-tokens
 * Opaque tokens (permission tickets, refresh tokens, PCTs, authorization codes) are `{id}.{secret}`: a
 * time-ordered id (the UUID v7 of the token's creation, 32 hex digits) and a 256-bit secret. The store
 * keeps `{id}.{SHA-256 of the secret}` as the record's key, so the secret never rests in the database
 * while the keys of new records sort by time: inserts and deletes stay at the right edge of the index,
 * where one page takes many records, instead of one page per token anywhere in it. A presented string of
 * any other form (issued before this form, or made up) is keyed by the SHA-256 of the whole string.
 */
import type { Digest, Random } from '../ports/crypto.ts';

/** `{32 lowercase hex digits}.{secret}`: a constant pattern (never built from input). */
const FORM = /^[0-9a-f]{32}\.[A-Za-z0-9_-]{16,128}$/;

/** The store key of a presented opaque token (a ticket, refresh token, PCT or code). */
export function opaqueKey(ports: { digest: Digest }, token: string): string {
  if (token.length > 161 || token.charCodeAt(32) !== 0x2e || !FORM.test(token)) return ports.digest.sha256(token);
  return `${token.slice(0, 32)}.${ports.digest.sha256(token.slice(33))}`;
}

/** A new opaque token and its store key. */
export function newOpaque(ports: { digest: Digest; random: Random }): { token: string; key: string } {
  const token = `${ports.random.uuid().replaceAll('-', '')}.${ports.random.token()}`;
  return { token, key: opaqueKey(ports, token) };
}
