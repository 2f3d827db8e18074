/**
 * Sheet setup, run: reads the deals tab, plans with {@linkcode planSheetSetup}, and applies the
 * plan in one `spreadsheets.batchUpdate` (none when there is nothing to do). Used by
 * `deno task setup-sheet` and by the Worker's `POST /setup`.
 */
import type { Config } from "../settings/config.ts";
import type { CellValue, Language } from "../deal.ts";
import { connect, type ConnectDeps } from "../connect.ts";
import { findDealsTab, type SheetInfo } from "../google/sheets.ts";
import { MemoryStore } from "../store/memory.ts";
import type { KeyValueStore } from "../platform.ts";
import type { Clock } from "../util/clock.ts";
import { words } from "../words/mod.ts";
import { planSheetSetup, type SheetRequest, type TabMetadata } from "./plan.ts";

/**
 * The two Sheets calls setup makes. {@linkcode sheetsSetupApi} builds it from the project's
 * Sheets client.
 */
export interface SetupSheetsApi {
  /**
   * The deals tab's metadata, with its conditional-format rules and the number formats of
   * row 2 (see {@linkcode TabMetadata}), and its header row (row 1, unformatted values).
   */
  readTab(): Promise<{ tab: TabMetadata; header: CellValue[]; rows?: CellValue[][] }>;
  /** Sends one `spreadsheets.batchUpdate` with these requests, applied atomically. */
  batchUpdate(requests: SheetRequest[]): Promise<void>;
}

/**
 * The part of the project's Sheets client (`src/google/sheets.ts`, `SheetsClient`) that setup
 * uses, described by shape so this module does not depend on the client's internals.
 */
export interface SetupSheetsClient {
  metadata(): Promise<{ sheets: SheetInfo[] }>;
  /** Rows of the tab, unformatted; row 1 first. */
  readTab(title: string): Promise<CellValue[][]>;
  batchUpdate(requests: readonly SheetRequest[]): Promise<unknown>;
}

/**
 * Adapts the project's Sheets client to {@linkcode SetupSheetsApi} for one tab: `sheetName`,
 * or the first tab (lowest index) when it is undefined, as the sync does. Reads the metadata
 * (one `spreadsheets.get`) and the tab (one `values.get`, row 1 used).
 *
 * @example
 * const api = sheetsSetupApi(new SheetsClient({ ... }), config.sheetName);
 */
export function sheetsSetupApi(client: SetupSheetsClient, sheetName?: string): SetupSheetsApi {
  return {
    async readTab() {
      const { sheets } = await client.metadata();
      const sheet = findDealsTab(sheets, sheetName);
      // For a missing tab, the client's own read fails with the message that lists the tabs.
      const rows = await client.readTab(sheet?.title ?? sheetName ?? "");
      if (!sheet) throw new Error(`tab ${JSON.stringify(sheetName)} vanished between two reads`);
      return {
        tab: {
          sheetId: sheet.sheetId,
          title: sheet.title,
          frozenRowCount: sheet.frozenRowCount,
          rowCount: sheet.rowCount,
          columnCount: sheet.columnCount,
          conditionalFormats: sheet.conditionalFormats,
        },
        header: rows[0] ?? [],
        rows,
      };
    },
    async batchUpdate(requests) {
      await client.batchUpdate(requests);
    },
  };
}

/** Dependencies of {@linkcode setupSheet}. */
export interface SetupSheetDeps {
  sheets: SetupSheetsApi;
  /** Language of the report's texts. Default `"ru"` (the clinic reads it). */
  language?: Language;
  /** Add the `Источник (Calltouch)` column (CALLTOUCH_STATS_TOKEN is set). */
  attribution?: boolean;
}

/** What {@linkcode setupSheet} did. Known no cell values, so it can be logged and returned. */
export interface SetupReport {
  /** Title of the tab that was prepared. */
  tab: string;
  /** Whether a batchUpdate was sent. */
  changed: boolean;
  /** One line per change made; empty when the tab was already prepared. */
  done: string[];
  /** What the clinic should fix by hand (missing columns, an empty header row). */
  warnings: string[];
  /** Number of batchUpdate requests sent (0 when nothing was to do). */
  requests: number;
  /** `done` and `warnings` as one text for people. */
  text: string;
}

/**
 * Prepares the deals tab: status column, frozen header row, status colours, date format. Reads
 * once, writes at most once; a second run on the same tab sends nothing.
 *
 * Errors of the Sheets client (tab not shared with the service account, unknown tab, network)
 * are not caught: they reach the caller as they are.
 *
 * @example
 * const report = await setupSheet({ sheets: sheetsSetupApi(client, config.sheetName) });
 * console.log(report.text);
 */
export async function setupSheet(deps: SetupSheetDeps): Promise<SetupReport> {
  const language = deps.language ?? "ru";
  const { tab, header, rows } = await deps.sheets.readTab();
  const plan = planSheetSetup(tab, header, { language, rows, attribution: deps.attribution });
  if (plan.requests.length > 0) await deps.sheets.batchUpdate(plan.requests);
  const title = tab.title ?? "";
  const changed = plan.requests.length > 0;
  return {
    tab: title,
    changed,
    done: plan.summary,
    warnings: plan.warnings,
    requests: plan.requests.length,
    text: describe(title, changed, plan.summary, plan.warnings, language),
  };
}

function describe(
  title: string,
  changed: boolean,
  done: string[],
  warnings: string[],
  language: Language,
): string {
  const t = words(language).setup;
  const tab = t.tab(title);
  const lines = changed
    ? [t.prepared(tab), ...done.map((d) => `- ${d}`)]
    : [warnings.length > 0 ? t.unchanged(tab) : t.alreadyPrepared(tab)];
  if (warnings.length > 0) lines.push(t.notes, ...warnings.map((w) => `- ${w}`));
  return lines.join("\n");
}

/** The part of the Worker's {@linkcode Config} that setup needs; a whole `Config` will do. */
export type SetupConfig = Pick<Config, "spreadsheetId" | "sheetName" | "google" | "language"> & {
  calltouch?: Pick<Config["calltouch"], "statsToken">;
};

/** Options of {@linkcode setupSheetFromConfig}. */
export interface SetupFromConfigOptions {
  /** Where the Google access token is cached (the Worker's `SYNC_STATE`). Default: memory only. */
  store?: KeyValueStore;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: the system clock. */
  clock?: Clock;
  /** The deployment's gate of each service account's reads (the Worker's `RATE_GATE`). */
  googleReadGate?: ConnectDeps["googleReadGate"];
}

/**
 * {@linkcode setupSheet} on the configured spreadsheet and tab (`SHEET_NAME`, else the first
 * tab), through the project's Sheets client and service-account auth. What `POST /setup` and
 * `deno task setup-sheet` call.
 *
 * @throws {UpstreamError} from Google (e.g. the spreadsheet is not shared with the service
 * account: the message names its e-mail), {@linkcode ConfigError} for an unreadable key.
 * @example
 * app.post("/setup", async (c) => c.json(await setupSheetFromConfig(config, { store: c.env.SYNC_STATE })));
 */
export function setupSheetFromConfig(
  config: SetupConfig,
  options: SetupFromConfigOptions = {},
): Promise<SetupReport> {
  const { calltouch, ...google } = config;
  const { sheets: client } = connect(google, {
    store: options.store ?? new MemoryStore(),
    fetch: options.fetch,
    clock: options.clock,
    googleReadGate: options.googleReadGate,
  });
  return setupSheet({
    sheets: sheetsSetupApi(client, config.sheetName),
    language: config.language,
    attribution: calltouch?.statsToken !== undefined,
  });
}
