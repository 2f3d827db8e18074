/**
 * The attack of issue 22 on a fixed sheet: from a KV dump and the source code, recover a
 * patient's phone by hashing every candidate number of one operator's block (here the million
 * numbers 7 915 7xx-xx-xx, the phone's own among them) until one gives the stored matching
 * fingerprint — whoever knows the deal's date (the attacker is given everything but the phone).
 *
 * Against 82b7e55's state (unkeyed cyrb53) the search finds the phone: the attack works. Against
 * this build's state, over the same KV, the same search finds nothing — neither with the unkeyed
 * hash nor under a key derived from a guessed secret — while the same search with the secret
 * (here `CALLTOUCH_TOKEN`, the key's source when `STATE_KEY` is unset) finds it: the search is
 * right, only the key is missing, and without it each try is a guess of 128 bits, not of a
 * phone. A million tries stand for the 7.8 million of a whole block: the argument scales.
 */
import assert from "node:assert/strict";
import { matchingText } from "../../src/columns/fingerprint.ts";
import type { CellValue, Deal } from "../../src/deal.ts";
import { type HashKey, hashText, LEGACY } from "../../src/util/hash.ts";
import { deriveStateKey } from "../../src/util/keyring.ts";
import { type Rig, startRig } from "../support/e2e.ts";
import { olderBuild } from "../support/worker.ts";

const PREVIOUS = "82b7e55";
const PHONE = "79157771122";
/** The block searched: 7 915 7xx-xx-xx. */
const BLOCK = "79157";
const TRIES = 1_000_000;

const ROWS: CellValue[][] = [
  ["ID сделки", "Дата сделки", "Статус", "Телефон"],
  ["1001", "20.11.2026 10:30", "Записан", "8 (915) 777-11-22"],
  ["1002", "21.11.2026 12:00", "Пришёл", "8 (926) 123-45-67"],
];

/** What the attacker knows of deal 1001: everything but the phone. */
const KNOWN: Deal = {
  row: 2,
  orderNumber: "1001",
  orderDate: "2026-11-20T10:30:00",
  status: "Записан",
  phones: [],
  emails: [],
  tags: [],
};

/** The matching fingerprint KV holds for deal 1001. */
async function storedMatching(rig: Rig): Promise<string> {
  const dump = await rig.kvDump();
  const key = [...dump.keys()].find((name) => name.endsWith(":state"));
  assert.ok(key, "a snapshot");
  const entry = JSON.parse(dump.get(key)!).deals["1001"];
  assert.ok(Array.isArray(entry), "deal 1001 is in the state");
  return entry[1];
}

/** Hashes every number of the block under `key` until one matches; undefined if none does. */
function search(stored: string, key: HashKey): string | undefined {
  for (let n = 0; n < TRIES; n++) {
    const phone = BLOCK + String(n).padStart(6, "0");
    if (hashText(key, matchingText({ ...KNOWN, phones: [phone] })) === stored) return phone;
  }
  return undefined;
}

Deno.test("today's brute force recovers a phone from 82b7e55's KV, and fails on this build's without the secret", async () => {
  const rig = await startRig({
    rows: ROWS,
    worker: { script: await olderBuild(PREVIOUS), build: PREVIOUS },
  });
  try {
    const first = await rig.sync();
    assert.equal(first.body.counts.created, 2, JSON.stringify(first.body.error));
    assert.equal(search(await storedMatching(rig), LEGACY), PHONE, "the attack works on 82b7e55");

    await rig.restart({}, { build: "next" }); // this build, over the same KV
    const upgraded = await rig.sync();
    assert.equal(upgraded.body.requests.calltouch, 0, JSON.stringify(upgraded.body.error));
    const stored = await storedMatching(rig);

    assert.equal(search(stored, LEGACY), undefined, "the unkeyed search finds nothing");
    const guessed = await deriveStateKey("calltouch-token-guess");
    assert.equal(search(stored, guessed.hash), undefined, "nor under a guessed secret's key");
    const secret = await deriveStateKey(rig.settings.CALLTOUCH_TOKEN);
    assert.equal(search(stored, secret.hash), PHONE, "with the secret, the same search finds it");
  } finally {
    await rig.close();
  }
});
