import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { loadConfig } from "../../src/config.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import {
  encodeStoredRuns,
  HEARTBEAT_MS,
  parseStoredRuns,
  readHistory,
  recordRun,
} from "../../src/sync/history.ts";
import {
  bytesDigest,
  cellHash,
  claimHolds,
  DigestCache,
  type QuietClaim,
  quietContext,
  type QuietMarker,
  rowHash,
  scanSheet,
  sheetDigest,
} from "../../src/sync/quiet.ts";
import { emptyCounts, emptyRequests, type RunReport } from "../../src/sync/report.ts";
import { snapshotVersion, stateKeys } from "../../src/sync/state.ts";

const HEADER = ["ID сделки", "Дата сделки", "Статус", "Телефон", "Заметки", "Calltouch"];
const tab = (): CellValue[][] => [
  [...HEADER],
  [1001, 46348.5, "Запись", "8 915 777-11-22", "", "✅ создана 22.11.2026 14:05"],
  [1002, "22.11.2026", "Визит", 79157771123],
  ["", "", "", "", "позвонить"],
  [1003, 46349, "Оплачено", "", "VIP", "❌ E2: …"],
];
const CONTEXT = "ctx";
const digestOf = (values: CellValue[][], context = CONTEXT) =>
  sheetDigest(scanSheet(values)!, context);

Deno.test("rowHash: types, cell boundaries and the skipped cell", async (t) => {
  await t.step("a number and its text differ", () => {
    assert.notEqual(rowHash([5], -1), rowHash(["5"], -1));
    assert.notEqual(rowHash([true], -1), rowHash(["true"], -1));
  });
  await t.step("moving text across a cell boundary differs", () => {
    assert.notEqual(rowHash(["ab", "c"], -1), rowHash(["a", "bc"], -1));
    assert.notEqual(rowHash(["a", ""], -1), rowHash(["", "a"], -1));
  });
  await t.step("trailing empty cells and the skipped cell do not count", () => {
    assert.equal(rowHash(["a", "b"], -1), rowHash(["a", "b", "", ""], -1));
    assert.equal(rowHash(["a", "b", "x"], 2), rowHash(["a", "b"], 2));
    assert.equal(rowHash(["a", "x", "b"], 1), rowHash(["a", "y", "b"], 1));
    assert.notEqual(rowHash(["a", "x", "b"], 1), rowHash(["a", "x", "c"], 1));
  });
  await t.step("an empty cell hashes to 0, any other never does", () => {
    assert.equal(cellHash(""), 0);
    assert.equal(cellHash(undefined), 0);
    for (const cell of ["a", 0, false, " "]) assert.notEqual(cellHash(cell), 0);
  });
});

Deno.test("sheetDigest: every cell, the status column and the context count", async (t) => {
  const base = digestOf(tab());
  await t.step("the same cells give the same digest", () => assert.equal(digestOf(tab()), base));
  await t.step("any data cell, even in a column nobody maps, changes it", () => {
    for (const [row, col, value] of [[1, 2, "Визит"], [2, 1, 46348], [3, 4, "перезвонить"]]) {
      const values = tab();
      values[row as number][col as number] = value;
      assert.notEqual(digestOf(values), base, `row ${row} column ${col}`);
    }
  });
  await t.step("a status cell, the header and the row count change it", () => {
    const status = tab();
    status[1][5] = "✅ создана 22.11.2026 14:06";
    assert.notEqual(digestOf(status), base);
    const header = tab();
    header[0][4] = "Заметки врача";
    assert.notEqual(digestOf(header), base);
    assert.notEqual(digestOf([...tab(), [1004]]), base);
  });
  await t.step("the context changes it", () => assert.notEqual(digestOf(tab(), "other"), base));
  await t.step("trailing empty cells Google leaves out do not change it", () => {
    const padded = tab();
    padded[2] = [...padded[2], "", ""];
    assert.equal(digestOf(padded), base);
  });
  await t.step("a header without a required column is not scanned (never quiet)", () => {
    assert.equal(scanSheet([["Имя", "Телефон"], ["Анна", "8 915 777-11-22"]]), undefined);
  });
});

Deno.test("sheetDigest predicts the tab once the run's status writes landed", async (t) => {
  await t.step("statuses replaced, a short row padded up to the status column", () => {
    const before = tab();
    const scan = scanSheet(before)!;
    // 1-based rows: row 3 is the short row of deal 1002, row 5 the deal 1003.
    const written = new Map([[3, "✅ создана 28.11.2026 10:00"], [5, "✅ обновлена 28.11.2026"]]);
    const after = tab();
    after[2] = [1002, "22.11.2026", "Визит", 79157771123, "", "✅ создана 28.11.2026 10:00"];
    after[4][5] = "✅ обновлена 28.11.2026";
    assert.equal(sheetDigest(scan, CONTEXT, written), digestOf(after));
    assert.notEqual(sheetDigest(scan, CONTEXT, written), sheetDigest(scan, CONTEXT));
  });
  await t.step("a new status column and its header", () => {
    const before = tab().map((row) => row.slice(0, 5));
    const scan = scanSheet(before)!;
    assert.equal(scan.statusIndex, 5);
    const written = new Map([[1, "Calltouch"], [2, "✅ создана"]]);
    const after = before.map((row) => [...row]);
    after[0][5] = "Calltouch";
    after[1][5] = "✅ создана";
    assert.equal(sheetDigest(scan, CONTEXT, written), digestOf(after));
  });
});

Deno.test("quietContext: the tab, the time zone and the settings that shape the texts", () => {
  const settings = {
    SPREADSHEET_ID: "1abcdefghijklmnopqrstuvwxyz_0123456789ABCDE",
    CALLTOUCH_SITE_ID: "12345",
    CALLTOUCH_TOKEN: "secret-token-value",
    GOOGLE_SERVICE_ACCOUNT: JSON.stringify({
      client_email: "sync@example.iam.gserviceaccount.com",
      private_key: "-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n",
    }),
  };
  const config = loadConfig(settings);
  const base = quietContext(config, "Сделки", "Europe/Moscow");
  assert.notEqual(quietContext(config, "Сделки 2", "Europe/Moscow"), base);
  assert.notEqual(quietContext(config, "Сделки", "Asia/Yekaterinburg"), base);
  assert.notEqual(
    quietContext(loadConfig({ ...settings, STATUS_LANGUAGE: "en" }), "Сделки", "Europe/Moscow"),
    base,
  );
  assert.notEqual(
    quietContext(loadConfig({ ...settings, CRM_NAME: "other" }), "Сделки", "Europe/Moscow"),
    base,
  );
  assert.ok(!base.includes("secret-token-value") && !base.includes("PRIVATE"), "no secrets");
});

Deno.test("claimHolds: same digest, same state version, no deltas, heartbeat not due", () => {
  const marker: QuietMarker = {
    digest: 42,
    state: "7/run-a",
    historyAt: 1_000_000,
    counts: emptyCounts(),
    rows: [],
  };
  const now = {
    digest: 42,
    state: "7/run-a" as string | undefined,
    hasDeltas: false,
    at: 1_000_500,
    heartbeatMs: 1000,
  };
  assert.ok(claimHolds(marker, now));
  assert.ok(!claimHolds(undefined, now));
  assert.ok(!claimHolds(marker, { ...now, digest: 43 }));
  assert.ok(!claimHolds(marker, { ...now, state: "8/run-b" }), "the state was saved since");
  assert.ok(!claimHolds(marker, { ...now, state: "7/run-b" }), "…by another run, same ms");
  assert.ok(!claimHolds(marker, { ...now, state: undefined }), "an unreadable snapshot");
  assert.ok(!claimHolds(marker, { ...now, hasDeltas: true }), "a crashed run's batches wait");
  assert.ok(!claimHolds(marker, { ...now, at: 1_001_000 }), "the heartbeat is due");
  assert.ok(!claimHolds(marker, { ...now, at: 999_999 }), "the clock went back");
});

Deno.test("snapshotVersion reads the version without parsing the snapshot", () => {
  const snapshot = { v: 1, parts: 1, savedAt: 1764321234567, run: "mih3-1a2b3c4d", deals: {} };
  assert.equal(snapshotVersion(JSON.stringify(snapshot)), "1764321234567/mih3-1a2b3c4d");
  const older = { v: 1, parts: 1, savedAt: 1764321234567, deals: { a: [] } };
  assert.equal(snapshotVersion(JSON.stringify(older)), "1764321234567/");
  assert.equal(snapshotVersion('{"deals":{},"savedAt":1}'), undefined);
});

const report = (startedAt: number, overrides: Partial<RunReport> = {}): RunReport => ({
  ok: true,
  trigger: "cron",
  startedAt: new Date(startedAt).toISOString(),
  durationMs: 1,
  counts: emptyCounts(),
  requests: emptyRequests(),
  rows: [],
  ...overrides,
});
const claim = (digest: number, state = "1/run"): QuietClaim => ({
  digest,
  state,
  counts: { ...emptyCounts(), rows: 2, unchanged: 2 },
  rows: [],
});

Deno.test("the run history carries the quiet marker on its first line", async (t) => {
  const SHEET = "sheet-1";
  const key = stateKeys(SHEET).runs;
  const T = Date.UTC(2026, 10, 28, 9);

  await t.step("a value written before the marker existed is read as history only", async () => {
    const kv = new MemoryStore();
    await kv.put(key, JSON.stringify([report(T)]));
    const stored = parseStoredRuns(await kv.get(key, "text"));
    assert.equal(stored.marker, undefined);
    assert.equal(stored.history().length, 1);
    assert.equal((await readHistory(kv, SHEET)).length, 1);
  });

  await t.step("a damaged marker is no marker", () => {
    const stored = parseStoredRuns(`{"digest":\n[]`);
    assert.equal(stored.marker, undefined);
    assert.deepEqual(stored.history(), []);
    assert.equal(parseStoredRuns('{"digest":1}\n[]').marker, undefined);
  });

  await t.step(
    "a run with a new claim writes it; the same claim again writes nothing",
    async () => {
      const kv = new MemoryStore();
      assert.ok(await recordRun(kv, SHEET, report(T), { idle: false, claim: claim(1) }));
      const first = parseStoredRuns(await kv.get(key, "text"));
      assert.deepEqual(first.marker, { ...claim(1), historyAt: T });
      assert.equal(first.history().length, 1);
      const stored = await kv.get(key, "text");
      assert.equal(
        await recordRun(kv, SHEET, report(T + 1000), { idle: true, claim: claim(1) }),
        false,
      );
      assert.equal(await recordRun(kv, SHEET, report(T + 2000), { idle: true }), false);
      assert.equal(await kv.get(key, "text"), stored);
    },
  );

  await t.step("an idle run that leaves another claim writes it (the cells changed)", async () => {
    const kv = new MemoryStore();
    await recordRun(kv, SHEET, report(T), { idle: false, claim: claim(1) });
    assert.ok(await recordRun(kv, SHEET, report(T + 1000), { idle: true, claim: claim(2) }));
    const stored = parseStoredRuns(await kv.get(key, "text"));
    assert.equal(stored.marker?.digest, 2);
    assert.equal(stored.marker?.historyAt, T + 1000);
    assert.equal(stored.history().length, 2);
  });

  await t.step("the hourly heartbeat renews the marker's time", async () => {
    const kv = new MemoryStore();
    await recordRun(kv, SHEET, report(T), { idle: false, claim: claim(1) });
    const later = T + HEARTBEAT_MS;
    assert.ok(await recordRun(kv, SHEET, report(later), { idle: true, claim: claim(1) }));
    assert.equal(parseStoredRuns(await kv.get(key, "text")).marker?.historyAt, later);
  });

  await t.step("a run that leaves no claim drops the old one", async () => {
    const kv = new MemoryStore();
    await recordRun(kv, SHEET, report(T), { idle: false, claim: claim(1) });
    await recordRun(kv, SHEET, report(T + 1000, { ok: false }), { idle: false });
    const stored = parseStoredRuns(await kv.get(key, "text"));
    assert.equal(stored.marker, undefined);
    assert.equal(stored.history().length, 2);
  });

  await t.step("encodeStoredRuns round-trips", () => {
    const marker = { ...claim(9), historyAt: T };
    const stored = parseStoredRuns(encodeStoredRuns([report(T)], marker));
    assert.deepEqual(stored.marker, marker);
    assert.deepEqual(stored.history(), [report(T)]);
  });
});

Deno.test("bytesDigest: any byte counts, wherever the bytes sit in their buffer", async () => {
  const text = new TextEncoder().encode('{"values":[["ID сделки",1001,"Запись"]]}');
  const base = await bytesDigest(text);
  assert.ok(Number.isSafeInteger(base) && base > 0);
  for (const i of [0, 5, text.length - 1]) {
    const changed = text.slice();
    changed[i] ^= 1;
    assert.notEqual(await bytesDigest(changed), base, `byte ${i}`);
  }
  assert.notEqual(await bytesDigest(text.subarray(0, text.length - 1)), base);
  const shifted = new Uint8Array(text.length + 3);
  shifted.set(text, 3);
  assert.equal(await bytesDigest(shifted.subarray(3)), base, "a view hashes its own bytes");
});

Deno.test("DigestCache: a hit needs the same bytes and the same context", () => {
  const cache = new DigestCache(2);
  cache.set("a", 1, "ctx", 100);
  cache.set("b", 2, "ctx", null);
  assert.equal(cache.get("a", 1, "ctx"), 100);
  assert.equal(cache.get("a", 2, "ctx"), undefined, "other bytes");
  assert.equal(cache.get("a", 1, "other"), undefined, "other context");
  assert.equal(cache.get("b", 2, "ctx"), null, "a tab that cannot be scanned");
  cache.set("c", 3, "ctx", 300);
  assert.equal(cache.get("a", 1, "ctx"), undefined, "the oldest entry made room");
  assert.equal(cache.get("c", 3, "ctx"), 300);
});
