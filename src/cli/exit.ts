/** The command-line tool's exit codes, and the rule that picks one for a report. Pure. */
import type { RunReport } from "../sync/report.ts";
import type { CheckReport } from "./check.ts";

/** Exit codes of the command-line tool (see `--help`). */
export const EXIT = {
  /** Every row is in Calltouch as it is in the sheet (check: no row problem). */
  ok: 0,
  /** The run finished, but some rows need attention or wait for the next run. */
  rows: 1,
  /** Nothing could be done: arguments, settings, state file, access, header, internal error. */
  fatal: 2,
} as const;

/** One of {@linkcode EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The exit code of a sync or dry run: 2 for a run-level error (settings, Google, the header,
 * Calltouch refusing the credentials, internal), else 1 when any row is invalid, held (refused
 * earlier, unchanged since), refused now, or left for the next run, else 0.
 *
 * @example
 * runExitCode({ ok: true, counts: { invalid: 9, held: 0, failed: 0, … }, … }); // 1
 */
export function runExitCode(report: RunReport): ExitCode {
  if (!report.ok || report.error) return EXIT.fatal;
  const { invalid, held, failed } = report.counts;
  return invalid + held + failed > 0 ? EXIT.rows : EXIT.ok;
}

/** The exit code of `check`: 2 when the sheet cannot be used, 1 when rows have problems, else 0. */
export function checkExitCode(report: CheckReport): ExitCode {
  if (report.error) return EXIT.fatal;
  return report.problems.length > 0 ? EXIT.rows : EXIT.ok;
}
