/**
 * E-mail addresses: trimmed, lower-cased, validated, de-duplicated. A cell may hold several,
 * separated by `,` `;` `/`, line breaks or spaces. Validation is practical, not RFC 5322: a name
 * of letters, digits and `._%+-'!#$&*=?^{|}~` without leading, trailing or double dots; `@`; a
 * domain of letters, digits and inner hyphens with a top-level domain of 2+ letters (Cyrillic
 * domains such as `клиника.рф` and `xn--` names are fine).
 */
import { type Cell, isContactSeparator, isSpace, valueText } from "./cells.ts";
import { maskEmail } from "./mask.ts";

/** The e-mails of one cell: valid ones normalised and de-duplicated, bad ones masked. */
export interface EmailList {
  /** Lower-cased, in cell order, without repeats. */
  emails: string[];
  /** Bad addresses as {@linkcode maskEmail} shows them, in cell order. */
  invalid: readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

const EMAIL =
  /^[\p{L}\p{N}_%+'!#$&*=?^{|}~-]+(?:\.[\p{L}\p{N}_%+'!#$&*=?^{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u;

/** Longest address accepted (RFC 5321 path limit). */
const MAX_EMAIL_LENGTH = 254;

/**
 * Reads an e-mails cell; a lone dash counts as no address.
 *
 * @example
 * parseEmailsCell(" Name@Server.COM; name@server.com, bad@");
 * // { emails: ["name@server.com"], invalid: ["b***@"] }
 */
export function parseEmailsCell(cell: Cell): EmailList {
  // Created with their first element: `[]` and push would reserve room for 16.
  let emails: string[] | undefined;
  let invalid: string[] | undefined;
  const text = valueText(cell).toLowerCase();
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isEmailSeparator(text.charCodeAt(i))) continue;
    if (i > start) {
      const piece = text.slice(start, i); // the whole text, uncopied, for a single address
      if (!isEmail(piece)) (invalid ??= []).push(maskEmail(piece));
      else if (emails === undefined) emails = [piece];
      else if (!emails.includes(piece)) emails.push(piece);
    }
    start = i + 1;
  }
  return { emails: emails ?? [], invalid: invalid ?? NONE };
}

/**
 * True for a plausible e-mail address (see the module doc); expects lower-cased, trimmed text.
 *
 * @example
 * isEmail("n@клиника.рф"); // true
 * isEmail("n@server"); // false
 */
export function isEmail(text: string): boolean {
  return text.length <= MAX_EMAIL_LENGTH && EMAIL.test(text);
}

function isEmailSeparator(c: number): boolean {
  return isContactSeparator(c) || isSpace(c);
}
