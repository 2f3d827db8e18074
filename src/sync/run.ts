/**
 * One sync, end to end: read the sheet → parse → plan → send → remember → write statuses back →
 * report. The only module of the sync that does I/O; everything it decides is delegated to the
 * pure modules next to it.
 */
import { CALLTOUCH_BATCH_SIZE, CalltouchClient } from "../calltouch/client.ts";
import type { RateLimiter } from "../calltouch/limiter.ts";
import { createRequest, updateRequest } from "../calltouch/payload.ts";
import type { CreateRequest, UpdateRequest } from "../calltouch/types.ts";
import { type Config, ConfigError, loadConfig, type SettingsEnv } from "../config.ts";
import type { CellValue, Language } from "../deal.ts";
import { ServiceAccountTokenProvider } from "../google/auth.ts";
import { findDealsTab, SheetsClient, type TabAnswer } from "../google/sheets.ts";
import type { KeyValueStore } from "../platform.ts";
import { type ParsedSheet, parseSheet } from "../sheet/parse.ts";
import { ReadOnlyStore } from "../store/read-only.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import { HEARTBEAT_MS, parseStoredRuns, recordRun } from "./history.ts";
import { CountingStore } from "./kv-counter.ts";
import { planSync, type SyncPlan } from "./plan.ts";
import {
  emptyCounts,
  emptyRequests,
  type RowReport,
  type RunError,
  type RunReport,
  type Trigger,
} from "./report.ts";
import { orderFor, requestHash, sendPlan, type SendProgress } from "./send.ts";
import { newRunId, StateStore, type SyncState } from "./state.ts";
import { claimAfterRun } from "./claim.ts";
import {
  bytesDigest,
  claimHolds,
  DigestCache,
  type QuietClaim,
  quietContext,
  type QuietMarker,
  rowHash,
  scanSheet,
  sheetDigest,
  type SheetScan,
} from "./quiet.ts";
import { placeStatusCells, statusCells } from "./write-back.ts";
import { STATUS_HEADER } from "../sheet/columns.ts";

/** Part of the time budget kept for writing statuses back after the last Calltouch request. */
export const WRITE_BACK_RESERVE_MS = 15_000;

/** What a run needs from its environment. */
export interface SyncDeps {
  /** Where state lives: the `SYNC_STATE` KV binding, or a local store. */
  store: KeyValueStore;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default: the system clock. */
  clock?: Clock;
  /**
   * Paces Calltouch requests. Default: the limiter shared by every run of the isolate on `clock`
   * (5 requests per second). The benchmark passes one that never waits.
   */
  calltouchLimiter?: RateLimiter;
  /** Called after each Calltouch batch (progress of long runs); must not throw. */
  onProgress?: (event: SyncProgress) => void;
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
}

/** What a dry run returns: the report it would make, plus the exact requests it would send. */
export interface DryRunReport extends RunReport {
  trigger: "dry-run";
  payloads: { create: CreateRequest[]; update: UpdateRequest[] };
}

// Runs of the same spreadsheet in one isolate (a cron tick and a manual trigger) wait for each
// other instead of racing; across isolates the Calltouch fallbacks keep races harmless.
const running = new Map<string, Promise<unknown>>();
// Digests of the tab answers this isolate decoded: a warm isolate skips decoding an answer
// byte-for-byte the same as the last one.
const digests = new DigestCache();

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

const DRY_RUN_TEXTS = {
  ru: { create: "будет создана", update: "будет обновлена" },
  en: { create: "would be created", update: "would be updated" },
} as const;

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
  const clock = deps.clock ?? systemClock;
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return failedReport(options, clock.now(), {
      kind: "config",
      message: error.message,
      problems: error.problems,
    });
  }
  return await runSync(config, deps, options);
}

/** Runs one sync with validated settings. See {@linkcode runFromSettings}. */
export function runSync(
  config: Config,
  deps: SyncDeps,
  options: SyncOptions,
): Promise<RunReport | DryRunReport> {
  return serialized(config.spreadsheetId, () => new SyncRun(config, deps, options).run());
}

function failedReport(options: SyncOptions, startedAt: number, error: RunError): RunReport {
  return {
    ok: false,
    trigger: options.trigger,
    cron: options.cron,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: 0,
    counts: emptyCounts(),
    requests: emptyRequests(),
    rows: [],
    error,
  };
}

/** Turns a failure into a run error with a message fit for the clinic (no stack, no secrets). */
function runError(error: unknown): RunError {
  if (error instanceof ConfigError) {
    return { kind: "config", message: error.message, problems: error.problems };
  }
  if (error instanceof UpstreamError) return { kind: error.upstream, message: error.message };
  console.error(JSON.stringify({
    event: "sync.internal_error",
    name: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
  }));
  return { kind: "internal", message: "Internal error: see the logs." };
}

/** The state of one run; `run()` is called once. */
class SyncRun {
  private readonly clock: Clock;
  private readonly startedAt: number;
  private readonly deadline: number;
  private readonly kv: CountingStore;
  private readonly auth: ServiceAccountTokenProvider;
  private readonly sheets: SheetsClient;
  private readonly calltouch: CalltouchClient;
  private readonly dryRun: boolean;
  private readonly onProgress: SyncDeps["onProgress"];
  private readonly report: RunReport;
  /** Google requests by kind, counted at the fetch boundary (retries included). */
  private readonly google = { token: 0, metadata: 0, reads: 0, writes: 0 };

  constructor(
    private readonly config: Config,
    deps: SyncDeps,
    private readonly options: SyncOptions,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.startedAt = this.clock.now();
    this.deadline = this.startedAt + config.timeBudgetMs;
    this.dryRun = options.trigger === "dry-run";
    this.onProgress = deps.onProgress;
    // A dry run reads state (and a cached Google token) but must not change anything anywhere.
    this.kv = new CountingStore(this.dryRun ? new ReadOnlyStore(deps.store) : deps.store);
    const baseFetch = deps.fetch ?? ((input, init) => fetch(input, init));
    const tokenUrl = config.google.tokenUrl;
    const sheetsUrl = `${config.google.sheetsApiUrl}/v4/spreadsheets/${config.spreadsheetId}`;
    const countingFetch: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = (init?.method ?? (input instanceof Request ? input.method : "GET"))
        .toUpperCase();
      if (url === tokenUrl) this.google.token++;
      else if (url.startsWith(sheetsUrl)) {
        const rest = url.slice(sheetsUrl.length);
        if (method !== "GET") this.google.writes++;
        else if (rest === "" || rest.startsWith("?")) this.google.metadata++;
        else this.google.reads++;
      }
      return baseFetch(input, init);
    };
    const language = config.language;
    this.auth = new ServiceAccountTokenProvider({
      serviceAccount: config.google.serviceAccount,
      tokenUrl,
      fetch: countingFetch,
      clock: this.clock,
      store: this.kv,
      language,
    });
    this.sheets = new SheetsClient({
      baseUrl: config.google.sheetsApiUrl,
      spreadsheetId: config.spreadsheetId,
      auth: this.auth,
      serviceAccountEmail: config.google.serviceAccount.clientEmail,
      language,
      fetch: countingFetch,
      clock: this.clock,
      deadline: this.deadline,
    });
    this.calltouch = new CalltouchClient({
      baseUrl: config.calltouch.apiUrl,
      siteId: config.calltouch.siteId,
      token: config.calltouch.token,
      crm: config.calltouch.crm,
      fetch: countingFetch,
      clock: this.clock,
      limiter: deps.calltouchLimiter,
    });
    this.report = failedReport(options, this.startedAt, { kind: "internal", message: "" });
    this.report.ok = true;
    delete this.report.error;
  }

  async run(): Promise<RunReport | DryRunReport> {
    let result: RunReport | DryRunReport = this.report;
    let idle = false;
    let journal: StateStore | undefined;
    let claim: QuietClaim | undefined;
    try {
      const info = await this.sheets.metadata();
      this.report.timeZone = info.timeZone;
      // For a missing tab, the read below fails with a message listing the tabs that exist.
      const tab = findDealsTab(info.sheets, this.config.sheetName)?.title ??
        this.config.sheetName ?? "";
      journal = new StateStore(this.kv, this.config.spreadsheetId, newRunId(this.startedAt));
      const context = quietContext(this.config, tab, info.timeZone);
      const read = await this.readSheet(tab, info.timeZone, journal, context);
      if ("quiet" in read) {
        this.takeClaim(read.quiet);
        return this.finish(result, true);
      }
      const { sheet, state, scan } = read;
      if (!sheet.ok) {
        this.fail({ kind: "sheet", message: sheet.headerError.message });
        return this.finish(result, true);
      }
      const settings = this.config.calltouch;
      const plan = planSync(sheet.deals, state, {
        knownRows: sheet.knownRows,
        rawHashes: sheet.rawHashes,
        statusTexts: sheet.statusTexts,
        requestHash: (planned) => requestHash(planned, settings),
        retryHeld: this.options.retryHeld,
        now: this.startedAt,
      });
      const counts = this.report.counts;
      const valid = sheet.deals.length + sheet.knownRows.length;
      counts.rows = valid + new Set(sheet.problems.map((p) => p.row)).size;
      counts.unchanged = plan.unchanged.length;
      counts.held = plan.held.length;
      counts.invalid = counts.rows - valid;

      if (this.dryRun) {
        result = this.dryRunReport(plan);
        const { rows } = statusCells(sheet, plan, new Map(), this.cellOptions(info.timeZone));
        result.rows = this.dryRunRows(rows);
        return this.finish(result, true);
      }

      const sent = await sendPlan(plan, {
        client: this.calltouch,
        settings: this.config.calltouch,
        state,
        journal,
        clock: this.clock,
        onProgress: this.onProgress,
        maxRequests: this.config.calltouch.maxRequestsPerRun,
        deadline: Math.max(
          this.startedAt,
          this.deadline - Math.min(WRITE_BACK_RESERVE_MS, this.config.timeBudgetMs / 4),
        ),
      });
      if (sent.error) this.fail({ kind: "calltouch", message: sent.error.message });
      for (const status of sent.statuses.values()) {
        if (status.kind === "created") counts.created++;
        else if (status.kind === "updated") counts.updated++;
        else {
          counts.failed++;
          if (status.kind === "pending") counts.retrying++;
        }
      }
      // Remember before writing to the sheet: a failed write must not lose what Calltouch took.
      await journal.compact(state, this.clock.now());

      const { cells, rows } = statusCells(
        sheet,
        plan,
        sent.statuses,
        this.cellOptions(info.timeZone),
      );
      this.report.rows = rows;
      const column = sheet.columns.syncStatus + 1;
      // Status texts that landed, by row, to predict what the next run reads.
      const written = new Map<number, string>();
      let placed = true;
      const changed = cells.filter((cell) => cell.text !== cell.current);
      if (changed.length > 0) {
        const ids = await this.sheets.readColumn(tab, sheet.columns.orderNumber + 1);
        const writes = placeStatusCells(cells, ids, column);
        placed = writes.length === changed.length && rowHash(ids, -1) === scan?.ids;
        if (writes.length > 0 && !sheet.columns.syncStatusExists) {
          writes.unshift({ row: 1, column, value: STATUS_HEADER });
        }
        await this.sheets.writeCells(tab, writes);
        for (const write of writes) written.set(write.row, String(write.value));
      }
      idle = plan.create.length === 0 && plan.update.length === 0 && this.google.writes === 0;
      if (scan && placed && this.report.ok && counts.retrying === 0) {
        const version = journal.version;
        if (version !== undefined) {
          claim = claimAfterRun({
            sheet,
            state,
            plan,
            cells,
            counts,
            rows,
            scan,
            written,
            context,
            version,
            cellOptions: this.cellOptions(info.timeZone),
          });
        }
      }
    } catch (error) {
      this.fail(runError(error));
      claim = undefined;
    }
    return this.finish(result, idle, journal, claim);
  }

  /**
   * Reads the deals tab and hashes it; when the last settled run's claim holds for what was
   * read, returns it (nothing else is read or parsed). Otherwise loads the state and parses the
   * tab, in a call of its own: a suspended async function keeps its temporaries alive across
   * every later await, and at 50,000 rows the raw cells take ~22 MB of a 128 MB isolate; here
   * they die as soon as the parse is done.
   */
  private async readSheet(
    tab: string,
    timeZone: string,
    journal: StateStore,
    context: string,
  ): Promise<
    { quiet: QuietMarker } | { sheet: ParsedSheet; state: SyncState; scan?: SheetScan }
  > {
    // The state's texts are read while the tab is.
    const opened = journal.open();
    opened.catch(() => {}); // awaited below; a failed read must not go unhandled meanwhile
    let answer: TabAnswer | undefined = await this.sheets.readTabAnswer(tab);
    await opened;
    const bytes = await bytesDigest(answer.bytes);
    const cacheKey = this.config.spreadsheetId;
    let digest = digests.get(cacheKey, bytes, context);
    let values: CellValue[][] | undefined;
    let scan: SheetScan | undefined;
    if (digest === undefined) {
      values = answer!.values();
      answer = undefined; // the bytes die before the parse (50,000 rows: ~7 MB)
      scan = scanSheet(values);
      digest = scan ? sheetDigest(scan, context) : null;
      digests.set(cacheKey, bytes, context, digest);
    }
    if (digest !== null && !this.dryRun && !this.options.retryHeld) {
      const { marker } = parseStoredRuns(journal.runsText ?? null);
      const holds = claimHolds(marker, {
        digest,
        state: journal.version,
        hasDeltas: journal.hasDeltas,
        at: this.startedAt,
        heartbeatMs: HEARTBEAT_MS,
      });
      if (holds) return { quiet: marker };
    }
    values ??= answer!.values();
    answer = undefined;
    scan ??= scanSheet(values);
    // Rows exactly as last accepted are not even parsed (held and in-doubt deals always are).
    const state = await journal.load();
    const sheet = parseSheet(values, {
      language: this.config.language,
      timeZone,
      knownRaw: (orderNumber) => {
        const known = state.get(orderNumber);
        return known?.outcome === "created" || known?.outcome === "updated" ? known.raw : undefined;
      },
    });
    return { sheet, state, scan };
  }

  /** Fills the report from a claim that holds: the run does nothing else. */
  private takeClaim(marker: QuietMarker): void {
    this.report.counts = { ...marker.counts };
    this.report.rows = marker.rows;
    this.report.quiet = true;
  }

  private cellOptions(timeZone: string) {
    return { language: this.config.language as Language, timeZone, now: this.clock.now() };
  }

  private fail(error: RunError): void {
    this.report.ok = false;
    this.report.error ??= error;
  }

  private dryRunReport(plan: SyncPlan): DryRunReport {
    const settings = this.config.calltouch;
    const creates = plan.create.map((item) => orderFor(item, "create", settings));
    const updates = plan.update.map((item) => orderFor(item, "update", settings));
    const batches = <T>(orders: T[]) =>
      Array.from(
        { length: Math.ceil(orders.length / CALLTOUCH_BATCH_SIZE) },
        (_, i) => orders.slice(i * CALLTOUCH_BATCH_SIZE, (i + 1) * CALLTOUCH_BATCH_SIZE),
      );
    this.report.counts.created = creates.length;
    this.report.counts.updated = updates.length;
    return {
      ...this.report,
      trigger: "dry-run",
      payloads: {
        create: batches(creates).map((orders) => createRequest(orders, settings.crm)),
        update: batches(updates).map((orders) => updateRequest(orders)),
      },
    };
  }

  private dryRunRows(rows: RowReport[]): RowReport[] {
    const texts = DRY_RUN_TEXTS[this.config.language];
    return rows.map((row) =>
      row.action === "create" || row.action === "update"
        ? { ...row, ok: true, message: texts[row.action] }
        : row
    );
  }

  private async finish(
    result: RunReport | DryRunReport,
    idle: boolean,
    journal?: StateStore,
    claim?: QuietClaim,
  ): Promise<RunReport | DryRunReport> {
    const fill = () => {
      Object.assign(result, {
        ok: this.report.ok,
        error: this.report.error,
        rows: result.rows,
        durationMs: this.clock.now() - this.startedAt,
      });
      result.requests = {
        sheetsRead: this.google.reads,
        sheetsMetadata: this.google.metadata,
        sheetsWrite: this.google.writes,
        token: this.google.token,
        calltouch: this.calltouch.requestCount,
        kvRead: this.kv.counts.reads + this.kv.counts.lists,
        kvWrite: this.kv.counts.writes + this.kv.counts.deletes,
      };
    };
    fill();
    if (!this.dryRun && journal) {
      try {
        await recordRun(this.kv, this.config.spreadsheetId, result, {
          idle: idle && result.ok,
          stored: journal.runsText,
          claim: result.ok ? claim : undefined,
        });
      } catch (error) {
        this.fail(runError(error));
      }
      fill();
    }
    return result;
  }
}
