/**
 * The one catalog of words a person reads (status cells, row problems, Google's and Calltouch's
 * refusals, the deals journal, the control panel, sheet setup, HTTP errors, run errors, the
 * command line and the sheet's Apps Script menu), one per language, keyed by message code
 * (`words("ru").status.created`). Russian is the default of everything the clinic reads.
 *
 * A new text is a code in `ru.ts` and in `en.ts` (the English catalog is typed against the
 * Russian one, so a code missing in either does not compile) and a sample in
 * `test/words/samples.ts`; `test/words/words_test.ts` checks both catalogs against the voice.
 */
import type { Language } from "../deal.ts";
import { EN } from "./en.ts";
import { RU, type Words } from "./ru.ts";

export type { Words } from "./ru.ts";

/**
 * How a deployment names a setting in messages (`settingName`): `CALLTOUCH_TOKEN`, or for a
 * target of `TARGETS` the secret or field that sets it. Texts that send someone to a setting
 * take its name from here, never a fixed one.
 */
export type SettingNames = (setting: string) => string;

/** Every setting by its own name (a deployment without `TARGETS`). */
export const OWN_NAMES: SettingNames = (setting) => setting;

/** Every catalog, by language. */
export const CATALOGS: Readonly<Record<Language, Words>> = { ru: RU, en: EN };

/**
 * The language a `STATUS_LANGUAGE` value names: English for `en`, else Russian (the default), so
 * that words can be chosen even when the settings cannot be read.
 *
 * @example
 * languageOf(env.STATUS_LANGUAGE); // "ru"
 */
export function languageOf(value: unknown): Language {
  return value === "en" ? "en" : "ru";
}

/**
 * The catalog of one language.
 *
 * @example
 * words("ru").status.created("28.11.2026 15:05"); // "✅ создана 28.11.2026 15:05"
 */
export function words(language: Language): Words {
  return CATALOGS[language];
}
