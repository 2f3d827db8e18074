/** How the control panel judges a run, and where its rows live in the spreadsheet. Pure. */
import type { RunReport } from "../sync/report.ts";

/**
 * - `ok`: every row is in Calltouch as it is in the sheet;
 * - `attention`: the run worked, but deals wait (`⏳`), are held, or rows have mistakes;
 * - `failed`: the run failed (settings, Google, Calltouch, the header).
 */
export type Verdict = "ok" | "attention" | "failed";

/** The verdict of a run (a dry run: of what it found). */
export function verdictOf(report: Pick<RunReport, "error" | "counts" | "stopped">): Verdict {
  if (report.error) return "failed";
  const { invalid, held, failed } = report.counts;
  return invalid + held + failed > 0 || report.stopped ? "attention" : "ok";
}

/** The spreadsheet's address. */
export function spreadsheetUrl(spreadsheetId: string): string {
  return `https://docs.google.com/spreadsheets/d/${encodeURIComponent(spreadsheetId)}/edit`;
}

/**
 * A link that opens the spreadsheet at one cell (`#gid=<tab>&range=E7`); without the tab's id,
 * the spreadsheet's first tab.
 *
 * @example
 * cellUrl("1AbC", 0, "E7"); // "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0&range=E7"
 */
export function cellUrl(spreadsheetId: string, tabId: number | undefined, cell: string): string {
  const gid = tabId === undefined ? "" : `gid=${tabId}&`;
  return `${spreadsheetUrl(spreadsheetId)}#${gid}range=${encodeURIComponent(cell)}`;
}
