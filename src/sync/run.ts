/**
 * One sync, as DESIGN's steps: read → (quiet?) → parse → plan → send → remember → write back →
 * report. Each step is a function of its own module; this one strings them together, keeps the
 * runs of one target in an isolate from overlapping, and turns failures into a report.
 */
import {
  type Config,
  ConfigError,
  loadConfig,
  type SettingsEnv,
  zonesOf,
} from "../settings/config.ts";
import { connect, type ConnectDeps, type Connection } from "../connect.ts";
import type { ParsedSheetOk } from "../columns/parse.ts";
import { STATUS_HEADER } from "../columns/written.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import { type DryRunReport, dryRunReport } from "./dry_run.ts";
import { asHistory, recordRun } from "./history.ts";
import { HELD_RETRY_MS, planSync, type SyncPlan } from "./plan.ts";
import {
  asQuietRecord,
  quietContext,
  quietHolds,
  type QuietRecord,
  recordQuiet,
  tabDigest,
} from "./quiet.ts";
import { parseTab, readTab, type TabRead } from "./read.ts";
import {
  emptyCounts,
  emptyRequests,
  runCounts,
  type RunError,
  type RunReport,
  type Trigger,
} from "./report.ts";
import { asLease, heldByOther, LEASE_MARGIN_MS, releaseLease, takeLease } from "./lease.ts";
import { confirmLanded, lookUpInCalltouch } from "./look_up.ts";
import { reconcile, reconcileDueAt } from "./reconcile.ts";
import { sameRequest } from "./request_hash.ts";
import { sendPlan, type SendProgress } from "./send.ts";
import { ProjectRest, restKey, restUntil } from "./rest.ts";
import { newRunId, stateKeys, StateStore } from "./state.ts";
import type { RowStatus } from "./status_text.ts";
import { type Target, targetOf, targetPrefix } from "./target.ts";
import {
  placeStatusCells,
  type StatusCell,
  statusCells,
  type StatusCellsOptions,
} from "./write_back.ts";

export type { DryRunReport } from "./dry_run.ts";

/** Part of the time budget kept for writing statuses back after the last Calltouch request. */
export const WRITE_BACK_RESERVE_MS = 15_000;

/** What a run needs from its environment. */
export interface SyncDeps extends Omit<ConnectDeps, "deadline" | "readOnly"> {
  /** Called after each Calltouch request (progress of long runs); must not throw. */
  onProgress?: (event: SyncProgress) => void;
  /**
   * The code's version (the Worker's deployed version id): a quiet record of another build
   * does not hold. Unknown (""), a quiet record lapses after an hour. Default "".
   */
  build?: string;
}

/** What {@linkcode SyncDeps.onProgress} receives. */
export type SyncProgress = SendProgress;

/** Options of a run. */
export interface SyncOptions {
  trigger: Trigger;
  /** The cron expression, for scheduled runs. */
  cron?: string;
  /** Send every held deal (refused by Calltouch) again in this run. Default false. */
  retryHeld?: boolean;
  /**
   * Send only under the target's lease (see `lease.ts`); a run that finds another's is
   * `skipped`. For deployments whose runs are spread over invocations (a queue). Default false.
   */
  lease?: boolean;
}

// Runs of the same target in one isolate (a cron tick and a manual trigger) wait for each other
// instead of racing; across isolates the Calltouch fallbacks keep races harmless.
const running = new Map<string, Promise<unknown>>();

function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  const tail = next.catch(() => undefined);
  running.set(key, tail);
  tail.then(() => {
    if (running.get(key) === tail) running.delete(key);
  });
  return next;
}

/**
 * Loads the settings and runs one sync (or a dry run). Never throws for an expected failure:
 * settings problems, Google or Calltouch refusals and an unusable header come back as a report
 * with `ok: false` and `error`.
 *
 * @example
 * const report = await runFromSettings(env, { store: env.SYNC_STATE }, { trigger: "cron" });
 */
export async function runFromSettings(
  env: SettingsEnv,
  deps: SyncDeps,
  options: SyncOptions,
): Promise<RunReport | DryRunReport> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return await runSync(error, deps, options);
  }
  return await runSync(config, deps, options);
}

/**
 * Runs one sync with settings already read (a target's, see `settings/targets.ts`); settings
 * that could not be read give a failed report. See {@linkcode runFromSettings}.
 */
export function runSync(
  config: Config | ConfigError,
  deps: SyncDeps,
  options: SyncOptions,
): Promise<RunReport | DryRunReport> {
  if (config instanceof ConfigError) {
    return Promise.resolve(failed(newReport(options, (deps.clock ?? systemClock).now()), config));
  }
  const target = targetOf(config);
  return serialized(targetPrefix(target), () => sync(config, deps, options));
}

async function sync(config: Config, deps: SyncDeps, options: SyncOptions) {
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const deadline = startedAt + config.timeBudgetMs;
  const dryRun = options.trigger === "dry-run";
  const target = targetOf(config);
  const io = connect(config, { ...deps, deadline, readOnly: dryRun });
  const runId = newRunId(startedAt);
  const journal = new StateStore(io.kv, target, runId);
  const run: Run = { io, target, report: newReport(options, startedAt), clock, history: [] };
  const { report } = run;
  const cells = (timeZone: string) => ({ language: config.language, timeZone, now: clock.now() });
  const leaseKey = stateKeys(target).lease;
  let leased = false;
  try {
    const read = await readTab(io.sheets, config); // 2. read
    report.timeZone = read.timeZone;
    if (read.tabId !== undefined) report.tabId = read.tabId;
    report.calltouchTimeZone = zonesOf(config, read.timeZone).calltouch;
    const quiet = await openRun(run, journal, config.calltouch.siteId);
    const digest = await tabDigest(
      read.answer!.bytes,
      quietContext(config, read, deps.build ?? ""),
    );
    const now = { digest, state: journal.version, hasDeltas: journal.hasDeltas, at: startedAt };
    if (!dryRun && !options.retryHeld && quietHolds(quiet, now)) {
      return await finish(
        run,
        { ...report, counts: quiet.counts, rows: quiet.rows, quiet: true },
        true,
      );
    }
    // The Calltouch project's daily points spent (rest.ts): nothing is asked of it until its day.
    const rest = new ProjectRest(io.kv, config.calltouch.siteId, config.language, run.restUntil);
    const { settings, salt } = payloadSettings(config, read);
    // Rows read under other custom-field names must be parsed again (their payload differs).
    const build = `${deps.build ?? ""}${salt}${JSON.stringify(config.calltouch.customFields)}`;
    const reconcileAt = dryRun ? undefined : reconcileDueAt(config, run.history);
    const reconciling = reconcileAt !== undefined && startedAt >= reconcileAt;
    const { sheet, state } = await parseTab(read, journal, config, build, { // 3. parse
      everyRow: reconciling,
    });
    if (!sheet.ok) return await finish(run, fail(report, "sheet", sheet.headerError.message));
    // No state at all (new or lost): ask Calltouch's journal which deals it holds already.
    // Calltouch's part of the run ends early enough for the write-back; a journal read takes at
    // most half of what is left of it (see look_up.ts), a reconciliation what the sends left.
    const sendDeadline = Math.max(
      startedAt,
      deadline - Math.min(WRITE_BACK_RESERVE_MS, config.timeBudgetMs / 4),
    );
    const lookUpContext = {
      sheetZone: read.timeZone,
      clock,
      deadline: sendDeadline,
      fetch: deps.fetch,
    };
    const lookUp = state.size === 0 && !dryRun
      ? await rest.awake(
        () => lookUpInCalltouch(config, io, sheet.deals, lookUpContext),
        clock.now(),
      )
      : undefined;
    if (lookUp) {
      report.lookUp = "error" in lookUp ? { error: lookUp.error } : { found: lookUp.found };
    }
    const plan = planSync(sheet.deals, state, { // 4. plan
      inCalltouch: lookUp && "inCalltouch" in lookUp ? lookUp.inCalltouch : undefined,
      knownRows: sheet.knownRows,
      rawHashes: sheet.rawHashes,
      statusTexts: sheet.statusTexts,
      sameRequest: (planned, stored) => sameRequest(planned, settings, stored),
      retryHeld: options.retryHeld,
      now: startedAt,
      salt,
    });
    if (dryRun) {
      return filled(run, dryRunReport(report, sheet, plan, settings, cells(read.timeZone)));
    }
    if (options.lease && plan.create.length + plan.update.length > 0) {
      // Something to send: one run of the target at a time (see lease.ts).
      const lease = asLease(await io.kv.get(leaseKey, "json"));
      if (heldByOther(lease, runId, clock.now())) {
        report.skipped = "running";
        return filled(run, report);
      }
      await takeLease(
        io.kv,
        leaseKey,
        { run: runId, until: deadline + LEASE_MARGIN_MS },
        clock.now(),
      );
      leased = true;
    }
    // Deals in doubt: those the journal shows as sent are accepted, not sent again.
    const landed = await rest.awake(
      () => confirmLanded(config, io, plan, lookUpContext),
      clock.now(),
    );
    if (landed) {
      report.landed = landed.confirmation;
      for (const [orderNumber, entry] of landed.entries) state.set(orderNumber, entry);
      await journal.recordBatch(landed.entries);
    }
    const sent = await rest.send(plan, () =>
      sendPlan(plan, { // 5. send
        client: io.calltouch,
        settings,
        state,
        journal,
        clock,
        onProgress: deps.onProgress,
        deadline: sendDeadline,
      }), clock.now());
    await journal.compact(state, clock.now()); // 6. remember, before writing to the sheet
    const reconciliation = reconciling
      ? await rest.awake(() => reconcile(config, io, sheet, lookUpContext), clock.now())
      : undefined;
    if (reconciliation) report.reconciled = reconciliation.reconciled;
    const back = await writeBack(io, read.tab, sheet, plan, sent.statuses, { // 7. write back
      ...cells(read.timeZone),
      attribution: reconciliation?.cells,
    });
    report.counts = runCounts(sheet, plan, sent.statuses); // 8. report
    report.rows = back.rows;
    if (sent.error) fail(report, "calltouch", sent.error.message);
    if (rest.until !== undefined) report.restsUntil = new Date(rest.until).toISOString();
    if (sent.stopped) report.stopped = sent.stopped;
    const idle = plan.create.length + plan.update.length === 0 && back.written === 0;
    if (idle && report.ok) {
      await recordQuiet(io.kv, target, filled(run, report), {
        digest,
        state: journal.version,
        stored: quiet,
        lapseAt: Math.min(
          heldRetryAt(plan) ?? Infinity,
          reconciliation ? startedAt + config.calltouch.reconcileEveryMs : reconcileAt ?? Infinity,
        ),
        knownBuild: Boolean(deps.build),
      });
    }
    // A reconciliation is remembered in the history: it says when the next one is due.
    // Resting since before the run, with nothing written: as idle (history at most hourly).
    const rested = run.restUntil !== undefined && back.written === 0;
    return await finish(run, report, (idle || rested) && !reconciliation);
  } catch (error) {
    return await finish(run, failed(report, error));
  } finally {
    if (leased) await releaseLease(io.kv, leaseKey, runId).catch(() => undefined);
  }
}

/** What a run carries from step to step. */
interface Run {
  io: Connection;
  target: Target;
  report: RunReport;
  clock: Clock;
  /** The run history as read at the start. */
  history: RunReport[];
  /** Until when the target's Calltouch project rests, as read at the start (see rest.ts). */
  restUntil?: number;
}

/**
 * Opens the run's records, in one bulk read and one list: the quiet record, the history and
 * the Calltouch project's rest, and the state's version and leftover deltas (the snapshot is
 * read only when needed).
 */
async function openRun(
  run: Run,
  journal: StateStore,
  siteId: string,
): Promise<QuietRecord | undefined> {
  const keys = stateKeys(run.target);
  const [stored] = await Promise.all([
    run.io.kv.get([keys.quiet, keys.runs, restKey(siteId)], "json"),
    journal.open(),
  ]);
  run.history = asHistory(stored.get(keys.runs));
  run.restUntil = restUntil(stored.get(restKey(siteId)), run.clock.now());
  return asQuietRecord(stored.get(keys.quiet));
}

/**
 * Step 7: the status cells whose text changes, and the attribution cells of a reconciliation,
 * placed by the ID column as it is now: one read, one write.
 */
async function writeBack(
  io: Connection,
  tab: string,
  sheet: ParsedSheetOk,
  plan: SyncPlan,
  statuses: ReadonlyMap<string, RowStatus>,
  options: StatusCellsOptions & { attribution?: StatusCell[] },
) {
  const { cells, rows } = statusCells(sheet, plan, statuses, options);
  const attribution = options.attribution ?? [];
  const changes = (list: StatusCell[]) => list.some((cell) => cell.text !== cell.current);
  if (!changes(cells) && !changes(attribution)) return { rows, written: 0 };
  const column = sheet.columns.syncStatus + 1;
  const ids = await io.sheets.readColumn(tab, sheet.columns.orderNumber + 1);
  const writes = placeStatusCells(cells, ids, column);
  if (writes.length > 0 && !sheet.columns.syncStatusExists) {
    writes.unshift({ row: 1, column, value: STATUS_HEADER });
  }
  if (sheet.columns.attribution !== undefined) {
    writes.push(...placeStatusCells(attribution, ids, sheet.columns.attribution + 1));
  }
  await io.sheets.writeCells(tab, writes);
  return { rows, written: writes.length };
}

/**
 * What payloads are built with: the settings, the sheet's and the Calltouch project's zones
 * (`CALLTOUCH_TIME_ZONE`, default the sheet's) and where the rows are (for each deal's link);
 * with the salt the zones add to fingerprints.
 */
function payloadSettings(config: Config, read: TabRead) {
  const zones = zonesOf(config, read.timeZone);
  const salt = zones.calltouch === zones.sheet ? "" : `tz:${zones.calltouch}`;
  const sheet = { spreadsheetId: config.spreadsheetId, tabId: read.tabId };
  return { settings: { ...config.calltouch, zones, sheet }, salt };
}

/** When the daily retry of the plan's held deals is due (undefined: none held). */
function heldRetryAt(plan: SyncPlan): number | undefined {
  if (plan.held.length === 0) return undefined;
  return plan.held.reduce((min, held) => Math.min(min, held.previous.at), Infinity) +
    HELD_RETRY_MS;
}

function newReport(options: SyncOptions, startedAt: number): RunReport {
  const report: RunReport = {
    ok: true,
    trigger: options.trigger,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: 0,
    counts: emptyCounts(),
    requests: emptyRequests(),
    rows: [],
  };
  if (options.cron !== undefined) report.cron = options.cron;
  return report;
}

/** Marks the report failed (the first failure wins). */
function fail(report: RunReport, kind: RunError["kind"], message: string): RunReport {
  report.ok = false;
  report.error ??= { kind, message };
  return report;
}

/** Marks the report failed with `error`, worded for the clinic (no stack, no secrets). */
function failed(report: RunReport, error: unknown): RunReport {
  if (error instanceof ConfigError) {
    fail(report, "config", error.message);
    report.error!.problems ??= error.problems;
  } else if (error instanceof UpstreamError) fail(report, error.upstream, error.message);
  else {
    console.error(JSON.stringify({
      event: "sync.internal_error",
      name: error instanceof Error ? error.name : typeof error,
      message: error instanceof Error ? error.message : String(error),
    }));
    fail(report, "internal", "Internal error: see the logs.");
  }
  return report;
}

/** The report with its duration and requests filled in. */
function filled<T extends RunReport>(run: Run, report: T): T {
  report.durationMs = run.clock.now() - Date.parse(report.startedAt);
  report.requests = run.io.requests();
  return report;
}

/** Stores the report in the history (an idle run only when the last record is old), filled in. */
async function finish(run: Run, report: RunReport, idle = false): Promise<RunReport> {
  try {
    await recordRun(run.io.kv, run.target, filled(run, report), {
      idle: idle && (report.ok || report.restsUntil !== undefined),
      history: run.history,
    });
  } catch (error) {
    failed(report, error);
  }
  return filled(run, report);
}
