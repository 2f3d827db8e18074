/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed pseudorandom function with a 128-bit key
 * and a 64-bit output, in 32-bit integer arithmetic (no BigInt, no allocation per call). Without
 * the key, its outputs cannot be computed, so they cannot be tested against guesses: this is
 * what makes the hashes the sync stores over deals (which cover phones and e-mails) useless to
 * whoever reads KV without the deployment's secret. Fast enough for every row of every run
 * (see docs/performance.md), which WebCrypto's asynchronous HMAC is not.
 *
 * @see https://www.aumasson.jp/siphash/siphash.pdf
 */

/**
 * A SipHash key: its 16 bytes read as four little-endian 32-bit words (`k0` low, `k0` high,
 * `k1` low, `k1` high), as the reference implementation reads them.
 */
export type SipKey = readonly [number, number, number, number];

/** A 64-bit output, as its high and low 32 bits (unsigned). */
export interface Sip64 {
  hi: number;
  lo: number;
}

/** The key of 16 bytes (little-endian words, as the reference reads them). */
export function sipKey(bytes: Uint8Array): SipKey {
  if (bytes.length !== 16) throw new RangeError("sipKey(): a SipHash key has 16 bytes");
  const word = (i: number) =>
    (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
  return [word(0), word(4), word(8), word(12)];
}

/** What {@linkcode sip} reads: a string's UTF-16 units, bytes, or four 32-bit words. */
const TEXT = 0;
const BYTES = 1;
const WORDS = 2;

/** The high half of the last output of {@linkcode sip} (its low half: {@linkcode lastLo}). */
let lastHi = 0;
let lastLo = 0;

/**
 * The carry out of the 32-bit addition `a + b` whose low 32 bits are `sum`, from their top bits
 * alone. Comparing the halves as unsigned values (`(sum >>> 0) < (a >>> 0)`) gives the same bit
 * but made the whole hash 2.2 times slower in V8 (measured, 10,000 texts of ~115 characters).
 */
function carry(a: number, b: number, sum: number): number {
  return ((a & b) | ((a | b) & ~sum)) >>> 31;
}

/**
 * SipHash-2-4 itself, once for every kind of input: the state lives in local variables (four
 * 64-bit words as high and low 32-bit halves; additions carry from the low half into the high
 * one) and the SipRound is written out in the one loop that runs it — about a third faster in
 * V8 than rounds in a function over module variables, which matters at one hash per row. Returns the output's
 * top 53 bits; the whole output is left in `lastHi` / `lastLo`.
 */
function sip(
  key: SipKey,
  kind: number,
  text: string,
  bytes: Uint8Array | undefined,
  words: readonly number[] | undefined,
): number {
  let v0h = key[1] ^ 0x736f6d65, v0l = key[0] ^ 0x70736575;
  let v1h = key[3] ^ 0x646f7261, v1l = key[2] ^ 0x6e646f6d;
  let v2h = key[1] ^ 0x6c796765, v2l = key[0] ^ 0x6e657261;
  let v3h = key[3] ^ 0x74656462, v3l = key[2] ^ 0x79746573;
  let h = 0, l = 0;
  // Whole 8-byte words, then the last word: the tail's bytes and the length in the top byte.
  const length = kind === TEXT ? 2 * text.length : kind === BYTES ? bytes!.length : 16;
  const whole = length >>> 3;
  let block = 0;
  let mh = 0, ml = 0;
  /** SipRounds left before the next word is mixed in: 2 per word (c), then 4 to finish (d). */
  let left = 0;
  let finishing = false;
  // One SipRound, written once: the loop runs it 2 times per word, then 4 times.
  for (;;) {
    if (left === 0) {
      if (finishing) break;
      if (block > 0) {
        v0h ^= mh;
        v0l ^= ml;
      }
      if (block <= whole) {
        mh = 0;
        ml = 0;
        if (kind === TEXT && block < whole) {
          const i = block << 2; // the common case first: four whole UTF-16 units
          ml = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
          mh = text.charCodeAt(i + 2) | (text.charCodeAt(i + 3) << 16);
        } else if (kind === TEXT) {
          const i = block << 2;
          const n = (length >>> 1) - i;
          if (n > 0) ml = text.charCodeAt(i);
          if (n > 1) ml |= text.charCodeAt(i + 1) << 16;
          if (n > 2) mh = text.charCodeAt(i + 2);
        } else if (kind === BYTES) {
          const i = block << 3;
          const n = block < whole ? 8 : length - i;
          for (let k = 0; k < n; k++) {
            if (k < 4) ml |= bytes![i + k] << (8 * k);
            else mh |= bytes![i + k] << (8 * (k - 4));
          }
        } else if (block < whole) {
          ml = words![2 * block] | 0;
          mh = words![2 * block + 1] | 0;
        }
        if (block === whole) mh |= (length & 0xff) << 24;
        v3h ^= mh;
        v3l ^= ml;
        block++;
        left = 2;
      } else {
        v2l ^= 0xff;
        finishing = true;
        left = 4;
      }
    }
    l = (v0l + v1l) | 0;
    v0h = (v0h + v1h + carry(v0l, v1l, l)) | 0;
    v0l = l;
    h = (v1h << 13) | (v1l >>> 19);
    l = (v1l << 13) | (v1h >>> 19);
    v1h = h ^ v0h;
    v1l = l ^ v0l;
    h = v0h;
    v0h = v0l;
    v0l = h;
    l = (v2l + v3l) | 0;
    v2h = (v2h + v3h + carry(v2l, v3l, l)) | 0;
    v2l = l;
    h = (v3h << 16) | (v3l >>> 16);
    l = (v3l << 16) | (v3h >>> 16);
    v3h = h ^ v2h;
    v3l = l ^ v2l;
    l = (v0l + v3l) | 0;
    v0h = (v0h + v3h + carry(v0l, v3l, l)) | 0;
    v0l = l;
    h = (v3h << 21) | (v3l >>> 11);
    l = (v3l << 21) | (v3h >>> 11);
    v3h = h ^ v0h;
    v3l = l ^ v0l;
    l = (v2l + v1l) | 0;
    v2h = (v2h + v1h + carry(v2l, v1l, l)) | 0;
    v2l = l;
    h = (v1h << 17) | (v1l >>> 15);
    l = (v1l << 17) | (v1h >>> 15);
    v1h = h ^ v2h;
    v1l = l ^ v2l;
    h = v2h;
    v2h = v2l;
    v2l = h;
    left--;
  }
  lastHi = (v0h ^ v1h ^ v2h ^ v3h) >>> 0;
  lastLo = (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
  return (lastHi & 0x1fffff) * 4294967296 + lastLo;
}

/**
 * SipHash-2-4 of bytes, as the reference computes it (for its test vectors).
 *
 * @example
 * sipHash(sipKey(new Uint8Array(16)), new Uint8Array(0)); // { hi: …, lo: … }
 */
export function sipHash(key: SipKey, bytes: Uint8Array): Sip64 {
  sip(key, BYTES, "", bytes, undefined);
  return { hi: lastHi, lo: lastLo };
}

/**
 * SipHash-2-4 of a string's UTF-16 code units (the bytes of its UTF-16LE encoding, so
 * `sipHashText(k, s)` equals `sipHash(k, utf16le(s))`), read four units per word without
 * encoding the string first. Returns the output's top 53 bits as a safe integer.
 *
 * @example
 * sipHashText(key, "2026-11-20T10:30:00\u001f79157771122"); // at most 2 ** 53 - 1
 */
export function sipHashText(key: SipKey, text: string): number {
  return sip(key, TEXT, text, undefined, undefined);
}

/** Reused by {@linkcode sipHashWords}: no array per call. */
const WORD_BUFFER = [0, 0, 0, 0];

/**
 * SipHash-2-4 of a 16-byte message given as four 32-bit words (low word first, little-endian:
 * the bytes of `w0`, `w1`, `w2`, `w3`). Returns the output's top 53 bits as a safe integer. For
 * a key over a digest already computed (the raw-row hash: a fast unkeyed 64-bit digest streamed
 * over the cells, then this).
 */
export function sipHashWords(key: SipKey, w0: number, w1: number, w2: number, w3: number): number {
  WORD_BUFFER[0] = w0;
  WORD_BUFFER[1] = w1;
  WORD_BUFFER[2] = w2;
  WORD_BUFFER[3] = w3;
  return sip(key, WORDS, "", undefined, WORD_BUFFER);
}
