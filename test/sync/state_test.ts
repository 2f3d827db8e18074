import assert from "node:assert/strict";
import {
  type DealState,
  newRunId,
  SNAPSHOT_PART_ENTRIES,
  SNAPSHOT_REFRESH_MS,
  StateKeyError,
  stateKeys,
  StateStore,
  storedKeyId,
} from "../../src/sync/state.ts";
import { ConfigError } from "../../src/util/errors.ts";
import { CountingStore } from "../../src/store/counting.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import type { Target } from "../../src/sync/target.ts";

const SHEET: Target = { spreadsheetId: "sheet-1", tab: "", siteId: "12345" };
const entry = (n: number, overrides: Partial<DealState> = {}): DealState => ({
  fingerprint: `f${n}`,
  matching: `m${n}`,
  exists: true,
  outcome: "created",
  at: 1_700_000_000_000 + n,
  ...overrides,
});

Deno.test("StateStore on an empty store: open() is one list; load() looks for the first version's state", async () => {
  const kv = new CountingStore(new MemoryStore());
  const store = new StateStore(kv, SHEET, newRunId(1));
  await store.open();
  assert.deepEqual(kv.counts, { reads: 0, writes: 0, deletes: 0, lists: 1 });
  assert.equal(store.version, "");
  const state = await store.load();
  assert.equal(state.size, 0);
  assert.deepEqual(kv.counts, { reads: 1, writes: 0, deletes: 0, lists: 2 });
});

Deno.test("StateStore: the snapshot's version comes from a list, without reading the snapshot", async () => {
  const memory = new MemoryStore();
  const first = new StateStore(memory, SHEET, "run-a");
  const state = await first.load();
  state.set("A", entry(1));
  await first.record([["A", entry(1)]]);
  await first.compact(state, 1_000);
  assert.equal(first.version, "1000/run-a");
  const kv = new CountingStore(memory);
  const next = new StateStore(kv, SHEET, "run-b");
  await next.open();
  assert.equal(next.version, "1000/run-a");
  assert.equal(next.hasDeltas, false);
  assert.deepEqual(kv.counts, { reads: 0, writes: 0, deletes: 0, lists: 1 });
  // A save in the same millisecond still gets a later version.
  const again = await next.load();
  await next.record([["A", entry(2)]]);
  await next.compact(again, 1_000);
  assert.equal(next.version, "1001/run-b");
});

Deno.test("StateStore takes over the state the first version kept per spreadsheet, once", async () => {
  const memory = new MemoryStore();
  const legacy = { v: 1, parts: 1, savedAt: 5, deals: { A: ["f1", "m1", 1, "c", 7] } };
  await memory.put("v1:sheet-1:state", JSON.stringify(legacy));
  await memory.put(
    "v1:sheet-1:delta:run-0:000001",
    JSON.stringify({ v: 1, deals: { B: ["f2", "m2", 1, "u", 8] } }),
  );
  const store = new StateStore(memory, SHEET, "run-1");
  const state = await store.load();
  assert.deepEqual([...state.keys()], ["A", "B"]);
  assert.ok(store.dirty, "written under the target at the end of the run");
  await store.compact(state, 10);
  assert.deepEqual([...memory.data.keys()], [stateKeys(SHEET).snapshot(0)]);
  // Another Calltouch project of the same spreadsheet starts empty.
  const other = new StateStore(memory, { ...SHEET, siteId: "999" }, "run-2");
  assert.equal((await other.load()).size, 0);
});

Deno.test("StateStore journals batches, compacts them, and an idle run writes nothing", async () => {
  const memory = new MemoryStore();
  const run1 = new StateStore(memory, SHEET, newRunId(1));
  const state = await run1.load();
  state.set("A", entry(1));
  await run1.record([["A", entry(1)]]);
  state.set("B", entry(2, { outcome: "held", exists: false, reason: "Неверный статус" }));
  await run1.record([["B", state.get("B")!]]);
  assert.equal([...memory.data.keys()].filter((k) => k.includes(":delta:")).length, 2);
  await run1.compact(state, 5);
  assert.deepEqual([...memory.data.keys()], [stateKeys(SHEET).snapshot(0)]);

  const kv = new CountingStore(memory);
  const run2 = new StateStore(kv, SHEET, newRunId(2));
  const loaded = await run2.load();
  assert.deepEqual(loaded, state);
  await run2.compact(loaded, 6);
  assert.deepEqual(kv.counts, { reads: 1, writes: 0, deletes: 0, lists: 1 });
});

Deno.test("StateStore.load() recovers the batches of a run that crashed before compacting", async () => {
  const memory = new MemoryStore();
  const crashed = new StateStore(memory, SHEET, newRunId(1));
  await crashed.load();
  await crashed.record([["A", entry(1)], ["B", entry(2)]]);
  await crashed.record([["A", entry(3, { outcome: "updated" })]]);
  // …and the run died here.
  const next = new StateStore(memory, SHEET, newRunId(2));
  const state = await next.load();
  assert.equal(state.get("A")?.outcome, "updated");
  assert.equal(state.get("B")?.fingerprint, "f2");
  assert.ok(next.dirty, "leftover deltas must be folded into the snapshot");
  await next.compact(state, 9);
  assert.deepEqual([...memory.data.keys()], [stateKeys(SHEET).snapshot(0)]);
});

Deno.test("a target's keys expire 30 days after their last write; one in use is rewritten weekly", async () => {
  const DAY = 86_400_000;
  let now = Date.UTC(2026, 10, 1);
  const memory = new MemoryStore(() => now);
  const other: Target = { ...SHEET, siteId: "99999" };
  for (const target of [SHEET, other]) {
    const run = new StateStore(memory, target, newRunId(now));
    const state = await run.load();
    state.set("A", entry(1));
    await run.record([["A", entry(1)]]);
    await run.compact(state, now);
  }
  // Only SHEET is synced from now on: a full run every day, nothing changed.
  const written: number[] = [];
  for (let day = 1; day <= 40; day++) {
    now += DAY;
    const kv = new CountingStore(memory);
    const run = new StateStore(kv, SHEET, newRunId(now));
    const state = await run.load();
    assert.equal(state.get("A")?.fingerprint, "f1", `day ${day}: the state is there`);
    await run.compact(state, now);
    for (let i = 0; i < kv.counts.writes; i++) written.push(day);
  }
  // One snapshot write a week: the run a week to the day after the last write rewrites it.
  assert.deepEqual(written, [7, 14, 21, 28, 35]);
  assert.equal(SNAPSHOT_REFRESH_MS, 7 * DAY);
  const left = await new StateStore(memory, other, newRunId(now)).load();
  assert.equal(left.size, 0, "the target no longer synced expired");
});

Deno.test("StateStore splits very large states into parts read in one bulk get", async () => {
  const memory = new MemoryStore();
  const store = new StateStore(memory, SHEET, newRunId(1));
  const state = await store.load();
  const total = SNAPSHOT_PART_ENTRIES * 2 + 10;
  for (let i = 0; i < total; i++) state.set(`D${i}`, entry(i));
  await store.record([["D0", entry(0)]]);
  await store.compact(state, 1);
  assert.ok(memory.data.has(stateKeys(SHEET).snapshot(2)));
  const kv = new CountingStore(memory);
  const loaded = await new StateStore(kv, SHEET, newRunId(2)).load();
  assert.equal(loaded.size, total);
  assert.deepEqual(loaded.get(`D${total - 1}`), entry(total - 1));
  assert.equal(kv.counts.reads, 2);
});

Deno.test("StateStore keeps no personal data: only ids, fingerprints and outcomes", async () => {
  const memory = new MemoryStore();
  const store = new StateStore(memory, SHEET, newRunId(1));
  const state = await store.load();
  state.set("A", entry(1));
  await store.record([["A", entry(1)]]);
  await store.compact(state, 1);
  const stored = JSON.parse(memory.data.get(stateKeys(SHEET).snapshot(0))!.value);
  assert.deepEqual(stored.deals, { A: ["f1", "m1", 1, "c", 1_700_000_000_001] });
});

Deno.test("newRunId() sorts by time", () => {
  assert.ok(newRunId(1_000) < newRunId(2_000));
  assert.ok(newRunId(Date.UTC(2026, 0, 1)) < newRunId(Date.UTC(2099, 0, 1)));
});

Deno.test("StateStore keeps raw-row hashes with and without a reason", async () => {
  const memory = new MemoryStore();
  const store = new StateStore(memory, SHEET, newRunId(1));
  const state = await store.load();
  state.set("A", entry(1, { raw: 2 ** 52 + 1 }));
  state.set("B", entry(2, { outcome: "held", reason: "нет", raw: 7 }));
  state.set("C", entry(3, { outcome: "held", reason: "нет" }));
  await store.record([["A", state.get("A")!]]);
  await store.compact(state, 1);
  const loaded = await new StateStore(memory, SHEET, newRunId(2)).load();
  assert.deepEqual(loaded, state);
});

Deno.test("StateStore keeps a held deal's request hash (what releases it once the payload changes), in a delta and in the snapshot", async () => {
  const memory = new MemoryStore();
  const store = new StateStore(memory, SHEET, newRunId(1));
  const state = await store.load();
  state.set("A", entry(1, { outcome: "held", exists: false, reason: "нет", request: "k:a" }));
  state.set("B", entry(2, { outcome: "held", reason: "нет", request: "k:b", raw: 7 }));
  await store.record([["A", state.get("A")!]]);
  const crashed = await new StateStore(memory, SHEET, newRunId(2)).load();
  assert.equal(crashed.get("A")?.request, "k:a", "a delta carries it");
  await store.compact(state, 1);
  const loaded = await new StateStore(memory, SHEET, newRunId(3)).load();
  assert.deepEqual(loaded, state);
});

Deno.test("StateStore.record() of nothing writes nothing (a look-up that settled no deal)", async () => {
  const kv = new CountingStore(new MemoryStore());
  const store = new StateStore(kv, SHEET, newRunId(1));
  const state = await store.load();
  const before = { ...kv.counts };
  await store.record([]);
  assert.equal(store.dirty, false);
  await store.compact(state, 1);
  assert.deepEqual(kv.counts, before, "no delta, no snapshot");
});

Deno.test("StateStore keeps the version a doubt carried, with and without holds", async () => {
  const memory = new MemoryStore();
  const store = new StateStore(memory, SHEET, newRunId(1));
  const state = await store.load();
  state.set("A", entry(1, { outcome: "inDoubt", sent: "f-a" }));
  state.set(
    "B",
    entry(2, {
      outcome: "inDoubt",
      sent: "f-b",
      known: { status: "s", statusAt: 5, tags: "?", custom: "c" },
    }),
  );
  state.set("C", entry(3, { outcome: "inDoubt" }));
  await store.record([["A", state.get("A")!]]);
  const crashed = await new StateStore(memory, SHEET, newRunId(2)).load();
  assert.equal(crashed.get("A")?.sent, "f-a", "a delta carries it");
  await store.compact(state, 1);
  const loaded = await new StateStore(memory, SHEET, newRunId(3)).load();
  assert.deepEqual(loaded, state);
});

const KEYS = { current: "key-b", previous: ["key-a"] };

Deno.test("StateStore names the key its parts are under: the snapshot, its metadata, each delta", async () => {
  const memory = new MemoryStore();
  const store = new StateStore(memory, SHEET, "run-a", KEYS);
  const state = await store.load();
  assert.equal(store.migrating, false, "nothing stored: nothing to rewrite");
  state.set("A", entry(1));
  await store.record([["A", entry(1)]]);
  const [delta] = [...memory.data.entries()].filter(([name]) => name.includes(":delta:"));
  assert.equal(JSON.parse(delta[1].value).k, "key-b");
  await store.compact(state, 1_000);
  const head = memory.data.get(stateKeys(SHEET).snapshot(0))!;
  assert.equal(JSON.parse(head.value).k, "key-b");
  assert.deepEqual(head.metadata, { version: "1000/run-a", key: "key-b" });
  assert.equal(await storedKeyId(memory, SHEET), "key-b");
});

Deno.test("StateStore: a state under an older key (or none) is migrating; rewritten, it is saved once under the current key", async (t) => {
  for (const [name, older] of [["unkeyed", undefined], ["a previous key", "key-a"]] as const) {
    await t.step(name, async () => {
      const memory = new MemoryStore();
      const old = new StateStore(
        memory,
        SHEET,
        "run-a",
        older ? { current: older, previous: [] } : undefined,
      );
      const before = await old.load();
      before.set("A", entry(1));
      await old.record([["A", entry(1)]]);
      await old.compact(before, 1_000);
      assert.equal(await storedKeyId(memory, SHEET), older ?? "");

      const kv = new CountingStore(memory);
      const next = new StateStore(kv, SHEET, "run-b", KEYS);
      const state = await next.load();
      assert.equal(next.migrating, true);
      await next.compact(state, 2_000);
      assert.equal(kv.counts.writes, 0, "not rewritten: nothing saved, no key claimed");
      next.rekeyed();
      await next.compact(state, 2_000);
      assert.equal(kv.counts.writes, 1, "rewritten: saved once, though nothing else changed");
      assert.equal(await storedKeyId(memory, SHEET), "key-b");
      assert.equal(next.migrating, false);
      await next.compact(state, 3_000);
      assert.equal(kv.counts.writes, 1, "and not again");
    });
  }
  await t.step("saved with batches of its own but not rewritten: it claims no key", async () => {
    const memory = new MemoryStore();
    const old = new StateStore(memory, SHEET, "run-a", { current: "key-a", previous: [] });
    const before = await old.load();
    before.set("A", entry(1));
    await old.record([["A", entry(1)]]);
    await old.compact(before, 1_000);
    const next = new StateStore(memory, SHEET, "run-b", KEYS);
    const state = await next.load();
    state.set("B", entry(2));
    await next.record([["B", entry(2)]]);
    await next.compact(state, 2_000);
    assert.equal(
      await storedKeyId(memory, SHEET),
      "",
      "under several keys: the next run rewrites it",
    );
  });
});

Deno.test("StateStore refuses a state under a key the run does not know, naming what to do, not a secret", async () => {
  const memory = new MemoryStore();
  const old = new StateStore(memory, SHEET, "run-a", { current: "key-x0123456789", previous: [] });
  const before = await old.load();
  before.set("A", entry(1));
  await old.record([["A", entry(1)]]);
  await old.compact(before, 1_000);
  const next = new StateStore(memory, SHEET, "run-b", KEYS);
  await assert.rejects(next.load(), (error: Error) => {
    assert.ok(error instanceof StateKeyError);
    assert.ok(error instanceof ConfigError, "a settings problem: the run reports it as such");
    assert.match(error.message, /STATE_KEY_PREVIOUS/);
    assert.match(error.message, /id key-x012/);
    assert.match(error.message, new RegExp(`"${stateKeys(SHEET).snapshot(0)}"`));
    return true;
  });
  // An unfinished run's batch under an unknown key is refused the same way.
  const memory2 = new MemoryStore();
  const crashed = new StateStore(memory2, SHEET, "run-c", { current: "key-x", previous: [] });
  await crashed.load();
  await crashed.record([["A", entry(1)]]);
  await assert.rejects(new StateStore(memory2, SHEET, "run-d", KEYS).load(), StateKeyError);
});

Deno.test("StateStore takes a state without a deal under any key: it holds no hash", async () => {
  // The first run of a wrong CALLTOUCH_TOKEN (the key's fallback) is refused before anything is
  // accepted, and leaves an empty state under that token's key; the fixed token must not stop.
  const memory = new MemoryStore();
  const wrong = new StateStore(memory, SHEET, "run-a", { current: "key-wrong", previous: [] });
  const empty = await wrong.load();
  await wrong.record([["A", entry(1)]]);
  empty.delete("A"); // the refusal applied nothing
  await wrong.compact(empty, 1_000);
  const fixed = new StateStore(memory, SHEET, "run-b", KEYS);
  assert.equal((await fixed.load()).size, 0);
  assert.equal(fixed.migrating, false);
});

Deno.test('storedKeyId(): none without a state; "" for the first version\'s', async () => {
  const memory = new MemoryStore();
  assert.equal(await storedKeyId(memory, SHEET), undefined);
  await memory.put("v1:sheet-1:state", JSON.stringify({ v: 1, parts: 1, savedAt: 5, deals: {} }));
  assert.equal(await storedKeyId(memory, SHEET), "");
});

Deno.test("StateStore reads more leftover records than one bulk read takes (KV: 100 keys)", async () => {
  // A target whose runs crashed 101 times in a row (each left its record uncompacted).
  const memory = new MemoryStore();
  for (let run = 0; run < 101; run++) {
    const crashed = new StateStore(memory, SHEET, `run-${String(run).padStart(3, "0")}`);
    await crashed.record([[`D${run}`, entry(run)]]);
  }
  const next = new StateStore(memory, SHEET, "run-next");
  const state = await next.load();
  assert.equal(state.size, 101);
  assert.deepEqual(state.get("D100"), entry(100));
});

Deno.test("StateStore after compact() loads what it saved (a store kept across runs)", async () => {
  const memory = new MemoryStore();
  const store = new StateStore(memory, SHEET, "run-a");
  const state = await store.load();
  state.set("A", entry(1));
  await store.record([["A", entry(1)]]);
  await store.compact(state, 1_000);
  assert.deepEqual(await store.load(), state, "the same store reads its new snapshot");
  const again = new StateStore(memory, SHEET, "run-b");
  await again.open();
  assert.equal(again.hasDeltas, false, "the records were folded into the snapshot");
  assert.deepEqual(await again.load(), state);
});
