/**
 * The state and rules of the Google Sheets emulator, without HTTP: spreadsheets and tabs, A1
 * ranges, the values API shape rules (reference §3.2), render and input options, field masks
 * and the `spreadsheets:batchUpdate` requests the project uses. Errors are thrown as
 * {@linkcode ApiError}s carrying Google's status and message.
 *
 * Not modelled (on purpose): formulas are stored as text and never evaluated, R1C1 ranges,
 * merges, developer metadata, `values:append`, grid data in `spreadsheets.get`.
 */
import type { sheets_v4 } from "@googleapis/sheets";

/** A stored cell value; `undefined` is an empty cell. */
export type Value = string | number | boolean;

/** A cell's number format (`userEnteredFormat.numberFormat`). */
export interface NumberFormat {
  type: string;
  pattern?: string;
}

/** One stored row: values by 0-based column, and the number formats of its cells. */
export interface Row {
  values: (Value | undefined)[];
  formats?: (NumberFormat | undefined)[];
}

/** A protection: writes into `range` by anyone not in `editors` fail (unless warningOnly). */
export interface ProtectedRangeModel {
  protectedRangeId: number;
  range: sheets_v4.Schema$GridRange;
  editors: string[];
  warningOnly: boolean;
  description?: string;
}

/** One tab. */
export interface SheetModel {
  sheetId: number;
  title: string;
  index: number;
  hidden: boolean;
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
  frozenColumnCount: number;
  /** Sparse, by 0-based row; may be shorter than rowCount. */
  rows: (Row | undefined)[];
  conditionalFormats: sheets_v4.Schema$ConditionalFormatRule[];
  protectedRanges: ProtectedRangeModel[];
  dataValidations: {
    range: sheets_v4.Schema$GridRange;
    rule: sheets_v4.Schema$DataValidationRule;
  }[];
}

/** One spreadsheet. */
export interface SpreadsheetModel {
  spreadsheetId: string;
  title: string;
  locale: string;
  timeZone: string;
  /** In index order. */
  sheets: SheetModel[];
  /** E-mail → role. */
  shares: Map<string, "reader" | "writer">;
  nextId: number;
}

/** A Google API error: HTTP code, canonical status and message. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status: string = STATUS_BY_CODE[code] ?? "UNKNOWN",
    readonly details?: unknown[],
  ) {
    super(message);
  }

  /** The JSON body Google sends. */
  body(): { error: { code: number; message: string; status: string; details?: unknown[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        status: this.status,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/** Canonical status names by HTTP code. */
export const STATUS_BY_CODE: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  501: "NOT_IMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** Rows of a new tab, as in Google Sheets. */
export const DEFAULT_ROWS = 1000;
/** Columns of a new tab (A–Z). */
export const DEFAULT_COLUMNS = 26;
/** Largest column count of a spreadsheet (`ZZZ`). */
export const MAX_COLUMNS = 18_278;
/** Google's limit of cells per spreadsheet. */
export const MAX_CELLS = 10_000_000;
/** The protected-cell refusal, word for word. */
export const PROTECTED_MESSAGE = "You are trying to edit a protected cell or object. " +
  "Please contact the spreadsheet owner to remove protection if you need to edit.";

const bad = (message: string) => new ApiError(400, message);

// ---------------------------------------------------------------------------------------------
// A1 notation

/** A 0-based, half-open rectangle; an undefined end is unbounded. */
export interface Rect {
  r0: number;
  r1?: number;
  c0: number;
  c1?: number;
}

/** A range resolved to its tab. */
export interface ResolvedRange {
  sheet: SheetModel;
  rect: Rect;
}

/** Column letters of a 0-based column index. */
export function letters(column0: number): string {
  let s = "";
  for (let n = column0 + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  }
  return s;
}

function columnIndex(text: string): number {
  let n = 0;
  for (const ch of text.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** A title as Google echoes it: bare when it is a plain identifier, else quoted. */
export function echoTitle(title: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title) &&
    !/^R\d*C\d*$/i.test(title);
  return plain ? title : `'${title.replaceAll("'", "''")}'`;
}

/** A1 text of a bounded rectangle: `A1` for one cell, `A1:B2` otherwise. */
export function rectA1(r0: number, c0: number, r1: number, c1: number): string {
  const start = `${letters(c0)}${r0 + 1}`;
  const end = `${letters(c1 - 1)}${r1}`;
  return r1 - r0 === 1 && c1 - c0 === 1 ? start : `${start}:${end}`;
}

const ENDPOINT = /^\$?([A-Za-z]{1,3})?\$?(\d+)?$/;

function parseCells(cells: string): Rect | undefined {
  const parts = cells.split(":");
  if (parts.length > 2) return undefined;
  const ends = parts.map((p) => {
    const m = ENDPOINT.exec(p.trim());
    if (!m || (!m[1] && !m[2])) return undefined;
    const row = m[2] === undefined ? undefined : Number(m[2]);
    if (row !== undefined && row < 1) return undefined;
    return { col: m[1] === undefined ? undefined : columnIndex(m[1]), row };
  });
  if (ends.some((e) => e === undefined)) return undefined;
  const [a, b] = ends as { col?: number; row?: number }[];
  if (!b) {
    if (a.col === undefined || a.row === undefined) return undefined;
    return { r0: a.row - 1, r1: a.row, c0: a.col, c1: a.col + 1 };
  }
  if (a.col === undefined && b.col !== undefined) return undefined;
  let c0 = a.col ?? 0;
  let c1 = b.col === undefined ? undefined : b.col + 1;
  if (c1 !== undefined && c1 <= c0) [c0, c1] = [c1 - 1, c0 + 1];
  let r0 = a.row === undefined ? 0 : a.row - 1;
  let r1 = b.row;
  if (a.row !== undefined && r1 !== undefined && r1 <= r0) [r0, r1] = [r1 - 1, r0 + 1];
  if (a.col === undefined && (a.row === undefined || b.row === undefined)) return undefined;
  return { r0, r1, c0, c1 };
}

/**
 * Resolves an A1 range (`'Tab'!A1:B2`, `Tab!A:A`, `'Jon''s'`, `A1:B2` on the first visible tab).
 *
 * @throws {ApiError} 400 `Unable to parse range: <raw>` for bad syntax or an unknown tab.
 */
export function resolveRange(book: SpreadsheetModel, raw: string): ResolvedRange {
  const fail = () => bad(`Unable to parse range: ${raw}`);
  let title: string | undefined;
  let cells: string | undefined;
  if (raw.startsWith("'")) {
    let i = 1;
    let t = "";
    for (;;) {
      if (i >= raw.length) throw fail();
      if (raw[i] === "'") {
        if (raw[i + 1] === "'") {
          t += "'";
          i += 2;
          continue;
        }
        break;
      }
      t += raw[i++];
    }
    title = t;
    const rest = raw.slice(i + 1);
    if (rest.startsWith("!")) cells = rest.slice(1);
    else if (rest !== "") throw fail();
  } else {
    const bang = raw.lastIndexOf("!");
    if (bang >= 0) {
      title = raw.slice(0, bang);
      cells = raw.slice(bang + 1);
    } else if (book.sheets.some((s) => s.title === raw)) title = raw;
    else cells = raw;
  }
  const sheet = title === undefined
    ? book.sheets.find((s) => !s.hidden) ?? book.sheets[0]
    : book.sheets.find((s) => s.title === title);
  if (!sheet) throw fail();
  if (cells === undefined) return { sheet, rect: { r0: 0, c0: 0 } };
  const rect = parseCells(cells);
  if (!rect) throw fail();
  return { sheet, rect };
}

function gridLimits(sheet: SheetModel, area: string): ApiError {
  return bad(
    `Range (${echoTitle(sheet.title)}!${area}) exceeds grid limits. ` +
      `Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
  );
}

/** The rectangle clamped to the grid, for reads; a start beyond the grid is an error. */
function clampForRead(sheet: SheetModel, rect: Rect): Required<Rect> {
  if (rect.r0 >= sheet.rowCount || rect.c0 >= sheet.columnCount) {
    throw gridLimits(sheet, `${letters(rect.c0)}${rect.r0 + 1}`);
  }
  return {
    r0: rect.r0,
    c0: rect.c0,
    r1: Math.min(rect.r1 ?? sheet.rowCount, sheet.rowCount),
    c1: Math.min(rect.c1 ?? sheet.columnCount, sheet.columnCount),
  };
}

// ---------------------------------------------------------------------------------------------
// Dates and number formats

const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** Whether a locale writes decimals with a comma. */
function commaDecimal(locale: string): boolean {
  return /^(ru|uk|be|kk|de|fr|es|it|pt|nl|pl|cs|sk|sv|fi|da|nb|no|tr|id|vi)/i.test(locale);
}

/** A serial day number from wall-clock parts (no zone), or undefined if the date is impossible. */
export function serialOf(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number | undefined {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(ms);
  if (
    d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day ||
    hour > 23 || minute > 59 || second > 59
  ) return undefined;
  return (ms - SERIAL_EPOCH_MS) / DAY_MS;
}

function wallClock(serial: number) {
  const d = new Date(Math.round(serial * 86_400) * 1000 + SERIAL_EPOCH_MS);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const DATE_TYPES = new Set(["DATE", "TIME", "DATE_TIME"]);

function defaultPattern(type: string, locale: string): string {
  const ru = commaDecimal(locale);
  if (type === "DATE") return ru ? "dd.mm.yyyy" : "m/d/yyyy";
  if (type === "TIME") return "h:mm:ss";
  return ru ? "dd.mm.yyyy h:mm:ss" : "m/d/yyyy h:mm:ss";
}

/** Formats a serial with a Sheets date pattern (`dd.mm.yyyy hh:mm:ss` and the like). */
function formatDate(serial: number, pattern: string): string {
  const w = wallClock(serial);
  const tokens = pattern.match(/yyyy|yy|dd|d|mmmm|mmm|mm|m|hh|h|ss|s|"[^"]*"|\\.|./gi) ?? [];
  let out = "";
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const lower = token.toLowerCase();
    if (lower === "yyyy") out += pad(w.y, 4);
    else if (lower === "yy") out += pad(w.y % 100);
    else if (lower === "dd") out += pad(w.d);
    else if (lower === "d") out += String(w.d);
    else if (lower === "hh") out += pad(w.h);
    else if (lower === "h") out += String(w.h);
    else if (lower === "ss") out += pad(w.s);
    else if (lower === "s") out += String(w.s);
    else if (lower === "m" || lower === "mm") {
      // Minutes right after hours or right before seconds, months otherwise.
      const before = tokens.slice(0, i).reverse().find((x) => /^[a-z]+$/i.test(x))?.toLowerCase();
      const after = tokens.slice(i + 1).find((x) => /^[a-z]+$/i.test(x))?.toLowerCase();
      const minute = before?.startsWith("h") || after?.startsWith("s");
      const n = minute ? w.mi : w.mo;
      out += lower === "mm" ? pad(n) : String(n);
    } else if (lower === "mmm" || lower === "mmmm") out += pad(w.mo);
    else if (token.startsWith('"')) out += token.slice(1, -1);
    else if (token.startsWith("\\")) out += token.slice(1);
    else out += token;
  }
  return out;
}

function formatPlainNumber(n: number, locale: string, decimals?: number, group = false): string {
  const comma = commaDecimal(locale);
  let text = decimals === undefined ? String(n) : n.toFixed(decimals);
  if (/e/i.test(text)) return comma ? text.replace(".", ",") : text;
  const negative = text.startsWith("-");
  if (negative) text = text.slice(1);
  let [whole, fraction] = text.split(".");
  if (group) {
    // ru_RU groups thousands with a no-break space (U+00A0); an open question in the reference.
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, comma ? "\u00a0" : ",");
  }
  const sign = negative ? "-" : "";
  return fraction === undefined ? sign + whole : `${sign}${whole}${comma ? "," : "."}${fraction}`;
}

/** How a number cell reads with FORMATTED_VALUE. */
export function formatNumber(n: number, format: NumberFormat | undefined, locale: string): string {
  if (!format) return formatPlainNumber(n, locale);
  if (DATE_TYPES.has(format.type)) {
    return formatDate(n, format.pattern ?? defaultPattern(format.type, locale));
  }
  const pattern = format.pattern ?? "";
  const decimals = /\.(0+)/.exec(pattern)?.[1].length ?? (pattern ? 0 : undefined);
  const group = pattern.includes(",");
  if (format.type === "PERCENT") {
    return `${formatPlainNumber(n * 100, locale, decimals ?? 0, group)}%`;
  }
  if (format.type === "TEXT") return formatPlainNumber(n, locale);
  return formatPlainNumber(n, locale, decimals, group);
}

/** Parses text as if typed into a cell (USER_ENTERED), in the spreadsheet's locale. */
export function parseUserEntered(
  text: string,
  locale: string,
): { value: Value | undefined; format?: NumberFormat } {
  if (text === "") return { value: undefined };
  if (text.startsWith("'")) return { value: text.slice(1) };
  if (text.startsWith("=")) return { value: text }; // formulas are kept as text, not evaluated
  const trimmed = text.trim();
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === "true" };
  const comma = commaDecimal(locale);
  const number = comma
    ? /^[+-]?(\d{1,3}([ \u00a0]\d{3})+|\d+)(,\d+)?$/
    : /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
  if (number.test(trimmed)) {
    const normal = comma
      ? trimmed.replace(/[ \u00a0]/g, "").replace(",", ".")
      : trimmed.replace(/,/g, "");
    return { value: Number(normal) };
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(trimmed);
  const local = comma
    ? /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(trimmed)
    : /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(trimmed);
  const parts = iso
    ? [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]]
    : local
    ? comma
      ? [local[3], local[2], local[1], local[4], local[5], local[6]]
      : [local[3], local[1], local[2], local[4], local[5], local[6]]
    : undefined;
  if (parts) {
    const [y, mo, d, h, mi, s] = parts.map((p) => (p === undefined ? undefined : Number(p)));
    const serial = serialOf(y!, mo!, d!, h ?? 0, mi ?? 0, s ?? 0);
    if (serial !== undefined) {
      return { value: serial, format: { type: h === undefined ? "DATE" : "DATE_TIME" } };
    }
  }
  const time = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  if (time && Number(time[1]) < 24 && Number(time[2]) < 60 && Number(time[3] ?? 0) < 60) {
    const seconds = Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3] ?? 0);
    return { value: seconds / 86_400, format: { type: "TIME" } };
  }
  return { value: text };
}

// ---------------------------------------------------------------------------------------------
// Reading values

/** Render options of a values read. */
export interface RenderOptions {
  majorDimension: "ROWS" | "COLUMNS";
  valueRenderOption: "FORMATTED_VALUE" | "UNFORMATTED_VALUE" | "FORMULA";
  dateTimeRenderOption: "SERIAL_NUMBER" | "FORMATTED_STRING";
}

function render(
  value: Value,
  format: NumberFormat | undefined,
  options: RenderOptions,
  locale: string,
): Value {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") {
    return options.valueRenderOption === "FORMATTED_VALUE" ? (value ? "TRUE" : "FALSE") : value;
  }
  if (options.valueRenderOption === "FORMATTED_VALUE") return formatNumber(value, format, locale);
  if (
    options.dateTimeRenderOption === "FORMATTED_STRING" && format && DATE_TYPES.has(format.type)
  ) return formatNumber(value, format, locale);
  return value;
}

/** A ValueRange read of a range: §3.2 shape rules (ragged, trailing empties dropped, no `values` when empty). */
export function readValues(
  book: SpreadsheetModel,
  resolved: ResolvedRange,
  options: RenderOptions,
): sheets_v4.Schema$ValueRange {
  const { sheet } = resolved;
  const { r0, r1, c0, c1 } = clampForRead(sheet, resolved.rect);
  const range = `${echoTitle(sheet.title)}!${rectA1(r0, c0, r1, c1)}`;
  const lastRow = Math.min(r1, sheet.rows.length);
  const cellAt = (r: number, c: number): Value | undefined => {
    const row = sheet.rows[r];
    const value = row?.values[c];
    if (value === undefined || value === "") return undefined;
    return render(value, row!.formats?.[c], options, book.locale);
  };
  const out: Value[][] = [];
  if (options.majorDimension === "COLUMNS") {
    for (let c = c0; c < c1; c++) {
      const column: Value[] = [];
      let last = -1;
      for (let r = r0; r < lastRow; r++) {
        const v = cellAt(r, c);
        if (v !== undefined) last = r - r0;
        column.push(v ?? "");
      }
      column.length = last + 1;
      out.push(column);
    }
  } else {
    for (let r = r0; r < lastRow; r++) {
      const row = sheet.rows[r];
      const cells: Value[] = [];
      if (row) {
        const end = Math.min(c1, row.values.length);
        let last = -1;
        for (let c = c0; c < end; c++) {
          const v = cellAt(r, c);
          if (v !== undefined) last = c - c0;
          cells.push(v ?? "");
        }
        cells.length = last + 1;
      }
      out.push(cells);
    }
  }
  while (out.length > 0 && out[out.length - 1].length === 0) out.pop();
  return {
    range,
    majorDimension: options.majorDimension,
    ...(out.length > 0 ? { values: out } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing values

/** A validated write of one ValueRange, ready to apply. */
export interface WritePlan {
  sheet: SheetModel;
  cells: { r: number; c: number; value: Value | undefined; format?: NumberFormat }[];
  response: sheets_v4.Schema$UpdateValuesResponse;
}

/** Whether a protection stops `caller` (undefined: the emulator's admin, never stopped). */
function protectionBlocks(sheet: SheetModel, r: number, c: number, caller: string | undefined) {
  if (caller === undefined) return false;
  for (const p of sheet.protectedRanges) {
    if (p.warningOnly || p.editors.includes(caller)) continue;
    const g = p.range;
    if (
      r >= (g.startRowIndex ?? 0) && r < (g.endRowIndex ?? Infinity) &&
      c >= (g.startColumnIndex ?? 0) && c < (g.endColumnIndex ?? Infinity)
    ) return true;
  }
  return false;
}

/**
 * Validates one ValueRange write (range syntax, shape within the range, grid limits, protected
 * cells) without changing anything.
 */
export function planWrite(
  book: SpreadsheetModel,
  rawRange: string,
  body: sheets_v4.Schema$ValueRange,
  inputOption: string | undefined,
  caller: string | undefined,
): WritePlan {
  if (inputOption !== "RAW" && inputOption !== "USER_ENTERED") {
    throw bad(
      inputOption === undefined || inputOption === ""
        ? "'valueInputOption' is required but not specified"
        : `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "${inputOption}"`,
    );
  }
  const { sheet, rect } = resolveRange(book, rawRange);
  const major = body.majorDimension ?? "ROWS";
  if (major !== "ROWS" && major !== "COLUMNS") {
    throw bad(`Invalid value at 'data.major_dimension', "${major}"`);
  }
  const input = body.values ?? [];
  if (!Array.isArray(input) || input.some((row) => !Array.isArray(row))) {
    throw bad("Invalid values: expected a list of lists");
  }
  // Cells as [rowOffset, columnOffset, value] in ROWS order.
  const at = (i: number, j: number) => (major === "ROWS" ? [i, j] : [j, i]);
  const echo = (r0: number, c0: number, r1: number, c1: number) =>
    `${echoTitle(sheet.title)}!${rectA1(r0, c0, r1, c1)}`;
  let maxR = -1;
  let maxC = -1;
  const cells: WritePlan["cells"] = [];
  const rowsTouched = new Set<number>();
  const columnsTouched = new Set<number>();
  for (let i = 0; i < input.length; i++) {
    const line = input[i] as unknown[];
    for (let j = 0; j < line.length; j++) {
      const [dr, dc] = at(i, j);
      const r = rect.r0 + dr;
      const c = rect.c0 + dc;
      maxR = Math.max(maxR, r);
      maxC = Math.max(maxC, c);
      const raw = line[j];
      if (raw === null || raw === undefined) continue; // null: leave the cell as it is
      if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean") {
        throw bad(`Invalid values[${i}][${j}]: ${JSON.stringify(raw)}`);
      }
      let value: Value | undefined = raw;
      let format: NumberFormat | undefined;
      if (typeof raw === "string") {
        if (inputOption === "USER_ENTERED") {
          ({ value, format } = parseUserEntered(raw, book.locale));
        } else if (raw === "") value = undefined;
      }
      cells.push({ r, c, value, format });
      rowsTouched.add(r);
      columnsTouched.add(c);
    }
  }
  const requested = echo(
    rect.r0,
    rect.c0,
    rect.r1 ?? Math.max(rect.r0 + 1, maxR + 1),
    rect.c1 ?? Math.max(rect.c0 + 1, maxC + 1),
  );
  if (rect.r1 !== undefined && maxR >= rect.r1) {
    throw bad(
      `Requested writing within range [${requested}], but tried writing to row [${maxR + 1}]`,
    );
  }
  if (rect.c1 !== undefined && maxC >= rect.c1) {
    throw bad(
      `Requested writing within range [${requested}], but tried writing to column [${
        letters(maxC)
      }]`,
    );
  }
  const endRow = Math.max(rect.r1 ?? 0, maxR + 1, rect.r0 + 1);
  const endColumn = Math.max(rect.c1 ?? 0, maxC + 1, rect.c0 + 1);
  if (endRow > sheet.rowCount || endColumn > sheet.columnCount) {
    throw gridLimits(sheet, rectA1(rect.r0, rect.c0, endRow, endColumn));
  }
  for (const cell of cells) {
    if (protectionBlocks(sheet, cell.r, cell.c, caller)) throw bad(PROTECTED_MESSAGE);
  }
  const updatedRange = maxR < 0 ? requested : echo(rect.r0, rect.c0, maxR + 1, maxC + 1);
  return {
    sheet,
    cells,
    response: {
      spreadsheetId: book.spreadsheetId,
      updatedRange,
      ...(cells.length > 0
        ? {
          updatedRows: rowsTouched.size,
          updatedColumns: columnsTouched.size,
          updatedCells: cells.length,
        }
        : {}),
    },
  };
}

function setCell(
  sheet: SheetModel,
  r: number,
  c: number,
  value: Value | undefined,
  format?: NumberFormat | null,
) {
  let row = sheet.rows[r];
  if (!row) {
    if (value === undefined && !format) return;
    row = sheet.rows[r] = { values: [] };
  }
  row.values[c] = value;
  if (format !== undefined) {
    if (format === null) {
      if (row.formats) row.formats[c] = undefined;
    } else (row.formats ??= [])[c] = format;
  }
}

/** Applies validated writes (all of them: the caller validated every one first). */
export function applyWrites(plans: readonly WritePlan[]): void {
  for (const plan of plans) {
    for (const cell of plan.cells) {
      // Typing a date sets a date format, unless the cell already has one.
      const keepFormat = cell.format && plan.sheet.rows[cell.r]?.formats?.[cell.c];
      setCell(plan.sheet, cell.r, cell.c, cell.value, keepFormat ? undefined : cell.format);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Field masks

/** A parsed field mask: name → sub-mask, or null for the whole field. */
export type MaskTree = Map<string, MaskTree | null>;

const camel = (name: string) => name.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

function mergeMask(into: MaskTree, path: string[], sub: MaskTree | null): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    const existing = into.get(head);
    if (existing === null) return;
    if (sub === null || existing === undefined) into.set(head, sub);
    else for (const [k, v] of sub) mergeMask(existing, [k], v);
    return;
  }
  let next = into.get(head);
  if (next === null) return;
  if (next === undefined) into.set(head, next = new Map());
  mergeMask(next, rest, sub);
}

/**
 * Parses `a,b.c,d(e,f(g))` (camelCase or snake_case).
 *
 * @throws {ApiError} 400 on bad syntax.
 */
export function parseFieldMask(mask: string): MaskTree {
  let i = 0;
  const fail = () => bad(`Invalid field selection ${mask}`);
  const name = (): string => {
    const m = /^[A-Za-z0-9_*]+/.exec(mask.slice(i));
    if (!m) throw fail();
    i += m[0].length;
    return camel(m[0]);
  };
  const list = (): MaskTree => {
    const tree: MaskTree = new Map();
    for (;;) {
      while (mask[i] === " ") i++;
      const path = [name()];
      while (mask[i] === ".") {
        i++;
        path.push(name());
      }
      let sub: MaskTree | null = null;
      if (mask[i] === "(") {
        i++;
        sub = list();
        if (mask[i] !== ")") throw fail();
        i++;
      }
      mergeMask(tree, path, sub);
      while (mask[i] === " ") i++;
      if (mask[i] !== ",") return tree;
      i++;
    }
  };
  const tree = list();
  if (i !== mask.length) throw fail();
  return tree;
}

/** Every dotted path of a mask (`gridProperties.rowCount`), for update masks. */
export function maskPaths(tree: MaskTree, prefix = ""): string[] {
  const out: string[] = [];
  for (const [k, v] of tree) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v === null) out.push(path);
    else out.push(...maskPaths(v, path));
  }
  return out;
}

/** Schema of known field names (true: a leaf or any sub-field). */
type Known = { [name: string]: Known | true };

const SHEET_PROPERTIES: Known = {
  sheetId: true,
  title: true,
  index: true,
  sheetType: true,
  gridProperties: {
    rowCount: true,
    columnCount: true,
    frozenRowCount: true,
    frozenColumnCount: true,
    hideGridlines: true,
    rowGroupControlAfter: true,
    columnGroupControlAfter: true,
  },
  hidden: true,
  tabColor: true,
  tabColorStyle: true,
  rightToLeft: true,
  dataSourceSheetProperties: true,
};

/** Fields of a `Spreadsheet` that a `fields` mask may name. */
export const SPREADSHEET_FIELDS: Known = {
  spreadsheetId: true,
  spreadsheetUrl: true,
  properties: {
    title: true,
    locale: true,
    autoRecalc: true,
    timeZone: true,
    defaultFormat: true,
    iterativeCalculationSettings: true,
    spreadsheetTheme: true,
    importFunctionsExternalUrlAccessAllowed: true,
  },
  sheets: {
    properties: SHEET_PROPERTIES,
    data: true,
    merges: true,
    conditionalFormats: true,
    filterViews: true,
    protectedRanges: true,
    basicFilter: true,
    charts: true,
    bandedRanges: true,
    developerMetadata: true,
    rowGroups: true,
    columnGroups: true,
    slicers: true,
    tables: true,
  },
  namedRanges: true,
  developerMetadata: true,
  dataSources: true,
  dataSourceSchedules: true,
};

/**
 * Checks every field of a mask against a schema.
 *
 * @throws {ApiError} 400 `Invalid field selection <name>` for an unknown field.
 */
export function checkMask(tree: MaskTree, known: Known): void {
  for (const [name, sub] of tree) {
    if (name === "*") continue;
    const k = known[name];
    if (k === undefined) throw bad(`Invalid field selection ${name}`);
    if (sub && k !== true) checkMask(sub, k);
  }
}

/** Keeps only the masked fields of a JSON value (arrays: of each element). */
export function project(value: unknown, tree: MaskTree | null): unknown {
  if (tree === null || tree.has("*")) return value;
  if (Array.isArray(value)) return value.map((v) => project(v, tree));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [name, sub] of tree) {
    const field = (value as Record<string, unknown>)[name];
    if (field !== undefined) out[name] = project(field, sub);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet JSON

function sheetPropertiesJson(sheet: SheetModel): sheets_v4.Schema$SheetProperties {
  return {
    sheetId: sheet.sheetId,
    title: sheet.title,
    index: sheet.index,
    sheetType: "GRID",
    gridProperties: {
      rowCount: sheet.rowCount,
      columnCount: sheet.columnCount,
      // Google leaves out fields at their default value.
      ...(sheet.frozenRowCount ? { frozenRowCount: sheet.frozenRowCount } : {}),
      ...(sheet.frozenColumnCount ? { frozenColumnCount: sheet.frozenColumnCount } : {}),
    },
    ...(sheet.hidden ? { hidden: true } : {}),
  };
}

/** The `Spreadsheet` resource (no grid data), as `spreadsheets.get` returns it without a mask. */
export function spreadsheetJson(
  book: SpreadsheetModel,
  caller: string | undefined,
): sheets_v4.Schema$Spreadsheet {
  return {
    spreadsheetId: book.spreadsheetId,
    properties: {
      title: book.title,
      locale: book.locale,
      autoRecalc: "ON_CHANGE",
      timeZone: book.timeZone,
    },
    sheets: book.sheets.map((sheet) => ({
      properties: sheetPropertiesJson(sheet),
      ...(sheet.conditionalFormats.length > 0
        ? { conditionalFormats: structuredClone(sheet.conditionalFormats) }
        : {}),
      ...(sheet.protectedRanges.length > 0
        ? {
          protectedRanges: sheet.protectedRanges.map((p) => ({
            protectedRangeId: p.protectedRangeId,
            range: { ...p.range },
            ...(p.description ? { description: p.description } : {}),
            ...(p.warningOnly ? { warningOnly: true } : {}),
            requestingUserCanEdit: p.warningOnly ||
              (caller !== undefined && p.editors.includes(caller)),
            editors: { users: [...p.editors] },
          })),
        }
        : {}),
    })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${book.spreadsheetId}/edit`,
  };
}

// ---------------------------------------------------------------------------------------------
// spreadsheets:batchUpdate

/** A copy of the spreadsheet that requests change; rows are copied only when first changed. */
class Draft {
  readonly sheets: SheetModel[];
  title: string;
  locale: string;
  timeZone: string;
  nextId: number;
  readonly #copiedRows = new Set<SheetModel>();

  constructor(readonly book: SpreadsheetModel) {
    this.sheets = book.sheets.map((s) => ({
      ...s,
      conditionalFormats: structuredClone(s.conditionalFormats),
      protectedRanges: structuredClone(s.protectedRanges),
      dataValidations: structuredClone(s.dataValidations),
    }));
    this.title = book.title;
    this.locale = book.locale;
    this.timeZone = book.timeZone;
    this.nextId = book.nextId;
  }

  sheet(sheetId: number | null | undefined): SheetModel {
    const id = sheetId ?? 0;
    const sheet = this.sheets.find((s) => s.sheetId === id);
    if (!sheet) throw bad(`No grid with id: ${id}`);
    return sheet;
  }

  /** The sheet's rows, copied on first use so a failed batch leaves the original untouched. */
  rows(sheet: SheetModel): (Row | undefined)[] {
    if (!this.#copiedRows.has(sheet)) {
      sheet.rows = sheet.rows.map((r) =>
        r && { values: r.values.slice(), ...(r.formats ? { formats: r.formats.slice() } : {}) }
      );
      this.#copiedRows.add(sheet);
    }
    return sheet.rows;
  }

  reindex(): void {
    this.sheets.sort((a, b) => a.index - b.index);
    this.sheets.forEach((s, i) => (s.index = i));
  }

  commit(): void {
    this.book.sheets = this.sheets;
    this.book.title = this.title;
    this.book.locale = this.locale;
    this.book.timeZone = this.timeZone;
    this.book.nextId = this.nextId;
  }
}

function totalCells(sheets: readonly SheetModel[]): number {
  return sheets.reduce((sum, s) => sum + s.rowCount * s.columnCount, 0);
}

function checkCellLimit(draft: Draft): void {
  if (totalCells(draft.sheets) > MAX_CELLS) {
    throw bad(
      `This action would increase the number of cells in the workbook above the limit of ${MAX_CELLS} cells.`,
    );
  }
}

/** A GridRange resolved to its sheet and clamped to the grid. */
function gridRect(
  draft: Draft,
  range: sheets_v4.Schema$GridRange | undefined,
): { sheet: SheetModel; r0: number; r1: number; c0: number; c1: number } {
  if (!range) throw bad("range is required");
  const sheet = draft.sheet(range.sheetId);
  const r0 = range.startRowIndex ?? 0;
  const c0 = range.startColumnIndex ?? 0;
  const r1 = range.endRowIndex ?? sheet.rowCount;
  const c1 = range.endColumnIndex ?? sheet.columnCount;
  if (r0 < 0 || c0 < 0 || r1 < r0 || c1 < c0) throw bad("Invalid range: start after end");
  if (r1 > sheet.rowCount || c1 > sheet.columnCount) {
    throw gridLimits(sheet, rectA1(r0, c0, Math.max(r1, r0 + 1), Math.max(c1, c0 + 1)));
  }
  return { sheet, r0, r1, c0, c1 };
}

type Dimension = "ROWS" | "COLUMNS";

function dimensionOf(value: string | null | undefined): Dimension {
  if (value !== "ROWS" && value !== "COLUMNS") throw bad(`Invalid dimension: ${value}`);
  return value;
}

/** Moves GridRange indices of rules and protections after rows/columns were inserted or deleted. */
function shiftRanges(sheet: SheetModel, dimension: Dimension, map: (i: number) => number): void {
  const [startKey, endKey] = dimension === "ROWS"
    ? ["startRowIndex", "endRowIndex"] as const
    : ["startColumnIndex", "endColumnIndex"] as const;
  const shift = (g: sheets_v4.Schema$GridRange) => {
    if (typeof g[startKey] === "number") g[startKey] = map(g[startKey]!);
    if (typeof g[endKey] === "number") g[endKey] = map(g[endKey]!);
  };
  const nonEmpty = (g: sheets_v4.Schema$GridRange) =>
    g[startKey] === undefined || g[endKey] === undefined || g[startKey]! < g[endKey]!;
  for (const rule of sheet.conditionalFormats) {
    rule.ranges = (rule.ranges ?? []).filter((g) => {
      shift(g);
      return nonEmpty(g);
    });
  }
  sheet.conditionalFormats = sheet.conditionalFormats.filter((r) => (r.ranges ?? []).length > 0);
  sheet.protectedRanges = sheet.protectedRanges.filter((p) => {
    shift(p.range);
    return nonEmpty(p.range);
  });
}

/** `items` with `n` empty slots inserted at `at` (no spread: `n` may be large). */
function withGap<T>(items: T[], at: number, n: number): T[] {
  if (at >= items.length) return items;
  return items.slice(0, at).concat(new Array<T>(n), items.slice(at));
}

function insertDimension(
  draft: Draft,
  dimension: Dimension,
  sheet: SheetModel,
  at: number,
  n: number,
) {
  if (dimension === "ROWS") {
    draft.rows(sheet);
    sheet.rows = withGap(sheet.rows, at, n);
    sheet.rowCount += n;
  } else {
    for (const row of draft.rows(sheet)) {
      if (!row) continue;
      row.values = withGap(row.values, at, n);
      if (row.formats) row.formats = withGap(row.formats, at, n);
    }
    sheet.columnCount += n;
    if (sheet.columnCount > MAX_COLUMNS) throw bad(`Too many columns: max ${MAX_COLUMNS}`);
  }
  shiftRanges(sheet, dimension, (i) => (i >= at ? i + n : i));
}

function deleteDimension(
  draft: Draft,
  dimension: Dimension,
  sheet: SheetModel,
  s: number,
  e: number,
) {
  const count = dimension === "ROWS" ? sheet.rowCount : sheet.columnCount;
  if (s < 0 || e > count || s >= e) throw bad(`Invalid dimension range: [${s}, ${e}) of ${count}`);
  if (e - s >= count) {
    throw bad(
      `You can't delete all the ${dimension === "ROWS" ? "rows" : "columns"} on the sheet.`,
    );
  }
  if (dimension === "ROWS") {
    draft.rows(sheet).splice(s, e - s);
    sheet.rowCount -= e - s;
    sheet.frozenRowCount = Math.min(sheet.frozenRowCount, sheet.rowCount - 1);
  } else {
    for (const row of draft.rows(sheet)) {
      if (!row) continue;
      row.values.splice(s, e - s);
      row.formats?.splice(s, e - s);
    }
    sheet.columnCount -= e - s;
    sheet.frozenColumnCount = Math.min(sheet.frozenColumnCount, sheet.columnCount - 1);
  }
  shiftRanges(sheet, dimension, (i) => (i < s ? i : i >= e ? i - (e - s) : s));
}

/** Truncates stored data to the grid after a shrink. */
function truncate(draft: Draft, sheet: SheetModel) {
  const rows = draft.rows(sheet);
  if (rows.length > sheet.rowCount) rows.length = sheet.rowCount;
  for (const row of rows) {
    if (!row) continue;
    if (row.values.length > sheet.columnCount) row.values.length = sheet.columnCount;
    if (row.formats && row.formats.length > sheet.columnCount) {
      row.formats.length = sheet.columnCount;
    }
  }
}

const SHEET_PROPERTY_PATHS = new Set([
  "title",
  "index",
  "hidden",
  "gridProperties.rowCount",
  "gridProperties.columnCount",
  "gridProperties.frozenRowCount",
  "gridProperties.frozenColumnCount",
  "gridProperties.hideGridlines",
  "gridProperties.rowGroupControlAfter",
  "gridProperties.columnGroupControlAfter",
  "tabColor",
  "tabColorStyle",
  "rightToLeft",
]);

function expandPaths(fields: string | null | undefined, all: Set<string>): string[] {
  if (!fields) throw bad("At least one field must be specified in 'fields'.");
  if (fields.trim() === "*") return [...all];
  const out: string[] = [];
  for (const path of maskPaths(parseFieldMask(fields))) {
    const matching = [...all].filter((p) => p === path || p.startsWith(`${path}.`));
    if (matching.length === 0) throw bad(`Invalid field mask path: ${path}`);
    out.push(...matching);
  }
  return out;
}

function updateSheetProperties(draft: Draft, req: sheets_v4.Schema$UpdateSheetPropertiesRequest) {
  const props = req.properties ?? {};
  const sheet = draft.sheet(props.sheetId);
  const grid = props.gridProperties ?? {};
  let shrink = false;
  for (const path of expandPaths(req.fields, SHEET_PROPERTY_PATHS)) {
    switch (path) {
      case "title": {
        const title = props.title ?? "";
        if (!title.trim()) throw bad("The sheet title must not be empty.");
        if (
          draft.sheets.some((s) => s !== sheet && s.title.toLowerCase() === title.toLowerCase())
        ) {
          throw bad(`A sheet with the name "${title}" already exists. Please enter another name.`);
        }
        sheet.title = title;
        break;
      }
      case "index":
        sheet.index = (props.index ?? 0) - 0.5;
        draft.reindex();
        break;
      case "hidden":
        sheet.hidden = props.hidden ?? false;
        break;
      case "gridProperties.rowCount":
        if ((grid.rowCount ?? 0) < 1) throw bad("rowCount must be at least 1");
        shrink ||= grid.rowCount! < sheet.rowCount;
        sheet.rowCount = grid.rowCount!;
        break;
      case "gridProperties.columnCount":
        if ((grid.columnCount ?? 0) < 1) throw bad("columnCount must be at least 1");
        if (grid.columnCount! > MAX_COLUMNS) throw bad(`Too many columns: max ${MAX_COLUMNS}`);
        shrink ||= grid.columnCount! < sheet.columnCount;
        sheet.columnCount = grid.columnCount!;
        break;
      case "gridProperties.frozenRowCount":
        sheet.frozenRowCount = grid.frozenRowCount ?? 0;
        break;
      case "gridProperties.frozenColumnCount":
        sheet.frozenColumnCount = grid.frozenColumnCount ?? 0;
        break;
      default:
        break; // accepted, not modelled
    }
  }
  if (sheet.frozenRowCount < 0 || sheet.frozenRowCount >= sheet.rowCount) {
    throw bad("You can't freeze all visible rows on the sheet.");
  }
  if (sheet.frozenColumnCount < 0 || sheet.frozenColumnCount >= sheet.columnCount) {
    throw bad("You can't freeze all visible columns on the sheet.");
  }
  if (shrink) truncate(draft, sheet);
}

function checkRule(draft: Draft, rule: sheets_v4.Schema$ConditionalFormatRule | undefined) {
  if (!rule) throw bad("rule is required");
  const ranges = rule.ranges ?? [];
  if (ranges.length === 0) throw bad("The rule must have at least one range.");
  const ids = new Set(ranges.map((r) => r.sheetId ?? 0));
  if (ids.size > 1) throw bad("All ranges of a conditional format rule must be on the same sheet.");
  for (const range of ranges) gridRect(draft, range);
  if (!rule.booleanRule === !rule.gradientRule) {
    throw bad("Exactly one of booleanRule or gradientRule must be set.");
  }
  if (rule.booleanRule && !rule.booleanRule.condition?.type) {
    throw bad("booleanRule.condition.type is required");
  }
  return draft.sheet(ranges[0].sheetId);
}

const CELL_PATHS = new Set([
  "userEnteredValue",
  "userEnteredFormat.numberFormat",
  "userEnteredFormat.backgroundColor",
  "userEnteredFormat.backgroundColorStyle",
  "userEnteredFormat.borders",
  "userEnteredFormat.padding",
  "userEnteredFormat.horizontalAlignment",
  "userEnteredFormat.verticalAlignment",
  "userEnteredFormat.wrapStrategy",
  "userEnteredFormat.textDirection",
  "userEnteredFormat.textFormat",
  "userEnteredFormat.hyperlinkDisplayType",
  "userEnteredFormat.textRotation",
  "note",
  "dataValidation",
  "textFormatRuns",
  "pivotTable",
]);

/** Applies the value/number-format fields of one CellData to a cell. */
function applyCellData(
  draft: Draft,
  sheet: SheetModel,
  r: number,
  c: number,
  data: sheets_v4.Schema$CellData | undefined,
  paths: readonly string[],
) {
  draft.rows(sheet);
  for (const path of paths) {
    if (path === "userEnteredValue") {
      const v = data?.userEnteredValue;
      const value = v?.stringValue ?? v?.numberValue ?? v?.boolValue ?? v?.formulaValue ??
        undefined;
      setCell(sheet, r, c, value === "" ? undefined : value ?? undefined);
    } else if (path === "userEnteredFormat.numberFormat") {
      const nf = data?.userEnteredFormat?.numberFormat;
      const existing = sheet.rows[r]?.values[c];
      setCell(
        sheet,
        r,
        c,
        existing,
        nf?.type ? { type: nf.type, pattern: nf.pattern ?? undefined } : null,
      );
    }
  }
}

function sortKey(value: Value | undefined): [number, number | string | boolean] {
  if (value === undefined || value === "") return [3, ""];
  if (typeof value === "number") return [0, value];
  if (typeof value === "string") return [1, value];
  return [2, value];
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: false });

function sortRange(draft: Draft, req: sheets_v4.Schema$SortRangeRequest) {
  const { sheet, r0, r1, c0, c1 } = gridRect(draft, req.range ?? undefined);
  const specs = (req.sortSpecs ?? []).map((s) => {
    const column = s.dimensionIndex ?? 0;
    if (column < c0 || column >= c1) throw bad(`Sort column ${column} is outside the range`);
    return { column, descending: s.sortOrder === "DESCENDING" };
  });
  if (specs.length === 0) throw bad("At least one sort spec is required");
  const rows = draft.rows(sheet);
  const whole = c0 === 0 && c1 === sheet.columnCount;
  const segments: { values: (Value | undefined)[]; formats?: (NumberFormat | undefined)[] }[] = [];
  for (let r = r0; r < r1; r++) {
    const row = rows[r];
    if (whole) segments.push(row ?? { values: [] });
    else {
      segments.push({
        values: row?.values.slice(c0, c1) ?? [],
        formats: row?.formats?.slice(c0, c1),
      });
    }
  }
  const compare = (a: (typeof segments)[number], b: (typeof segments)[number]) => {
    for (const spec of specs) {
      const offset = whole ? spec.column : spec.column - c0;
      const [ta, va] = sortKey(a.values[offset]);
      const [tb, vb] = sortKey(b.values[offset]);
      if (ta === 3 || tb === 3) {
        if (ta !== tb) return ta === 3 ? 1 : -1; // blanks last in both orders
        continue;
      }
      let d = ta - tb;
      if (d === 0) {
        d = ta === 1
          ? collator.compare(va as string, vb as string)
          : (va as number) < (vb as number)
          ? -1
          : (va as number) > (vb as number)
          ? 1
          : 0;
      }
      if (d !== 0) return spec.descending ? -d : d;
    }
    return 0;
  };
  segments.sort(compare);
  for (let i = 0; i < segments.length; i++) {
    const r = r0 + i;
    const seg = segments[i];
    if (whole) {
      rows[r] = seg.values.length > 0 || seg.formats ? seg as Row : undefined;
      continue;
    }
    for (let c = c0; c < c1; c++) {
      const value = seg.values[c - c0];
      const format = seg.formats?.[c - c0];
      if (value === undefined && !format && !rows[r]) continue;
      setCell(sheet, r, c, value, format ?? null);
    }
  }
}

/** Reply of one request (`{}` for requests without a reply). */
type Reply = sheets_v4.Schema$Response;

function applyRequest(
  draft: Draft,
  request: sheets_v4.Schema$Request,
  caller: string | undefined,
): Reply {
  const kinds = Object.keys(request).filter((k) => (request as Record<string, unknown>)[k] != null);
  if (kinds.length !== 1) throw bad("Each request must set exactly one kind of request");
  const kind = kinds[0];
  switch (kind) {
    case "updateSheetProperties":
      updateSheetProperties(draft, request.updateSheetProperties!);
      checkCellLimit(draft);
      return {};
    case "updateSpreadsheetProperties": {
      const req = request.updateSpreadsheetProperties!;
      const all = new Set(["title", "locale", "timeZone", "autoRecalc", "defaultFormat"]);
      for (const path of expandPaths(req.fields, all)) {
        if (path === "title") draft.title = req.properties?.title ?? "";
        if (path === "locale") draft.locale = req.properties?.locale ?? "";
        if (path === "timeZone") draft.timeZone = req.properties?.timeZone ?? "";
      }
      return {};
    }
    case "appendDimension": {
      const req = request.appendDimension!;
      const sheet = draft.sheet(req.sheetId);
      const length = req.length ?? 0;
      if (length < 1) throw bad("length must be at least 1");
      if (dimensionOf(req.dimension) === "ROWS") sheet.rowCount += length;
      else {
        sheet.columnCount += length;
        if (sheet.columnCount > MAX_COLUMNS) throw bad(`Too many columns: max ${MAX_COLUMNS}`);
      }
      checkCellLimit(draft);
      return {};
    }
    case "insertDimension": {
      const req = request.insertDimension!;
      const range = req.range ?? {};
      const sheet = draft.sheet(range.sheetId);
      const dimension = dimensionOf(range.dimension);
      const s = range.startIndex ?? 0;
      const e = range.endIndex ?? s;
      const count = dimension === "ROWS" ? sheet.rowCount : sheet.columnCount;
      if (s < 0 || e <= s || s > count) throw bad(`Invalid dimension range: [${s}, ${e})`);
      if (req.inheritFromBefore && s === 0) {
        throw bad("Cannot inherit properties from before if inserting at the start.");
      }
      insertDimension(draft, dimension, sheet, s, e - s);
      checkCellLimit(draft);
      return {};
    }
    case "deleteDimension": {
      const range = request.deleteDimension!.range ?? {};
      const sheet = draft.sheet(range.sheetId);
      const dimension = dimensionOf(range.dimension);
      const count = dimension === "ROWS" ? sheet.rowCount : sheet.columnCount;
      deleteDimension(draft, dimension, sheet, range.startIndex ?? 0, range.endIndex ?? count);
      return {};
    }
    case "addConditionalFormatRule": {
      const req = request.addConditionalFormatRule!;
      const sheet = checkRule(draft, req.rule ?? undefined);
      const index = req.index ?? 0;
      if (index < 0 || index > sheet.conditionalFormats.length) {
        throw bad(`Invalid index ${index}: the sheet has ${sheet.conditionalFormats.length} rules`);
      }
      sheet.conditionalFormats.splice(index, 0, structuredClone(req.rule!));
      return {};
    }
    case "updateConditionalFormatRule": {
      const req = request.updateConditionalFormatRule!;
      const index = req.index ?? 0;
      if (req.rule) {
        const sheet = checkRule(draft, req.rule);
        if (index < 0 || index >= sheet.conditionalFormats.length) {
          throw bad(`No conditional format on sheet: ${sheet.sheetId} at index: ${index}`);
        }
        const oldRule = sheet.conditionalFormats[index];
        sheet.conditionalFormats[index] = structuredClone(req.rule);
        return {
          updateConditionalFormatRule: {
            oldRule,
            newRule: req.rule,
            oldIndex: index,
            newIndex: index,
          },
        };
      }
      const sheet = draft.sheet(req.sheetId);
      const newIndex = req.newIndex ?? index;
      const n = sheet.conditionalFormats.length;
      if (index < 0 || index >= n || newIndex < 0 || newIndex >= n) {
        throw bad(`No conditional format on sheet: ${sheet.sheetId} at index: ${index}`);
      }
      const [rule] = sheet.conditionalFormats.splice(index, 1);
      sheet.conditionalFormats.splice(newIndex, 0, rule);
      return {
        updateConditionalFormatRule: { oldRule: rule, newRule: rule, oldIndex: index, newIndex },
      };
    }
    case "deleteConditionalFormatRule": {
      const req = request.deleteConditionalFormatRule!;
      const sheet = draft.sheet(req.sheetId);
      const index = req.index ?? 0;
      if (index < 0 || index >= sheet.conditionalFormats.length) {
        throw bad(`No conditional format on sheet: ${sheet.sheetId} at index: ${index}`);
      }
      const [rule] = sheet.conditionalFormats.splice(index, 1);
      return { deleteConditionalFormatRule: { rule } };
    }
    case "repeatCell": {
      const req = request.repeatCell!;
      const { sheet, r0, r1, c0, c1 } = gridRect(draft, req.range ?? undefined);
      const paths = expandPaths(req.fields, CELL_PATHS);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          applyCellData(draft, sheet, r, c, req.cell ?? undefined, paths);
        }
      }
      return {};
    }
    case "updateCells": {
      const req = request.updateCells!;
      const paths = expandPaths(req.fields, CELL_PATHS);
      const data = req.rows ?? [];
      if (req.range && req.start) throw bad("Only one of range or start may be set");
      if (req.range) {
        const { sheet, r0, r1, c0, c1 } = gridRect(draft, req.range);
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) {
            applyCellData(draft, sheet, r, c, data[r - r0]?.values?.[c - c0], paths);
          }
        }
        return {};
      }
      const start = req.start ?? {};
      const sheet = draft.sheet(start.sheetId);
      const r0 = start.rowIndex ?? 0;
      const c0 = start.columnIndex ?? 0;
      const width = Math.max(0, ...data.map((row) => row.values?.length ?? 0));
      if (r0 + data.length > sheet.rowCount || c0 + width > sheet.columnCount) {
        throw gridLimits(
          sheet,
          rectA1(r0, c0, r0 + Math.max(1, data.length), c0 + Math.max(1, width)),
        );
      }
      data.forEach((row, i) =>
        (row.values ?? []).forEach((cell, j) =>
          applyCellData(draft, sheet, r0 + i, c0 + j, cell, paths)
        )
      );
      return {};
    }
    case "sortRange":
      sortRange(draft, request.sortRange!);
      return {};
    case "addSheet": {
      const props = request.addSheet!.properties ?? {};
      const sheetId = props.sheetId ?? draft.nextId++;
      if (draft.sheets.some((s) => s.sheetId === sheetId)) {
        throw bad(`A sheet with the id ${sheetId} already exists.`);
      }
      const title = props.title ?? `Sheet${draft.sheets.length + 1}`;
      if (draft.sheets.some((s) => s.title.toLowerCase() === title.toLowerCase())) {
        throw bad(`A sheet with the name "${title}" already exists. Please enter another name.`);
      }
      const sheet = newSheet({
        title,
        sheetId,
        rowCount: props.gridProperties?.rowCount ?? undefined,
        columnCount: props.gridProperties?.columnCount ?? undefined,
        frozenRowCount: props.gridProperties?.frozenRowCount ?? undefined,
      }, (props.index ?? draft.sheets.length) - 0.5);
      draft.sheets.push(sheet);
      draft.reindex();
      checkCellLimit(draft);
      return { addSheet: { properties: sheetPropertiesJson(sheet) } };
    }
    case "deleteSheet": {
      const sheet = draft.sheet(request.deleteSheet!.sheetId);
      if (draft.sheets.length === 1) {
        throw bad("You can't remove all the sheets in a document.");
      }
      draft.sheets.splice(draft.sheets.indexOf(sheet), 1);
      draft.reindex();
      return {};
    }
    case "setDataValidation": {
      const req = request.setDataValidation!;
      const { sheet } = gridRect(draft, req.range ?? undefined);
      sheet.dataValidations.push({
        range: { ...req.range! },
        rule: structuredClone(req.rule ?? {}),
      });
      return {};
    }
    case "addProtectedRange": {
      const p = request.addProtectedRange!.protectedRange ?? {};
      const { sheet } = gridRect(draft, p.range ?? undefined);
      const model: ProtectedRangeModel = {
        protectedRangeId: p.protectedRangeId ?? draft.nextId++,
        range: { ...p.range! },
        editors: [...(p.editors?.users ?? []), ...(caller ? [caller] : [])],
        warningOnly: p.warningOnly ?? false,
        ...(p.description ? { description: p.description } : {}),
      };
      sheet.protectedRanges.push(model);
      return {
        addProtectedRange: {
          protectedRange: {
            ...p,
            protectedRangeId: model.protectedRangeId,
            requestingUserCanEdit: true,
          },
        },
      };
    }
    default:
      throw new ApiError(
        400,
        `Invalid JSON payload received. Unknown name "${kind}" at 'requests[]': Cannot find field.`,
      );
  }
}

/**
 * Applies `spreadsheets:batchUpdate` requests in order, all or none: each request sees the
 * effects of the ones before it; if any fails, nothing changes.
 *
 * @throws {ApiError} 400 `Invalid requests[i].<kind>: <reason>`.
 */
export function batchUpdate(
  book: SpreadsheetModel,
  requests: readonly sheets_v4.Schema$Request[],
  caller: string | undefined,
): Reply[] {
  if (!Array.isArray(requests)) throw bad("Invalid JSON payload: 'requests' must be a list");
  const draft = new Draft(book);
  const replies = requests.map((request, i) => {
    try {
      if (request === null || typeof request !== "object") throw bad("request must be an object");
      return applyRequest(draft, request, caller);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const kind = Object.keys(request ?? {})[0] ?? "";
      throw new ApiError(
        error.code,
        `Invalid requests[${i}].${kind}: ${error.message}`,
        error.status,
      );
    }
  });
  draft.commit();
  return replies;
}

// ---------------------------------------------------------------------------------------------
// Creating

/** A tab to create. */
export interface SheetInit {
  title: string;
  sheetId?: number;
  /** Row-major cell values; `null` and `""` are empty cells. Stored as given (RAW). */
  values?: (Value | null)[][];
  /** Rows of the grid. Default: max(1000, rows of `values`). */
  rowCount?: number;
  /** Columns of the grid. Default: max(26, widest row of `values`). */
  columnCount?: number;
  frozenRowCount?: number;
  hidden?: boolean;
  /** Number formats by 1-based column, applied to every seeded row but the first. */
  columnFormats?: Record<number, NumberFormat>;
}

/** Builds a tab; `index` is its (possibly fractional, reindexed later) position. */
export function newSheet(init: SheetInit & { sheetId: number }, index: number): SheetModel {
  const values = init.values ?? [];
  const width = values.reduce((w, row) => Math.max(w, row.length), 0);
  const sheet: SheetModel = {
    sheetId: init.sheetId,
    title: init.title,
    index,
    hidden: init.hidden ?? false,
    rowCount: init.rowCount ?? Math.max(DEFAULT_ROWS, values.length),
    columnCount: init.columnCount ?? Math.max(DEFAULT_COLUMNS, width),
    frozenRowCount: init.frozenRowCount ?? 0,
    frozenColumnCount: 0,
    rows: [],
    conditionalFormats: [],
    protectedRanges: [],
    dataValidations: [],
  };
  if (values.length > sheet.rowCount || width > sheet.columnCount) {
    throw bad(`Seed values of "${init.title}" exceed its grid`);
  }
  const formats = Object.entries(init.columnFormats ?? {}).map(([c, f]) =>
    [Number(c) - 1, f] as const
  );
  sheet.rows = values.map((line, r) => {
    const row: Row = { values: line.map((v) => (v === null || v === "" ? undefined : v)) };
    if (r > 0 && formats.length > 0) {
      row.formats = [];
      for (const [c, f] of formats) row.formats[c] = { ...f };
    }
    return row;
  });
  return sheet;
}
