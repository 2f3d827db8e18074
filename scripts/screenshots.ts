/**
 * `deno task screenshots`: the README's pictures, from the demo data, so they never go stale.
 * Runs the demo clinic's sheet through the real Worker (workerd) and the emulators, presses
 * «Синхронизировать сейчас» in headless Chromium, and saves to `docs/images/`:
 * - `sheet-after-sync.png`: the deals tab after the sync, status column included (the Google
 *   emulator's cells drawn as a spreadsheet grid);
 * - `control-panel.png` and `control-panel-phone.png`: the control panel with the result.
 *
 * Needs Chromium (`apt-get install chromium`, or CHROMIUM_PATH) and, for the ✅ ❌ ⏳ marks, a
 * colour emoji font (`apt-get install fonts-noto-color-emoji`).
 */
import type { Page } from "puppeteer-core";
import type { CellValue } from "../src/deal.ts";
import { columnLetters } from "../src/sheet/a1.ts";
import { demoClinicRows } from "../sheets/demo/typed_cells.ts";
import { findChromium, launchChromium } from "../test/support/chromium.ts";
import { startRig, SYNC_TOKEN } from "../test/support/e2e.ts";
import { exitWithHelpIfAsked } from "./help.ts";

exitWithHelpIfAsked(
  `Usage: deno task screenshots

Makes the README's pictures from the demo data: runs the demo clinic's sheet through the real
Worker (workerd) and the emulators, presses «Синхронизировать сейчас» in headless Chromium and
saves docs/images/sheet-after-sync.png, control-panel.png and control-panel-phone.png.
Needs Chromium (apt-get install chromium, or CHROMIUM_PATH) and a colour emoji font
(apt-get install fonts-noto-color-emoji). Exit 2 when Chromium is missing.`,
  Deno.args,
);

Deno.env.set("CLOUDFLARE_CF_FETCH_ENABLED", "false");
Deno.env.set("WRANGLER_SEND_METRICS", "false");

const OUT = new URL("../docs/images/", import.meta.url);

const chromium = findChromium();
if (!chromium) {
  console.error("Chromium not found: apt-get install chromium (or set CHROMIUM_PATH).");
  Deno.exit(2);
}

const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The tab as a spreadsheet grid: column letters, row numbers, the cells as the sheet shows them. */
function sheetHtml(cells: CellValue[][], title: string): string {
  const width = Math.max(...cells.map((row) => row.length));
  const letters = Array.from({ length: width }, (_, i) => columnLetters(i + 1));
  const statusColumn = cells[0].indexOf("Calltouch");
  const shown = (value: CellValue | undefined, column: number, row: number) => {
    if (value === undefined || value === "") return "";
    // Date cells arrive as serial numbers; the sheet shows them as dates.
    if (typeof value === "number" && row > 0 && /Дата/.test(String(cells[0][column]))) {
      const ms = Math.round((value - 25569) * 86_400_000);
      return new Date(ms).toISOString().slice(0, 16).replace(
        /(\d+)-(\d+)-(\d+)T(\d+:\d+)/,
        "$3.$2.$1 $4",
      );
    }
    return String(value);
  };
  const row = (values: CellValue[], index: number) =>
    `<tr><th>${index + 1}</th>${
      letters.map((_, column) => {
        const text = shown(values[column], column, index);
        const cls = index === 0
          ? "head"
          : column === statusColumn
          ? text.startsWith("✅") ? "ok" : text.startsWith("❌") ? "bad" : text ? "wait" : ""
          : "";
        return `<td class="${cls}">${escape(text)}</td>`;
      }).join("")
    }</tr>`;
  return `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><style>
body{margin:0;font:13px Arial,sans-serif;background:#fff}
.bar{background:#f9fbfd;border-bottom:1px solid #c7c7c7;padding:8px 12px;font-size:16px}
table{border-collapse:collapse}th,td{border:1px solid #e1e1e1;padding:3px 6px;white-space:nowrap;
max-width:330px;overflow:hidden;text-overflow:ellipsis}
th{background:#f8f9fa;color:#5f6368;font-weight:normal;min-width:28px}
td.head{font-weight:bold;background:#f1f3f4}td.ok{background:#e6f4ea}td.bad{background:#fce8e6}
td.wait{background:#fef7e0}</style>
<div style="display:inline-block"><div class="bar">${escape(title)}</div>
<table><tr><th></th>${letters.map((l) => `<th>${l}</th>`).join("")}</tr>
${cells.map(row).join("\n")}</table></div>`;
}

async function save(page: Page, name: string): Promise<void> {
  const path = new URL(name, OUT).pathname;
  await page.screenshot({ path, fullPage: true });
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
  await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.locator("::-p-text(Синхронизировать сейчас)").click(),
  ]);
  console.log("Saved:");
  await save(page, "control-panel.png");
  await page.setViewport({ width: 390, height: 844, isMobile: true, deviceScaleFactor: 2 });
  await page.goto(`${rig.worker.url}/`, { waitUntil: "load" });
  await page.screenshot({
    path: new URL("control-panel-phone.png", OUT).pathname,
    fullPage: false,
  });
  console.log(`  ${new URL("control-panel-phone.png", OUT).pathname}`);

  const sheet = await browser.newPage();
  await sheet.setViewport({ width: 1400, height: 600 });
  await sheet.setContent(sheetHtml(rig.cells(), "Клиника — сделки · лист «Сделки»"));
  await save(sheet, "sheet-after-sync.png");
} finally {
  await browser.close();
  await rig.close();
}
