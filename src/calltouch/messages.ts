/** The masking that keeps phones and e-mails out of the words Calltouch gives. */
import { maskEmail, maskPhone } from "../sheet/mask.ts";

/** Longest reason quoted from Calltouch; the rest is cut with `…`. */
export const MAX_REASON_LENGTH = 200;

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** 10–15 digits in a row: a phone without a mask. */
const PHONE_RUN = /(?<!\d)\d{10,15}(?!\d)/g;
/** A phone with a mask: `+7 (915) 777-11-22`, `8 915 777 11 22`. */
const PHONE_MASKED =
  /(?<![\d-])(?:\+\d{1,3}|[78])[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)/g;

/**
 * Masks phones (`7915***1122`) and e-mails (`n***@server.com`) wherever they sit in a free text,
 * such as a reason Calltouch gives; dates and amounts stay readable.
 *
 * @example
 * maskPersonalData("phone 79157771122 is bad"); // "phone 7915***1122 is bad"
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, (email) => maskEmail(email))
    .replace(PHONE_MASKED, (phone) => maskPhone(phone))
    .replace(PHONE_RUN, (phone) => maskPhone(phone));
}

/** A reason quoted from Calltouch, made safe to show: masked, one line, bounded. */
export function quoteReason(text: string): string {
  const line = maskPersonalData(text).replace(/\s+/g, " ").trim();
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}
