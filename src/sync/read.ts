/**
 * Steps 2 and 3 of a run: read the deals tab (its answer's bytes, undecoded), then parse it
 * against the state. Kept apart so the tab's cells die as soon as the parse is done: at 50,000
 * rows they take ~22 MB of a 128 MB isolate, and a suspended caller keeps its temporaries alive
 * across every later await.
 */
import type { Config } from "../settings/config.ts";
import { findDealsTab, type SheetsClient, type TabAnswer } from "../google/sheets.ts";
import { type ParsedSheet, parseSheet } from "../columns/parse.ts";
import { hash53, type SipKey } from "../util/hash.ts";
import type { StateStore, SyncState } from "./state.ts";

/** The deals tab as read: its title, the spreadsheet's time zone, the answer undecoded. */
export interface TabRead {
  tab: string;
  /** The tab's id (`gid`). */
  tabId?: number;
  timeZone: string;
  /** The answer; {@linkcode parseTab} consumes it (and lets it go). */
  answer?: TabAnswer;
}

/**
 * Reads the spreadsheet's metadata (tab titles, time zone) and the deals tab (`SHEET_NAME`,
 * else the first tab): two Google requests.
 *
 * @throws {UpstreamError} when Google refuses (not shared, no such spreadsheet or tab).
 */
export async function readTab(
  sheets: SheetsClient,
  config: Pick<Config, "sheetName">,
): Promise<TabRead> {
  const info = await sheets.metadata();
  // For a missing tab, the read fails with a message listing the tabs that exist.
  const found = findDealsTab(info.sheets, config.sheetName);
  const tab = found?.title ?? config.sheetName ?? "";
  const answer = await sheets.readTabAnswer(tab);
  return found
    ? { tab, tabId: found.sheetId, timeZone: info.timeZone, answer }
    : { tab, timeZone: info.timeZone, answer };
}

/**
 * Loads the state and parses the tab against it: rows exactly as last accepted are not even
 * parsed (held and in-doubt deals always are).
 */
/** Step 3's result: the sheet as parsed, the state, and whether this run reconciles. */
export interface ParsedTab {
  sheet: ParsedSheet;
  state: SyncState;
  /** When the next reconciliation is due (undefined: never, no token). */
  reconcileAt?: number;
  /** Whether this run reconciles with Calltouch's deals journal (every row is parsed then). */
  reconciling: boolean;
}

/** How {@linkcode parseTab} reads the rows. */
export interface ParseTabOptions {
  /**
   * The code's version and what else changes how rows read: raw hashes remembered under another
   * are not trusted.
   */
  build: string;
  reconcileAt?: number;
  /** A reconciliation compares every deal: no row is skipped then. */
  reconciling: boolean;
  /** The key of the raw-row hashes (they cover the row's contacts). */
  key: SipKey;
}

export async function parseTab(
  read: TabRead,
  store: StateStore,
  config: Pick<Config, "language" | "calltouch">,
  options: ParseTabOptions,
): Promise<ParsedTab> {
  const values = read.answer!.values();
  read.answer = undefined; // the bytes die before the parse (50,000 rows: ~7 MB)
  const state = await store.load();
  const sheet = parseSheet(values, {
    language: config.language,
    timeZone: read.timeZone,
    // Raw hashes remembered by another build (or with another salt, see `planSync`) are not
    // trusted: its parser may read cells otherwise.
    rawSeed: Number.parseInt(hash53(options.build).slice(0, 6), 36),
    rawKey: options.key,
    customFields: config.calltouch.customFields,
    // A reconciliation compares every deal: no row is skipped then.
    knownRaw: options.reconciling ? undefined : (orderNumber) => {
      const known = state.get(orderNumber);
      return known?.outcome === "created" || known?.outcome === "updated" ? known.raw : undefined;
    },
  });
  return {
    sheet,
    state,
    reconciling: options.reconciling,
    ...(options.reconcileAt !== undefined ? { reconcileAt: options.reconcileAt } : {}),
  };
}
