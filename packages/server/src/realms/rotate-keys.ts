/** @module realms/rotate-keys — key rotation with the server's key generation and the configured activation delay. */
import { rotateKeys, type SigningAlg } from '@steward/core';
import type { Deps } from '../deps.ts';

/** Rotates the realm's keys (both algorithms unless `algs`) and drops this process's cached key list. */
export async function rotateRealmKeys(deps: Deps, realm: string, algs?: readonly SigningAlg[]) {
  const result = await rotateKeys(deps, realm, {
    activationDelay: deps.config.keyActivationDelay,
    ...(algs ? { algs } : {}),
  });
  deps.keys.invalidate(realm);
  return result;
}
