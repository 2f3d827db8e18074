/**
 * The benchmark's results: their shape (the `BENCH {json}` line), the targets they are held to
 * (the cost target of a run: docs/how-it-works.md, "What a run costs"), and the readable tables
 * printed before that line.
 */
import type { RunCounts, RunRequests } from "../src/sync/report.ts";
import type { BundleFigures } from "./bundle.ts";
import type { Cost } from "./measure.ts";

/** Which of the three runs of a size. */
/**
 * What a run measures: the first sync, the full run right after a change (it sends and writes
 * nothing, and leaves the quiet record), a sync with nothing changed, one with 1% changed.
 */
export type RunKind = "first" | "settle" | "noChange" | "changed";

/** Requests counted on the other side: by the emulators, and by the bench's KV wrapper. */
export interface ObservedRequests {
  google: {
    token: number;
    metadata: number;
    valuesRead: number;
    valuesWrite: number;
    batchUpdate: number;
  };
  calltouch: number;
  kv: { reads: number; puts: number; deletes: number; lists: number };
}

/** One measured sync. */
export interface RunResult {
  kind: RunKind;
  /** e.g. "first sync", "no change #3 (warm-up)". */
  label: string;
  /** Warm-up runs are reported but excluded from medians. */
  warmup: boolean;
  /** Whether a full GC ran right before the run (false: back-to-back with the previous one). */
  gcBefore: boolean;
  cost: Cost;
  /** `requests` of the run report. */
  requests: RunRequests;
  observed: ObservedRequests;
  /** The run report's requests agree with what the emulators and the KV wrapper saw. */
  crossCheck: boolean;
  counts: RunCounts;
  ok: boolean;
  /** The run took the quiet record of a run that did nothing (`"quiet": true` in its report). */
  quiet: boolean;
  /** Everything that should have been done was done (no deal left pending or failed). */
  complete: boolean;
  error?: string;
  /** For the changed runs: deals edited before the run. */
  changedDeals?: number;
}

/** All runs of one sheet size. */
export interface SizeResult {
  rows: number;
  /** Rows that parse into deals, and rows with a deliberate mistake. */
  validDeals: number;
  invalidRows: number;
  runs: RunResult[];
  /**
   * Medians over the measured (non-warm-up) runs: of each kind with a full GC before each run,
   * and of the no-change runs made back to back (no GC in between).
   */
  summary: Summary;
  /** The first no-change run after the first sync (JIT not yet warm for this size). */
  noChangeCold: Cost;
}

/** One target and whether it was met. */
export interface TargetResult {
  id: string;
  description: string;
  /** The measured value(s), as text. */
  value: string;
  met: boolean;
}

/** One run of the largest size in a child process whose V8 heap is capped at `capMB`. */
export interface FitAttempt {
  capMB: number;
  /** Every run completed: the syncs fit in that heap. */
  fits: boolean;
  /** Why not, when the child did not finish (e.g. out of memory). */
  error?: string;
  runs: { label: string; ok: boolean; heapPeakMB: number; cpuMs: number; wallMs: number }[];
}

/** The capped-heap check: the smallest tried cap in which the largest size's syncs complete. */
export interface FitResult {
  rows: number;
  targetMB: number;
  /** Null when none of the caps tried was enough. */
  smallestFitMB: number | null;
  attempts: FitAttempt[];
}

/** Everything the `BENCH` line holds. */
export interface BenchResult {
  version: 1;
  date: string;
  machine: Record<string, unknown>;
  method: Record<string, string>;
  sizes: SizeResult[];
  fit?: FitResult;
  bundle?: BundleFigures;
  targets: TargetResult[];
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (
  n: number | null,
) => (n === null ? "—" : n < 10 ? fmt(n, 2) : n < 100 ? fmt(n, 1) : fmt(n));

/** Medians of some runs. */
export interface RunSummary {
  runs: number;
  cpuMs: number;
  jsThreadCpuMs: number | null;
  wallMs: number;
  /** Highest of the runs (not a median). */
  heapPeakMB: number;
  rssPeakMB: number;
}

/** The medians reported per size. */
export interface Summary {
  first: RunSummary;
  noChange: RunSummary;
  noChangeBackToBack: RunSummary;
  changed: RunSummary;
}

/** The medians of the measured runs of each kind. */
export function summarize(runs: readonly RunResult[], median: (v: number[]) => number): Summary {
  const of = (kind: RunKind, gcBefore = true): RunSummary => {
    const measured = runs.filter((r) => r.kind === kind && !r.warmup && r.gcBefore === gcBefore);
    const pick = (f: (r: RunResult) => number) => median(measured.map(f));
    const thread = measured.every((r) => r.cost.jsThreadCpuMs !== null)
      ? pick((r) => r.cost.jsThreadCpuMs!)
      : null;
    return {
      runs: measured.length,
      cpuMs: pick((r) => r.cost.cpuMs),
      jsThreadCpuMs: thread,
      wallMs: pick((r) => r.cost.wallMs),
      heapPeakMB: Math.max(...measured.map((r) => r.cost.heapPeakMB)),
      rssPeakMB: Math.max(...measured.map((r) => r.cost.rssPeakMB)),
    };
  };
  return {
    first: of("first"),
    noChange: of("noChange"),
    noChangeBackToBack: of("noChange", false),
    changed: of("changed"),
  };
}

/** Checks every target of the brief against the results. */
export function checkTargets(
  sizes: readonly SizeResult[],
  bundle?: BundleFigures,
  fit?: FitResult,
): TargetResult[] {
  const targets: TargetResult[] = [];
  const add = (id: string, description: string, value: string, met: boolean) =>
    targets.push({ id, description, value, met });

  for (const size of sizes) {
    const n = fmt(size.rows);
    const noChange = size.runs.filter((r) => r.kind === "noChange");
    const bad = noChange.filter((r) => {
      const q = r.requests;
      return !(q.sheetsRead === 1 && q.sheetsMetadata <= 1 && q.calltouch === 0 &&
        q.sheetsWrite === 0 && q.kvWrite === 0);
    });
    add(
      `requests.noChange.${size.rows}`,
      `${n} rows, no change: 1 sheet read (+≤1 metadata), 0 Calltouch, 0 sheet writes, 0 KV writes`,
      requestText(noChange[noChange.length - 1]?.requests) +
        (bad.length
          ? ` (${bad.length} of ${noChange.length} runs off)`
          : ` (all ${noChange.length} runs)`),
      bad.length === 0 && noChange.length > 0,
    );
    for (const run of size.runs.filter((r) => r.kind === "changed")) {
      const expected = Math.ceil((run.changedDeals ?? 0) / 100);
      const q = run.requests;
      add(
        `requests.changed.${size.rows}.${/round (\d+)/.exec(run.label)?.[1] ?? ""}`,
        `${n} rows, ${fmt(run.changedDeals ?? 0)} deals changed: ${expected} Calltouch, ` +
          `1 ID-column read (2 reads in all), 1 sheet write`,
        requestText(q),
        q.calltouch === expected && q.sheetsRead === 2 && q.sheetsWrite === 1,
      );
    }
    const incomplete = size.runs.filter((r) => !r.complete || !r.ok);
    add(
      `complete.${size.rows}`,
      `${n} rows: every run completed everything within the time budget`,
      incomplete.length
        ? incomplete.map((r) => `${r.label}: ${r.error ?? "incomplete"}`).join("; ")
        : "yes",
      incomplete.length === 0,
    );
    const mismatched = size.runs.filter((r) => !r.crossCheck);
    add(
      `crossCheck.${size.rows}`,
      `${n} rows: run report's request counts = emulators' counters and the KV wrapper's`,
      mismatched.length ? mismatched.map((r) => r.label).join(", ") : "all runs agree",
      mismatched.length === 0,
    );
  }

  const cpuTarget = (rows: number, limit: number) => {
    const size = sizes.find((s) => s.rows === rows);
    if (!size) return;
    // Steady state: warm, back to back. Without back-to-back runs, the GC'd ones.
    const steady = size.summary.noChangeBackToBack.runs > 0
      ? size.summary.noChangeBackToBack
      : size.summary.noChange;
    add(
      `cpu.noChange.${rows}`,
      `CPU of a no-change sync of ${fmt(rows)} rows ≤ ${limit} ms (warm, median of ${steady.runs})`,
      `${ms(steady.cpuMs)} ms (JS thread ${ms(steady.jsThreadCpuMs)} ms; with a full GC before ` +
        `each run ${ms(size.summary.noChange.cpuMs)} ms; cold ${ms(size.noChangeCold.cpuMs)} ms)`,
      steady.cpuMs <= limit,
    );
  };
  cpuTarget(1_000, 5);
  cpuTarget(10_000, 50);

  const largest = sizes.find((s) => s.rows === 50_000);
  if (largest) {
    const peak = Math.max(...largest.runs.map((r) => r.cost.heapPeakMB));
    const capped = fit?.rows === 50_000 ? fit : undefined;
    const tried = capped?.attempts.map((a) => `${a.capMB} MB ${a.fits ? "fits" : "no"}`).join(", ");
    add(
      "memory.50000",
      `50,000 rows: well under 128 MB — every run completes with the V8 heap capped at ${
        capped?.targetMB ?? "?"
      } MB or less`,
      (capped
        ? capped.smallestFitMB === null
          ? `fits in none of the caps tried (${tried})`
          : `smallest cap that fits: ${capped.smallestFitMB} MB (${tried})`
        : "not checked") +
        `; uncapped: peak sampled heap ${fmt(peak, 1)} MB (garbage included), RSS ${
          fmt(Math.max(...largest.runs.map((r) => r.cost.rssPeakMB)), 0)
        } MB`,
      capped?.smallestFitMB != null && capped.smallestFitMB <= capped.targetMB,
    );
  }

  if (bundle) {
    add(
      "bundle.noGoogleLibrary",
      "No Google client library in the Worker bundle",
      bundle.googleClientLibrary ? bundle.googleEvidence.join(", ") : "none",
      !bundle.googleClientLibrary,
    );
    add(
      "bundle.size",
      "The bundle stays small (budget here: ≤ 256 KiB raw)",
      `${fmt(bundle.rawBytes / 1024, 1)} KiB raw, ${fmt(bundle.gzipBytes / 1024, 1)} KiB gzip`,
      bundle.rawBytes <= 256 * 1024,
    );
  }
  return targets;
}

function requestText(q: RunRequests | undefined): string {
  if (!q) return "no run";
  return `token ${q.token}, reads ${q.sheetsRead} (+${q.sheetsMetadata} metadata), writes ${q.sheetsWrite}, ` +
    `Calltouch ${q.calltouch}, KV ${q.kvRead} reads / ${q.kvWrite} writes`;
}

function table(header: string[], rows: string[][], alignLeft = 2): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The readable results: one line per run kind and size, then the targets and the bundle. */
export function renderResults(result: BenchResult): string {
  const rows: string[][] = [];
  for (const size of result.sizes) {
    type Figures = Pick<Cost, "cpuMs" | "jsThreadCpuMs" | "wallMs" | "heapPeakMB" | "rssPeakMB">;
    const line = (label: string, run: RunResult | undefined, cost: Figures) => {
      if (!run) return;
      const q = run.requests;
      rows.push([
        fmt(size.rows),
        label,
        ms(cost.cpuMs),
        ms(cost.jsThreadCpuMs),
        ms(cost.wallMs),
        fmt(cost.heapPeakMB, 1),
        fmt(cost.rssPeakMB, 0),
        String(q.token),
        `${q.sheetsRead}+${q.sheetsMetadata}`,
        String(q.sheetsWrite),
        String(q.calltouch),
        `${q.kvRead}/${q.kvWrite}`,
      ]);
    };
    const s = size.summary;
    const last = (kind: RunKind) => [...size.runs].reverse().find((r) => r.kind === kind);
    line("first sync (all new)", last("first"), s.first);
    const settle = last("settle");
    if (settle) line("after a change (full, records)", settle, settle.cost);
    line(
      "no change, first (cold)",
      size.runs.find((r) => r.kind === "noChange"),
      size.noChangeCold,
    );
    if (s.noChangeBackToBack.runs > 0) {
      line(
        `no change, median of ${s.noChangeBackToBack.runs}`,
        last("noChange"),
        s.noChangeBackToBack,
      );
    }
    line(`no change, GC before each, ×${s.noChange.runs}`, last("noChange"), s.noChange);
    const changed = last("changed");
    line(
      `${fmt(changed?.changedDeals ?? 0)} changed, median of ${s.changed.runs}`,
      changed,
      s.changed,
    );
  }
  const out = [
    table(
      [
        "rows",
        "run",
        "CPU ms",
        "JS thr ms",
        "wall ms",
        "heap MB",
        "RSS MB",
        "token",
        "read+meta",
        "write",
        "Calltouch",
        "KV r/w",
      ],
      rows,
    ),
    "",
    "CPU: process CPU time (user+system, all threads of the bench process) around runSync();",
    'JS thr: the JavaScript thread alone. Medians; "no change, median" = warm runs back to back,',
    '"GC before each" = the same with a full GC before each run. heap: peak sampled V8 heap used',
    "+ external (garbage included). RSS: peak resident memory of the whole bench process. Requests",
    "per run from the run report (cross-checked against the emulators, which run in their own",
    "processes). See docs/performance.md.",
    ...result.sizes.map((size) => {
      const noChange = size.runs.filter((r) => r.kind === "noChange");
      const quiet = noChange.filter((r) => r.quiet).length;
      return `Quiet runs, ${fmt(size.rows)} rows: ${quiet} of ${noChange.length} no-change runs ` +
        "were quiet (the first one after a change is a full run that leaves the record).";
    }),
    "",
    "Targets:",
    ...result.targets.map((t) => `  ${t.met ? "✓" : "✗"} ${t.description}: ${t.value}`),
  ];
  const fit = result.fit;
  if (fit) {
    out.push(
      "",
      `Capped heap: ${fmt(fit.rows)} rows in a child process, V8 heap capped: ` +
        (fit.smallestFitMB === null
          ? "fits in none of the caps tried"
          : `smallest cap that fits ${fit.smallestFitMB} MB`),
    );
    for (const attempt of fit.attempts) {
      out.push(
        `  ${attempt.capMB} MB: ${
          attempt.fits ? "every run completed" : attempt.error ?? "failed"
        }` +
          (attempt.runs.length
            ? ` (peak sampled heap ${
              fmt(Math.max(...attempt.runs.map((r) => r.heapPeakMB)), 1)
            } MB)`
            : ""),
      );
    }
  }
  const b = result.bundle;
  if (b) {
    out.push(
      "",
      `Worker bundle (${b.command}):`,
      `  ${fmt(b.rawBytes)} bytes raw, ${fmt(b.gzipBytes)} bytes gzip; built in ${
        fmt(b.buildMs / 1000, 1)
      } s`,
      `  module evaluation: ${ms(b.evalMs)} ms wall, ${
        ms(b.evalCpuMs)
      } ms CPU (median of ${b.evalSamplesMs.length} fresh ` +
        `processes; a one-line module: ${ms(b.emptyModuleEvalMs)} ms)`,
      `  by origin: ${
        b.byOrigin.map((o) => `${o.origin} ${fmt(o.bytes / 1024, 1)} KiB`).join(", ")
      }`,
      `  Google client library: ${
        b.googleClientLibrary ? "FOUND — " + b.googleEvidence.join(", ") : "none"
      }`,
    );
  }
  return out.join("\n");
}
