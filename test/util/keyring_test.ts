import assert from "node:assert/strict";
import { deriveStateKey, describeKeys, keyringOf, keySecrets } from "../../src/util/keyring.ts";
import { sipHashText } from "../../src/util/siphash.ts";
import { TEST_STATE_KEY } from "../support/keys.ts";

Deno.test("deriveStateKey() pins HKDF-SHA-256's output: a stored state stays recognised by the next build", async () => {
  // Computed independently (Python's hmac/hashlib, RFC 5869 by hand) for this secret, salt
  // "calltouch-sheet-sync/state-key" and info "v1": bytes 0–15 the SipHash key (little-endian
  // words), 16–23 the id, 24–55 the HMAC-SHA-1 key. A change here would stop every deployment
  // (its state under a key it no longer knows).
  const key = await deriveStateKey(TEST_STATE_KEY);
  assert.equal(key.id, "16c240701250786e");
  assert.deepEqual(key.hash, [840557227, 205272121, 3691478815, 3420750388]);
  assert.equal(sipHashText(key.hash, "79157771122"), 178485811058240);
  const mac = await crypto.subtle.sign("HMAC", key.digest, new TextEncoder().encode("tab"));
  assert.equal(
    Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join(""),
    "ad587f298249a28e5bf94d39e81bde9c8e5fc35c",
  );
});

Deno.test("deriveStateKey(): another secret, another key and id; the same one, the same (cached)", async () => {
  const a = await deriveStateKey(TEST_STATE_KEY);
  const b = await deriveStateKey(`${TEST_STATE_KEY}!`);
  assert.notEqual(a.id, b.id);
  assert.notDeepEqual(a.hash, b.hash);
  assert.equal(await deriveStateKey(TEST_STATE_KEY), a);
  assert.ok(!a.id.includes(TEST_STATE_KEY.slice(0, 6)));
});

Deno.test("keySecrets(): STATE_KEY, else CALLTOUCH_TOKEN; the older ones after it, once each", async (t) => {
  await t.step("no STATE_KEY: the token's key, nothing older", () => {
    assert.deepEqual(keySecrets({ calltouchToken: "tok" }), {
      secret: "tok",
      source: "CALLTOUCH_TOKEN",
      previous: [],
      previousSetting: false,
    });
  });
  await t.step("STATE_KEY: the token's key still recognises (the move to STATE_KEY)", () => {
    assert.deepEqual(keySecrets({ stateKey: "new", calltouchToken: "tok" }), {
      secret: "new",
      source: "STATE_KEY",
      previous: ["tok"],
      previousSetting: false,
    });
  });
  await t.step("a rotation: STATE_KEY_PREVIOUS first, then the token's", () => {
    assert.deepEqual(keySecrets({ stateKey: "new", previous: "old", calltouchToken: "tok" }), {
      secret: "new",
      source: "STATE_KEY",
      previous: ["old", "tok"],
      previousSetting: true,
    });
  });
  await t.step(
    "a new Calltouch token without STATE_KEY: the old token in STATE_KEY_PREVIOUS",
    () => {
      assert.deepEqual(keySecrets({ previous: "old-tok", calltouchToken: "new-tok" }).previous, [
        "old-tok",
      ]);
    },
  );
  await t.step("no key twice, none equal to the current one", () => {
    assert.deepEqual(
      keySecrets({ stateKey: "k", previous: "k", calltouchToken: "k" }).previous,
      [],
    );
    assert.deepEqual(
      keySecrets({ stateKey: "k", previous: "tok", calltouchToken: "tok" }).previous,
      ["tok"],
    );
  });
});

Deno.test("keyringOf() and describeKeys(): the keys in order, by id; never a secret", async () => {
  const secrets = keySecrets({ stateKey: TEST_STATE_KEY, previous: "old", calltouchToken: "tok" });
  const ring = await keyringOf(secrets);
  assert.equal(ring.current, await deriveStateKey(TEST_STATE_KEY));
  assert.deepEqual(ring.previous, [await deriveStateKey("old"), await deriveStateKey("tok")]);
  const described = await describeKeys(secrets);
  assert.deepEqual(described, {
    source: "STATE_KEY",
    previousSetting: true,
    id: ring.current.id,
    previous: ring.previous.map((key) => key.id),
  });
  const text = JSON.stringify(described);
  for (const secret of [TEST_STATE_KEY, "old", "tok"]) assert.ok(!text.includes(`"${secret}"`));
});
