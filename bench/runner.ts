/**
 * Runs the syncs of one sheet size against the emulator processes and measures each: the
 * first sync, no-change syncs (cold, warm-ups, measured) and rounds of 1% changed deals.
 * Used by `main.ts` (the benchmark) and `fit.ts` (the capped-heap check).
 */
import type { RateLimiter } from "../src/util/rate_gate.ts";
import { type Config, loadConfig } from "../src/settings/config.ts";
import type { KeyValueStore } from "../src/platform.ts";
import { CountingStore } from "../src/store/counting.ts";
import { OffHeapStore } from "./off_heap_store.ts";
import type { RunReport } from "../src/sync/report.ts";
import { runSync } from "../src/sync/run.ts";
import {
  BENCH_TIME_BUDGET_SECONDS,
  benchSettings,
  type CalltouchEmulatorProcess,
  type GoogleEmulatorProcess,
  TAB,
} from "./emulators.ts";
import { dealChanges, generateDeals } from "./generate.ts";
import { type HeapProbe, measure, median } from "./measure.ts";
import {
  type ObservedRequests,
  type RunKind,
  type RunResult,
  type SizeResult,
  summarize,
} from "./report.ts";

export { BENCH_TIME_BUDGET_SECONDS, TAB };
/** Admin edits sent to the emulator at once between runs. */
const EDIT_CONCURRENCY = 8;

/** How many runs of each kind. */
export interface RunPlan {
  /** No-change runs after the cold one, reported but not counted in medians. */
  warmups: number;
  /** Measured no-change runs, each after a full GC. */
  noChange: number;
  /** Measured no-change runs made back to back, without a GC before each. */
  backToBack: number;
  /** Rounds of 1% of the deals changed. */
  changedRounds: number;
}

/** Grants every request at once: the bench measures work, not Calltouch's rate limit. */
export const noWait: RateLimiter = {
  acquire: (deadline = Infinity) =>
    Promise.resolve(Date.now() < deadline ? { end: () => Promise.resolve() } : null),
};

const n = (value: number) => value.toLocaleString("en-US");

/** A KV store that counts operations and samples the heap after each (as I/O boundaries). */
class ProbedStore extends CountingStore {
  probe: HeapProbe | undefined;
  constructor(inner: KeyValueStore) {
    super(inner, { observe: () => this.probe?.sample() });
  }
}

/** Options of {@linkcode BenchRunner}. */
export interface BenchRunnerOptions {
  google: GoogleEmulatorProcess;
  calltouch: CalltouchEmulatorProcess;
  /** The service account the Google emulator trusts. */
  account: { clientEmail: string; json: string };
  /** Where progress lines go. */
  progress: (line: string) => void;
  /** Prefix of spreadsheet ids, so two runners never share a spreadsheet. */
  idPrefix?: string;
}

/** Runs and measures the syncs of one size at a time. */
export class BenchRunner {
  constructor(private readonly options: BenchRunnerOptions) {}

  /** Every run of one sheet size, on a fresh spreadsheet, state and Calltouch project. */
  async benchSize(rows: number, plan: RunPlan): Promise<SizeResult> {
    const { google, calltouch, account, progress } = this.options;
    const spreadsheetId = `1${
      this.options.idPrefix ?? "Bench"
    }Clinic${rows}_abcdefghijklmnopqrstuvwxyz`;
    progress(`  generating and uploading ${n(rows)} rows…`);
    let generated: ReturnType<typeof generateDeals> | undefined = generateDeals(rows);
    const { validRows, invalidRows } = generated;
    await google.deleteSpreadsheet(spreadsheetId); // left over by a child that ran out of memory
    await google.createSpreadsheet({
      spreadsheetId,
      tab: TAB,
      values: generated.values,
      sharedWith: account.clientEmail,
    });
    generated = undefined; // the sheet lives in the emulator, not in this process
    await calltouch.reset();

    const store = new OffHeapStore();
    const config = loadConfig(benchSettings(spreadsheetId, this.options, {
      STATUS_LANGUAGE: "ru",
      // A first sync of 50,000 deals in one run (the Worker's default spreads it over runs).
      MAX_SUBREQUESTS_PER_RUN: "100000",
    }));

    const runs: RunResult[] = [];
    const run = async (
      kind: RunKind,
      label: string,
      options: { warmup?: boolean; changedDeals?: number; gcBefore?: boolean } = {},
    ) => {
      const result = await this.#syncOnce(kind, label, store, config, {
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
        } MB, Calltouch ${result.requests.calltouch}${result.quiet ? ", quiet" : ""}${
          result.complete && result.ok ? "" : `  ⚠ ${result.error ?? "incomplete"}`
        }${result.crossCheck ? "" : "  ⚠ counters disagree"}`,
      );
      return result;
    };

    try {
      await run("first", "first sync (all new)");
      // The run after a change reads what that change wrote, finds nothing to do and leaves the
      // quiet record: measured apart, the no-change runs start after it.
      await run("settle", "after the first sync (full run)");
      const cold = await run("noChange", "no change #1 (cold)", { warmup: true });
      for (let i = 0; i < plan.warmups; i++) {
        await run("noChange", `no change #${i + 2} (warm-up)`, { warmup: true });
      }
      for (let i = 0; i < plan.noChange; i++) {
        await run("noChange", `no change #${i + 2 + plan.warmups}`);
      }
      for (let i = 0; i < plan.backToBack; i++) {
        await run("noChange", `no change #${i + 2 + plan.warmups + plan.noChange} (no GC)`, {
          gcBefore: false,
        });
      }
      for (let round = 1; round <= plan.changedRounds; round++) {
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
      return {
        rows,
        validDeals: validRows.length,
        invalidRows: invalidRows.length,
        runs,
        summary: summarize(runs, median),
        noChangeCold: cold.cost,
      };
    } finally {
      await google.deleteSpreadsheet(spreadsheetId);
    }
  }

  /** One measured `runSync()`, with the emulators' counters read before and after it. */
  async #syncOnce(
    kind: RunKind,
    label: string,
    store: OffHeapStore,
    config: Config,
    expect: {
      validDeals: number;
      invalidRows: number;
      warmup?: boolean;
      changedDeals?: number;
      gcBefore?: boolean;
    },
  ): Promise<RunResult> {
    const { google, calltouch, progress } = this.options;
    await google.resetCounters();
    const calltouchBefore = await calltouch.requestCount();
    const kv = new ProbedStore(store);
    let calltouchSent = 0;
    const expectedCalltouch = kind === "first" ? Math.ceil(expect.validDeals / 100) : 0;

    const gcBefore = expect.gcBefore ?? true;
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
          () =>
            progress(`    … ${n(calltouchSent)} of ~${n(expectedCalltouch)} Calltouch requests`),
          3_000,
        )
        : undefined;
      try {
        return await runSync(config, {
          store: kv,
          fetch: probedFetch,
          calltouchLimiter: noWait,
          build: "bench",
        }, { trigger: "manual" }) as RunReport;
      } finally {
        clearInterval(ticker);
      }
    }, { gc: gcBefore });

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
      kv: {
        reads: kv.counts.reads,
        puts: kv.counts.writes,
        deletes: kv.counts.deletes,
        lists: kv.counts.lists,
      },
    };
    const q = report.requests;
    const crossCheck = q.token === g.token && q.sheetsMetadata === g.metadata &&
      q.sheetsRead === g.valuesRead && q.sheetsWrite === g.valuesWrite + g.batchUpdate &&
      q.calltouch === observed.calltouch && q.calltouch === calltouchSent &&
      q.kvRead === kv.counts.reads + kv.counts.lists &&
      q.kvWrite === kv.counts.writes + kv.counts.deletes;

    const c = report.counts;
    const noFailures = c.failed === 0 && c.retrying === 0 && c.held === 0;
    const complete = noFailures && c.invalid === expect.invalidRows && (
      kind === "first"
        ? c.created === expect.validDeals && c.updated === 0
        : kind === "noChange" || kind === "settle"
        ? c.unchanged === expect.validDeals && c.created === 0 && c.updated === 0
        : c.updated === expect.changedDeals && c.created === 0 &&
          c.unchanged === expect.validDeals - c.updated
    );
    return {
      kind,
      label,
      warmup: expect.warmup ?? false,
      gcBefore,
      cost,
      requests: q,
      observed,
      crossCheck,
      counts: c,
      ok: report.ok,
      complete,
      error: report.error ? `${report.error.kind}: ${report.error.message}` : undefined,
      changedDeals: expect.changedDeals,
      quiet: report.quiet === true,
    };
  }
}
