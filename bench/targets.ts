/**
 * The many-targets case of `deno task bench`: N targets (one spreadsheet of R generated deals
 * each, one Calltouch project) in one Worker in workerd (Miniflare) with a local Cloudflare queue.
 * Three cron ticks, each fanned out through the queue: the first sync of every target, a tick
 * with nothing changed, and a tick with 1% of every target's deals changed. For each tick: the
 * wall time from the tick to the last target's run, each target's requests (from its run's log
 * line: they must equal the single-target figures), KV operations and queue messages in all.
 *
 * CPU: Miniflare reports none per invocation, so the bench reads the workerd process's CPU time
 * (/proc, Linux) around each tick and divides it by the runs: the Worker's runs plus Miniflare's
 * KV and queue simulators, an upper bound of a run's own CPU. The Worker paces Calltouch at 5
 * requests a second per isolate (as it must, one IP), so the first tick's wall time is bound by
 * that, not by CPU.
 */
import type { CellValue } from "../src/deal.ts";
import { startCalltouchEmulator } from "../test/emulators/calltouch.ts";
import { startGoogleEmulator } from "../test/emulators/google.ts";
import { testServiceAccount } from "../test/support/service_account.ts";
import { startWorker } from "../test/support/worker.ts";
import { dealChanges, generateDeals } from "./generate.ts";

/** One run's log line (see `logLine` in src/sync/report.ts), as far as the bench reads it. */
interface RunLine {
  event: string;
  target: string;
  ok: boolean;
  durationMs: number;
  counts: { created: number; updated: number };
  requests: Record<string, number>;
}

/** What one tick cost. */
export interface TickResult {
  tick: "first sync" | "no change" | "1% changed";
  /** From the cron tick to the last target's run, ms. */
  wallMs: number;
  /** Runs the tick caused (continuations included): queue messages delivered. */
  runs: number;
  /** Requests of one target's run, as most runs made them. */
  perTarget: Record<string, number>;
  /** Runs whose requests differ from `perTarget` (the first run fetches the shared token). */
  otherRuns: number;
  /** Sum over the runs. */
  kvReads: number;
  kvWrites: number;
  /**
   * CPU time of the workerd process during the tick (user + system), ms, and per run: the
   * Worker's, plus Miniflare's own KV and queue simulators in the same process.
   */
  cpuMs: number;
  cpuPerRunMs: number;
  /** Median and largest wall time of one run, ms. */
  runMedianMs: number;
  runMaxMs: number;
  failed: number;
}

/** The many-targets result. */
export interface TargetsResult {
  targets: number;
  rowsPerTarget: number;
  ticks: TickResult[];
}

const TAB = "Сделки";
const SYNC_TOKEN = "bench-sync-token-0123456789abcdef";

/** Runs the case; `progress` gets one line per stage. */
export async function benchTargets(
  count: number,
  rows: number,
  progress: (line: string) => void,
): Promise<TargetsResult> {
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  const calltouch = await startCalltouchEmulator();
  const sheet = generateDeals(rows);
  const ids = Array.from({ length: count }, (_, i) => `t${String(i).padStart(3, "0")}`);
  const spreadsheetOf = (id: string) => `1BenchTarget_${id}_abcdefghijklmnopqrstuvwxyz`;
  for (const id of ids) {
    google.createSpreadsheet({
      spreadsheetId: spreadsheetOf(id),
      timeZone: "Europe/Moscow",
      // Order numbers of their own: the targets share one Calltouch project here.
      sheets: [{
        title: TAB,
        values: sheet.values.map((row, i) =>
          i === 0 || row[0] === "" ? [...row] : [`${id}-${row[0]}`, ...row.slice(1)]
        ) as CellValue[][],
      }],
      sharedWith: [account.clientEmail],
    });
  }
  const targets = ids.map((id) => ({
    id,
    spreadsheet: spreadsheetOf(id),
    tab: TAB,
    calltouchSiteId: calltouch.siteId,
    calltouchTokenSecret: "CALLTOUCH_TOKEN_ALL",
  }));
  const worker = await startWorker({
    bindings: {
      TARGETS: JSON.stringify(targets),
      CALLTOUCH_TOKEN_ALL: calltouch.token,
      GOOGLE_SERVICE_ACCOUNT: account.json,
      GOOGLE_SHEETS_API_URL: google.url,
      GOOGLE_TOKEN_URL: `${google.url}/token`,
      CALLTOUCH_API_URL: calltouch.url,
      SYNC_TOKEN,
      MAX_SUBREQUESTS_PER_RUN: "900",
    },
    queue: { maxRetries: 2 },
  });
  const ticks: TickResult[] = [];
  try {
    const tick = async (name: TickResult["tick"], done: (lines: RunLine[]) => boolean) => {
      const from = worker.logs.length;
      const started = performance.now();
      const cpuBefore = workerdCpuMs();
      await worker.scheduled();
      let lines: RunLine[] = [];
      const deadline = Date.now() + 900_000;
      while (true) {
        lines = runLines(worker.logs.slice(from));
        if (done(lines)) break;
        if (Date.now() > deadline) {
          throw new Error(`${name}: not done in 15 minutes (${lines.length} runs seen)`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const wallMs = performance.now() - started;
      const result = summarize(name, lines, wallMs, workerdCpuMs() - cpuBefore);
      progress(`  ${name}: ${lines.length} runs, ${Math.round(wallMs)} ms`);
      ticks.push(result);
    };
    const everyTarget = (lines: RunLine[], enough: (line: RunLine) => boolean) =>
      ids.every((id) => lines.some((line) => line.target === id && enough(line)));
    progress(`  ${count} targets × ${rows} deals, through a local queue in workerd`);
    // The first sync: done when every target has created all its valid deals.
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
    await calltouch.close();
  }
  return { targets: count, rowsPerTarget: rows, ticks };
}

function runLines(logs: readonly string[]): RunLine[] {
  const lines: RunLine[] = [];
  // Chunks of stdout may cut a line: join them first.
  for (const text of logs.join("").split("\n")) {
    if (!text.includes('"event":"sync.run"')) continue;
    try {
      lines.push(JSON.parse(text.slice(text.indexOf("{"))));
    } catch {
      // the last line, not whole yet: the next poll reads it
    }
  }
  return lines;
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

function summarize(
  tick: TickResult["tick"],
  lines: RunLine[],
  wallMs: number,
  cpuMs: number,
): TickResult {
  const requests = lines.map((line) => JSON.stringify(line.requests));
  const tally = new Map<string, number>();
  for (const r of requests) tally.set(r, (tally.get(r) ?? 0) + 1);
  const [mode, modeCount] = [...tally].sort((a, b) => b[1] - a[1])[0] ?? ["{}", 0];
  const durations = lines.map((line) => line.durationMs).sort((a, b) => a - b);
  return {
    tick,
    wallMs: Math.round(wallMs),
    runs: lines.length,
    perTarget: JSON.parse(mode),
    otherRuns: lines.length - modeCount,
    kvReads: lines.reduce((sum, line) => sum + (line.requests.kvRead ?? 0), 0),
    kvWrites: lines.reduce((sum, line) => sum + (line.requests.kvWrite ?? 0), 0),
    cpuMs,
    cpuPerRunMs: lines.length > 0 ? Math.round((cpuMs / lines.length) * 10) / 10 : 0,
    runMedianMs: durations[Math.floor(durations.length / 2)] ?? 0,
    runMaxMs: durations.at(-1) ?? 0,
    failed: lines.filter((line) => !line.ok).length,
  };
}

/** The case as a table. */
export function renderTargets(result: TargetsResult): string {
  const head = `Many targets: ${result.targets} targets × ${result.rowsPerTarget} deals, ` +
    "each cron tick fanned out through a local queue in workerd";
  const rows = result.ticks.map((t) => {
    const per = Object.entries(t.perTarget).filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v}`).join(", ") +
      (t.otherRuns > 0 ? ` (${t.otherRuns} run(s) otherwise: the shared Google token)` : "");
    return `  ${t.tick.padEnd(11)} wall ${String(t.wallMs).padStart(7)} ms  runs ${t.runs}  ` +
      `workerd CPU ${t.cpuMs} ms (${t.cpuPerRunMs} ms a run)  ` +
      `run median/max ${t.runMedianMs}/${t.runMaxMs} ms  KV r/w ${t.kvReads}/${t.kvWrites}  ` +
      `failed ${t.failed}\n      per target: ${per}`;
  });
  return [head, ...rows].join("\n");
}
