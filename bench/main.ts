/**
 * `deno task bench`: what a sync costs. For sheets of 1,000, 10,000 and 50,000 generated deals
 * in the Google emulator, measures the first sync (all new), syncs with nothing changed (a cold
 * one, warm-ups, then the median of several) and syncs with 1% of the deals changed: CPU time,
 * wall time, peak memory and requests by kind. Then builds the Worker and measures the bundle.
 * Prints progress on stderr, tables on stdout, and last one line `BENCH {json}` with every figure.
 *
 * Both emulators run as separate processes (their standalone entries), so this process runs only
 * the sync and its CPU time is the sync's. State lives in an `OffHeapStore` here (values outside the V8 heap, as KV keeps them outside the isolate).
 * Calltouch's 5 requests/s are not waited for (a limiter that never waits, the emulator's 429s
 * off): the same requests are sent, only sooner. See docs/performance.md.
 *
 * Then the many-targets case (`bench/targets.ts`): 50 clinics × 1,000 deals through a local
 * queue in workerd, the emulators' quotas on, three cron ticks (first sync, no change, 1%
 * changed), on a scaled clock.
 *
 * Then what keying the stored hashes and encrypting the Google token cost (`bench/hashes.ts`,
 * `bench/token_cache.ts`).
 *
 * Options: `--sizes 1000,10000` (default 1000,10000,50000), `--no-bundle`, `--targets N`
 * (default 50; given alone, only the many-targets case runs: `deno task bench --targets 500`),
 * `--target-rows R` (default 1000), `--service-accounts K` (default 1), `--cron "…"` (default:
 * the most frequent regular cron at which every clinic fits Google's quota), `--time-scale S`
 * (default 5), `--no-targets`, `--no-keys`.
 */
import { parseArgs } from "node:util";
import { exitWithHelpIfAsked, withoutSeparators } from "../scripts/help.ts";
import { testServiceAccount } from "../test/support/service_account.ts";
import { measureBundle } from "./bundle.ts";
import { CalltouchEmulatorProcess, GoogleEmulatorProcess } from "./emulators.ts";
import { collectGarbage, HEAP_SAMPLE_MS } from "./measure.ts";
import {
  type BenchResult,
  checkTargets,
  type FitAttempt,
  type FitResult,
  renderResults,
  type SizeResult,
} from "./report.ts";
import { BENCH_TIME_BUDGET_SECONDS, BenchRunner } from "./runner.ts";
import { benchTargets, DEFAULT_TIME_SCALE, renderTargets } from "./targets.ts";
import { benchHashes, renderHashes } from "./hashes.ts";
import { benchTokenCache, renderTokenCache } from "./token_cache.ts";

/** The many-targets case by default: targets, and deals per target's sheet. */
export const DEFAULT_TARGETS = 50;
export const DEFAULT_TARGET_ROWS = 1_000;
/** Sheet sizes measured by default. */
export const DEFAULT_SIZES = [1_000, 10_000, 50_000];
/** No-change runs after the cold one that warm the JIT up and are not counted. */
export const WARMUP_RUNS = 2;
/** Measured no-change runs, a full GC before each (the median is reported). */
export const NO_CHANGE_RUNS = 5;
/** Measured no-change runs back to back, no GC in between (the median is reported too). */
export const BACK_TO_BACK_RUNS = 5;
/** Rounds of "1% of deals changed" (the median is reported). */
export const CHANGED_ROUNDS = 3;
/** V8 heap caps the capped-heap check may try, smallest first. */
export const FIT_CAPS_MB = [64, 80, 96, 112, 128];
/** "Well under 128 MB": the syncs must fit in three quarters of a Workers isolate. */
export const FIT_TARGET_MB = 96;

const SITE_ID = "54321";
const CALLTOUCH_TOKEN = "bench-calltouch-token";

const progress = (text: string) => console.error(text);
const n = (value: number) => value.toLocaleString("en-US");

/**
 * Finds the smallest of {@linkcode FIT_CAPS_MB} in which every sync of `rows` deals completes:
 * tries the target cap first, then smaller caps while they fit, or larger ones until one does.
 */
async function fitCheck(rows: number): Promise<FitResult> {
  const attempts: FitAttempt[] = [];
  const at = FIT_CAPS_MB.indexOf(FIT_TARGET_MB);
  const tryCap = async (capMB: number) => {
    progress(`  V8 heap capped at ${capMB} MB…`);
    const attempt = await fitAttempt(rows, capMB);
    progress(attempt.fits ? "  fits" : `  does not fit: ${attempt.error ?? "a run failed"}`);
    attempts.push(attempt);
    return attempt.fits;
  };
  let smallest: number | null = null;
  if (await tryCap(FIT_TARGET_MB)) {
    smallest = FIT_TARGET_MB;
    for (let i = at - 1; i >= 0 && await tryCap(FIT_CAPS_MB[i]); i--) smallest = FIT_CAPS_MB[i];
  } else {
    for (let i = at + 1; i < FIT_CAPS_MB.length; i++) {
      if (await tryCap(FIT_CAPS_MB[i])) {
        smallest = FIT_CAPS_MB[i];
        break;
      }
    }
  }
  return { rows, targetMB: FIT_TARGET_MB, smallestFitMB: smallest, attempts };
}

/**
 * Runs the largest size again in a child process whose V8 heap is capped at `capMB`: if the
 * syncs need more, V8 ends the child and the attempt fails.
 */
async function fitAttempt(rows: number, capMB: number): Promise<FitAttempt> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--v8-flags=--expose-gc,--max-heap-size=${capMB}`,
      "bench/fit.ts",
      String(rows),
      google.url,
      calltouch.url,
      SITE_ID,
      CALLTOUCH_TOKEN,
    ],
    cwd: new URL("../", import.meta.url),
    env: { BENCH_SERVICE_ACCOUNT: account.json },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const [output, errors] = await Promise.all([
    new Response(child.stdout).text(),
    (async () => {
      let text = "";
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        text += chunk;
        for (const line of chunk.split("\n")) {
          if (/^ {2}\p{L}/u.test(line)) progress(`  ${line}`); // the runner's lines only
        }
      }
      return text;
    })(),
    child.status,
  ]);
  const line = output.split("\n").find((l) => l.startsWith("FIT "));
  if (!line) {
    const reason = /out of memory|heap limit/i.test(errors)
      ? "out of memory (V8 heap limit reached)"
      : errors.trim().split("\n").slice(-3).join(" ");
    return { capMB, fits: false, error: reason, runs: [] };
  }
  const { result } = JSON.parse(line.slice(4)) as { result: SizeResult };
  const runs = result.runs.map((r) => ({
    label: r.label,
    ok: r.ok && r.complete,
    heapPeakMB: r.cost.heapPeakMB,
    cpuMs: r.cost.cpuMs,
    wallMs: r.cost.wallMs,
  }));
  return { capMB, fits: runs.every((r) => r.ok), runs };
}

exitWithHelpIfAsked(
  `Usage: deno task bench [--sizes 1000,10000] [--no-bundle] [--targets N] [--target-rows R]
                       [--no-targets] [--no-keys]

What a sync costs: first, no-change and 1%-changed syncs of generated sheets (default sizes
1000,10000,50000), the Worker bundle, then N targets (default 50) x R deals (default 1000) through
a local queue in workerd; then what the keyed hashes and the encrypted Google token cost
(bench/hashes.ts, bench/token_cache.ts; --no-keys skips them). Tables on stdout, progress on
stderr, then BENCH, BENCH_HASHES, BENCH_TOKEN and BENCH_TARGETS {json} lines. See
docs/performance.md.`,
  Deno.args,
);

const { values: args } = parseArgs({
  args: withoutSeparators(Deno.args),
  options: {
    sizes: { type: "string" },
    "no-bundle": { type: "boolean", default: false },
    targets: { type: "string" },
    "target-rows": { type: "string" },
    "service-accounts": { type: "string" },
    cron: { type: "string" },
    "time-scale": { type: "string" },
    "no-targets": { type: "boolean", default: false },
    "no-keys": { type: "boolean", default: false },
  },
});
const serviceAccounts = Number(args["service-accounts"] ?? 1);
const timeScale = Number(args["time-scale"] ?? DEFAULT_TIME_SCALE);
if (![serviceAccounts, timeScale].every((v) => Number.isInteger(v) && v >= 1)) {
  console.error("--service-accounts and --time-scale must be whole numbers of at least 1");
  Deno.exit(2);
}
/** `--targets` alone: only the many-targets case. */
const onlyTargets = args.targets !== undefined && args.sizes === undefined;
const manyTargets = Number(args.targets ?? DEFAULT_TARGETS);
const targetRows = Number(args["target-rows"] ?? DEFAULT_TARGET_ROWS);
if (![manyTargets, targetRows].every((v) => Number.isInteger(v) && v >= 1)) {
  console.error("--targets and --target-rows must be whole numbers of at least 1");
  Deno.exit(2);
}
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

/** The many-targets case; false when it failed its targets. */
async function manyTargetsCase(): Promise<boolean> {
  progress(`\nMany targets: ${n(manyTargets)} × ${n(targetRows)} deals through a local queue…`);
  const many = await benchTargets({
    count: manyTargets,
    rows: targetRows,
    serviceAccounts,
    timeScale,
    ...(args.cron ? { cron: args.cron } : {}),
    progress,
  });
  console.log(`\n${renderTargets(many)}`);
  console.log(`BENCH_TARGETS ${JSON.stringify(many)}`);
  return many.met;
}

if (onlyTargets) {
  let ok = false;
  try {
    ok = await manyTargetsCase();
  } catch (error) {
    console.error(error instanceof Error ? error.stack : error);
  }
  Deno.exit(ok ? 0 : 1);
}

const account = await testServiceAccount();
progress("Starting the emulators (separate processes)…");
const google = await GoogleEmulatorProcess.start(account);
const calltouch = await CalltouchEmulatorProcess.start(SITE_ID, CALLTOUCH_TOKEN);
progress(`  Google ${google.url}, Calltouch ${calltouch.url}`);

let exitCode = 0;
try {
  const runner = new BenchRunner({ google, calltouch, account, progress });
  const plan = {
    warmups: WARMUP_RUNS,
    noChange: NO_CHANGE_RUNS,
    backToBack: BACK_TO_BACK_RUNS,
    changedRounds: CHANGED_ROUNDS,
  };
  const results: SizeResult[] = [];
  for (const [index, rows] of sizes.entries()) {
    progress(`\n[${index + 1}/${sizes.length}] ${n(rows)} deals`);
    results.push(await runner.benchSize(rows, plan));
  }
  const largest = Math.max(...sizes);
  progress(`\nCapped-heap check: ${n(largest)} deals in a child process with a capped V8 heap`);
  const fit = await fitCheck(largest);
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
      fit: `the largest size again (first, no change, 1% changed) in a child process with ` +
        `--max-heap-size=<cap>, caps ${FIT_CAPS_MB.join("/")} MB: the smallest cap in which ` +
        `every run completes; the target is ≤ ${FIT_TARGET_MB} MB`,
      noChange: `1 cold run, ${WARMUP_RUNS} warm-up runs (not counted), median of ` +
        `${NO_CHANGE_RUNS} with a full GC before each, median of ${BACK_TO_BACK_RUNS} back to back`,
      changed: `median of ${CHANGED_ROUNDS} rounds, each editing ceil(deals/100) valid deals`,
      calltouchRate: "limiter that never waits, emulator 429s off: same requests, no waiting",
      state:
        "OffHeapStore in the bench process: the KV contract (MemoryStore), values as bytes outside the V8 heap, as KV keeps them outside the isolate",
      timeBudget: `SYNC_TIME_BUDGET_SECONDS=${BENCH_TIME_BUDGET_SECONDS}`,
    },
    sizes: results,
    fit,
    bundle,
    targets: checkTargets(results, bundle, fit),
  };
  console.log(renderResults(result));
  console.log(`BENCH ${JSON.stringify(result)}`);
  if (!args["no-keys"]) {
    progress(`\nKeyed hashes over ${n(largest)} rows, and the Google token's cache…`);
    const hashes = await benchHashes(largest);
    console.log(`\n${renderHashes(hashes)}`);
    console.log(`BENCH_HASHES ${JSON.stringify(hashes)}`);
    const token = await benchTokenCache();
    console.log(`\n${renderTokenCache(token)}`);
    console.log(`BENCH_TOKEN ${JSON.stringify(token)}`);
  }
  if (!args["no-targets"] && !(await manyTargetsCase())) exitCode = 1;
  // Requests, completeness, the capped heap and the bundle's contents do not depend on the
  // machine: a miss there is a failure. CPU time does, and is only reported.
  const hard = result.targets.filter((t) => !t.met && !t.id.startsWith("cpu."));
  if (hard.length > 0) exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  exitCode = 1;
} finally {
  await google.stop();
  await calltouch.stop();
}
Deno.exit(exitCode);
