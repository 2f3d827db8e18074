/**
 * What the README's pictures show, as HTML, so a test can tell whether they are still true
 * without a browser: the panel's answer to «Синхронизировать сейчас» on the demo clinic's sheet,
 * the panel afterwards (the phone picture), and the sheet as the sync left it. `deno task
 * screenshots --update-readme` photographs exactly these pages and records their digests in
 * `docs/images/made-from.json`; `test/scripts/readme_pictures_test.ts` recomputes them.
 */
import { SYNC_TOKEN } from "../test/support/e2e.ts";
import type { Rig } from "../test/support/e2e.ts";
import { sheetHtml } from "./sheet_view.ts";

/** The README's pictures, by file name in `docs/images/`. */
export const PICTURES = {
  panel: "control-panel.png",
  phone: "control-panel-phone.png",
  sheet: "sheet-after-sync.png",
} as const;

export type Picture = keyof typeof PICTURES;

/** The digests of the pages the README's pictures were made from. */
export const MADE_FROM = new URL("../docs/images/made-from.json", import.meta.url);

/** The sheet picture's title bar. */
export const SHEET_TITLE = "Клиника — сделки · лист «Сделки»";

/** Basic auth as a clinic's browser sends it (any user name, the key as password). */
export const PANEL_AUTH = `Basic ${btoa(`clinic:${SYNC_TOKEN}`)}`;

/**
 * The pages behind the pictures, made the way the screenshots make them: the panel's button
 * pressed once (a form post from the panel's own origin), then the panel reloaded.
 */
export async function pictureSources(rig: Rig): Promise<Record<Picture, string>> {
  const headers = { authorization: PANEL_AUTH };
  const pressed = await rig.worker.fetch("/actions/sync", {
    method: "POST",
    headers: { ...headers, origin: "http://worker.test", "sec-fetch-site": "same-origin" },
  });
  if (!pressed.ok) throw new Error(`the panel's sync answered ${pressed.status}`);
  const panel = await pressed.text();
  const phone = await (await rig.worker.fetch("/", { headers })).text();
  return { panel, phone, sheet: sheetHtml(rig.cells(), SHEET_TITLE) };
}

/**
 * A page's digest with every run of digits as one `0`: times, durations, dates and ports
 * differ from run to run and do not make a picture stale; words, layout and marks do.
 */
export async function pageDigest(html: string): Promise<string> {
  const normalised = new TextEncoder().encode(html.replace(/\d+/g, "0"));
  const digest = await crypto.subtle.digest("SHA-256", normalised);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The digests of every picture's page. */
export async function digestsOf(
  pages: Record<Picture, string>,
): Promise<Record<Picture, string>> {
  return {
    panel: await pageDigest(pages.panel),
    phone: await pageDigest(pages.phone),
    sheet: await pageDigest(pages.sheet),
  };
}
