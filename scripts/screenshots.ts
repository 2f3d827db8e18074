/**
 * `deno task screenshots`: the README's pictures, from the demo data, so they never go stale.
 * Runs the demo clinic's sheet through the real Worker (workerd) and the emulators, presses
 * «Синхронизировать сейчас» in headless Chromium, and saves:
 * - `sheet-after-sync.png`: the deals tab after the sync, status column included (the Google
 *   emulator's cells drawn as a spreadsheet grid);
 * - `control-panel.png` and `control-panel-phone.png`: the control panel with the result.
 *
 * By default into `test-results/readme-pictures/` (to look at, nothing tracked changes); with
 * `--update-readme` into `docs/images/`, with the digests of the pages photographed in
 * `docs/images/made-from.json`, which the test suite checks against the current panel.
 *
 * Needs Chromium (`apt-get install chromium`, or CHROMIUM_PATH) and, for the ✅ ❌ ⏳ marks, a
 * colour emoji font (`apt-get install fonts-noto-color-emoji`).
 */
import type { Page } from "puppeteer-core";
import { demoClinicRows } from "../sheets/demo/typed_cells.ts";
import { findChromium, launchChromium } from "../test/support/chromium.ts";
import { startRig, SYNC_TOKEN } from "../test/support/e2e.ts";
import { exitWithHelpIfAsked } from "./help.ts";
import { digestsOf, MADE_FROM, type Picture, PICTURES, SHEET_TITLE } from "./readme_pictures.ts";
import { sheetHtml } from "./sheet_view.ts";

exitWithHelpIfAsked(
  `Usage: deno task screenshots [--update-readme]

Makes the README's pictures from the demo data: runs the demo clinic's sheet through the real
Worker (workerd) and the emulators, presses «Синхронизировать сейчас» in headless Chromium and
saves sheet-after-sync.png, control-panel.png and control-panel-phone.png
into test-results/readme-pictures/ (nothing tracked changes).

  --update-readme  save them into docs/images/ instead, with docs/images/made-from.json (the
                   digests of the pages photographed, which the tests compare with the current
                   panel); commit both.

Needs Chromium (apt-get install chromium, or CHROMIUM_PATH) and a colour emoji font
(apt-get install fonts-noto-color-emoji). Exit 2 when Chromium is missing.`,
  Deno.args,
);

Deno.env.set("CLOUDFLARE_CF_FETCH_ENABLED", "false");
Deno.env.set("WRANGLER_SEND_METRICS", "false");

const UPDATE = Deno.args.includes("--update-readme");
const OUT = UPDATE
  ? new URL("./", MADE_FROM)
  : new URL("../test-results/readme-pictures/", import.meta.url);

const chromium = findChromium();
if (!chromium) {
  console.error("Chromium not found: apt-get install chromium (or set CHROMIUM_PATH).");
  Deno.exit(2);
}

async function save(page: Page, picture: Picture, fullPage = true): Promise<void> {
  const path = new URL(PICTURES[picture], OUT).pathname;
  await page.screenshot({ path, fullPage });
  console.log(`  ${path}`);
}

await Deno.mkdir(OUT, { recursive: true });
const rig = await startRig({ rows: await demoClinicRows() });
const browser = await launchChromium(chromium);
try {
  const page = await browser.newPage();
  await page.authenticate({ username: "clinic", password: SYNC_TOKEN });
  await page.setViewport({ width: 1100, height: 800 });
  await page.goto(`${rig.worker.url}/`, { waitUntil: "load" });
  const [pressed] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.locator("::-p-text(Синхронизировать сейчас)").click(),
  ]);
  // Bodies are readable only until the next navigation.
  const panelPage = await pressed!.text();
  console.log("Saved:");
  await save(page, "panel");
  await page.setViewport({ width: 390, height: 844, isMobile: true, deviceScaleFactor: 2 });
  const reloaded = await page.goto(`${rig.worker.url}/`, { waitUntil: "load" });
  const phonePage = await reloaded!.text();
  await save(page, "phone", false);

  const sheetPage = sheetHtml(rig.cells(), SHEET_TITLE);
  const sheet = await browser.newPage();
  await sheet.setViewport({ width: 1400, height: 600 });
  await sheet.setContent(sheetPage);
  await save(sheet, "sheet");
  if (UPDATE) {
    const digests = await digestsOf({
      panel: panelPage,
      phone: phonePage,
      sheet: sheetPage,
    });
    await Deno.writeTextFile(MADE_FROM, JSON.stringify(digests, null, 2) + "\n");
    console.log(`  ${MADE_FROM.pathname}`);
  }
} finally {
  await browser.close();
  await rig.close();
}
