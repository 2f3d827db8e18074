/**
 * A small seeded pseudo-random generator (mulberry32) for the fault soak: the same seed gives the
 * same sheet, edits and faults, so every violation can be replayed.
 */

/** Largest seed kept as is; larger values are reduced modulo 2^32. */
const UINT32 = 0x1_0000_0000;

/** Turns any number (a clock reading, a CLI argument) into a 32-bit unsigned seed. */
export function normalizeSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`Not a finite seed: ${seed}`);
  return ((Math.trunc(seed) % UINT32) + UINT32) % UINT32;
}

/**
 * A seeded generator with the helpers the soak needs. Not for cryptography.
 *
 * @example
 * const random = new Random(42);
 * random.int(1, 6); // the same die roll every time for seed 42
 */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = normalizeSeed(seed);
  }

  /** The next value in [0, 1). */
  next(): number {
    // mulberry32 (Tommy Ettinger), public domain.
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32;
  }

  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`Bad int range [${min}, ${max}]`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p` (0…1). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick() from an empty list");
    return items[this.int(0, items.length - 1)];
  }

  /** One key of `weights`, chosen with probability proportional to its (non-negative) weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = (Object.entries(weights) as [K, number][]).filter(([, w]) => w > 0);
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    if (total <= 0) throw new RangeError("weighted() without a positive weight");
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /** A shuffled copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** `count` digits as a string (leading zeros allowed). */
  digits(count: number): string {
    let text = "";
    for (let i = 0; i < count; i++) text += String(this.int(0, 9));
    return text;
  }
}
