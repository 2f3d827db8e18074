/**
 * Masking of phones and e-mails for any text that may leave the sheet (status cells, run reports,
 * logs): enough is kept for a person to recognise the value, not enough to contact anyone.
 */
import { isPhonePunctuation } from "./cells.ts";

/** Fewest digits for which the first and last four are shown. */
const MIN_DIGITS_FOR_ENDS = 8;
/** Fewest digits for which {@linkcode maskContacts} treats a value as a phone in any case. */
const MIN_PHONE_DIGITS = 10;
/** Fewest digits for which it does when the value also has `+` or `(`. */
const MIN_MARKED_PHONE_DIGITS = 7;

const MASK = "***";

/**
 * Masks a phone number: the first four and the last four digits, `***` between. Values with fewer
 * than 8 digits keep only their first two digits; values with fewer than 4 digits keep none.
 * Everything but digits is dropped.
 *
 * @example
 * maskPhone("79157771122"); // "7915***1122"
 * maskPhone("8 (915) 777-11-22"); // "8915***1122"
 * maskPhone("12345"); // "12***"
 */
export function maskPhone(value: string | number): string {
  const digits = String(value).replace(/\D+/g, "");
  if (digits.length >= MIN_DIGITS_FOR_ENDS) {
    return digits.slice(0, 4) + MASK + digits.slice(-4);
  }
  return digits.length >= 4 ? digits.slice(0, 2) + MASK : MASK;
}

/**
 * Masks an e-mail address: the first character of the name, `***`, then `@` and the domain as is.
 * A value without `@` keeps only its first character.
 *
 * @example
 * maskEmail("name@server.com"); // "n***@server.com"
 * maskEmail("broken"); // "b***"
 */
export function maskEmail(value: string): string {
  const text = value.trim();
  const at = text.lastIndexOf("@");
  if (at < 0) return text.length > 1 ? text[0] + MASK : MASK;
  return (at > 0 ? text[0] : "") + MASK + text.slice(at);
}

/**
 * Masks a whole value that looks like a contact although it sits in another column: anything with
 * `@` as an e-mail; as a phone, anything made only of digits and phone punctuation (spaces, `+`,
 * `(`, `)`, `-`, `.`) with at least 10 digits, or at least 7 digits and a `+` or `(`. Other values
 * are returned unchanged, so dates (8 digits) and amounts stay readable in messages.
 *
 * @example
 * maskContacts("+7 915 777-11-22"); // "7915***1122"
 * maskContacts("31.02.2026"); // "31.02.2026"
 */
export function maskContacts(value: string): string {
  if (value.includes("@")) return maskEmail(value);
  return isWholePhone(value) ? maskPhone(value) : value;
}

/** A date, possibly in parentheses or after a `+`: `(2026-11-22)`, `+22.11.2026`; never a phone. */
const DATE_SHAPE = /^[(+]?\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{2,4})\s*\)?$/;

/** Whether a value made only of digits and phone punctuation is a phone (see maskContacts). */
function isWholePhone(value: string): boolean {
  if (DATE_SHAPE.test(value)) return false;
  let digits = 0;
  let marked = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (!isPhonePunctuation(c)) return false;
    else if (c === 0x2b || c === 0x28) marked = true;
  }
  return digits >= MIN_PHONE_DIGITS || (marked && digits >= MIN_MARKED_PHONE_DIGITS);
}

/**
 * An e-mail address anywhere in a text. The local part is taken whole (`reminder-smirnova`: where
 * a name starts inside it cannot be told), so only its first character shows; the domain may lack
 * a dot (`name@mail`, a cut address).
 */
const EMAIL_IN_TEXT = /[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}-]+(?:[.@][\p{L}\p{N}-]+)*/gu;
/** Separators people and merge tags put between a phone's digit groups. */
const GROUP = String.raw`[\s.\-_\u2013\u2014]*`;
/**
 * A Russian-shaped phone anywhere in a text: an optional prefix (`+7`, `7`, `8`), then ten digits
 * grouped 3-3-2-2 with any of `space . - _` between the groups, the code optionally in
 * parentheses. Dates (`2026-11-22`, `22.11.2026 10:30`), sums and ids never take this shape.
 */
const PHONE_IN_TEXT = new RegExp(
  String.raw`(?<!\d)(?:(?:\+\s?7|[78])${GROUP})?(?:\(\s*)?\d{3}(?:\s*\))?` +
    String.raw`${GROUP}\d{3}${GROUP}\d{2}${GROUP}\d{2}(?!\d)`,
  "g",
);
/** `+` and digits with phone punctuation: any country's number (masked from 10 digits). */
const PLUS_RUN = /\+\s?\d(?:[\s().\-_]{0,3}\d)+/g;
/** An area code in parentheses and digits: `(343) 77-11-22` (masked from 7 digits). */
const PAREN_RUN = /\(\s?\d{3,5}\s?\)(?:[\s.\-_]{0,3}\d)+/g;
/** 10–15 digits in a row: a phone without a mask, of any country. */
const DIGIT_RUN = /(?<!\d)\d{10,15}(?!\d)/g;

/** `match` masked as a phone when it has at least `least` digits, else as it is. */
const phoneFrom = (least: number) => (match: string) =>
  match.replace(/\D+/g, "").length >= least ? maskPhone(match) : match;

/**
 * Masks every phone (`7916***2233`) and e-mail (`r***@mail.ru`) where it stands in a free text —
 * a UTM value carrying an SMS merge tag, a reason Calltouch gives — and keeps the rest of the text
 * as it is. A value that is a phone as a whole is masked as {@linkcode maskContacts} does (so
 * `+7 777-11-22` too). Dates, sums, order ids and ids of up to 9 digits are left alone.
 *
 * @example
 * maskContactsIn("reminder_79161112233"); // "reminder_7916***2233"
 * maskContactsIn("sms / reminder-smirnova@mail.ru"); // "sms / r***@mail.ru"
 * maskContactsIn("sale_22.11.2026"); // "sale_22.11.2026"
 */
export function maskContactsIn(text: string): string {
  if (isWholePhone(text)) return maskPhone(text);
  return text
    .replace(EMAIL_IN_TEXT, maskEmail)
    .replace(PHONE_IN_TEXT, phoneFrom(0))
    .replace(PLUS_RUN, phoneFrom(MIN_PHONE_DIGITS))
    .replace(PAREN_RUN, phoneFrom(MIN_MARKED_PHONE_DIGITS))
    .replace(DIGIT_RUN, phoneFrom(0));
}
