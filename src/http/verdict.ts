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

export { cellUrl, spreadsheetUrl } from "../google/links.ts";
