/**
 * @module test/fuzz/random
 * The fuzz suite's one source of randomness: a small seeded PRNG (mulberry32), so a failing run is
 * replayed exactly with the seed it printed. `STEWARD_FUZZ_SEED` overrides the fixed default seed.
 */

/** The seed of the standing run; change it only on purpose (every CI run replays this one). */
export const DEFAULT_SEED = 0x5eed_2025;

export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.STEWARD_FUZZ_SEED?.trim();
  if (!raw) return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`STEWARD_FUZZ_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed >>> 0;
}

export class Random {
  readonly seed: number;
  #state: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** `count` distinct items (all of them when there are fewer), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, Math.min(count, copy.length));
  }

  /** A generator derived from this one's seed and `label` only: one operation's cases do not shift when another's change. */
  fork(label: string): Random {
    let h = this.seed ^ 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Random(h >>> 0);
  }
}
