/** Reads the sheet template files the way Google Sheets imports them. */
import assert from "node:assert/strict";
import type { CellValue } from "../../../src/deal.ts";

/** RFC 4180: comma-separated, `"` quotes fields that hold commas, quotes or line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") (row.push(field), field = "");
    else if (c === "\n") (row.push(field), rows.push(row), row = [], field = "");
    else if (c === "\r") continue;
    else field += c;
  }
  assert.ok(!quoted, "unterminated quote");
  if (field !== "" || row.length > 0) (row.push(field), rows.push(row));
  return rows;
}

/** Tab-separated, no quoting. */
export const parseTsv = (text: string) =>
  text.replace(/\n$/, "").split("\n").map((l) => l.split("\t"));

/** What Google Sheets makes of the file when "convert text to numbers and dates" is on (ru_RU). */
export function asImported(rows: string[][]): CellValue[][] {
  return rows.map((row, r) =>
    r === 0 ? row : row.map((cell) => {
      const date = /^(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d)$/.exec(cell);
      if (date) {
        const [, d, m, y, hh, mm] = date.map(Number);
        const days = (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000;
        return days + (hh * 60 + mm) / 1440;
      }
      return /^\d[\d ]*$/.test(cell) ? Number(cell.replaceAll(" ", "")) : cell;
    })
  );
}

/** The template's rows (header included), as Google Sheets imports the CSV (ru_RU). */
export async function importedTemplate(): Promise<CellValue[][]> {
  const url = new URL("../../../sheets/deals-template.csv", import.meta.url);
  return asImported(parseCsv(await Deno.readTextFile(url)));
}
