/**
 * Sheet setup, planned: the `spreadsheets.batchUpdate` requests that prepare a deals tab (status
 * column, frozen header row, status colours, date-time format) and a summary for people. Pure:
 * metadata and the header row in, requests out; `run.ts` reads the tab and sends them.
 *
 * It never writes a value below row 1: formats and conditional-format rules change how cells
 * look, not what they hold. Planning an already-prepared tab returns no request at all.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { CellValue, Language } from "../deal.ts";
import { columnLetters } from "../sheet/a1.ts";
import { cellText } from "../sheet/cells.ts";
import {
  COLUMN_HEADERS,
  type ColumnField,
  headerError,
  mapHeader,
  normalizeHeader,
} from "../columns/header.ts";
import { newStatusColumn } from "../columns/parse.ts";
import { ATTRIBUTION_HEADER, STATUS_HEADER } from "../columns/written.ts";
import { words } from "../words/mod.ts";

/** One request of `spreadsheets.batchUpdate`. */
export type SheetRequest = sheets_v4.Schema$Request;
/** A conditional-format rule as `spreadsheets.get` returns it. */
export type ConditionalFormatRule = sheets_v4.Schema$ConditionalFormatRule;
/** A cell's number format (`userEnteredFormat.numberFormat`). */
export type NumberFormat = sheets_v4.Schema$NumberFormat;

/** Rows of a new Google Sheets tab: what a header-only tab is grown to. */
export const ROWS_OF_NEW_TAB = 1000;

/** Display pattern of the date columns: `28.11.2026 15:05` (Sheets pattern syntax). */
export const DATE_TIME_PATTERN = "dd.mm.yyyy hh:mm";

/** The status-cell prefixes and the background each one gets (Google's default light palette). */
export const STATUS_COLOURS: readonly {
  prefix: string;
  /** Its name in the summary (`words(language).setup.colour`). */
  colour: "green" | "red" | "amber";
  rgb: sheets_v4.Schema$Color;
}[] = [
  { prefix: "✅", colour: "green", rgb: rgb(0xb7, 0xe1, 0xcd) },
  { prefix: "❌", colour: "red", rgb: rgb(0xf4, 0xc7, 0xc3) },
  { prefix: "⏳", colour: "amber", rgb: rgb(0xfc, 0xe8, 0xb2) },
];

/** What the planner needs to know about the deals tab (from `spreadsheets.get`). */
export interface TabMetadata {
  sheetId: number;
  /** Tab title, for the summary only. */
  title?: string;
  /** Absent means 0 (the API omits default values). */
  frozenRowCount?: number;
  /** Columns in the grid; a status column beyond it makes the plan grow the grid. */
  columnCount: number;
  /**
   * Rows in the grid. Google refuses to freeze every row of a tab, so a tab of just a header row
   * (a header-only CSV imported as a new sheet) is first given {@linkcode ROWS_OF_NEW_TAB} rows.
   * Absent: assumed large enough.
   */
  rowCount?: number;
  /** The tab's conditional-format rules; absent means none. */
  conditionalFormats?: readonly ConditionalFormatRule[];
  /**
   * Number format of each cell of row 2, by column (ragged; a missing entry is "no format").
   * A date column whose row-2 cell already has a DATE or DATE_TIME format is left as it is, so
   * the clinic's own date format wins and a second setup changes nothing.
   *
   * When absent (the metadata read did not include cell formats), the date format is applied
   * only on the first setup, recognised by none of our status colours being there yet: after
   * that the clinic owns the formats, and setup stays idempotent.
   */
  firstDataRowFormats?: readonly (NumberFormat | null | undefined)[];
}

/** Options of {@linkcode planSheetSetup}. */
export interface PlanSheetSetupOptions {
  /** Language of `summary` and `warnings`. Default `"ru"`. */
  language?: Language;
  /**
   * The whole tab, header first. When given, a new status column skips columns where rows keep
   * notes without a header (as the sync does), so no note is ever overwritten by a status.
   */
  rows?: readonly (readonly CellValue[])[];
  /**
   * Add the `Источник (Calltouch)` column (right after the status column, when missing): the sync
   * writes there what Calltouch matched each deal to (with CALLTOUCH_STATS_TOKEN).
   */
  attribution?: boolean;
}

/** The requests of one `spreadsheets.batchUpdate`, and what they do in words. */
export interface SheetSetupPlan {
  /** In order; empty when the tab is already prepared (then send nothing). */
  requests: SheetRequest[];
  /** One line per change, phrased as done (the runner shows it after applying). */
  summary: string[];
  /** What setup cannot fix and the clinic should (missing columns, an empty header row). */
  warnings: string[];
  /** 0-based index of the status column, existing or planned; undefined when the row is empty. */
  statusColumn?: number;
}

/**
 * Plans the setup of a deals tab: the status column header (`Calltouch`, after the last
 * non-empty header, growing the grid if needed), a frozen header row, conditional colours for
 * status cells starting with `✅` / `❌` / `⏳` (TEXT_STARTS_WITH, so no formula and no locale
 * trap), and the `dd.mm.yyyy hh:mm` date-time format on the date columns from row 2. Each step
 * is planned only when missing; existing rules are recognised by condition and range.
 *
 * @example
 * const plan = planSheetSetup({ sheetId: 0, columnCount: 26 }, ["ID сделки", "Дата сделки"]);
 * plan.requests.length; // 6: header, freeze, three colours, one date format
 */
export function planSheetSetup(
  tab: TabMetadata,
  header: readonly CellValue[],
  options: PlanSheetSetupOptions = {},
): SheetSetupPlan {
  const language = options.language ?? "ru";
  const t = words(language).setup;
  // Columns are found exactly as the sync finds them (src/columns/header.ts), so setup creates
  // the status column where the sync looks for it.
  const columns = header.map((cell) => normalizeHeader(cellText(cell)));
  const lastHeader = columns.findLastIndex((h) => h !== "");
  if (lastHeader < 0) return { requests: [], summary: [], warnings: [t.emptyHeader] };

  const find = (field: ColumnField): number => {
    const aliases = COLUMN_HEADERS[field].map(normalizeHeader);
    return columns.findIndex((h) => aliases.includes(h));
  };
  const warnings: string[] = [];
  const mapping = mapHeader(header);
  if (!mapping.ok) warnings.push(headerError(mapping.missing, language).message);
  if (find("phones") < 0 && find("emails") < 0) warnings.push(t.noContacts);

  const { sheetId } = tab;
  const requests: SheetRequest[] = [];
  const summary: string[] = [];

  let statusColumn = find("syncStatus");
  if (statusColumn < 0) {
    statusColumn = options.rows ? newStatusColumn(options.rows, lastHeader + 1) : lastHeader + 1;
    if (statusColumn >= tab.columnCount) {
      const length = statusColumn + 1 - tab.columnCount;
      requests.push({ appendDimension: { sheetId, dimension: "COLUMNS", length } });
    }
    requests.push({
      updateCells: {
        start: { sheetId, rowIndex: 0, columnIndex: statusColumn },
        rows: [{ values: [{ userEnteredValue: { stringValue: STATUS_HEADER } }] }],
        fields: "userEnteredValue",
      },
    });
    const grownTo = statusColumn >= tab.columnCount ? statusColumn + 1 : undefined;
    summary.push(t.statusHeader(STATUS_HEADER, `${columnLetters(statusColumn + 1)}1`, grownTo));
  }

  if (options.attribution && find("attribution") < 0) {
    // After the status column, or after everything when that column is new (and so last).
    const after = Math.max(statusColumn, lastHeader);
    const column = options.rows ? newStatusColumn(options.rows, after + 1) : after + 1;
    const width = Math.max(tab.columnCount, statusColumn + 1);
    if (column >= width) {
      requests.push({
        appendDimension: { sheetId, dimension: "COLUMNS", length: column + 1 - width },
      });
    }
    requests.push({
      updateCells: {
        start: { sheetId, rowIndex: 0, columnIndex: column },
        rows: [{ values: [{ userEnteredValue: { stringValue: ATTRIBUTION_HEADER } }] }],
        fields: "userEnteredValue",
      },
    });
    summary.push(t.attributionHeader(ATTRIBUTION_HEADER, `${columnLetters(column + 1)}1`));
  }

  if ((tab.frozenRowCount ?? 0) < 1) {
    if (tab.rowCount !== undefined && tab.rowCount <= 1) {
      const length = ROWS_OF_NEW_TAB - tab.rowCount;
      requests.push({ appendDimension: { sheetId, dimension: "ROWS", length } });
    }
    requests.push({
      updateSheetProperties: {
        properties: { sheetId, gridProperties: { frozenRowCount: 1 } },
        fields: "gridProperties.frozenRowCount",
      },
    });
    summary.push(t.frozen);
  }

  const rules = tab.conditionalFormats ?? [];
  const added = STATUS_COLOURS.filter(({ prefix }) =>
    !rules.some((rule) => colours(rule, sheetId, statusColumn, prefix))
  );
  const firstSetup = added.length === STATUS_COLOURS.length;
  added.forEach(({ prefix, rgb }, index) => {
    requests.push({
      addConditionalFormatRule: {
        index,
        rule: {
          ranges: [fromRow2(sheetId, statusColumn)],
          booleanRule: {
            condition: { type: "TEXT_STARTS_WITH", values: [{ userEnteredValue: prefix }] },
            format: { backgroundColorStyle: { rgbColor: rgb } },
          },
        },
      },
    });
  });
  if (added.length > 0) {
    const names = added.map((c) => `${c.prefix} ${t.colour[c.colour]}`);
    summary.push(t.colours(columnLetters(statusColumn + 1), names));
  }

  const formatted: [letter: string, header: string][] = [];
  for (const field of ["orderDate", "statusDate"] as const) {
    const column = find(field);
    if (column < 0) continue;
    const formats = tab.firstDataRowFormats;
    if (formats ? isDateFormat(formats[column]) : !firstSetup) continue;
    requests.push({
      repeatCell: {
        range: fromRow2(sheetId, column),
        cell: {
          userEnteredFormat: { numberFormat: { type: "DATE_TIME", pattern: DATE_TIME_PATTERN } },
        },
        fields: "userEnteredFormat.numberFormat",
      },
    });
    formatted.push([columnLetters(column + 1), String(header[column]).trim()]);
  }
  if (formatted.length > 0) summary.push(t.dateFormat(formatted));

  return { requests, summary, warnings, statusColumn };
}

/** Rows 2… of one column, unbounded below so rows added later are covered too. */
function fromRow2(sheetId: number, column: number): sheets_v4.Schema$GridRange {
  return { sheetId, startRowIndex: 1, startColumnIndex: column, endColumnIndex: column + 1 };
}

/**
 * Whether `rule` already colours the status column's cells that start with `prefix`: same
 * condition, and one of its ranges covers the column from row 2 (wider ranges count too).
 */
function colours(
  rule: ConditionalFormatRule,
  sheetId: number,
  column: number,
  prefix: string,
): boolean {
  const condition = rule.booleanRule?.condition;
  if (condition?.type !== "TEXT_STARTS_WITH") return false;
  if (condition.values?.length !== 1 || condition.values[0].userEnteredValue !== prefix) {
    return false;
  }
  // Indices at their default (0, unbounded) are omitted by the API.
  return (rule.ranges ?? []).some((r) =>
    (r.sheetId ?? 0) === sheetId &&
    (r.startRowIndex ?? 0) <= 1 && (r.endRowIndex ?? Infinity) > 1 &&
    (r.startColumnIndex ?? 0) <= column && (r.endColumnIndex ?? Infinity) > column
  );
}

function isDateFormat(format: NumberFormat | null | undefined): boolean {
  return format?.type === "DATE" || format?.type === "DATE_TIME";
}

function rgb(red: number, green: number, blue: number): sheets_v4.Schema$Color {
  const unit = (v: number) => Math.round((v / 255) * 1000) / 1000;
  return { red: unit(red), green: unit(green), blue: unit(blue) };
}
