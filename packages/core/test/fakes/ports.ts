/**
 * @module test/fakes/ports
 * The core's Ports in memory: the fake store, real crypto, a clock standing still. `fakePorts()` gives
 * the ports, the fakes behind them (to arrange and to read back) and the clock (to move).
 */
import type { KeyGenerator, Ports } from '@steward/core';
import { digest, FakeClock, FakeSigner, fakeRandom, passwords } from './crypto.ts';
import { fakeStore, type Fakes } from './store.ts';

/** Where the fake clock starts: 2025-01-01T00:00:00Z. */
export const T0 = 1_735_689_600;

export interface FakePorts {
  ports: Ports;
  fakes: Fakes;
  clock: FakeClock;
}

/** No unit test creates a realm or rotates keys: asking for a key fails, naming itself. */
const noKeyGenerator: KeyGenerator = {
  generate: async () => {
    throw new Error('fake ports: keyGenerator.generate is not implemented');
  },
};

export function fakePorts(): FakePorts {
  const clock = new FakeClock(T0);
  const issuer = (realm: string) => `https://steward.test/realms/${realm}`;
  const { store, fakes } = fakeStore();
  return { ports: { store, clock, random: fakeRandom(clock), digest, passwords, signer: new FakeSigner(issuer), keyGenerator: noKeyGenerator, issuer }, fakes, clock };
}
