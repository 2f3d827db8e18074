/**
 * The command-line tool's own words, one catalog per language (`--language`; English by
 * default). Apart from the Worker's catalog (`mod.ts`) so the Worker does not carry them.
 */
import type { Language } from "../deal.ts";
import { EN_CLI } from "./en_cli.ts";
import { type CliWords, RU_CLI } from "./ru_cli.ts";

export type { CliWords } from "./ru_cli.ts";

/** Every command-line catalog, by language. */
export const CLI_CATALOGS: Readonly<Record<Language, CliWords>> = { ru: RU_CLI, en: EN_CLI };

/**
 * The command line's words in one language.
 *
 * @example
 * cliWords("en").internal;
 */
export function cliWords(language: Language): CliWords {
  return CLI_CATALOGS[language];
}
