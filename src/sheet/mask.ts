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
  let digits = 0;
  let marked = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (!isPhonePunctuation(c)) return value;
    else if (c === 0x2b || c === 0x28) marked = true;
  }
  return digits >= MIN_PHONE_DIGITS || (marked && digits >= MIN_MARKED_PHONE_DIGITS)
    ? maskPhone(value)
    : value;
}
