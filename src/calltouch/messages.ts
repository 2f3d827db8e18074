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

/**
 * The run-level Calltouch failures, in the language of the clinic's texts (`STATUS_LANGUAGE`):
 * what failed, the value, what to check, what happens next.
 */
export const RUN_MESSAGES = {
  ru: {
    credentials: (status: number) =>
      `Calltouch не принял ключ API (HTTP ${status}): проверьте CALLTOUCH_TOKEN (API-ключ ` +
      `проекта) и CALLTOUCH_SITE_ID (ID проекта); сделки уйдут при первом запуске после исправления`,
    wrongUrl: (create: string, update: string, status: number) =>
      `По адресам ${create} и ${update} нет методов сделок Calltouch (HTTP ${status}): ` +
      `проверьте CALLTOUCH_API_URL; сделки уйдут при первом запуске после исправления`,
    pointsSpent: () =>
      "Calltouch: дневной лимит баллов API проекта исчерпан. Отправка продолжится " +
      "автоматически после 00:00 по Москве, ничего не потеряно: сделки ждут (⏳). Чтобы " +
      "продолжить раньше, попросите поддержку Calltouch увеличить лимит",
  },
  en: {
    credentials: (status: number) =>
      `Calltouch refused the credentials (HTTP ${status}): check CALLTOUCH_TOKEN (the API key ` +
      `of the project) and CALLTOUCH_SITE_ID (the project id); the deals go on the first run ` +
      `after the fix`,
    wrongUrl: (create: string, update: string, status: number) =>
      `Calltouch has no deals methods at ${create} and ${update} (HTTP ${status}): check ` +
      `CALLTOUCH_API_URL; the deals go on the first run after the fix`,
    pointsSpent: () =>
      "Calltouch: the project's daily API points are spent. Sending resumes automatically " +
      "after 00:00 Moscow time, nothing is lost: the deals wait (⏳). To resume sooner, ask " +
      "Calltouch support to raise the limit",
  },
} as const;
