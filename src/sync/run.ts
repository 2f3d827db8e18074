/**
 * One sync, as its steps (docs/how-it-works.md): read → (quiet?) → parse → (the deals journal) → plan → send →
 * remember → write back → report. `sync()` strings the steps together; each step is a function
 * below (or of its own module) that takes data, returns data, and fills its part of the report.
 * Runs of one target in an isolate never overlap, and every failure ends as a report.
 */
import { STATUS_HEADER } from "../columns/written.ts";
import { connect, type ConnectDeps, type Connection } from "../connect.ts";
import type { Config, SettingsEnv } from "../settings/config.ts";
import { ConfigError, loadConfig, zonesOf } from "../settings/config.ts";
import type { Language } from "../deal.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { type Keyring, keyringOf } from "../util/keyring.ts";
import { languageOf } from "../words/mod.ts";
import {
  confirmLanded,
  type LandedContext,
  lookUp,
  reconcile,
  reconcileDueAt,
  type Reconciliation,
} from "./deals_journal/mod.ts";
import { type DryRunReport, dryRunReport } from "./dry_run.ts";
import { asHistory, recordRun } from "./history.ts";
import { asLease, LEASE_MARGIN_MS, leasedByOther, releaseLease, takeLease } from "./lease.ts";
import { HELD_RETRY_MS, planSync, type SyncPlan } from "./plan.ts";
import {
  asQuietRecord,
  quietContext,
  quietHolds,
  type QuietRecord,
  recordQuiet,
  tabDigest,
} from "./quiet.ts";
import { type ParsedTab, parseTab, readTab, type TabRead } from "./read.ts";
import {
  emptyCounts,
  emptyRequests,
  runCounts,
  type RunError,
  runErrorOf,
  type RunReport,
  type Trigger,
} from "./report.ts";
import { rekeyState } from "./rekey.ts";
import { sameRequest } from "./request_hash.ts";
import { sendAll, type SendProgress, type SendResult } from "./send.ts";
import { ProjectRest, restKey, restUntil } from "./rest.ts";
import { newRunId, stateKeys, StateStore } from "./state.ts";
import { type Target, targetOf, targetPrefix } from "./target.ts";
import { placeStatusCells, type StatusCell, statusCells } from "./write_back.ts";

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
  /**
   * The language of a settings failure's words, when the settings could not be read (else
   * `STATUS_LANGUAGE`'s). Default `"ru"`; `runFromSettings` reads it from the settings.
   */
  language?: Language;
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
export function runFromSettings(
  env: SettingsEnv,
  deps: SyncDeps,
  options: SyncOptions,
): Promise<RunReport | DryRunReport> {
  let config: Config | ConfigError;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    config = error;
  }
  return runSync(config, deps, { language: languageOf(env.STATUS_LANGUAGE), ...options });
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
    const report = newReport(options, (deps.clock ?? systemClock).now());
    return Promise.resolve(fail(report, runErrorOf(config, options.language)));
  }
  return serialized(
    targetPrefix(targetOf(config)),
    async () => sync(await openRun(config, deps, options)),
  );
}

/** The steps, in order (see the module's comment). */
async function sync(run: Run): Promise<RunReport | DryRunReport> {
  const { report } = run;
  try {
    const read = await readStep(run); // 2. read
    const quiet = await quietStep(run, read);
    if (quiet.report) return await finish(run, quiet.report, true);
    const parsed = await parseTab(read, run.store, run.config, parseOptions(run, read)); // 3.
    const { sheet, state } = parsed;
    if (!sheet.ok) {
      return await finish(run, fail(report, { kind: "sheet", message: sheet.headerError.message }));
    }
    if (run.store.migrating) rekeyStep(run, parsed, read); // a state under an older key
    // Calltouch's deals journal, after a state loss: which deals it holds already.
    const inCalltouch = state.size === 0 && !run.dryRun
      ? await lookUpStep(run, parsed, read)
      : undefined;
    const plan = planStep(run, parsed, read, inCalltouch); // 4. plan
    if (run.dryRun) return filled(run, dryRun(run, parsed, plan, read));
    if (!(await leaseStep(run, plan))) return filled(run, { ...report, skipped: "running" });
    await landedStep(run, plan, parsed, read); // the deals journal: deals in doubt that landed
    const sent = await sendStep(run, plan, parsed, read); // 5. send
    await run.store.compact(state, run.clock.now()); // 6. remember, before writing to the sheet
    const reconciliation = parsed.reconciling ? await reconcileStep(run, parsed, read) : undefined;
    const back = await writeBack(run, read, parsed, plan, sent, reconciliation); // 7. write back
    return await reportStep(run, { parsed, plan, sent, back, quiet, reconciliation }); // 8.
  } catch (error) {
    return await finish(run, fail(report, runErrorOf(error, run.config.language)));
  } finally {
    if (run.leased) {
      await releaseLease(run.io.kv, stateKeys(run.target).lease, run.id).catch(() => undefined);
    }
  }
}

/** What a run carries from step to step. */
interface Run {
  config: Config;
  deps: SyncDeps;
  options: SyncOptions;
  dryRun: boolean;
  io: Connection;
  clock: Clock;
  target: Target;
  id: string;
  /** The keys of every hash the run stores or compares (`util/keyring.ts`). */
  keys: Keyring;
  /** Our state log in KV (not Calltouch's deals journal). */
  store: StateStore;
  report: RunReport;
  startedAt: number;
  /** No request starts after it. */
  deadline: number;
  /** No Calltouch request starts after it: the write-back keeps its reserve. */
  sendDeadline: number;
  /** The run history as read at the start. */
  history: RunReport[];
  /** Whether this run holds the target's lease. */
  leased: boolean;
  /** The Calltouch project's rest (its daily API points spent), as read at the start. */
  rest: ProjectRest;
  /** Whether the project rested already when the run started. */
  restedAtStart: boolean;
}

async function openRun(config: Config, deps: SyncDeps, options: SyncOptions): Promise<Run> {
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const deadline = startedAt + config.timeBudgetMs;
  const dryRun = options.trigger === "dry-run";
  const target = targetOf(config);
  const io = connect(config, { ...deps, deadline, readOnly: dryRun });
  const id = newRunId(startedAt);
  const keys = await keyringOf(config.stateKey); // the keys of every hash stored
  // Calltouch's part of the run ends early enough for the write-back.
  const reserve = Math.min(WRITE_BACK_RESERVE_MS, config.timeBudgetMs / 4);
  return {
    config,
    deps,
    options,
    dryRun,
    io,
    clock,
    target,
    id,
    keys,
    store: new StateStore(io.kv, target, id, {
      current: keys.current.id,
      previous: keys.previous.map((key) => key.id),
    }),
    report: newReport(options, startedAt),
    startedAt,
    deadline,
    sendDeadline: Math.max(startedAt, deadline - reserve),
    history: [],
    leased: false,
    rest: new ProjectRest(io.kv, config.calltouch.siteId, config.language),
    restedAtStart: false,
  };
}

/** Step 2: the deals tab (and the zones it is read in) into the report. */
async function readStep(run: Run): Promise<TabRead> {
  const read = await readTab(run.io.sheets, run.config);
  run.report.timeZone = read.timeZone;
  if (read.tabId !== undefined) run.report.tabId = read.tabId;
  run.report.tab = read.tab;
  run.report.calltouchTimeZone = zonesOf(run.config, read.timeZone).calltouch;
  return read;
}

/** What the quiet check found: the record a run that changes nothing may leave, or repeat. */
interface Quiet {
  stored?: QuietRecord;
  digest: string;
  /** The report of the stored record, when it holds (the run stops there). */
  report?: RunReport;
}

/**
 * The quiet check: the records of the run opened in one bulk read and one list (the quiet record
 * and the history, the state's version and leftover batches), and whether the stored record
 * holds for the bytes read (see `quiet.ts`).
 */
async function quietStep(run: Run, read: TabRead): Promise<Quiet> {
  const keys = stateKeys(run.target);
  const rest = restKey(run.config.calltouch.siteId);
  const [records] = await Promise.all([
    run.io.kv.get([keys.quiet, keys.runs, rest], "json"),
    run.store.open(),
  ]);
  run.history = asHistory(records.get(keys.runs));
  // The Calltouch project's daily points spent (rest.ts): nothing is asked of it until its day.
  const until = restUntil(records.get(rest), run.clock.now());
  run.rest = new ProjectRest(run.io.kv, run.config.calltouch.siteId, run.config.language, until);
  run.restedAtStart = until !== undefined;
  const stored = asQuietRecord(records.get(keys.quiet));
  const context = quietContext(run.config, read, run.deps.build ?? "");
  const digest = await tabDigest(read.answer!.bytes, context, run.keys.current.digest);
  const now = {
    digest,
    state: run.store.version,
    hasDeltas: run.store.hasDeltas,
    at: run.startedAt,
  };
  if (run.dryRun || run.options.retryHeld || !quietHolds(stored, now)) return { stored, digest };
  return {
    stored,
    digest,
    report: { ...run.report, counts: stored.counts, rows: stored.rows, quiet: true },
  };
}

/** How step 3 reads the rows: a reconciliation compares every deal, so no row is skipped. */
function parseOptions(run: Run, read: TabRead) {
  const due = run.dryRun ? undefined : reconcileDueAt(run.config, run.history);
  const { salt } = payloadSettings(run.config, read, run.keys);
  // Rows read under other custom-field names must be parsed again (their payload differs).
  const build = `${run.deps.build ?? ""}${salt}${
    JSON.stringify(run.config.calltouch.customFields)
  }`;
  return {
    build,
    reconcileAt: due,
    reconciling: due !== undefined && run.startedAt >= due,
    key: run.keys.current.hash,
  };
}

/**
 * A state of an older build, or under a key being rotated: its hashes rewritten under the
 * current key, each checked against its row as it reads now (see `rekey.ts`); stored once.
 */
function rekeyStep(run: Run, parsed: ParsedTab, read: TabRead): void {
  if (!parsed.sheet.ok) return;
  const { settings, salt } = payloadSettings(run.config, read, run.keys);
  const rekeyed = rekeyState(parsed.sheet.deals, parsed.sheet.knownRows, parsed.state, {
    settings,
    previous: run.keys.previous.map((key) => key.hash),
    salt,
  });
  if (!run.dryRun) run.report.rekeyed = rekeyed; // a dry run stores nothing
  run.store.rekeyed();
}

function journalContext(run: Run, read: TabRead): LandedContext {
  return {
    sheetZone: read.timeZone,
    clock: run.clock,
    deadline: run.sendDeadline,
    fetch: run.deps.fetch,
    hashKey: run.keys.current.hash,
  };
}

/**
 * No state at all (new or lost): which of the sheet's deals Calltouch's deals journal holds
 * already (at most half of what is left of the run for Calltouch, see `deals_journal/`).
 */
async function lookUpStep(run: Run, parsed: ParsedTab, read: TabRead) {
  if (!parsed.sheet.ok) return undefined;
  const { deals } = parsed.sheet;
  const found = await run.rest.awake(
    () => lookUp(run.config, run.io, deals, journalContext(run, read)),
    run.clock.now(),
  );
  if (!found) return undefined;
  run.report.lookUp = "error" in found ? { error: found.error } : { found: found.found };
  return "inCalltouch" in found ? found.inCalltouch : undefined;
}

/** Step 4: the plan (pure). */
function planStep(
  run: Run,
  parsed: ParsedTab,
  read: TabRead,
  inCalltouch: ReadonlySet<string> | undefined,
): SyncPlan {
  const { sheet, state } = parsed;
  if (!sheet.ok) throw new TypeError("planStep(): the sheet could not be parsed");
  const { settings, salt } = payloadSettings(run.config, read, run.keys);
  return planSync(sheet.deals, state, {
    inCalltouch,
    knownRows: sheet.knownRows,
    rawHashes: sheet.rawHashes,
    statusTexts: sheet.statusTexts,
    sameRequest: (planned, stored) => sameRequest(planned, settings, stored),
    retryHeld: run.options.retryHeld,
    now: run.startedAt,
    salt,
    key: run.keys.current.hash,
  });
}

/** The dry run: the plan and the exact requests it would send (it stops there). */
function dryRun(run: Run, parsed: ParsedTab, plan: SyncPlan, read: TabRead): DryRunReport {
  if (!parsed.sheet.ok) throw new TypeError("dryRun(): the sheet could not be parsed");
  const { settings } = payloadSettings(run.config, read, run.keys);
  return dryRunReport(run.report, parsed.sheet, plan, settings, cellOptions(run, read));
}

/**
 * With a queue, something to send: one run of the target at a time (see `lease.ts`); false when
 * another run holds it (this one is `skipped`).
 */
async function leaseStep(run: Run, plan: SyncPlan): Promise<boolean> {
  if (!run.options.lease || plan.create.length + plan.update.length === 0) return true;
  const key = stateKeys(run.target).lease;
  if (leasedByOther(asLease(await run.io.kv.get(key, "json")), run.id, run.clock.now())) {
    return false;
  }
  const until = run.deadline + LEASE_MARGIN_MS;
  await takeLease(run.io.kv, key, { run: run.id, until }, run.clock.now());
  run.leased = true;
  return true;
}

/** Deals in doubt that Calltouch's deals journal shows as sent: accepted, not sent again. */
async function landedStep(run: Run, plan: SyncPlan, parsed: ParsedTab, read: TabRead) {
  const landed = await run.rest.awake(
    () => confirmLanded(run.config, run.io, plan, journalContext(run, read)),
    run.clock.now(),
  );
  if (!landed) return;
  run.report.landed = landed.confirmation;
  for (const [orderNumber, entry] of landed.entries) parsed.state.set(orderNumber, entry);
  await run.store.record(landed.entries);
}

/** Step 5: sends the plan, remembering (one KV record per request) what must be, first. */
function sendStep(run: Run, plan: SyncPlan, parsed: ParsedTab, read: TabRead): Promise<SendResult> {
  const send = () =>
    sendAll(plan, {
      client: run.io.calltouch,
      settings: payloadSettings(run.config, read, run.keys).settings,
      state: parsed.state,
      clock: run.clock,
      onProgress: run.deps.onProgress,
      deadline: run.sendDeadline,
    }, (record) => run.store.record(record));
  return run.rest.send(plan, send, run.clock.now());
}

/** The reconciliation with Calltouch's deals journal (what the sends left of the run). */
async function reconcileStep(run: Run, parsed: ParsedTab, read: TabRead) {
  const { sheet } = parsed;
  if (!sheet.ok) return undefined;
  const reconciliation = await run.rest.awake(
    () => reconcile(run.config, run.io, sheet, journalContext(run, read)),
    run.clock.now(),
  );
  if (reconciliation) run.report.reconciled = reconciliation.reconciled;
  return reconciliation;
}

/**
 * Step 7: the status cells whose text changes, and the attribution cells of a reconciliation,
 * placed by the ID column as it is now: one read, one write.
 */
async function writeBack(
  run: Run,
  read: TabRead,
  parsed: ParsedTab,
  plan: SyncPlan,
  sent: SendResult,
  reconciliation: Reconciliation | undefined,
) {
  const { sheet } = parsed;
  if (!sheet.ok) throw new TypeError("writeBack(): the sheet could not be parsed");
  const { cells, rows } = statusCells(sheet, plan, sent.statuses, cellOptions(run, read));
  const attribution = reconciliation?.cells ?? [];
  const changes = (list: StatusCell[]) => list.some((cell) => cell.text !== cell.current);
  if (!changes(cells) && !changes(attribution)) return { rows, written: 0 };
  const column = sheet.columns.syncStatus + 1;
  const ids = await run.io.sheets.readColumn(read.tab, sheet.columns.orderNumber + 1);
  const writes = placeStatusCells(cells, ids, column);
  if (writes.length > 0 && !sheet.columns.syncStatusExists) {
    writes.unshift({ row: 1, column, value: STATUS_HEADER });
  }
  if (sheet.columns.attribution !== undefined) {
    writes.push(...placeStatusCells(attribution, ids, sheet.columns.attribution + 1));
  }
  await run.io.sheets.writeCells(read.tab, writes);
  return { rows, written: writes.length };
}

/**
 * Step 8: the report, and the quiet record of a run that did nothing (when it may lapse: the
 * daily retry of held deals, the next reconciliation); then the history.
 */
async function reportStep(
  run: Run,
  done: {
    parsed: ParsedTab;
    plan: SyncPlan;
    sent: SendResult;
    back: { rows: RunReport["rows"]; written: number };
    quiet: Quiet;
    reconciliation?: Reconciliation;
  },
): Promise<RunReport> {
  const { parsed, plan, sent, back, reconciliation } = done;
  const { report } = run;
  if (!parsed.sheet.ok) throw new TypeError("reportStep(): the sheet could not be parsed");
  report.counts = runCounts(parsed.sheet, plan, sent.statuses);
  report.rows = back.rows;
  if (sent.error) fail(report, runErrorOf(sent.error, run.config.language));
  const { until } = run.rest;
  if (until !== undefined) report.restsUntil = new Date(until).toISOString();
  if (sent.stopped) report.stopped = sent.stopped;
  const quiet = plan.create.length + plan.update.length === 0 && back.written === 0;
  if (quiet && report.ok) {
    const next = reconciliation
      ? run.startedAt + run.config.calltouch.reconcileEveryMs
      : parsed.reconcileAt ?? Infinity;
    await recordQuiet(run.io.kv, run.target, filled(run, report), {
      digest: done.quiet.digest,
      state: run.store.version,
      stored: done.quiet.stored,
      lapseAt: Math.min(heldRetryAt(plan) ?? Infinity, next),
      knownBuild: Boolean(run.deps.build),
    });
  }
  // A reconciliation is remembered in the history: it says when the next one is due. Resting
  // since before the run, with nothing written: as quiet (in the history at most hourly).
  const rested = run.restedAtStart && back.written === 0;
  return await finish(run, report, (quiet || rested) && !reconciliation);
}

/**
 * What payloads are built with: the settings, the sheet's and the Calltouch project's zones
 * (`CALLTOUCH_TIME_ZONE`, default the sheet's), where the rows are (for each deal's link) and the
 * key of the hashes kept of them; with the salt the zones add to fingerprints.
 */
function payloadSettings(config: Config, read: TabRead, keys: Keyring) {
  const zones = zonesOf(config, read.timeZone);
  const salt = zones.calltouch === zones.sheet ? "" : `tz:${zones.calltouch}`;
  const sheet = { spreadsheetId: config.spreadsheetId, tabId: read.tabId };
  return { settings: { ...config.calltouch, zones, sheet, hashKey: keys.current.hash }, salt };
}

/** How status cells are written: the language, the sheet's zone, now. */
function cellOptions(run: Run, read: TabRead) {
  return { language: run.config.language, timeZone: read.timeZone, now: run.clock.now() };
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
function fail(report: RunReport, error: RunError): RunReport {
  report.ok = false;
  report.error ??= error;
  return report;
}

/** The report with its duration and requests filled in. */
function filled<T extends RunReport>(run: Run, report: T): T {
  report.durationMs = run.clock.now() - Date.parse(report.startedAt);
  report.requests = run.io.requests();
  return report;
}

/** Stores the report in the history (an quiet run only when the last record is old), filled in. */
async function finish(run: Run, report: RunReport, quiet = false): Promise<RunReport> {
  try {
    await recordRun(run.io.kv, run.target, filled(run, report), {
      quiet: quiet && (report.ok || report.restsUntil !== undefined),
      history: run.history,
    });
  } catch (error) {
    fail(report, runErrorOf(error, run.config.language));
  }
  return filled(run, report);
}
