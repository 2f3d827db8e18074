import assert from "node:assert/strict";
import { loadConfig } from "../../src/settings/config.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { HEARTBEAT_MS, readHistory, recordRun } from "../../src/sync/history.ts";
import {
  asQuietRecord,
  QUIET_MAX_AGE_MS,
  QUIET_MAX_AGE_UNKNOWN_BUILD_MS,
  QUIET_MAX_ROWS,
  quietContext,
  quietHolds,
  type QuietRecord,
  recordQuiet,
  tabDigest,
} from "../../src/sync/quiet.ts";
import { emptyCounts, emptyRequests, type RunReport } from "../../src/sync/report.ts";
import { stateKeys } from "../../src/sync/state.ts";
import type { Target } from "../../src/sync/target.ts";
import { deriveStateKey } from "../../src/util/keyring.ts";
import { TEST_STATE_KEY } from "../support/keys.ts";
import { testServiceAccount } from "../support/service_account.ts";

const TARGET: Target = { spreadsheetId: "sheet-1", tab: "", siteId: "12345" };
const T = Date.UTC(2026, 10, 28, 12);
const bytes = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

function report(at: number, overrides: Partial<RunReport> = {}): RunReport {
  return {
    ok: true,
    trigger: "cron",
    startedAt: new Date(at).toISOString(),
    durationMs: 1,
    counts: emptyCounts(),
    requests: emptyRequests(),
    rows: [],
    ...overrides,
  };
}

async function config(overrides: Record<string, string> = {}) {
  return loadConfig({
    SPREADSHEET_ID: "1Quiet_abcdefghijklmnopqrstuvwxyz",
    CALLTOUCH_SITE_ID: "12345",
    CALLTOUCH_TOKEN: "secret-calltouch-token",
    GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json,
    ...overrides,
  });
}

Deno.test("tabDigest() tells every byte, every context and every key apart", async () => {
  const read = { tab: "Сделки", timeZone: "Europe/Moscow" };
  const context = quietContext(await config(), read, "build-1");
  const key = (await deriveStateKey(TEST_STATE_KEY)).digest;
  const tab = bytes('{"values":[["1001",3500,"79161112233"]]}');
  const base = await tabDigest(tab, context, key);
  assert.equal(await tabDigest(tab, context, key), base);
  for (const other of ['{"values":[["1001",3501]]}', '{"values":[["1002",3500]]}']) {
    assert.notEqual(await tabDigest(bytes(other), context, key), base, other);
  }
  assert.notEqual(await tabDigest(tab, context + "x", key), base);
  const otherKey = (await deriveStateKey(`${TEST_STATE_KEY}-2`)).digest;
  assert.notEqual(await tabDigest(tab, context, otherKey), base, "keyed");
  const sha1 = new Uint8Array(await crypto.subtle.digest("SHA-1", tab));
  const hex = Array.from(sha1, (b) => b.toString(16).padStart(2, "0")).join("");
  assert.ok(!base.startsWith(hex), "not the plain SHA-1 of the bytes (they hold a phone)");
});

Deno.test("quietContext() holds every setting but the secrets, the tab, the zone and the build", async (t) => {
  const read = { tab: "Сделки", timeZone: "Europe/Moscow" };
  const base = quietContext(await config(), read, "build-1");
  assert.ok(!base.includes("secret-calltouch-token"), "no secret");
  assert.ok(!base.includes("PRIVATE KEY"), "no key");
  const keyed = quietContext(await config({ STATE_KEY: TEST_STATE_KEY }), read, "build-1");
  assert.ok(!keyed.includes(TEST_STATE_KEY), "no STATE_KEY");
  const changes: [string, () => Promise<string>][] = [
    [
      "CUSTOM_SOURCE",
      async () => quietContext(await config({ CUSTOM_SOURCE: "a/b/c" }), read, "build-1"),
    ],
    [
      "STATUS_LANGUAGE",
      async () => quietContext(await config({ STATUS_LANGUAGE: "en" }), read, "build-1"),
    ],
    [
      "CALLTOUCH_SITE_ID",
      async () => quietContext(await config({ CALLTOUCH_SITE_ID: "9" }), read, "build-1"),
    ],
    [
      "a setting added later",
      async () => quietContext(await config({ CRM_NAME: "Другая" }), read, "build-1"),
    ],
    ["the tab", async () => quietContext(await config(), { ...read, tab: "Филиал" }, "build-1")],
    [
      "the time zone",
      async () => quietContext(await config(), { ...read, timeZone: "Asia/Omsk" }, "build-1"),
    ],
    ["the build", async () => quietContext(await config(), read, "build-2")],
  ];
  for (const [name, other] of changes) {
    await t.step(name, async () => assert.notEqual(await other(), base));
  }
  await t.step("the token does not count", async () => {
    assert.equal(
      quietContext(await config({ CALLTOUCH_TOKEN: "another-token" }), read, "build-1"),
      base,
    );
  });
});

Deno.test("quietHolds() only for the same bytes, state, no deltas, in time", () => {
  const record: QuietRecord = {
    digest: "d",
    state: "s",
    until: T + 1000,
    counts: emptyCounts(),
    rows: [],
  };
  const now = { digest: "d", state: "s", hasDeltas: false, at: T };
  assert.equal(quietHolds(record, now), true);
  assert.equal(quietHolds(undefined, now), false);
  assert.equal(quietHolds(record, { ...now, digest: "e" }), false);
  assert.equal(quietHolds(record, { ...now, state: "t" }), false);
  assert.equal(quietHolds(record, { ...now, hasDeltas: true }), false);
  assert.equal(quietHolds(record, { ...now, at: T + 1000 }), false);
  assert.equal(asQuietRecord({ digest: 1 }), undefined);
  assert.equal(asQuietRecord(null), undefined);
  // Each field checked on its own: one wrong one is enough.
  for (const wrong of [{ digest: 1 }, { state: 1 }, { until: "1" }, { rows: {} }]) {
    assert.equal(asQuietRecord({ ...record, ...wrong }), undefined, JSON.stringify(wrong));
  }
  assert.deepEqual(asQuietRecord(structuredClone(record)), record);
});

Deno.test("recordQuiet() writes a record once, with its lapse", async (t) => {
  const kv = new MemoryStore();
  const key = stateKeys(TARGET).quiet;
  const run = { digest: "d", state: "s", stored: undefined, knownBuild: true };
  await t.step("a day with a known build, the held retry when sooner", async () => {
    assert.ok(await recordQuiet(kv, TARGET, report(T), run));
    const stored = asQuietRecord(await kv.get(key, "json"))!;
    assert.equal(stored.until, T + QUIET_MAX_AGE_MS);
    assert.equal(QUIET_MAX_AGE_MS, 24 * 3_600_000, "a full run re-checks at least daily");
    assert.ok(await recordQuiet(kv, TARGET, report(T), { ...run, lapseAt: T + 5 }));
    assert.equal(asQuietRecord(await kv.get(key, "json"))!.until, T + 5);
  });
  await t.step("an hour with an unknown build", async () => {
    await recordQuiet(kv, TARGET, report(T), { ...run, knownBuild: false });
    assert.equal(
      asQuietRecord(await kv.get(key, "json"))!.until,
      T + QUIET_MAX_AGE_UNKNOWN_BUILD_MS,
    );
    assert.equal(QUIET_MAX_AGE_UNKNOWN_BUILD_MS, 3_600_000, "an hour, as the docs say");
  });
  await t.step("the same record again is not written", async () => {
    const stored = asQuietRecord(await kv.get(key, "json"));
    assert.equal(await recordQuiet(kv, TARGET, report(T + 1), { ...run, stored }), false);
  });
  await t.step("too many rows: no record; as many as it may carry: a record", async () => {
    const rows = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        row: i + 2,
        action: "invalid" as const,
        ok: false,
        message: "❌",
      }));
    assert.equal(
      await recordQuiet(kv, TARGET, report(T, { rows: rows(QUIET_MAX_ROWS + 1) }), {
        ...run,
        digest: "x",
      }),
      false,
    );
    assert.equal(
      await recordQuiet(kv, TARGET, report(T, { rows: rows(QUIET_MAX_ROWS) }), {
        ...run,
        digest: "y",
      }),
      true,
    );
  });
});

Deno.test("recordRun() keeps the last reports, an idle run only as an hourly heartbeat", async () => {
  const kv = new MemoryStore();
  assert.ok(await recordRun(kv, TARGET, report(T), { quiet: false, history: [] }));
  let history = await readHistory(kv, TARGET);
  assert.equal(history.length, 1);
  assert.equal(await recordRun(kv, TARGET, report(T + 1000), { quiet: true, history }), false);
  assert.ok(await recordRun(kv, TARGET, report(T + HEARTBEAT_MS), { quiet: true, history }));
  history = await readHistory(kv, TARGET);
  assert.equal(history.length, 2);
  assert.deepEqual(await readHistory(new MemoryStore(), TARGET), []);
});
