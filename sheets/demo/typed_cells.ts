/**
 * Turns CSV text into the cells Google Sheets would store if a person typed it into a ru_RU
 * spreadsheet: plain numbers become numbers, `ДД.ММ.ГГГГ [ЧЧ:ММ]` become date serials, the rest
 * stays text. Used to seed the emulated spreadsheet for the demo and the end-to-end tests.
 */
import type { CellValue } from "../../src/deal.ts";

const SERIAL_EPOCH = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** Parses CSV (RFC 4180: quotes, doubled quotes, newlines in quotes) into rows of text. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/\r\n?/g, "\n");
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** One typed text → what a ru_RU sheet stores. */
export function typedCell(text: string): CellValue {
  const value = text.trim();
  if (/^-?\d+$/.test(value) && value.length < 12) return Number(value);
  if (/^-?\d+[.,]\d+$/.test(value)) return Number(value.replace(",", "."));
  const date = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{1,2}):(\d{2}))?$/.exec(value);
  if (date) {
    const [, d, m, y, hh = "0", mm = "0"] = date;
    const ms = Date.UTC(+y, +m - 1, +d, +hh, +mm);
    const check = new Date(ms);
    // Sheets keeps impossible dates (31.02) as text, like any other text.
    if (check.getUTCDate() === +d && check.getUTCMonth() === +m - 1) {
      return (ms - SERIAL_EPOCH) / DAY_MS;
    }
  }
  return text;
}

/** A CSV file's rows as sheet cells, with trailing empty cells dropped like the Sheets API. */
export function typedRows(csv: string): CellValue[][] {
  return parseCsv(csv).map((row) => {
    const cells = row.map((cell, column) => column === 0 ? cell : typedCell(cell));
    // IDs typed as digits are numbers in Sheets too.
    if (/^\d+$/.test(row[0] ?? "")) cells[0] = Number(row[0]);
    while (cells.length > 0 && cells[cells.length - 1] === "") cells.pop();
    return cells;
  });
}

/** The demo clinic's deals (`sheets/demo/clinic-deals.csv`) as sheet cells. */
export async function demoClinicRows(): Promise<CellValue[][]> {
  const csv = await Deno.readTextFile(new URL("./clinic-deals.csv", import.meta.url));
  return typedRows(csv);
}
