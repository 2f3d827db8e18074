/**
 * Texts of the Calltouch outcomes that clinic staff read (status cells, run report), and the
 * masking that keeps phones and e-mails out of them.
 */
import type { Language } from "../deal.ts";
import { maskEmail, maskPhone } from "../sheet/mask.ts";

/** Longest reason quoted from Calltouch; the rest is cut with `…`. */
export const MAX_REASON_LENGTH = 300;

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

/** Every outcome text, by language. */
export const OUTCOME_TEXTS = {
  ru: {
    didNotFit: "Не уместилась в этот запуск: отправим при следующем",
    unavailable: (what: string) =>
      `Calltouch временно не отвечает (${what}): отправим при следующем запуске`,
    network: "ошибка сети",
    noResult: "Calltouch не вернул результат по сделке: отправим при следующем запуске",
    unreadable: "Calltouch ответил непонятно: отправим при следующем запуске",
    batchRefused:
      "Calltouch отклонил пакет из-за другой сделки в нём: отправим при следующем запуске",
    exists: (reason: string) => `Сделка уже есть в Calltouch: ${reason}`,
    notFound: (reason: string) => `Сделки нет в Calltouch: ${reason}`,
    temporary: (reason: string) =>
      `Calltouch временно не принял сделку: ${reason}; отправим при следующем запуске`,
    noReason: "причина не указана",
  },
  en: {
    didNotFit: "Did not fit in this run: it will be sent in the next one",
    unavailable: (what: string) =>
      `Calltouch is not answering for now (${what}): it will be sent in the next run`,
    network: "network error",
    noResult: "Calltouch returned no result for this deal: it will be sent in the next run",
    unreadable: "Calltouch gave an unreadable answer: it will be sent in the next run",
    batchRefused:
      "Calltouch refused the batch because of another deal in it: it will be sent in the next run",
    exists: (reason: string) => `The deal already exists in Calltouch: ${reason}`,
    notFound: (reason: string) => `The deal does not exist in Calltouch: ${reason}`,
    temporary: (reason: string) =>
      `Calltouch did not take the deal for now: ${reason}; it will be sent in the next run`,
    noReason: "no reason given",
  },
} satisfies Record<Language, unknown>;

/** The texts of one language. */
export type OutcomeTexts = (typeof OUTCOME_TEXTS)[Language];
