import assert from "node:assert/strict";
import { base36, hashCells, hashText, LEGACY } from "../../src/util/hash.ts";
import { sipHashText, sipKey } from "../../src/util/siphash.ts";

Deno.test("base36() prints every safe integer as toString(36) does", () => {
  const edges = [0, 1, 35, 36, 36 ** 6 - 1, 36 ** 6, 36 ** 6 + 1, 2 ** 32 - 1, 2 ** 32, 36 ** 7];
  edges.push(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1, 2 ** 52, 36 ** 10 - 1);
  for (const n of edges) assert.equal(base36(n), n.toString(36), `${n}`);
  // Low halves with every count of leading zeros, under a high half of 1 and of the largest.
  for (let digits = 0; digits <= 6; digits++) {
    for (const high of [1, 35, Math.floor(Number.MAX_SAFE_INTEGER / 36 ** 6)]) {
      const n = high * 36 ** 6 + (digits === 0 ? 0 : 36 ** (digits - 1));
      assert.equal(base36(n), n.toString(36), `${n}`);
    }
  }
  // A seeded walk over the 53-bit range (xorshift32: the same numbers every run).
  let x = 2463534242;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
  for (let i = 0; i < 20_000; i++) {
    const n = (next() & 0x1fffff) * 2 ** 32 + next();
    assert.equal(base36(n), n.toString(36), `${n}`);
  }
});

Deno.test("hashText() is the key's SipHash of the text, printed in base 36", () => {
  const key = sipKey(Uint8Array.from({ length: 16 }, (_, i) => i));
  for (const text of ["", "a", "2026-11-20T10:30:00\u001f79157771122", "Новая\u001eпервичный"]) {
    assert.equal(hashText(key, text), sipHashText(key, text).toString(36));
  }
  // Values pinned (computed before the hash was sped up): hashing or printing otherwise would
  // change every stored fingerprint, and every deal would be sent again.
  assert.equal(hashText(key, "a"), "b3nqstsjcx");
  assert.equal(hashText(key, "2026-11-20T10:30:00\u001f79157771122"), "3w3yveupdt");
});

Deno.test("hashCells() pins the raw-row hashes a state keeps, keyed and unkeyed", () => {
  const key = sipKey(Uint8Array.from({ length: 16 }, (_, i) => i));
  const cells = ["A-1", 3500, true, "Новая", false, 0.5, ""];
  const indices = [0, 1, 2, 3, 4, 5, 6];
  const codes = [0x20001, 0x20002, 0x20003, 0x20004, 0x20005, 0x20006, 0x20007];
  // Another value would make every row read as changed once (each parsed and its hash rewritten).
  assert.equal(hashCells(cells, indices, codes, 7, key), 4139479663956856);
  assert.equal(hashCells(cells, indices, codes, 7, LEGACY), 3337214156764641);
  // The text "3500" and the number 3500 are different cells.
  assert.equal(hashCells(["3500"], [0], [0x20002], 7, key), 6202259366413261);
  assert.equal(hashCells([3500], [0], [0x20002], 7, key), 5802883055756734);
});
