/**
 * Every catalog of words together, by language: the Worker's (`mod.ts`), the command line's
 * (`cli.ts`) and the sheet menu's (`menu.ts`), as the voice tests and the generated files read
 * them. Never imported by the Worker (it would carry every text).
 */
import type { Language } from "../deal.ts";
import { CLI_CATALOGS, type CliWords } from "./cli.ts";
import { MENU_CATALOGS, type MenuWords } from "./menu.ts";
import { CATALOGS, type Words } from "./mod.ts";

/** One language's every text, by section. */
export type AllWords = Words & { cli: CliWords; menu: MenuWords };

/** Every text, by language. */
export const ALL_CATALOGS: Readonly<Record<Language, AllWords>> = {
  ru: { ...CATALOGS.ru, cli: CLI_CATALOGS.ru, menu: MENU_CATALOGS.ru },
  en: { ...CATALOGS.en, cli: CLI_CATALOGS.en, menu: MENU_CATALOGS.en },
};
