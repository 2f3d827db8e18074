import assert from "node:assert/strict";
import { digitsAt, fitsDigitPattern } from "../../src/util/digits.ts";

Deno.test("digitsAt() reads the digits between two positions, NaN past a non-digit", () => {
  assert.equal(digitsAt("19-07-2021 16:42:32", 6, 10), 2021);
  assert.equal(digitsAt("19-07-2021 16:42:32", 3, 5), 7);
  assert.equal(digitsAt("09", 0, 2), 9);
  assert.equal(digitsAt("abc", 0, 0), 0);
  for (const bad of ["1a", "a1", "1-", "1 ", "١٢", "1/", "1:"]) {
    assert.ok(Number.isNaN(digitsAt(bad, 0, 2)), bad);
  }
});

Deno.test("fitsDigitPattern() wants digits where the pattern has 9 and the rest as it is", () => {
  const pattern = "99-99-9999 99:99:99";
  assert.ok(fitsDigitPattern("19-07-2021 16:42:32", pattern));
  for (
    const bad of [
      "19-07-2021 16:42",
      "19-07-2021 16:42:321",
      "19.07.2021 16:42:32",
      "19-07-2021T16:42:32",
      "1a-07-2021 16:42:32",
      "19-07-2021 16:42:3 ",
      "",
    ]
  ) {
    assert.ok(!fitsDigitPattern(bad, pattern), bad);
  }
  // Only ASCII digits, as the regular expression it replaces (\d without the u flag).
  assert.ok(!fitsDigitPattern("١٩-07-2021 16:42:32", pattern));
});
