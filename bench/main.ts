/**
 * `deno task bench`: what a sync costs. For sheets of 1,000, 10,000 and 50,000 generated deals
 * in the Google emulator, measures the first sync (all new), syncs with nothing changed (a cold
 * one, warm-ups, then the median of several) and syncs with 1% of the deals changed: CPU time,
 * wall time, peak memory and requests by kind. Then builds the Worker and measures the bundle.
 * Prints progress on stderr, tables on stdout, and last one line `BENCH {json}` with every figure.
 *
 * Both emulators run as separate processes (their standalone entries), so this process runs only
 * the sync and its CPU time is the sync's. State lives in a `MemoryStore` here, as KV would.
 * Calltouch's 5 requests/s are not waited for (a limiter that never waits, the emulator's 429s
 * off): the same requests are sent, only sooner. See docs/performance.md.
 *
 * Options: `--sizes 1000,10000` (default 1000,10000,50000), `--no-bundle`.
 */
import { parseArgs } from "node:util";
import type { RateLimiter } from "../src/calltouch/limiter.ts";
import { loadConfig } from "../src/config.ts";
import type { KeyValueStore, PutOptions } from "../src/platform.ts";
import { MemoryStore } from "../src/store/memory.ts";
import type { RunReport } from "../src/sync/report.ts";
import { runSync } from "../src/sync/run.ts";
import { testServiceAccount } from "../test/support/service_account.ts";
import { measureBundle } from "./bundle.ts";
import { CalltouchEmulatorProcess, GoogleEmulatorProcess } from "./emulators.ts";
import { dealChanges, generateDeals } from "./generate.ts";
import { collectGarbage, HEAP_SAMPLE_MS, type HeapProbe, measure, median } from "./measure.ts";
import {
  type BenchResult,
  checkTargets,
  type ObservedRequests,
  renderResults,
  type RunKind,
  type RunResult,
  type SizeResult,
  summarize,
} from "./report.ts";

/** Sheet sizes measured by default. */
export const DEFAULT_SIZES = [1_000, 10_000, 50_000];
/** No-change runs after the cold one that warm the JIT up and are not counted. */
export const WARMUP_RUNS = 2;
/** Measured no-change runs (the median is reported). */
export const NO_CHANGE_RUNS = 5;
/** Rounds of "1% of deals changed" (the median is reported). */
export const CHANGED_ROUNDS = 3;
/** The time budget of every run: the largest the settings allow, so every run can finish. */
export const BENCH_TIME_BUDGET_SECONDS = 840;
/** Admin edits sent to the emulator at once between runs. */
const EDIT_CONCURRENCY = 8;

const TAB = "Сделки";
const SITE_ID = "54321";
const CALLTOUCH_TOKEN = "bench-calltouch-token";

/** Grants every request at once: the bench measures work, not Calltouch's rate limit. */
const noWait: RateLimiter = {
  acquire: (deadline = Infinity) => Promise.resolve(Date.now() < deadline),
};

const progress = (text: string) => console.error(text);
const n = (value: number) => value.toLocaleString("en-US");

/** A KV store that counts operations and samples the heap after each (as I/O boundaries). */
class ProbedStore implements KeyValueStore {
  readonly counts = { reads: 0, puts: 0, deletes: 0, lists: 0 };
  probe: HeapProbe | undefined;
  constructor(private readonly inner: KeyValueStore) {}

  get(key: string, type: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get<T = unknown>(keys: string[], type: "json"): Promise<Map<string, T | null>>;
  async get(key: string | string[], type: "text" | "json"): Promise<unknown> {
    this.counts.reads++;
    // deno-lint-ignore no-explicit-any
    const value = await (this.inner.get as any)(key, type);
    this.probe?.sample();
    return value;
  }
  async put(key: string, value: string, options?: PutOptions): Promise<void> {
    this.counts.puts++;
    this.probe?.sample();
    await this.inner.put(key, value, options);
  }
  async delete(key: string): Promise<void> {
    this.counts.deletes++;
    await this.inner.delete(key);
  }
  async list(options: { prefix?: string; cursor?: string; limit?: number }) {
    this.counts.lists++;
    const result = await this.inner.list(options);
    this.probe?.sample();
    return result;
  }
}

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    sizes: { type: "string" },
    "no-bundle": { type: "boolean", default: false },
  },
});
const sizes = args.sizes
  ? args.sizes.split(",").map((s) => Number(s.replace(/[_\s]/g, "")))
  : DEFAULT_SIZES;
if (sizes.some((s) => !Number.isInteger(s) || s < 100)) {
  console.error(`--sizes must be whole numbers of at least 100, got "${args.sizes}"`);
  Deno.exit(2);
}
if (!collectGarbage()) {
  progress("note: run with --v8-flags=--expose-gc (deno task bench does) for a clean heap per run");
}

const account = await testServiceAccount();
progress("Starting the emulators (separate processes)…");
const google = await GoogleEmulatorProcess.start(account);
const calltouch = await CalltouchEmulatorProcess.start(SITE_ID, CALLTOUCH_TOKEN);
progress(`  Google ${google.url}, Calltouch ${calltouch.url}`);

let exitCode = 0;
try {
  const results: SizeResult[] = [];
  for (const [index, rows] of sizes.entries()) {
    progress(`\n[${index + 1}/${sizes.length}] ${n(rows)} deals`);
    results.push(await benchSize(rows));
  }
  let bundle;
  if (!args["no-bundle"]) {
    progress("\nBuilding and measuring the Worker bundle…");
    bundle = await measureBundle();
  }
  const result: BenchResult = {
    version: 1,
    date: new Date().toISOString(),
    machine: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      os: `${Deno.build.os} ${Deno.build.arch}`,
      cpus: navigator.hardwareConcurrency,
      loadavg: Deno.loadavg(),
    },
    method: {
      cpu: "process.cpuUsage() (user+system, every thread of the bench process) before/after " +
        "runSync(); jsThreadCpuMs: /proc/thread-self/schedstat of the JavaScript thread",
      emulators: "separate processes (test/emulators/*_main.ts): their CPU is not counted",
      heap: `peak of V8 used_heap_size + external_memory, sampled every ${HEAP_SAMPLE_MS} ms and ` +
        "around every fetch and KV operation; full GC before each run",
      rss: "peak RSS of the bench process (VmHWM, reset via /proc/self/clear_refs before each run)",
      noChange:
        `1 cold run, ${WARMUP_RUNS} warm-up runs (not counted), median of ${NO_CHANGE_RUNS}`,
      changed: `median of ${CHANGED_ROUNDS} rounds, each editing ceil(deals/100) valid deals`,
      calltouchRate: "limiter that never waits, emulator 429s off: same requests, no waiting",
      state: "MemoryStore in the bench process (the KV contract)",
      timeBudget: `SYNC_TIME_BUDGET_SECONDS=${BENCH_TIME_BUDGET_SECONDS}`,
    },
    sizes: results,
    bundle,
    targets: checkTargets(results, bundle),
  };
  console.log(renderResults(result));
  console.log(`BENCH ${JSON.stringify(result)}`);
  // Request counts and the bundle's contents are deterministic: a miss there is a failure.
  // Time and memory depend on the machine and are only reported.
  const hard = result.targets.filter((t) => !t.met && !/^(cpu|memory)\./.test(t.id));
  if (hard.length > 0) exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  exitCode = 1;
} finally {
  await google.stop();
  await calltouch.stop();
}
Deno.exit(exitCode);

/** Every run of one sheet size. */
async function benchSize(rows: number): Promise<SizeResult> {
  const spreadsheetId = `1BenchClinic${rows}_abcdefghijklmnopqrstuvwxyz`;
  progress(`  generating and uploading ${n(rows)} rows…`);
  let generated: ReturnType<typeof generateDeals> | undefined = generateDeals(rows);
  const { validRows, invalidRows } = generated;
  await google.createSpreadsheet({
    spreadsheetId,
    tab: TAB,
    values: generated.values,
    sharedWith: account.clientEmail,
  });
  generated = undefined; // the sheet lives in the emulator, not in this process
  await calltouch.reset();

  const store = new MemoryStore();
  const config = loadConfig({
    SPREADSHEET_ID: spreadsheetId,
    SHEET_NAME: TAB,
    CALLTOUCH_SITE_ID: SITE_ID,
    CALLTOUCH_TOKEN,
    GOOGLE_SERVICE_ACCOUNT: account.json,
    GOOGLE_SHEETS_API_URL: google.url,
    GOOGLE_TOKEN_URL: `${google.url}/token`,
    CALLTOUCH_API_URL: calltouch.url,
    STATUS_LANGUAGE: "ru",
    SYNC_TIME_BUDGET_SECONDS: String(BENCH_TIME_BUDGET_SECONDS),
  });

  const runs: RunResult[] = [];
  const run = async (
    kind: RunKind,
    label: string,
    options: { warmup?: boolean; changedDeals?: number } = {},
  ) => {
    const result = await syncOnce(kind, label, store, config, {
      validDeals: validRows.length,
      invalidRows: invalidRows.length,
      ...options,
    });
    runs.push(result);
    progress(
      `  ${label.padEnd(26)} CPU ${result.cost.cpuMs.toFixed(1).padStart(8)} ms, wall ${
        result.cost.wallMs.toFixed(0).padStart(6)
      } ms, heap ${
        result.cost.heapPeakMB.toFixed(1).padStart(5)
      } MB, Calltouch ${result.requests.calltouch}${
        result.complete && result.ok ? "" : `  ⚠ ${result.error ?? "incomplete"}`
      }${result.crossCheck ? "" : "  ⚠ counters disagree"}`,
    );
    return result;
  };

  await run("first", "first sync (all new)");
  const cold = await run("noChange", "no change #1 (cold)", { warmup: true });
  for (let i = 0; i < WARMUP_RUNS; i++) {
    await run("noChange", `no change #${i + 2} (warm-up)`, { warmup: true });
  }
  for (let i = 0; i < NO_CHANGE_RUNS; i++) {
    await run("noChange", `no change #${i + 2 + WARMUP_RUNS}`);
  }
  for (let round = 1; round <= CHANGED_ROUNDS; round++) {
    const changes = dealChanges(validRows, round);
    for (let i = 0; i < changes.length; i += EDIT_CONCURRENCY) {
      await Promise.all(
        changes.slice(i, i + EDIT_CONCURRENCY).map((change) =>
          google.setValues(spreadsheetId, `'${TAB}'!C${change.row}:E${change.row}`, [
            change.cells,
          ])
        ),
      );
    }
    await run("changed", `${n(changes.length)} changed, round ${round}`, {
      changedDeals: changes.length,
    });
  }
  await google.deleteSpreadsheet(spreadsheetId);
  return {
    rows,
    validDeals: validRows.length,
    invalidRows: invalidRows.length,
    runs,
    summary: summarize(runs, median),
    noChangeCold: cold.cost,
  };
}

/** One measured `runSync()`, with the emulators' counters read before and after it. */
async function syncOnce(
  kind: RunKind,
  label: string,
  store: MemoryStore,
  config: ReturnType<typeof loadConfig>,
  expect: { validDeals: number; invalidRows: number; warmup?: boolean; changedDeals?: number },
): Promise<RunResult> {
  await google.resetCounters();
  const calltouchBefore = await calltouch.requestCount();
  const kv = new ProbedStore(store);
  let calltouchSent = 0;
  const expectedCalltouch = kind === "first" ? Math.ceil(expect.validDeals / 100) : 0;

  const { result: report, cost } = await measure(async (probe) => {
    kv.probe = probe;
    const probedFetch: typeof fetch = async (input, init) => {
      probe.sample();
      if (String(input).startsWith(calltouch.url)) calltouchSent++;
      const response = await fetch(input, init);
      probe.sample();
      return response;
    };
    // A long first sync shows where it is, every few seconds (a few µs of CPU each time).
    const ticker = expectedCalltouch > 50
      ? setInterval(
        () => progress(`    … ${n(calltouchSent)} of ~${n(expectedCalltouch)} Calltouch requests`),
        3_000,
      )
      : undefined;
    try {
      return await runSync(config, {
        store: kv,
        fetch: probedFetch,
        calltouchLimiter: noWait,
      }, { trigger: "manual" }) as RunReport;
    } finally {
      clearInterval(ticker);
    }
  });

  const g = await google.counters();
  const observed: ObservedRequests = {
    google: {
      token: g.token,
      metadata: g.metadata,
      valuesRead: g.valuesRead,
      valuesWrite: g.valuesWrite,
      batchUpdate: g.batchUpdate,
    },
    calltouch: (await calltouch.requestCount()) - calltouchBefore,
    kv: { ...kv.counts },
  };
  const q = report.requests;
  const crossCheck = q.token === g.token && q.sheetsMetadata === g.metadata &&
    q.sheetsRead === g.valuesRead && q.sheetsWrite === g.valuesWrite + g.batchUpdate &&
    q.calltouch === observed.calltouch && q.calltouch === calltouchSent &&
    q.kvRead === kv.counts.reads + kv.counts.lists &&
    q.kvWrite === kv.counts.puts + kv.counts.deletes;

  const c = report.counts;
  const noFailures = c.failed === 0 && c.retrying === 0 && c.held === 0;
  const complete = noFailures && c.invalid === expect.invalidRows && (
    kind === "first"
      ? c.created === expect.validDeals && c.updated === 0
      : kind === "noChange"
      ? c.unchanged === expect.validDeals && c.created === 0 && c.updated === 0
      : c.updated === expect.changedDeals && c.created === 0 &&
        c.unchanged === expect.validDeals - c.updated
  );
  return {
    kind,
    label,
    warmup: expect.warmup ?? false,
    cost,
    requests: q,
    observed,
    crossCheck,
    counts: c,
    ok: report.ok,
    complete,
    error: report.error ? `${report.error.kind}: ${report.error.message}` : undefined,
    changedDeals: expect.changedDeals,
  };
}
