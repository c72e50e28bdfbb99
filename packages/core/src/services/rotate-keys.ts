/**
 * @module services/rotate-keys
 * Signing-key rotation. A rotation adds a new key per algorithm that is published (JWKS `certs`) at
 * once but signs only from `now + activationDelay`, so resource servers and other nodes learn it before
 * they meet a token it signed. From then on the previous key stops signing (the newest active key
 * signs) and it stays published until every token it signed has expired: it retires at the new key's
 * activation plus the realm's longest JWT lifetime plus a margin for clock skew.
 */
import { fail } from '../errors.ts';
import type { SigningKey } from '../model/key.ts';
import type { Realm, SigningAlg } from '../model/realm.ts';
import type { Ports } from './ports.ts';

export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'RS256'];
/** Seconds added to a retirement for clocks that disagree a little. */
export const RETIREMENT_MARGIN = 60;

/** A key as administrators see it: never the private part. */
export interface KeyView {
  kid: string;
  alg: SigningAlg;
  /** `pending` (published, not signing yet), `active` (signs), `retiring` (verifies, no longer signs), `retired`. */
  state: 'pending' | 'active' | 'retiring' | 'retired';
  createdAt: number;
  activeFrom: number;
  retiredAt: number | null;
}

/** The longest lifetime of a JWT the realm signs (access tokens, ID tokens, RPTs). */
export function longestJwtLifetime(realm: Realm): number {
  return Math.max(realm.settings.accessTokenLifetime, realm.settings.rptLifetime);
}

/** States of the realm's keys at `now`, oldest first. */
export function keyViews(keys: SigningKey[], now: number): KeyView[] {
  const signing = new Map<SigningAlg, string>();
  for (const k of keys) {
    const live = k.retiredAt === null || k.retiredAt > now;
    const current = signing.get(k.alg);
    const currentKey = keys.find((x) => x.kid === current);
    if (live && k.activeFrom <= now && (!currentKey || k.activeFrom > currentKey.activeFrom)) signing.set(k.alg, k.kid);
  }
  return keys.map((k) => ({
    kid: k.kid,
    alg: k.alg,
    state: k.retiredAt !== null && k.retiredAt <= now ? 'retired' : k.activeFrom > now ? 'pending' : signing.get(k.alg) === k.kid ? 'active' : 'retiring',
    createdAt: k.createdAt,
    activeFrom: k.activeFrom,
    retiredAt: k.retiredAt,
  }));
}

export async function listKeys(ports: Ports, realm: string): Promise<KeyView[]> {
  return keyViews(await ports.store.keys.listAll(realm), ports.clock.now());
}

/** A new key of the realm for `alg` (the KeyGenerator port): published from `now`, signing from `activeFrom`. */
export async function newSigningKey(ports: Pick<Ports, 'keyGenerator'>, realm: string, alg: SigningAlg, now: number, activeFrom: number): Promise<SigningKey> {
  return { ...(await ports.keyGenerator.generate(alg)), realm, alg, createdAt: now, activeFrom, retiredAt: null };
}

export interface RotateOptions {
  /** Seconds between publication and first signature. */
  activationDelay: number;
  /** Algorithms to rotate; default both. */
  algs?: readonly SigningAlg[];
}

/** Rotates the realm's keys; returns the keys after the rotation. `not_found` for an unknown realm. */
export async function rotateKeys(ports: Ports, realmId: string, options: RotateOptions): Promise<{ added: KeyView[]; keys: KeyView[] }> {
  const algs = options.algs ?? SIGNING_ALGS;
  for (const alg of algs) if (!SIGNING_ALGS.includes(alg)) throw fail('invalid_request', `alg must be one of ${SIGNING_ALGS.join(', ')}`);
  const realm = await ports.store.realms.get(realmId);
  if (!realm) throw fail('not_found', `Realm ${realmId.slice(0, 64)} not found`);
  const now = ports.clock.now();
  const activeFrom = now + options.activationDelay;
  const retireAt = activeFrom + longestJwtLifetime(realm) + RETIREMENT_MARGIN;
  const fresh: SigningKey[] = [];
  for (const alg of algs) fresh.push(await newSigningKey(ports, realm.id, alg, now, activeFrom));
  await ports.store.transaction(async (tx) => {
    for (const old of await tx.keys.list(realm.id, now)) {
      if (algs.includes(old.alg)) await tx.keys.retire(realm.id, old.kid, retireAt);
    }
    for (const key of fresh) await tx.keys.insert(key);
  });
  const keys = await listKeys(ports, realm.id);
  return { added: keys.filter((k) => fresh.some((f) => f.kid === k.kid)), keys };
}
