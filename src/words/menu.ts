/**
 * The sheet menu's words (`sheets/apps-script/Code.js`, generated from them), one catalog per
 * language. Apart from the Worker's catalog (`mod.ts`): the Worker never says them.
 */
import type { Language } from "../deal.ts";
import { EN_MENU } from "./en_menu.ts";
import { type MenuWords, RU_MENU } from "./ru_menu.ts";

export type { MenuWords } from "./ru_menu.ts";

/** Every menu catalog, by language. */
export const MENU_CATALOGS: Readonly<Record<Language, MenuWords>> = { ru: RU_MENU, en: EN_MENU };
