/**
 * Which status cells to write, and where. Pure: the run reads the ID column again right before
 * writing and passes it in, so a status lands on its own deal's row even when people inserted,
 * deleted or sorted rows while the run was talking to Calltouch.
 */
import type { CellValue, Language } from "../deal.ts";
import type { ParsedSheetOk } from "../columns/parse.ts";
import { columnLetters } from "../sheet/a1.ts";
import { readOrderNumber } from "../sheet/ids.ts";
import { problemsByRow, renderRowProblems } from "./row_problems.ts";
import type { SyncPlan } from "./plan.ts";
import type { RowReport } from "./report.ts";
import { type RowStatus, statusText } from "./status_text.ts";

/** One status cell to write (1-based row and column), as the Sheets client takes it. */
export interface StatusWrite {
  row: number;
  column: number;
  value: string;
}

/** A status text for one row, and how to find that row again. */
export interface StatusCell {
  /** Row at the time of reading. */
  row: number;
  /** The row's deal ID as read ("" when none); used to find the row again. */
  orderNumber: string;
  /** Whether the ID identified the row on its own (a unique, non-empty ID). */
  unique: boolean;
  /**
   * The ID cell's text as read, when it holds a phone or an e-mail (no ID, so `orderNumber` is
   * ""): the status goes in place only while the cell still reads the same. In memory only.
   */
  idAsRead?: string;
  text: string;
  /** The cell's text when it was read. */
  current: string;
}

/** Options of {@linkcode statusCells}. */
export interface StatusCellsOptions {
  language: Language;
  timeZone: string;
  /** Epoch ms of a pending status for a sent deal without an outcome (none should lack one). */
  now: number;
}

/**
 * The status text every row should show after this run, and the report entries of the rows
 * that were not unchanged. `statuses` holds the outcomes of the deals sent in this run.
 */
export function statusCells(
  sheet: ParsedSheetOk,
  plan: SyncPlan,
  statuses: ReadonlyMap<string, RowStatus>,
  options: StatusCellsOptions,
): { cells: StatusCell[]; rows: RowReport[] } {
  const cells: StatusCell[] = [];
  const rows: RowReport[] = [];
  const current = (row: number) => sheet.statusTexts.get(row) ?? "";
  const statusLetters = columnLetters(sheet.columns.syncStatus + 1);

  // Accepted deals share few instants (one per batch that sent them): each text is rendered
  // once and is one string, however many rows show it.
  const accepted = { created: new Map<number, string>(), updated: new Map<number, string>() };
  const acceptedText = (kind: "created" | "updated", at: number) => {
    let text = accepted[kind].get(at);
    if (text === undefined) {
      text = statusText({ kind, at }, options);
      accepted[kind].set(at, text);
    }
    return text;
  };
  for (const item of plan.unchanged) {
    const { row, orderNumber, previous } = item;
    const text = acceptedText(previous.outcome as "created" | "updated", previous.at);
    cells.push({ row, orderNumber, unique: true, text, current: current(row) });
  }
  for (const item of plan.held) {
    const { row, orderNumber, previous } = item;
    const text = statusText({ kind: "held", reason: previous.reason ?? "" }, options);
    cells.push({ row, orderNumber, unique: true, text, current: current(row) });
    rows.push({
      row,
      orderNumber,
      action: "held",
      ok: false,
      message: text,
      cell: `${statusLetters}${row}`,
    });
  }
  for (const item of [...plan.create, ...plan.update]) {
    const { row, orderNumber } = item.deal;
    const status = statuses.get(orderNumber) ??
      { kind: "pending", why: "unavailable", at: options.now } satisfies RowStatus;
    const text = status.kind === "created" || status.kind === "updated"
      ? acceptedText(status.kind, status.at)
      : statusText(status, options);
    cells.push({ row, orderNumber, unique: true, text, current: current(row) });
    const ok = status.kind === "created" || status.kind === "updated";
    rows.push({
      row,
      orderNumber,
      action: item.action as "create" | "update",
      ok,
      message: text,
      cell: `${statusLetters}${row}`,
    });
  }
  for (const [row, problems] of problemsByRow(sheet.problems)) {
    const message = renderRowProblems(problems, { language: options.language });
    const text = statusText({ kind: "invalid", message }, options);
    const orderNumber = problems.find((p) => p.orderNumber)?.orderNumber ?? "";
    const duplicate = problems.some((p) => p.code.startsWith("id.duplicate"));
    const cell: StatusCell = {
      row,
      orderNumber,
      unique: orderNumber !== "" && !duplicate,
      text,
      current: current(row),
    };
    const idAsRead = sheet.contactIds?.get(row);
    if (idAsRead !== undefined) cell.idAsRead = idAsRead;
    cells.push(cell);
    const where = problems.find((p) => p.cell)?.cell ?? `${statusLetters}${row}`;
    const report: RowReport = { row, action: "invalid", ok: false, message: text, cell: where };
    if (orderNumber) report.orderNumber = orderNumber;
    rows.push(report);
  }
  rows.sort((a, b) => a.row - b.row);
  return { cells, rows };
}

/**
 * Places the cells whose text changes, using the ID column as it is now (`ids[i]` is row i+1):
 * - a row with a unique ID goes wherever that ID is now, and is skipped when the ID is gone or
 *   now appears twice;
 * - a row without a unique ID (missing or duplicated, or a phone or an e-mail instead of an ID)
 *   is written in place only if its ID cell still holds what was read, so a sort cannot put its
 *   message next to another deal.
 *
 * @param column 1-based status column.
 */
export function placeStatusCells(
  cells: readonly StatusCell[],
  ids: readonly CellValue[],
  column: number,
): StatusWrite[] {
  // The row of each ID, or 0 when the ID is on several rows (no array per ID: 50,000 of them
  // would be megabytes at the run's peak).
  const rowById = new Map<string, number>();
  for (let i = 1; i < ids.length; i++) {
    const id = readOrderNumber(ids[i]);
    if (!id) continue;
    rowById.set(id, rowById.has(id) ? 0 : i + 1);
  }
  const writes: StatusWrite[] = [];
  const taken = new Set<number>();
  for (const cell of cells) {
    if (cell.text === cell.current) continue;
    let row: number | undefined;
    if (cell.unique) {
      row = rowById.get(cell.orderNumber) || undefined;
    } else {
      const now = cell.row - 1 < ids.length ? readOrderNumber(ids[cell.row - 1]) : "";
      row = now === (cell.idAsRead ?? cell.orderNumber) ? cell.row : undefined;
    }
    if (row === undefined || taken.has(row)) continue;
    taken.add(row);
    writes.push({ row, column, value: cell.text });
  }
  return writes;
}
