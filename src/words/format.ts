/**
 * The small helpers the catalogs share: quoting a value in each language's quotes (masked and
 * cut, see `quotable`), Russian plurals, lists of rows and of alternatives. Pure.
 */
import { MAX_LISTED_ROWS, quotable } from "../sheet/messages.ts";

/**
 * A cell value quoted the Russian way: `«31.02.2026»` (whitespace collapsed, cut, phones and
 * e-mails masked: see `quotable`).
 */
export function ruQuote(value: string): string {
  return `«${quotable(value)}»`;
}

/** A cell value quoted the English way: `"31.02.2026"` (as {@linkcode ruQuote} otherwise). */
export function enQuote(value: string): string {
  return `"${quotable(value)}"`;
}

/**
 * The Russian plural form for `n`: 1 расхождение, 2 расхождения, 5 расхождений, 21 расхождение.
 *
 * @example
 * russianPlural(22, "ошибка", "ошибки", "ошибок"); // "ошибки"
 */
export function russianPlural(n: number, one: string, few: string, many: string): string {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  return units >= 2 && units <= 4 ? few : many;
}

/** `word` or `words` by `n`, English. */
export function englishPlural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/**
 * Rows as a list, the first {@linkcode MAX_LISTED_ROWS} shown and the rest counted by `more`.
 *
 * @example
 * rowList([2, 5], (n) => `и ещё ${n}`); // "2, 5"
 */
export function rowList(rows: readonly number[], more: (n: number) => string): string {
  const shown = rows.slice(0, MAX_LISTED_ROWS).join(", ");
  return rows.length > MAX_LISTED_ROWS ? `${shown} ${more(rows.length - MAX_LISTED_ROWS)}` : shown;
}

/**
 * A column's headers: the main one quoted, the others in brackets after `or`.
 *
 * @example
 * alternatives(["Дата", "Date"], "или", ruQuote); // "«Дата» (или «Date»)"
 */
export function alternatives(
  names: readonly string[],
  or: string,
  quote: (s: string) => string,
): string {
  const [main, ...others] = names;
  return others.length === 0
    ? quote(main)
    : `${quote(main)} (${or} ${others.map(quote).join(", ")})`;
}

/** Most tab titles listed when a tab is missing. */
export const MAX_TABS_LISTED = 20;

/** The first {@linkcode MAX_TABS_LISTED} titles, `«quoted»`, and how many more by `more`. */
export function tabTitles(tabs: readonly string[], more: (n: number) => string): string {
  const shown = tabs.slice(0, MAX_TABS_LISTED).map((t) => `«${t}»`).join(", ");
  return tabs.length > MAX_TABS_LISTED ? shown + more(tabs.length - MAX_TABS_LISTED) : shown;
}
