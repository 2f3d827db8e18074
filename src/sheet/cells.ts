/**
 * Reading raw cells as the Sheets API returns them (`UNFORMATTED_VALUE`): the text of a cell,
 * whether it is blank, numbers as text without `.0` or exponents, and splitting lists.
 */
import type { CellValue } from "../deal.ts";

/** A cell of a ragged row: cells after the last non-empty one are missing (`undefined`). */
export type Cell = CellValue | undefined;

/**
 * A number as the text a person would type: `1234` → `"1234"`, `1234.5` → `"1234.5"`, large
 * integers in full (`1e21` → `"1000000000000000000000"`), never `"1234.0"`.
 */
export function numberText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) >= 1e21
    ? BigInt(value).toString()
    : String(value);
}

/**
 * The trimmed text of a cell: numbers via {@linkcode numberText}, booleans (checkboxes) as `TRUE`
 * / `FALSE`, a missing cell as `""`.
 */
export function cellText(cell: Cell): string {
  if (typeof cell === "string") return cell.trim();
  if (typeof cell === "number") return numberText(cell);
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  return "";
}

/**
 * Like {@linkcode cellText}, but a cell holding only dashes (`-`, `–`, `—`), which clinics type
 * for "none", reads as empty.
 *
 * @example
 * valueText(" — "); // ""
 */
export function valueText(cell: Cell): string {
  const text = cellText(cell);
  return isDashes(text) ? "" : text;
}

/** True for a missing cell, `""`, or text made only of whitespace. Numbers and booleans are not. */
export function isBlankCell(cell: Cell): boolean {
  if (typeof cell !== "string") return cell === undefined;
  // Fast path: most text starts with a visible character.
  return cell.length === 0 || (isSpace(cell.charCodeAt(0)) && cell.trim().length === 0);
}

/** True for whitespace as `String.prototype.trim` sees it (incl. U+00A0 and U+202F). */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f ||
    c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Characters people put between the digits of a phone number, besides whitespace. */
export function isPhonePunctuation(c: number): boolean {
  return c === 0x20 || c === 0x2b /* + */ || c === 0x28 || c === 0x29 /* ( ) */ ||
    c === 0x2d /* - */ || c === 0x2e /* . */ || c === 0x2013 || c === 0x2014 /* – — */ ||
    c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x09;
}

/** Separators of phone and e-mail lists: `,` `;` `/` and line breaks. */
export function isContactSeparator(c: number): boolean {
  return c === 0x2c || c === 0x3b || c === 0x2f || c === 0x0a || c === 0x0d;
}

/** Separators of tag lists: `,` `;` and line breaks. */
export function isTagSeparator(c: number): boolean {
  return c === 0x2c || c === 0x3b || c === 0x0a || c === 0x0d;
}

/**
 * Splits `text` on characters for which `isSeparator` is true; pieces are trimmed, empty pieces
 * dropped. A text without separators comes back as a one-element array without copying.
 *
 * @example
 * splitList("a, b;;c", isTagSeparator); // ["a", "b", "c"]
 */
export function splitList(text: string, isSeparator: (c: number) => boolean): string[] {
  // Created with its first element: `[]` and push would reserve room for 16.
  let pieces: string[] | undefined;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isSeparator(text.charCodeAt(i))) continue;
    const piece = start === 0 && i === text.length ? text.trim() : text.slice(start, i).trim();
    if (piece.length > 0) {
      if (pieces === undefined) pieces = [piece];
      else pieces.push(piece);
    }
    start = i + 1;
  }
  return pieces ?? [];
}

function isDashes(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x2d && c !== 0x2013 && c !== 0x2014) return false;
  }
  return true;
}
