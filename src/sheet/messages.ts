/**
 * How a row problem names its cell and quotes its value (the texts themselves are the `rows`
 * section of the catalog, `src/words/`): the cell by address and header, the value masked and
 * cut.
 */
import { maskContacts } from "./mask.ts";

/** Longest value quoted in a message; longer values are cut with `…`. */
export const MAX_QUOTED_CHARS = 40;
/** Most row numbers listed in a duplicate-ID message before "and N more". */
export const MAX_LISTED_ROWS = 5;

/**
 * Names a cell for a message: its A1 address and the header of its column as the clinic typed it.
 *
 * @example
 * cellName("B", 5, "Дата сделки"); // "B5 (Дата сделки)"
 */
export function cellName(columnLetters: string, row: number, header: string): string {
  return `${columnLetters}${row} (${header})`;
}

/**
 * A cell value as it may be quoted in a message: whitespace collapsed, cut to
 * {@linkcode MAX_QUOTED_CHARS}, and masked when it looks like a phone or an e-mail.
 *
 * @example
 * quotable("  31.02.2026 "); // "31.02.2026"
 */
export function quotable(value: string): string {
  const text = maskContacts(value.replace(/\s+/g, " ").trim());
  return text.length > MAX_QUOTED_CHARS ? text.slice(0, MAX_QUOTED_CHARS - 1) + "…" : text;
}
