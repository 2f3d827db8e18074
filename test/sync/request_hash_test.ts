import assert from "node:assert/strict";
import type { PayloadSettings } from "../../src/columns/payload.ts";
import { requestHash, sameRequest } from "../../src/sync/request_hash.ts";
import { LEGACY } from "../../src/util/hash.ts";
import { SEED_SETTINGS } from "../support/calltouch.ts";
import { makeDeal } from "../support/deals.ts";
import { OTHER_KEY, TEST_KEY } from "../support/keys.ts";

const SETTINGS: PayloadSettings = { ...SEED_SETTINGS, hashKey: TEST_KEY };
const deal = makeDeal();

Deno.test("requestHash() is keyed (k:): the payload's contacts cannot be tested against it without the key", () => {
  const hash = requestHash({ deal }, SETTINGS);
  assert.match(hash, /^k:[0-9a-z]+$/);
  assert.notEqual(requestHash({ deal }, { ...SETTINGS, hashKey: OTHER_KEY }), hash);
  assert.notEqual(requestHash({ deal: { ...deal, phones: ["79031112233"] } }, SETTINGS), hash);
  assert.equal(requestHash({ deal: { ...deal, row: 40 } }, SETTINGS), hash, "not the row");
});

Deno.test("sameRequest() recognises the current key, the older keys given, and the unkeyed forms", () => {
  const same = (stored: string, older = [OTHER_KEY]) =>
    sameRequest({ deal }, SETTINGS, stored, older);
  assert.equal(same(requestHash({ deal }, SETTINGS)), true);
  const underOld = requestHash({ deal }, { ...SETTINGS, hashKey: OTHER_KEY });
  assert.equal(same(underOld), true, "a key being rotated");
  assert.equal(same(underOld, []), false, "not without it");
  const unkeyed = requestHash({ deal }, { ...SETTINGS, hashKey: LEGACY }).replace(/^k:/, "r:");
  assert.equal(same(unkeyed), true, "the unkeyed form of the builds before issue 22");
  assert.equal(same(unkeyed.replace(/^r:/, "k:")), false, "never as a keyed one");
  assert.equal(same("k:"), false, "the released mark matches nothing");
  assert.equal(same(requestHash({ deal: { ...deal, revenue: "1.00" } }, SETTINGS)), false);
});
