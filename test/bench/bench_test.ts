/** The benchmark's own code: the data generator and the BENCH line (no timing, no emulators). */
import assert from "node:assert/strict";
import { dealChanges, generateDeals, MISTAKE_KINDS } from "../../bench/generate.ts";
import type { Cost } from "../../bench/measure.ts";
import { median } from "../../bench/measure.ts";
import {
  type BenchResult,
  checkTargets,
  renderResults,
  type RunKind,
  type RunResult,
  type SizeResult,
  summarize,
} from "../../bench/report.ts";
import { benchHashes, renderHashes } from "../../bench/hashes.ts";
import { dayCost } from "../../bench/plans.ts";
import { peakInWindow } from "../../bench/targets.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import type { RunRequests } from "../../src/sync/report.ts";
import { emptyCounts, emptyRequests } from "../../src/sync/report.ts";

Deno.test("generateDeals() gives the same sheet for the same seed, another for another", () => {
  assert.deepEqual(generateDeals(300), generateDeals(300));
  assert.notDeepEqual(generateDeals(300).values, generateDeals(300, 1).values);
});

Deno.test("generateDeals() rows parse as it says: valid rows become deals, ~2% are problems", () => {
  const sheet = generateDeals(2_000);
  assert.equal(sheet.values.length, 2_001);
  const parsed = parseSheet(sheet.values, { language: "ru", timeZone: "Europe/Moscow" });
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.deals.map((d) => d.row), sheet.validRows);
  assert.deepEqual([...new Set(parsed.problems.map((p) => p.row))], sheet.invalidRows);
  const share = sheet.invalidRows.length / 2_000;
  assert.ok(share > 0.01 && share < 0.04, `mistakes in ${share * 100}% of rows`);
  const codes = new Set(parsed.problems.map((p) => p.code));
  for (const kind of MISTAKE_KINDS) assert.ok(codes.has(kind), `no ${kind} in 2,000 rows`);
  // Realistic variety: serial and text dates, numeric and text sums, two-phone cells.
  const column = (i: number) => sheet.values.slice(1).map((row) => row[i]);
  assert.ok(column(1).some((v) => typeof v === "number"));
  assert.ok(column(1).some((v) => typeof v === "string" && v.includes(".")));
  assert.ok(column(4).some((v) => typeof v === "string" && v.includes("₽")));
  assert.ok(parsed.deals.some((d) => d.phones.length === 2));
  assert.ok(parsed.deals.some((d) => d.emails.length === 1));
});

Deno.test("dealChanges() edits 1% of valid deals, distinct, and each round other ones", () => {
  const { validRows } = generateDeals(1_000);
  const first = dealChanges(validRows, 1);
  assert.equal(first.length, Math.ceil(validRows.length / 100));
  assert.equal(new Set(first.map((c) => c.row)).size, first.length);
  assert.ok(first.every((c) => validRows.includes(c.row)));
  assert.deepEqual(dealChanges(validRows, 1), first);
  assert.notDeepEqual(dealChanges(validRows, 2).map((c) => c.row), first.map((c) => c.row));
});

function cost(cpuMs: number): Cost {
  return {
    cpuMs,
    jsThreadCpuMs: cpuMs,
    wallMs: cpuMs + 1,
    heapPeakMB: 20,
    heapBeforeMB: 10,
    allocatedMB: 5,
    rssPeakMB: 90,
    rssMethod: "VmHWM",
  };
}

function run(
  kind: RunKind,
  label: string,
  requests: Partial<RunRequests>,
  cpuMs = 3,
  gcBefore = true,
): RunResult {
  const q = { ...emptyRequests(), ...requests };
  return {
    kind,
    label,
    warmup: false,
    gcBefore,
    cost: cost(cpuMs),
    requests: q,
    observed: {
      google: { token: q.token, metadata: 1, valuesRead: 1, valuesWrite: 0, batchUpdate: 0 },
      calltouch: q.calltouch,
      kv: { reads: 2, puts: 0, deletes: 0, lists: 1 },
    },
    crossCheck: true,
    counts: emptyCounts(),
    ok: true,
    complete: true,
    changedDeals: kind === "changed" ? 10 : undefined,
    quiet: kind === "noChange",
  };
}

Deno.test("the BENCH line holds every figure and the targets, as one parseable JSON", () => {
  const runs = [
    run("first", "first sync (all new)", { sheetsRead: 2, sheetsWrite: 1, calltouch: 10 }, 200),
    run("noChange", "no change #1", { sheetsRead: 1, sheetsMetadata: 1 }, 4),
    run("noChange", "no change #2", { sheetsRead: 1, sheetsMetadata: 1 }, 7),
    run("noChange", "no change #3 (no GC)", { sheetsRead: 1, sheetsMetadata: 1 }, 3, false),
    run("changed", "10 changed, round 1", { sheetsRead: 2, sheetsWrite: 1, calltouch: 1 }),
  ];
  const size: SizeResult = {
    rows: 1_000,
    validDeals: 974,
    invalidRows: 26,
    runs,
    summary: summarize(runs, median),
    noChangeCold: runs[1].cost,
  };
  const result: BenchResult = {
    version: 1,
    date: "2026-11-28T00:00:00.000Z",
    machine: {},
    method: {},
    sizes: [size],
    targets: checkTargets([size]),
  };
  const text = renderResults(result);
  assert.match(text, /no change, median of 1/);
  assert.match(text, /no change, GC before each, ×2/);
  assert.match(text, /Quiet runs, 1,000 rows: 3 of 3 no-change runs were quiet/);
  assert.equal(runs.filter((r) => r.quiet).length, 3);
  const line = `BENCH ${JSON.stringify(result)}`;
  const parsed = JSON.parse(line.slice("BENCH ".length));
  assert.equal(parsed.sizes[0].summary.noChange.cpuMs, 5.5);
  assert.equal(parsed.sizes[0].summary.noChangeBackToBack.cpuMs, 3);
  const met = Object.fromEntries(
    parsed.targets.map((t: { id: string; met: boolean }) => [t.id, t.met]),
  );
  assert.equal(met["requests.noChange.1000"], true);
  assert.equal(met["requests.changed.1000.1"], true);
  assert.equal(met["cpu.noChange.1000"], true); // back to back: 3 ms (GC'd runs: 5.5 ms)
  assert.equal(met["complete.1000"], true);
});

Deno.test("benchHashes() measures every variant over every row and deal (no timing asserted)", async () => {
  const result = await benchHashes(200);
  assert.equal(result.raw.length, 5);
  assert.ok(result.raw.every((cost) => cost.count === 200));
  assert.ok(result.fingerprints.every((cost) => cost.count > 300)); // two per valid deal
  assert.match(renderHashes(result), /SipHash-2-4 \(chosen\)/);
});

Deno.test("dayCost() prices a day of ticks against the Free quotas and the Paid allowances", () => {
  const quiet = {
    runs: 500,
    kvReads: 1_500,
    kvWrites: 0,
    queueOps: 1_500,
    calltouchRequests: 0,
    googleReads: 1_000,
    cpuMs: 5_000,
    cpuPerRunMs: 10,
    maxSubrequests: 2,
  };
  const hourly = dayCost(quiet, 60);
  assert.equal(hourly.ticks, 24);
  assert.equal(hourly.invocations, 24 * 501);
  assert.equal(hourly.durableObjectRequests, 48_000, "a start and an end per Google read");
  assert.equal(hourly.kvLists, 12_000, "one list a run");
  assert.equal(hourly.kvReads, 24_000);
  assert.deepEqual(hourly.free.over, [
    "KV lists/day 12,000 > 1,000",
    "queue ops/day 36,000 > 10,000",
  ]);
  // 1.08M queue ops a month: 0.08M over at $0.40/M; 1.44M DO requests: 0.44M over at $0.15/M.
  assert.equal(hourly.paidMonthlyUsd, 5.1, "5 + 0.03 + 0.07");
  const often = dayCost({ ...quiet, kvWrites: 3_500, cpuPerRunMs: 48 }, 5);
  assert.equal(often.ticks, 288);
  assert.ok(often.free.over.some((line) => line.startsWith("KV writes/day 1,008,000")));
  assert.ok(often.free.over.includes("CPU ms/run 48 > 10"));
  // 30.24M KV writes a month, 29.24M over the allowance at $5/M; 4.32M lists, 3.32M over at $5/M;
  // queue 12.96M ops, 11.96M over at $0.40/M; CPU 43.2M ms, 13.2M over at $0.02/M; DO requests
  // 17.28M, 16.28M over at $0.15/M.
  assert.equal(often.paidMonthlyUsd, 175.29, "5 + 146.2 + 16.6 + 4.784 + 0.264 + 2.442");
});

Deno.test("peakInWindow() counts the most events within any half-open window", () => {
  assert.equal(peakInWindow([], 1000), 0);
  assert.equal(peakInWindow([0, 999, 1000, 1999], 1000), 2);
  assert.equal(peakInWindow([5, 0, 1, 2, 3, 4], 1000), 6);
});
