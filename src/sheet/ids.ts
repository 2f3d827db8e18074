/**
 * Deal IDs: reading them from cells, refusing those that hold a contact, and finding IDs that
 * more than one row carries.
 */
import { type Cell, valueText } from "./cells.ts";

/**
 * The deal ID of a cell: trimmed text; a numeric cell as typed (`1234`, never `1234.0`). `""`
 * when the cell is empty (or holds only a dash).
 *
 * @example
 * readOrderNumber(1234); // "1234"
 * readOrderNumber("  A-17 "); // "A-17"
 */
export function readOrderNumber(cell: Cell): string {
  return valueText(cell);
}

/**
 * Remembers which rows carry which ID and reports the IDs seen on more than one row. IDs are
 * compared exactly (after trimming), so `A-1` and `a-1` are different deals.
 *
 * @example
 * const ids = new IdIndex();
 * ids.add("17", 2);
 * ids.add("17", 9);
 * ids.duplicates; // Map { "17" => [2, 9] }
 */
export class IdIndex {
  readonly #firstRow = new Map<string, number>();
  readonly #duplicates = new Map<string, number[]>();

  /** Records that `row` carries `id`. Rows must be added in ascending order. */
  add(id: string, row: number): void {
    const first = this.#firstRow.get(id);
    if (first === undefined) {
      this.#firstRow.set(id, row);
      return;
    }
    const rows = this.#duplicates.get(id);
    if (rows) rows.push(row);
    else this.#duplicates.set(id, [first, row]);
  }

  /** Every ID carried by two or more rows, with all its rows in ascending order. */
  get duplicates(): ReadonlyMap<string, readonly number[]> {
    return this.#duplicates;
  }
}

/** What an ID cell holds instead of a deal's number (see {@linkcode idContact}). */
export type IdContact = "phone" | "email";

/** An e-mail address anywhere in the ID (a name, `@`, a domain; the domain may lack its dot). */
const EMAIL_IN_ID = /[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}-]+/u;
/**
 * Runs of digits and phone punctuation (spaces, `-` and other dashes, `.`, parentheses), with a
 * `+` or `(` before them.
 */
const DIGIT_RUN = /[+(]?\d[\d\s().\-\u2010-\u2015]*/gu;
/** What separates a phone's digit groups when it has neither `+` nor parentheses. */
const GROUP_SEPARATORS = /[\s.\-\u2010-\u2015]+/u;
/** Fewest and most digits of a phone number (E.164 allows 15). */
const MIN_PHONE_DIGITS = 10;
const MAX_PHONE_DIGITS = 15;
/** Whitespace-separated pieces of one run tried together, at most (bounds the windows tried). */
const MAX_RUN_TOKENS = 12;

/**
 * Whether a deal ID is plainly a phone number or an e-mail address (then it must not be sent,
 * stored or shown: an ID travels everywhere, KV keys included). Order numbers stay IDs: `1001`,
 * `2026-11-001`, `A-1234`, `СД-000123`, `1234567890`, `2026-11-30-01`.
 *
 * An e-mail: anything with a name, `@` and a domain. A phone: within the ID, digits (with the
 * punctuation people type) that are
 * - 10 or 11 digits in a row starting with 7, 8 or 9 (`79161112233`, `9161112233`);
 * - 10 to 15 digits after a `+` (`+7 916 111-22-33`, `+375 29 123-45-67`), or 10 or 11 with an
 *   area code in parentheses (`8 (916) 111-22-33`, `(495) 123-45-67`);
 * - 10 or 11 digits in groups a phone is written in: ending in two groups of two
 *   (`916-111-22-33`, `495 123-45-67`), `3-3-4` (`916 111 2233`) or after a lone `7`/`8`
 *   (`8 916 1112233`), and starting as a Russian number does (10 digits: 3, 4, 8 or 9 — area
 *   codes and mobiles; 11 digits: 7 or 8), so that a date-numbered order such as
 *   `2026-11-30-01` is not taken for one.
 *
 * @example
 * idContact("ivan.petrov@mail.ru"); // "email"
 * idContact("8 (915) 777-11-22"); // "phone"
 * idContact("2026-11-001"); // undefined
 */
export function idContact(id: string): IdContact | undefined {
  if (id.includes("@") && EMAIL_IN_ID.test(id)) return "email";
  let digits = 0;
  for (let i = 0; i < id.length && digits < MIN_PHONE_DIGITS; i++) {
    const c = id.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits < MIN_PHONE_DIGITS) return undefined; // most IDs stop here
  for (const [run] of id.matchAll(DIGIT_RUN)) {
    const tokens = run.trim().split(/\s+/u).slice(0, MAX_RUN_TOKENS);
    // Any whitespace-separated stretch of the run: `2026-11-001 79161112233` holds a phone.
    for (let from = 0; from < tokens.length; from++) {
      for (let to = from + 1; to <= tokens.length; to++) {
        if (isPhone(tokens.slice(from, to).join(" "))) return "phone";
      }
    }
  }
  return undefined;
}

/** Whether one stretch of digits and punctuation is a phone number (see {@linkcode idContact}). */
function isPhone(text: string): boolean {
  const trimmed = text.replace(/[\s.\-\u2010-\u2015]+$/u, "");
  const digits = trimmed.replace(/\D+/gu, "");
  const n = digits.length;
  if (n < MIN_PHONE_DIGITS || n > MAX_PHONE_DIGITS) return false;
  if (trimmed.startsWith("+")) return true;
  if (n > 11) return false;
  if (trimmed.includes("(") || trimmed.includes(")")) return true;
  if (trimmed === digits) return "789".includes(digits[0]);
  if (n === 10 ? !"3489".includes(digits[0]) : !"78".includes(digits[0])) return false;
  const groups = trimmed.split(GROUP_SEPARATORS).map((group) => group.length);
  const last = groups.length - 1;
  return (groups.length >= 3 && groups[last] === 2 && groups[last - 1] === 2) ||
    groups.join("-") === "3-3-4" ||
    (groups.length >= 2 && groups[0] === 1 && n === 11);
}
