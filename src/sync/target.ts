/**
 * What one sync is about: a tab of a spreadsheet sent to one Calltouch project. The target
 * names the sync's KV keys (state, run history, the quiet record) and serialises the runs of an
 * isolate, so another tab or another Calltouch project is data, not a new code path.
 */
import type { Config } from "../settings/config.ts";
import { hash53 } from "../util/hash.ts";

/** A spreadsheet's tab and the Calltouch project its deals go to. */
export interface Target {
  spreadsheetId: string;
  /** The configured tab (`SHEET_NAME`); "" for the spreadsheet's first tab. */
  tab: string;
  /** The Calltouch project (`CALLTOUCH_SITE_ID`). */
  siteId: string;
}

/** The target of a configuration. */
export function targetOf(
  config: Pick<Config, "spreadsheetId" | "sheetName"> & {
    calltouch: Pick<Config["calltouch"], "siteId">;
  },
): Target {
  return {
    spreadsheetId: config.spreadsheetId,
    tab: config.sheetName ?? "",
    siteId: config.calltouch.siteId,
  };
}

/**
 * The KV prefix of a target's keys (no personal data: ids and a hash of the tab's name).
 *
 * @example
 * targetPrefix({ spreadsheetId: "1Abc", tab: "", siteId: "12345" }); // "v2:1Abc:12345:"
 */
export function targetPrefix(target: Target): string {
  const tab = target.tab === "" ? "" : `:${hash53(target.tab)}`;
  return `v2:${target.spreadsheetId}:${target.siteId}${tab}:`;
}

/**
 * The keys the first version kept per spreadsheet alone (`v1:<spreadsheet>:…`): the state there
 * is taken over by the first target of that spreadsheet that finds no state of its own.
 */
export function legacyPrefix(target: Target): string {
  return `v1:${target.spreadsheetId}:`;
}
