/**
 * String hashes for change detection: fingerprints of deals and of raw rows, keyed with the
 * deployment's secret (SipHash-2-4, `siphash.ts`) so that what is stored cannot be tested against
 * guessed phones, or unkeyed (cyrb53, {@linkcode LEGACY}) where nothing about a person is hashed or
 * to recognise what builds before issue 22 stored.
 */
import { sipHashText, sipHashWords, type SipKey } from "./siphash.ts";

export type { SipKey };

/**
 * The key of the unkeyed hashes of builds before issue 22 (cyrb53): used to recognise what they
 * stored, never to store anything that covers a person.
 */
export const LEGACY = "legacy";

/** What a stored hash is computed under: a SipHash key, or {@linkcode LEGACY}. */
export type HashKey = SipKey | typeof LEGACY;

/**
 * A 53-bit hash of a text under `key`, in base 36: SipHash-2-4 of its UTF-16 units, or cyrb53
 * under {@linkcode LEGACY} (the form builds before issue 22 stored).
 *
 * @example
 * hashText(key, "a") !== hashText(key, "b"); // true
 */
export function hashText(key: HashKey, text: string): string {
  return key === LEGACY ? hash53(text) : base36(sipHashText(key, text));
}

/** 36 ** 6: below 2 ** 32, so both halves of a 53-bit number are small integers. */
const BASE36_LOW = 2_176_782_336;

/**
 * `n.toString(36)` for a safe non-negative integer, in two small halves: V8 prints a number
 * beyond 32 bits in base 36 by a slow general path (measured 2.5 times slower, and every deal's
 * two fingerprints are printed).
 */
export function base36(n: number): string {
  const high = Math.floor(n / BASE36_LOW);
  const low = n - high * BASE36_LOW;
  if (high === 0) return low.toString(36);
  const digits = low.toString(36);
  return high.toString(36) + "000000".slice(digits.length) + digits;
}

/**
 * 53-bit string hash (cyrb53), returned in base 36. Not cryptographic: it only has to notice
 * changes, and it is cheap enough to run on 50,000 rows inside a Worker's CPU budget.
 *
 * @example
 * hash53("a") !== hash53("b"); // true
 */
export function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

const FLOAT = new Float64Array(1);
const WORDS = new Uint32Array(FLOAT.buffer);

/**
 * A 53-bit hash (cyrb53's mixing) of some cells of a row, streamed without building a string:
 * each cell is preceded by its field's code, and numbers are mixed in by their bits, so `"3500"`
 * and `3500` differ, and so does the same text under another field. Returns a safe integer.
 *
 * Under a SipHash key, the 64 bits of both lanes (before cyrb53's final mixing) are the message of
 * one SipHash-2-4: the result is keyed (it cannot be computed, so not tested against guesses,
 * without the key) at the cost of one short SipHash per row, not one over every character.
 *
 * @param indices positions of the cells to hash, in a fixed field order
 * @param codes one code per index naming its field
 * @param seed changes every hash (derived from the build: another parser's hashes never match)
 * @param key the deployment's key; {@linkcode LEGACY}: cyrb53's unkeyed mixing
 */
export function hashCells(
  cells: readonly unknown[],
  indices: readonly number[],
  codes: readonly number[],
  seed: number,
  key: HashKey,
): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < indices.length; i++) {
    const cell = cells[indices[i]];
    let code = codes[i];
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
    if (typeof cell === "string") {
      for (let k = 0; k < cell.length; k++) {
        code = cell.charCodeAt(k);
        h1 = Math.imul(h1 ^ code, 2654435761);
        h2 = Math.imul(h2 ^ code, 1597334677);
      }
    } else if (typeof cell === "number") {
      FLOAT[0] = cell;
      h1 = Math.imul(h1 ^ 0x10001, 2654435761);
      h2 = Math.imul(h2 ^ 0x10001, 1597334677);
      h1 = Math.imul(h1 ^ WORDS[0], 2654435761);
      h2 = Math.imul(h2 ^ WORDS[0], 1597334677);
      h1 = Math.imul(h1 ^ WORDS[1], 2654435761);
      h2 = Math.imul(h2 ^ WORDS[1], 1597334677);
    } else if (typeof cell === "boolean") {
      code = cell ? 0x10003 : 0x10002;
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
  }
  if (key !== LEGACY) return sipHashWords(key, h1, h2, seed, indices.length);
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
