/**
 * Calltouch's own words (a refusal reason), made safe to quote: phones and e-mails masked, one
 * line, bounded. They stay as Calltouch gave them, in its language.
 */
import { maskContactsIn } from "../sheet/mask.ts";

/** Longest reason quoted from Calltouch; the rest is cut with `…`. */
export const MAX_REASON_LENGTH = 200;

/**
 * Masks phones (`7915***1122`) and e-mails (`n***@server.com`) wherever they sit in a free text,
 * such as a reason Calltouch gives; dates and amounts stay readable (see `maskContactsIn`).
 *
 * @example
 * maskPersonalData("phone 79157771122 is bad"); // "phone 7915***1122 is bad"
 */
export const maskPersonalData: (text: string) => string = maskContactsIn;

/** A reason quoted from Calltouch, made safe to show: masked, one line, bounded. */
export function quoteReason(text: string): string {
  const line = maskPersonalData(text).replace(/\s+/g, " ").trim();
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}
