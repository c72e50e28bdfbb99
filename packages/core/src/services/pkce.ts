/**
 * @module services/pkce
 * Proof Key for Code Exchange (RFC 7636) with the S256 method only (RFC 9700 §2.1.1: `plain` is not
 * offered). Pure functions over the Digest port.
 */
import type { Digest } from '../ports/crypto.ts';

/** The only supported `code_challenge_method`. */
export const PKCE_METHOD = 'S256';

/** An S256 challenge is BASE64URL(SHA-256(verifier)): exactly 43 characters (RFC 7636 §4.2). */
export const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** `code-verifier = 43*128unreserved` (RFC 7636 §4.1). */
export const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64url without padding of the bytes a hex string stands for. */
export function hexToBase64Url(hex: string): string {
  const bytes: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += BASE64URL[b0 >> 2];
    out += BASE64URL[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)];
    if (b1 !== undefined) out += BASE64URL[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)];
    if (b2 !== undefined) out += BASE64URL[b2 & 63];
  }
  return out;
}

/** The S256 challenge of a verifier: BASE64URL(SHA-256(ASCII(verifier))). */
export function s256Challenge(digest: Digest, verifier: string): string {
  return hexToBase64Url(digest.sha256(verifier));
}

/** True when `verifier` is well formed and its S256 challenge equals `challenge` (constant-time compare). */
export function verifyS256(digest: Digest, verifier: string, challenge: string): boolean {
  if (!CODE_VERIFIER_PATTERN.test(verifier)) return false;
  return digest.equal(s256Challenge(digest, verifier), challenge);
}
