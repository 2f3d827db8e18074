/**
 * Every text the row parser shows to clinic staff, in Russian and English, in one place for review.
 * Voice: where (cell and header), what failed, the value, what was expected.
 */
import type { Language } from "../deal.ts";
import { MAX_YEAR, MIN_YEAR } from "./dates.ts";
import { maskContacts } from "./mask.ts";

/** Longest value quoted in a message; longer values are cut with `…`. */
export const MAX_QUOTED_CHARS = 40;
/** Most row numbers listed in a duplicate-ID message before "and N more". */
export const MAX_LISTED_ROWS = 5;

/** The texts of one language. `cell` is a {@linkcode cellName}; values are quoted as given. */
export interface SheetMessages {
  /** Header problem: `columns` holds, per missing column, its recognised headers (first = main). */
  missingColumns(columns: readonly (readonly string[])[]): string;
  idMissing(cell: string): string;
  /**
   * The ID cell holds a phone or an e-mail (see `idContact`): never quoted, not even masked (an
   * ID is sent, stored and shown everywhere; the message names the cell only).
   */
  idContact(cell: string, kind: "phone" | "email"): string;
  /** `rows`: every row carrying the ID, ascending. */
  idDuplicate(cell: string, id: string, rows: readonly number[]): string;
  dateMissing(cell: string): string;
  dateInvalid(cell: string, value: string): string;
  dateImpossible(cell: string, value: string): string;
  dateOutOfRange(cell: string, value: string): string;
  statusMissing(cell: string): string;
  moneyInvalid(cell: string, value: string): string;
  moneyNegative(cell: string, value: string): string;
  moneyPrecision(cell: string, value: string): string;
  /** `masked` must already be masked with `maskPhone`. */
  phoneInvalid(cell: string, masked: string): string;
  /** `masked` must already be masked with `maskEmail`. */
  emailInvalid(cell: string, masked: string): string;
  /** A custom-field cell (`CUSTOM_FIELDS`) that holds a phone or an e-mail. */
  customContact(cell: string): string;
  /** Tail of a status cell that could not show every problem of the row. */
  moreProblems(count: number): string;
}

const RU_DATE_FORMATS = "ДД.ММ.ГГГГ, ДД.ММ.ГГГГ ЧЧ:ММ или ГГГГ-ММ-ДД ЧЧ:ММ";
const EN_DATE_FORMATS = "DD.MM.YYYY, DD.MM.YYYY HH:MM or YYYY-MM-DD HH:MM";

const RU: SheetMessages = {
  missingColumns: (columns) =>
    `В таблице нет столбцов: ${columns.map((names) => alternatives(names, "или", ru)).join("; ")}`,
  idMissing: (cell) => `${cell}: не указан ID сделки, ожидается номер сделки`,
  idContact: (cell, kind) =>
    `${cell}: в ID сделки ${kind === "email" ? "e-mail" : "номер телефона"} — контакты ` +
    "в ID не отправляем и не храним, ожидается номер сделки (например, 1001 или А-1234); " +
    `${kind === "email" ? "e-mail" : "телефон"} перенесите в ${
      kind === "email" ? "столбец «Email»" : "столбец «Телефон»"
    }`,
  idDuplicate: (cell, id, rows) =>
    `${cell}: ID сделки ${ru(id)} повторяется в строках ${
      rowList(rows, (n) => `и ещё ${n}`)
    }, ожидается свой ID у каждой сделки`,
  dateMissing: (cell) => `${cell}: не указана дата, ожидается ${RU_DATE_FORMATS}`,
  dateInvalid: (cell, value) =>
    `${cell}: не удалось разобрать дату ${ru(value)}, ожидается ${RU_DATE_FORMATS}`,
  dateImpossible: (cell, value) =>
    `${cell}: нет такой даты ${
      ru(value)
    }, ожидается существующий день месяца и время не позже 23:59:59`,
  dateOutOfRange: (cell, value) =>
    `${cell}: дата ${
      ru(value)
    } вне допустимого диапазона, ожидается год с ${MIN_YEAR} по ${MAX_YEAR}`,
  statusMissing: (cell) => `${cell}: не указан статус сделки, ожидается текст статуса`,
  moneyInvalid: (cell, value) =>
    `${cell}: не удалось разобрать сумму ${ru(value)}, ожидается число, например 1 000,50`,
  moneyNegative: (cell, value) =>
    `${cell}: отрицательная сумма ${ru(value)}, ожидается 0 или больше`,
  moneyPrecision: (cell, value) =>
    `${cell}: в сумме ${
      ru(value)
    } больше двух цифр после запятой, ожидается сумма с копейками, например 1 000,50 (тысячи отделяйте пробелом)`,
  phoneInvalid: (cell, masked) =>
    `${cell}: номер «${masked}» не похож на российский, ожидается 11 цифр, например +7 900 123-45-67`,
  emailInvalid: (cell, masked) =>
    `${cell}: адрес «${masked}» не похож на e-mail, ожидается вида name@example.ru`,
  customContact: (cell) =>
    `${cell}: похоже на телефон или e-mail — контакты в это поле Calltouch не отправляем, ` +
    `ожидается текст без контактов (например, фамилия врача)`,
  moreProblems: (count) => `и ещё ${count} ${ruPlural(count, "ошибка", "ошибки", "ошибок")}`,
};

const EN: SheetMessages = {
  missingColumns: (columns) =>
    `The sheet has no columns: ${columns.map((names) => alternatives(names, "or", en)).join("; ")}`,
  idMissing: (cell) => `${cell}: the deal ID is empty, expected the deal number`,
  idContact: (cell, kind) =>
    `${cell}: the deal ID is ${kind === "email" ? "an e-mail address" : "a phone number"}, ` +
    "which is never sent or stored as an ID, expected the deal number (such as 1001 or " +
    `A-1234); move the ${kind === "email" ? "e-mail to the Email" : "phone to the Phone"} column`,
  idDuplicate: (cell, id, rows) =>
    `${cell}: deal ID ${en(id)} appears in rows ${
      rowList(rows, (n) => `and ${n} more`)
    }, expected a different ID for each deal`,
  dateMissing: (cell) => `${cell}: the date is empty, expected ${EN_DATE_FORMATS}`,
  dateInvalid: (cell, value) =>
    `${cell}: cannot read the date ${en(value)}, expected ${EN_DATE_FORMATS}`,
  dateImpossible: (cell, value) =>
    `${cell}: no such date ${
      en(value)
    }, expected a real day of the month and a time up to 23:59:59`,
  dateOutOfRange: (cell, value) =>
    `${cell}: the date ${
      en(value)
    } is out of range, expected a year from ${MIN_YEAR} to ${MAX_YEAR}`,
  statusMissing: (cell) => `${cell}: the deal status is empty, expected the status text`,
  moneyInvalid: (cell, value) =>
    `${cell}: cannot read the amount ${en(value)}, expected a number such as 1000.50`,
  moneyNegative: (cell, value) => `${cell}: negative amount ${en(value)}, expected 0 or more`,
  moneyPrecision: (cell, value) =>
    `${cell}: the amount ${
      en(value)
    } has more than two digits after the decimal separator, expected rubles and kopecks such as 1000.50 (separate thousands with spaces)`,
  phoneInvalid: (cell, masked) =>
    `${cell}: "${masked}" is not a Russian phone number, expected 11 digits such as +7 900 123-45-67`,
  emailInvalid: (cell, masked) =>
    `${cell}: "${masked}" does not look like an e-mail address, expected name@example.com`,
  customContact: (cell) =>
    `${cell}: looks like a phone number or an e-mail address, which this Calltouch field ` +
    `never gets, expected text without contacts (a doctor's name, say)`,
  moreProblems: (count) => `and ${count} more ${count === 1 ? "problem" : "problems"}`,
};

/** The texts of every language. */
export const MESSAGES: Readonly<Record<Language, SheetMessages>> = { ru: RU, en: EN };

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

function ru(value: string): string {
  return `«${quotable(value)}»`;
}

function en(value: string): string {
  return `"${quotable(value)}"`;
}

function alternatives(names: readonly string[], or: string, quote: (s: string) => string): string {
  const [main, ...others] = names;
  return others.length === 0
    ? quote(main)
    : `${quote(main)} (${or} ${others.map(quote).join(", ")})`;
}

function rowList(rows: readonly number[], more: (n: number) => string): string {
  const shown = rows.slice(0, MAX_LISTED_ROWS).join(", ");
  return rows.length > MAX_LISTED_ROWS ? `${shown} ${more(rows.length - MAX_LISTED_ROWS)}` : shown;
}

function ruPlural(n: number, one: string, few: string, many: string): string {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  return units >= 2 && units <= 4 ? few : many;
}
