/**
 * The many-targets case of `deno task bench` (`--targets 500`): N clinics (one spreadsheet of R
 * generated deals each, one Calltouch project, one IP) in one Worker in workerd (Miniflare)
 * with a local Cloudflare queue and the `RATE_GATE` Durable Object, the emulators' quotas ON:
 * Google's 60 reads a minute per service account (429 beyond), Calltouch's 5 requests a second
 * (429 beyond). Three cron ticks, each fanned out through the queue: the first sync of every
 * clinic, a tick with nothing changed, and a tick with 1% of every clinic's deals changed.
 *
 * Time: a tick of 500 clinics on one service account is spread over half an hour (the quota),
 * so the Worker, its queue delays and both emulators run on a {@linkcode ScaledClock}
 * (`--time-scale`, default {@linkcode DEFAULT_TIME_SCALE}: a scaled minute is 12 real seconds; a
 * larger scale also scales up the local hops' delays, which the gate holds by counting each
 * request until its answer). Every figure below is in scaled time, as it would be in production;
 * the real work (workerd's CPU, local I/O) is not scaled and looks that much slower, so the wall
 * times are upper bounds.
 *
 * Per tick: the wall time from the tick to the last clinic's run, the most Google reads in any
 * minute (per service account), the most Calltouch requests in any second, 429s seen, KV and
 * queue operations, requests and CPU per run; then the daily cost at the tick's cron on the Free
 * and the Paid plan (`bench/plans.ts`).
 *
 * CPU: Miniflare reports none per invocation, so the bench reads the workerd process's CPU time
 * (/proc, Linux) around each tick and divides it by the runs: the Worker's runs plus Miniflare's
 * KV, queue and Durable Object simulators, an upper bound of a run's own CPU.
 */
import type { CellValue } from "../src/deal.ts";
import type { RunLogLine } from "../src/sync/report.ts";
import {
  GOOGLE_READS_PER_MINUTE,
  type QuotaFit,
  quotaFit,
  runsPerMinute,
} from "../src/schedule.ts";
import { cronIntervalMinutes } from "../src/util/cron.ts";
import { startGoogleEmulator } from "../test/emulators/google.ts";
import { newServiceAccount, type TestServiceAccount } from "../test/support/service_account.ts";
import { bundleWorker, startWorker } from "../test/support/worker.ts";
import { CalltouchEmulatorProcess } from "./emulators.ts";
import { dealChanges, generateDeals } from "./generate.ts";
import { type DayCost, dayCost } from "./plans.ts";
import { ScaledClock, TIME_SCALES } from "./scaled_clock.ts";

/** A scaled minute is this many times shorter than a real one (see {@linkcode ScaledClock}). */
export const DEFAULT_TIME_SCALE = 5;
/** The cron the bench reports against first: wrangler.toml's default. */
export const DEFAULT_CRON = "*/5 * * * *";
/** Service accounts per Cloud project in the bench (4 × 15 runs a minute stays within 75). */
const ACCOUNTS_PER_PROJECT = 4;
/** Real milliseconds between two looks at the Worker's log. */
const POLL_MS = 250;

/** One run's log line, as a deployment with `TARGETS` writes it (with the target's id). */
type RunLine = RunLogLine & { target: string };

/** What one tick cost (times in scaled ms). */
export interface TickResult {
  tick: "first sync" | "no change" | "1% changed";
  /** From the cron tick to the end of the last clinic's run, scaled ms. */
  wallMs: number;
  /** The same in real time, ms. */
  realMs: number;
  /** Whether every clinic was done within the cron interval. */
  withinInterval: boolean;
  /** Runs the tick caused (continuations and retries included): queue deliveries. */
  runs: number;
  /** Requests of one clinic's run, as most runs made them. */
  perTarget: Record<string, number>;
  /** Outbound requests (Google + Calltouch) of the busiest run: the subrequest limit's measure. */
  maxSubrequests: number;
  /** The most Google read requests (metadata + values) one service account asked in any 60 s. */
  googlePeakReadsPerMinute: number;
  /** Google read requests (metadata + values) of every run: a `RATE_GATE` start and end each. */
  googleReads: number;
  /** Google answers 429 (a per-minute quota spent). */
  google429: number;
  /** The most Calltouch requests in any second (the deals journal included). */
  calltouchPeakPerSecond: number;
  /** Calltouch requests beyond 5 in a second (the emulator's count) and its 429s. */
  calltouchViolations: number;
  calltouch429: number;
  /** Calltouch requests: a `RATE_GATE` start and end each. */
  calltouchRequests: number;
  kvReads: number;
  /** KV puts and deletes. */
  kvWrites: number;
  /** Queue operations: a delivered message is a write, a read and a delete (3). */
  queueOps: number;
  /** CPU of the workerd process during the tick, ms, and per run (an upper bound). */
  cpuMs: number;
  cpuPerRunMs: number;
  /** Median and largest scaled duration of one run, ms. */
  runMedianMs: number;
  runMaxMs: number;
  failed: number;
}

/** The many-targets result. */
export interface TargetsResult {
  targets: number;
  rowsPerTarget: number;
  serviceAccounts: number;
  timeScale: number;
  /** How the clinics fit Google's quota at wrangler.toml's default cron. */
  atDefaultCron: Pick<
    QuotaFit,
    "cron" | "perTick" | "fits" | "everyMinutes" | "accountsNeeded" | "suggestedCron"
  >;
  /** The cron the ticks ran at: the most frequent regular one at which every clinic fits. */
  cron: string;
  intervalMinutes: number;
  ticks: TickResult[];
  /** A day of quiet ticks, and a day of ticks with 1% changed, on each plan. */
  daily: { quiet: DayCost; busy: DayCost };
  /** Zero quota violations and every clinic synced within the interval. */
  met: boolean;
}

/** Options of {@linkcode benchTargets}. */
export interface TargetsOptions {
  count: number;
  rows: number;
  /** Service accounts the clinics share (each its own Google quota). Default 1. */
  serviceAccounts?: number;
  /** Default {@linkcode DEFAULT_TIME_SCALE}; one of {@linkcode TIME_SCALES}. */
  timeScale?: number;
  /** The cron of the ticks. Default: the most frequent regular cron at which all fit. */
  cron?: string;
  progress: (line: string) => void;
}

const TAB = "Сделки";
const SYNC_TOKEN = "bench-sync-token-0123456789abcdef";

/** Runs the case. */
export async function benchTargets(options: TargetsOptions): Promise<TargetsResult> {
  const { count, rows, progress } = options;
  const scale = options.timeScale ?? DEFAULT_TIME_SCALE;
  if (!(TIME_SCALES as readonly number[]).includes(scale)) {
    throw new RangeError(`--time-scale must be one of ${TIME_SCALES.join(", ")}, got ${scale}`);
  }
  const accountCount = Math.max(1, options.serviceAccounts ?? 1);
  const clock = new ScaledClock(scale);
  const accounts: TestServiceAccount[] = [];
  for (let i = 0; i < accountCount; i++) {
    const project = `bench-${Math.floor(i / ACCOUNTS_PER_PROJECT)}`;
    accounts.push(await newServiceAccount(`sync-${i}@${project}.iam.gserviceaccount.com`));
  }
  const ids = Array.from({ length: count }, (_, i) => `t${String(i).padStart(3, "0")}`);
  const accountOf = (i: number) => accounts[i % accountCount];
  const scheduled = ids.map((id, i) => ({ id, account: accountOf(i).clientEmail }));
  const atDefault = quotaFit(scheduled, DEFAULT_CRON, clock.now());
  const cron = options.cron ?? (atDefault.fits ? DEFAULT_CRON : atDefault.suggestedCron!);
  const fit = quotaFit(scheduled, cron, clock.now());
  if (!fit.fits) {
    throw new Error(
      `${count} clinics on ${accountCount} service account(s) do not fit one tick of ${cron}: ` +
        `use --cron "${fit.suggestedCron}" or more --service-accounts`,
    );
  }
  const intervalMinutes = cronIntervalMinutes(cron, clock.now()) ?? 1;
  progress(
    `  ${count} clinics × ${rows} deals, ${accountCount} service account(s); at ${DEFAULT_CRON} ` +
      `one tick serves ${atDefault.perTick}` +
      (atDefault.fits ? "" : ` (each every ${atDefault.everyMinutes} min)`) +
      `; ticks at ${cron}; time ×${scale}`,
  );

  const google = await startGoogleEmulator({
    clock,
    serviceAccounts: accounts,
    quota: { readsPerMinute: GOOGLE_READS_PER_MINUTE },
    maxRecorded: 1_000_000,
    maxRecordedBodyChars: 0,
  });
  // In a process of its own: requests are timed on arrival, not after the Google emulator (busy
  // with 1,000-row answers in this process) lets the event loop go.
  const calltouch = await CalltouchEmulatorProcess.start("54321", "bench-calltouch-token", [
    "--rate-limit",
    "--no-bodies",
    "--time-scale",
    String(scale),
    "--time-origin",
    String(clock.origin),
  ]);
  const sheet = generateDeals(rows);
  const spreadsheetOf = (id: string) => `1BenchTarget_${id}_abcdefghijklmnopqrstuvwxyz`;
  const accountBySheet = new Map<string, string>();
  ids.forEach((id, i) => {
    google.createSpreadsheet({
      spreadsheetId: spreadsheetOf(id),
      timeZone: "Europe/Moscow",
      // Order numbers of their own: the clinics share one Calltouch project here.
      sheets: [{
        title: TAB,
        values: sheet.values.map((row, r) =>
          r === 0 || row[0] === "" ? [...row] : [`${id}-${row[0]}`, ...row.slice(1)]
        ) as CellValue[][],
      }],
      sharedWith: [accountOf(i).clientEmail],
    });
    accountBySheet.set(spreadsheetOf(id), accountOf(i).clientEmail);
  });
  const targets = ids.map((id, i) => ({
    id,
    spreadsheet: spreadsheetOf(id),
    tab: TAB,
    calltouchSiteId: calltouch.siteId,
    calltouchTokenSecret: "CALLTOUCH_TOKEN_ALL",
    ...(i % accountCount === 0
      ? {}
      : { googleServiceAccountSecret: `GOOGLE_SA_${i % accountCount}` }),
  }));
  const secrets = Object.fromEntries(
    accounts.slice(1).map((account, k) => [`GOOGLE_SA_${k + 1}`, account.json]),
  );
  const worker = await startWorker({
    script: await Deno.readTextFile(await bundleWorker("bench/scaled_worker.ts")),
    rateGate: true,
    bindings: {
      TARGETS: JSON.stringify(targets),
      CALLTOUCH_TOKEN_ALL: calltouch.token,
      GOOGLE_SERVICE_ACCOUNT: accounts[0].json,
      ...secrets,
      GOOGLE_SHEETS_API_URL: google.url,
      GOOGLE_TOKEN_URL: `${google.url}/token`,
      CALLTOUCH_API_URL: calltouch.url,
      SYNC_TOKEN,
      BENCH_TIME_SCALE: String(scale),
      BENCH_TIME_ORIGIN: String(clock.origin),
    },
    queue: { maxRetries: 3 },
  });
  const ticks: TickResult[] = [];
  const log = new LogReader(worker.logs);
  try {
    const tick = async (name: TickResult["tick"], done: (lines: RunLine[]) => boolean) => {
      log.mark();
      const googleFrom = google.requests.length;
      const calltouchFrom = (await calltouch.requests()).length;
      const violationsFrom = await calltouch.violations();
      const startedAt = clock.now();
      const realStart = performance.now();
      const cpuBefore = workerdCpuMs();
      await worker.scheduled(cron);
      // Bounded: three intervals, or twice what Calltouch's 5 a second need for a first sync
      // (5,000 requests: 1,000 s), in real time, and two minutes more.
      const calltouchMs = count * Math.ceil(sheet.validRows.length / 100) / 5 * 1000;
      const deadline = performance.now() +
        Math.max(intervalMinutes * 60_000 * 3, calltouchMs * 2) / scale + 120_000;
      let lines = log.runs();
      while (!done(lines)) {
        if (performance.now() > deadline) {
          throw new Error(`${name}: not done in time (${lines.length} runs seen)`);
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        lines = log.runs();
      }
      const realMs = performance.now() - realStart;
      const result = summarize(name, lines, {
        startedAt,
        realMs,
        intervalMs: intervalMinutes * 60_000,
        cpuMs: workerdCpuMs() - cpuBefore,
        google: google.requests.slice(googleFrom).map((r) => ({
          ...r,
          account: accountBySheet.get(r.path.split("/")[3] ?? "") ?? "",
        })),
        calltouch: (await calltouch.requests()).slice(calltouchFrom),
        violations: (await calltouch.violations()) - violationsFrom,
      });
      progress(
        `  ${name}: ${lines.length} runs, ${minutes(result.wallMs)} (real ${
          Math.round(realMs / 1000)
        } s), Google peak ${result.googlePeakReadsPerMinute}/min, Calltouch peak ` +
          `${result.calltouchPeakPerSecond}/s, 429s ${result.google429 + result.calltouch429}`,
      );
      ticks.push(result);
    };
    const everyTarget = (lines: RunLine[], enough: (line: RunLine) => boolean) => {
      const seen = new Set(lines.filter(enough).map((line) => line.target));
      return ids.every((id) => seen.has(id));
    };
    // The first sync: done when every clinic has created all its valid deals.
    await tick("first sync", (lines) => {
      const created = new Map<string, number>();
      for (const line of lines) {
        created.set(line.target, (created.get(line.target) ?? 0) + line.counts.created);
      }
      return ids.every((id) => (created.get(id) ?? 0) >= sheet.validRows.length);
    });
    // The run after a change is a full run that leaves the quiet record: settle first.
    await tick("no change", (lines) => everyTarget(lines, () => true));
    ticks.pop();
    await tick("no change", (lines) => everyTarget(lines, () => true));
    const changes = dealChanges(sheet.validRows, 0);
    for (const id of ids) {
      for (const change of changes) {
        google.setValues(spreadsheetOf(id), `'${TAB}'!C${change.row}:E${change.row}`, [
          change.cells,
        ]);
      }
    }
    await tick(
      "1% changed",
      (lines) => everyTarget(lines, (line) => line.counts.updated >= changes.length),
    );
  } finally {
    await worker.dispose();
    await google.close();
    await calltouch.stop();
  }
  const [, quiet, busy] = ticks;
  const daily = {
    quiet: dayCost(quiet, intervalMinutes),
    busy: dayCost(busy, intervalMinutes),
  };
  const met =
    ticks.every((t) =>
      t.google429 === 0 && t.calltouch429 === 0 && t.calltouchViolations === 0 &&
      t.googlePeakReadsPerMinute <= GOOGLE_READS_PER_MINUTE && t.calltouchPeakPerSecond <= 5 &&
      t.failed === 0
    ) && ticks.slice(1).every((t) => t.withinInterval);
  return {
    targets: count,
    rowsPerTarget: rows,
    serviceAccounts: accountCount,
    timeScale: scale,
    atDefaultCron: {
      cron: atDefault.cron,
      perTick: atDefault.perTick,
      fits: atDefault.fits,
      everyMinutes: atDefault.everyMinutes,
      accountsNeeded: atDefault.accountsNeeded,
      ...(atDefault.suggestedCron ? { suggestedCron: atDefault.suggestedCron } : {}),
    },
    cron,
    intervalMinutes,
    ticks,
    daily,
    met,
  };
}

/** Reads the Worker's run lines as they come, each chunk once. */
class LogReader {
  #read = 0;
  #partial = "";
  #lines: RunLine[] = [];
  #from = 0;
  constructor(private readonly logs: readonly string[]) {}

  /** From now on, `runs()` returns only the lines logged after this. */
  mark(): void {
    this.#consume();
    this.#from = this.#lines.length;
  }

  runs(): RunLine[] {
    this.#consume();
    return this.#lines.slice(this.#from);
  }

  #consume(): void {
    const text = this.#partial + this.logs.slice(this.#read).join("");
    this.#read = this.logs.length;
    const parts = text.split("\n");
    // Chunks of stdout may cut a line: the last part waits for the rest.
    this.#partial = parts.pop() ?? "";
    for (const part of parts) {
      if (!part.includes('"event":"sync.run"')) continue;
      try {
        this.#lines.push(JSON.parse(part.slice(part.indexOf("{"))));
      } catch {
        // not a whole JSON line: not ours
      }
    }
  }
}

/** User + system CPU of the workerd processes this process started (Linux /proc), ms. */
function workerdCpuMs(): number {
  let ticks = 0;
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
    } catch {
      continue; // gone meanwhile
    }
    const close = stat.lastIndexOf(")");
    if (!stat.slice(0, close).includes("(workerd")) continue;
    const fields = stat.slice(close + 2).split(" ");
    // After "pid (comm)": state ppid … utime is field 14, stime 15 (1-based in proc(5)).
    if (Number(fields[1]) !== Deno.pid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10; // USER_HZ = 100
}

/** The most of `times` (sorted or not) within any half-open window of `windowMs`. */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

function summarize(
  tick: TickResult["tick"],
  lines: RunLine[],
  seen: {
    startedAt: number;
    realMs: number;
    intervalMs: number;
    cpuMs: number;
    google: { kind: string; status: number; time: number; account: string }[];
    calltouch: { status: number; time: number }[];
    violations: number;
  },
): TickResult {
  const requests = lines.map((line) => JSON.stringify(line.requests));
  const tally = new Map<string, number>();
  for (const r of requests) tally.set(r, (tally.get(r) ?? 0) + 1);
  const [mode] = [...tally].sort((a, b) => b[1] - a[1])[0] ?? ["{}", 0];
  const ends = lines.map((line) => Date.parse(line.startedAt) + line.durationMs);
  const wallMs = Math.max(0, ...ends) - seen.startedAt;
  const durations = lines.map((line) => line.durationMs).sort((a, b) => a - b);
  const reads = seen.google.filter((r) => r.kind === "metadata" || r.kind === "valuesRead");
  const byAccount = new Map<string, number[]>();
  for (const read of reads) {
    byAccount.set(read.account, [...(byAccount.get(read.account) ?? []), read.time]);
  }
  const outbound = (line: RunLine) =>
    (["sheetsRead", "sheetsMetadata", "sheetsWrite", "token", "calltouch"] as const)
      .reduce((sum, key) => sum + (line.requests[key] ?? 0), 0);
  return {
    tick,
    wallMs: Math.round(wallMs),
    realMs: Math.round(seen.realMs),
    withinInterval: wallMs <= seen.intervalMs,
    runs: lines.length,
    perTarget: JSON.parse(mode),
    maxSubrequests: Math.max(0, ...lines.map(outbound)),
    googlePeakReadsPerMinute: Math.max(
      0,
      ...[...byAccount.values()].map((times) => peakInWindow(times, 60_000)),
    ),
    googleReads: reads.length,
    google429: seen.google.filter((r) => r.status === 429).length,
    calltouchPeakPerSecond: peakInWindow(seen.calltouch.map((r) => r.time), 1000),
    calltouchViolations: seen.violations,
    calltouch429: seen.calltouch.filter((r) => r.status === 429).length,
    calltouchRequests: seen.calltouch.length,
    kvReads: lines.reduce((sum, line) => sum + (line.requests.kvRead ?? 0), 0),
    kvWrites: lines.reduce((sum, line) => sum + (line.requests.kvWrite ?? 0), 0),
    queueOps: 3 * lines.length,
    cpuMs: seen.cpuMs,
    cpuPerRunMs: lines.length > 0 ? Math.round((seen.cpuMs / lines.length) * 10) / 10 : 0,
    runMedianMs: durations[Math.floor(durations.length / 2)] ?? 0,
    runMaxMs: durations.at(-1) ?? 0,
    failed: lines.filter((line) => !line.ok).length,
  };
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
}

/** The case as a table. */
export function renderTargets(result: TargetsResult): string {
  const d = result.atDefaultCron;
  const head = [
    `Many targets: ${result.targets} clinics × ${result.rowsPerTarget} deals, ` +
    `${result.serviceAccounts} Google service account(s), one Calltouch IP; local queue and ` +
    `RATE_GATE in workerd; quotas on (Google ${GOOGLE_READS_PER_MINUTE} reads/min per account, ` +
    `Calltouch 5/s); time ×${result.timeScale} (figures in scaled time)`,
    `  at ${d.cron}: one tick serves ${d.perTick} of ${result.targets}` +
    (d.fits
      ? " (all)"
      : `, each clinic every ${d.everyMinutes} min; every clinic every tick needs ` +
        `${d.suggestedCron} or ${d.accountsNeeded} service accounts`) +
    `; the ticks below ran at ${result.cron} (${runsPerMinute} runs a minute per account)`,
  ];
  const rows = result.ticks.map((t) => {
    const per = Object.entries(t.perTarget).filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v}`).join(", ");
    return `  ${t.tick.padEnd(11)} wall ${minutes(t.wallMs).padStart(9)} ` +
      `(${t.withinInterval ? "within" : "BEYOND"} ${result.intervalMinutes} min; real ` +
      `${Math.round(t.realMs / 1000)} s)  runs ${t.runs}  failed ${t.failed}\n` +
      `      Google peak ${t.googlePeakReadsPerMinute} reads/min/account, 429s ${t.google429}; ` +
      `Calltouch peak ${t.calltouchPeakPerSecond}/s, over 5/s ${t.calltouchViolations}, ` +
      `429s ${t.calltouch429}, requests ${t.calltouchRequests}\n` +
      `      KV r/w ${t.kvReads}/${t.kvWrites}, queue ops ${t.queueOps}, workerd CPU ` +
      `${t.cpuPerRunMs} ms a run, busiest run ${t.maxSubrequests} subrequests; run median/max ` +
      `${minutes(t.runMedianMs)}/${minutes(t.runMaxMs)}\n      per clinic: ${per}`;
  });
  const day = (name: string, cost: DayCost) =>
    `  a ${name} day (${cost.ticks} ticks): ${cost.lines.join("; ")}\n` +
    `      Free: ${cost.free.fits ? "fits" : `does not fit (${cost.free.over.join(", ")})`}; ` +
    `Paid: $${cost.paidMonthlyUsd.toFixed(2)} a month`;
  return [
    ...head,
    ...rows,
    day("quiet", result.daily.quiet),
    day("busy (1% changed every tick)", result.daily.busy),
    `  targets: 0 quota violations, every clinic synced within the interval: ${
      result.met ? "met" : "NOT met"
    }`,
  ].join("\n");
}
