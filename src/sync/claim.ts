/**
 * The claim a settled run leaves for the next one (see `quiet.ts`): what a run that reads the
 * tab exactly as this run leaves it would do. Pure: it plans the sheet once more against the
 * state as it now is and claims "nothing to send, nothing to write" only if that is what it finds.
 */
import type { ParsedSheetOk } from "../sheet/parse.ts";
import { HELD_RETRY_MS, planSync, type SyncPlan } from "./plan.ts";
import { QUIET_MAX_ROWS, type QuietClaim, sheetDigest, type SheetScan } from "./quiet.ts";
import type { RowReport, RunCounts } from "./report.ts";
import type { SyncState } from "./state.ts";
import { type StatusCell, statusCells, type StatusCellsOptions } from "./write-back.ts";

/** What a settled run knows when it has written its statuses. */
export interface SettledRun {
  sheet: ParsedSheetOk;
  /** The state after this run's outcomes. */
  state: SyncState;
  plan: SyncPlan;
  /** This run's status cells (each one's text is now in the sheet). */
  cells: readonly StatusCell[];
  counts: RunCounts;
  rows: RowReport[];
  scan: SheetScan;
  /** The status texts this run wrote, by 1-based row. */
  written: ReadonlyMap<number, string>;
  /** `quietContext()` of this run. */
  context: string;
  /** `StateStore.version` after this run. */
  version: string;
  cellOptions: StatusCellsOptions;
}

/**
 * The claim for the next run, or undefined when a run of the tab as this one leaves it would
 * still send or write something (or would report more rows than a claim may carry).
 */
export function claimAfterRun(run: SettledRun): QuietClaim | undefined {
  const { sheet, state, cells } = run;
  let next = run.plan;
  let rows = run.rows;
  if (next.create.length > 0 || next.update.length > 0) {
    next = planSync(sheet.deals, state, { knownRows: sheet.knownRows });
    if (next.create.length > 0 || next.update.length > 0) return undefined;
    const texts = new Map(cells.map((cell) => [cell.row, cell.text]));
    const again = statusCells(sheet, next, new Map(), run.cellOptions);
    if (again.cells.some((cell) => texts.get(cell.row) !== cell.text)) return undefined;
    rows = again.rows;
  }
  if (rows.length > QUIET_MAX_ROWS) return undefined;
  const oldestHeld = next.held.reduce((min, held) => Math.min(min, held.previous.at), Infinity);
  const claim: QuietClaim = {
    digest: sheetDigest(run.scan, run.context, run.written),
    state: run.version,
    counts: {
      ...run.counts,
      created: 0,
      updated: 0,
      failed: 0,
      retrying: 0,
      unchanged: next.unchanged.length,
      held: next.held.length,
    },
    rows,
  };
  if (next.held.length > 0) claim.until = oldestHeld + HELD_RETRY_MS;
  return claim;
}
