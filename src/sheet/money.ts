/**
 * Amounts of money → {@linkcode Money} (`"1000.50"`: a dot, always two decimals).
 *
 * Numeric cells are rounded to kopecks (they come from formulas such as `=B2*0.85`). Text may
 * group thousands with spaces (normal, U+00A0, U+202F, U+2009), use `,` or `.` as the decimal
 * separator, and carry a currency sign or word before or after the number: `1 000,50`,
 * `1000.5`, `1 000 ₽`, `1000 руб.`, `1000р`, `₽1000`, `1000 RUB`. Text with more than two digits
 * after the separator is a problem, not rounded: `1,000` may mean one thousand or one ruble, so
 * the clinic decides. Negative amounts and anything else are problems.
 */
import type { Money } from "../deal.ts";
import { type Cell, isSpace, numberText, valueText } from "./cells.ts";

/** Why an amount could not be read; `value` is the cell's text. */
export interface MoneyFailure {
  problem: "invalid" | "negative" | "precision";
  value: string;
}

/** Numbers from here on print with an exponent and cannot be an amount. */
const MAX_AMOUNT = 1e21;

const CURRENCY_SUFFIX = /\s*(?:₽|руб(?:лей|ля|ль)?\.?|р\.?|rub\.?|rur\.?)$/i;
const CURRENCY_PREFIX = /^(?:₽|rub\.?|rur\.?)\s*/i;

/**
 * Reads an amount cell. Returns the amount, `undefined` for an empty cell (or a lone dash), or a
 * {@linkcode MoneyFailure}.
 *
 * @example
 * parseMoneyCell("1 000,5 ₽"); // "1000.50"
 * parseMoneyCell(1234.567); // "1234.57"
 * parseMoneyCell("-5"); // { problem: "negative", value: "-5" }
 */
export function parseMoneyCell(cell: Cell): Money | MoneyFailure | undefined {
  if (typeof cell === "number") {
    if (!(Math.abs(cell) < MAX_AMOUNT)) return { problem: "invalid", value: numberText(cell) };
    return cell < 0 ? { problem: "negative", value: numberText(cell) } : cell.toFixed(2);
  }
  const text = valueText(cell);
  return text.length === 0 ? undefined : parseMoneyText(text);
}

/**
 * Reads an amount typed as text; see the module doc for what is accepted.
 *
 * @example
 * parseMoneyText("₽1000"); // "1000.00"
 * parseMoneyText("1,000"); // { problem: "precision", value: "1,000" }
 */
export function parseMoneyText(text: string): Money | MoneyFailure {
  let s = text.trim();
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 0x2d /* - */ || first === 0x2212 /* − */) {
    negative = true;
    s = s.slice(1).trimStart();
  }
  if (!isDigit(s.charCodeAt(s.length - 1))) s = s.replace(CURRENCY_SUFFIX, "");
  if (!isDigit(s.charCodeAt(0))) s = s.replace(CURRENCY_PREFIX, "");

  let integer = "";
  let fraction = "";
  let separatorAt = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      if (separatorAt < 0) {
        if (integer !== "0") integer += s[i];
        else integer = s[i]; // drops leading zeros: "007" → "7"
      } else fraction += s[i];
    } else if ((c === 0x2c /* , */ || c === 0x2e /* . */) && separatorAt < 0 && integer !== "") {
      separatorAt = i;
    } else if (!(isSpace(c) && separatorAt < 0 && integer !== "")) {
      return { problem: "invalid", value: text.trim() };
    }
  }
  if (integer === "" || (separatorAt >= 0 && fraction === "")) {
    return { problem: "invalid", value: text.trim() };
  }
  if (fraction.length > 2) return { problem: "precision", value: text.trim() };
  if (negative && (integer !== "0" || /[1-9]/.test(fraction))) {
    return { problem: "negative", value: text.trim() };
  }
  return `${integer}.${(fraction + "00").slice(0, 2)}`;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
