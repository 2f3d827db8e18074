/**
 * A1 notation helpers for the Sheets API: quoting tab titles and converting column numbers to
 * letters and back. Pure functions.
 *
 * @see https://developers.google.com/workspace/sheets/api/guides/concepts#cell
 */

/** The last column a Google spreadsheet can have (`ZZZ`). */
export const MAX_COLUMN = 18_278;

/**
 * Quotes a tab title for A1 notation: `'` + title with every `'` doubled + `'`. Quoting every
 * title (even `Sheet1`) is harmless and avoids titles read as cell references or named ranges.
 *
 * @example
 * quoteSheetTitle("Jon's deals"); // "'Jon''s deals'"
 */
export function quoteSheetTitle(title: string): string {
  return `'${title.replaceAll("'", "''")}'`;
}

/**
 * Turns a 1-based column number into letters (bijective base 26).
 *
 * @throws {RangeError} when `column` is not an integer in 1..{@linkcode MAX_COLUMN}.
 * @example
 * columnLetters(1); // "A"
 * columnLetters(27); // "AA"
 */
export function columnLetters(column: number): string {
  if (!Number.isInteger(column) || column < 1 || column > MAX_COLUMN) {
    throw new RangeError(`column must be an integer in 1..${MAX_COLUMN}, got ${column}`);
  }
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/**
 * Turns column letters (any case) into the 1-based column number.
 *
 * @throws {RangeError} when `letters` is not 1–3 Latin letters or lies beyond `ZZZ`.
 * @example
 * columnNumber("AZ"); // 52
 */
export function columnNumber(letters: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) {
    throw new RangeError(`column letters must be 1 to 3 Latin letters, got "${letters}"`);
  }
  let column = 0;
  for (const ch of letters.toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
  return column;
}

function checkRow(row: number): void {
  if (!Number.isInteger(row) || row < 1) {
    throw new RangeError(`row must be a positive integer, got ${row}`);
  }
}

/**
 * A1 reference of one cell of a tab; `row` and `column` are 1-based.
 *
 * @example
 * a1Cell("Сделки 2026", 5, 3); // "'Сделки 2026'!C5"
 */
export function a1Cell(title: string, row: number, column: number): string {
  checkRow(row);
  return `${quoteSheetTitle(title)}!${columnLetters(column)}${row}`;
}

/**
 * A1 reference of a span of rows `[fromRow, toRow]` (inclusive, 1-based) in one column.
 *
 * @example
 * a1ColumnSpan("Deals", 2, 4, 7); // "'Deals'!B4:B7"
 */
export function a1ColumnSpan(
  title: string,
  column: number,
  fromRow: number,
  toRow: number,
): string {
  checkRow(fromRow);
  checkRow(toRow);
  if (toRow < fromRow) throw new RangeError(`toRow ${toRow} is before fromRow ${fromRow}`);
  const letters = columnLetters(column);
  if (fromRow === toRow) return `${quoteSheetTitle(title)}!${letters}${fromRow}`;
  return `${quoteSheetTitle(title)}!${letters}${fromRow}:${letters}${toRow}`;
}

/**
 * A1 reference of a whole column of a tab; `column` is 1-based.
 *
 * @example
 * a1Column("Deals", 2); // "'Deals'!B:B"
 */
export function a1Column(title: string, column: number): string {
  const letters = columnLetters(column);
  return `${quoteSheetTitle(title)}!${letters}:${letters}`;
}

/**
 * A1 reference of a whole tab (every cell of the grid).
 *
 * @example
 * a1Tab("Jon's"); // "'Jon''s'"
 */
export function a1Tab(title: string): string {
  return quoteSheetTitle(title);
}
