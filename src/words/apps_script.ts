/**
 * The sheet menu's words as Apps Script source: the `menu` section of every catalog written out
 * as one plain-script `const TEXT = { ru: {…}, en: {…} };`, which `deno task generate` puts into
 * `sheets/apps-script/Code.js` between its `// generated: menu-text` markers (Apps Script cannot
 * import our modules). Texts are written as JSON strings, functions as their own source, which
 * is why every function of the `menu` section is self-contained.
 */
import type { Language } from "../deal.ts";
import { MENU_CATALOGS } from "./menu.ts";

/** The name the table has in Code.js. */
export const MENU_TEXT_NAME = "TEXT";

/**
 * The menu's text table as a JavaScript statement (unformatted: the generator formats it).
 *
 * @example
 * menuTextSource().startsWith("/** Everything the script says"); // true
 */
export function menuTextSource(): string {
  const languages = Object.keys(MENU_CATALOGS) as Language[];
  const table = languages.map((language) =>
    `${language}: ${source(MENU_CATALOGS[language], `menu of ${language}`)}`
  );
  return "/** Everything the script says, in each language of `STATUS_LANGUAGE` (src/words/). */\n" +
    `const ${MENU_TEXT_NAME} = {\n${table.join(",\n")},\n};`;
}

/** One value as source: a string as JSON, a function as its own source, an object by key. */
function source(value: unknown, where: string): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") {
    const text = String(value);
    // A method (`name(a) {…}`) or a native function cannot be pasted as a value.
    if (!/^(?:\([^)]*\)|[\w$]+)\s*=>/.test(text)) {
      throw new TypeError(`${where}: the menu's functions must be arrow functions, got ${text}`);
    }
    return text;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([key, item]) =>
      `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${
        source(item, `${where}.${key}`)
      }`
    );
    return `{\n${entries.join(",\n")},\n}`;
  }
  throw new TypeError(`${where}: a menu text is a string, a function or an object of them`);
}
