/**
 * The control panel in a real browser: headless Chromium against the Worker in workerd, with the
 * Google and Calltouch emulators. A clinic administrator logs in with Basic auth, presses each
 * button (by mouse and by keyboard), reads the result, follows a row's link to its cell, and
 * opens the page on a phone. Screenshots go to `test-results/screenshots/`.
 *
 * Without Chromium (`apt-get install chromium`, or CHROMIUM_PATH) the test is reported as
 * ignored, with the reason in its name: never passed silently.
 */
import assert from "node:assert/strict";
import type { HTTPRequest, Page } from "puppeteer-core";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { contactsOf } from "../cli/support.ts";
import { findChromium, launchChromium } from "../support/chromium.ts";
import { type Rig, SPREADSHEET_ID, startRig, SYNC_TOKEN } from "../support/e2e.ts";
import { cellOf } from "../support/columns.ts";

const CHROMIUM = findChromium();
const SHOTS = new URL("../../test-results/screenshots/", import.meta.url);

async function shot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });
}

/** Clicks a button by its text and waits for the page it posts to. */
async function press(page: Page, text: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load", timeout: 30_000 }),
    page.locator(`::-p-text(${text})`).click(),
  ]);
  return response?.status() ?? 0;
}

async function text(page: Page, selector: string): Promise<string> {
  return await page.$eval(selector, (element) => element.textContent ?? "");
}

Deno.test({
  name: CHROMIUM
    ? "browser: a clinic administrator runs, previews and retries from the control panel"
    : "browser: control panel in Chromium — SKIPPED: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)",
  ignore: !CHROMIUM,
  // Chromium's own timers and sockets outlive a test by design; they are closed in `finally`.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const rows = await demoClinicRows();
    const contacts = contactsOf(rows);
    const rig: Rig = await startRig({ rows });
    const browser = await launchChromium(CHROMIUM!);
    const urls: string[] = [];
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1100, height: 900 });
      await page.authenticate({ username: "clinic", password: SYNC_TOKEN });
      // Offline: the spreadsheet links are answered here, and recorded.
      await page.setRequestInterception(true);
      page.on("request", (request: HTTPRequest) => {
        urls.push(request.url());
        if (request.url().startsWith(rig.worker.url)) return void request.continue();
        void request.respond({
          status: 200,
          contentType: "text/html",
          body: `<title>Google Sheets</title><p id="opened">${request.url()}</p>`,
        });
      });

      await t.step("logs in with Basic auth and sees the panel", async () => {
        const response = await page.goto(`${rig.worker.url}/`, { waitUntil: "load" });
        assert.equal(response?.status(), 200);
        assert.equal(await text(page, "h1"), "Синхронизация сделок с Calltouch");
        const buttons = await page.$$eval("form button", (b) => b.map((x) => x.textContent));
        assert.deepEqual(buttons, [
          "Синхронизировать сейчас",
          "Проверить без отправки",
          "Повторить отклонённые",
        ]);
        await shot(page, "panel-empty");
      });

      await t.step("«Проверить без отправки» shows a table, and sends nothing", async () => {
        assert.equal(await press(page, "Проверить без отправки"), 200);
        assert.equal(await text(page, "#result-title"), "Проверка без отправки");
        assert.equal((await page.$$("tr.preview-create")).length, 11);
        const html = await page.content();
        for (const contact of contacts) assert.ok(!html.includes(contact), contact);
        assert.equal(rig.calltouch.requests.length, 0);
        await shot(page, "panel-dry-run");
      });

      await t.step("«Синхронизировать сейчас» by keyboard: Tab to the button, Enter", async () => {
        await page.goto(`${rig.worker.url}/`, { waitUntil: "load" });
        await page.focus("form button");
        const [response] = await Promise.all([
          page.waitForNavigation({ waitUntil: "load" }),
          page.keyboard.press("Enter"),
        ]);
        assert.equal(response?.status(), 200);
        assert.equal(await text(page, "#result-title"), "Результат синхронизации");
        assert.equal(rig.calltouch.deals.size, 11);
        // Deals with mistakes remain: amber, with the words, not only the colour.
        const verdict = await page.$eval("#result", (e) => e.className);
        assert.match(verdict, /verdict-attention/);
        assert.match(await text(page, "#result .verdict"), /есть строки, требующие внимания/);
        const colour = await page.$eval("#result .verdict", (e) => getComputedStyle(e).color);
        assert.equal(colour, "rgb(122, 74, 0)");
        await shot(page, "panel-after-sync");
      });

      await t.step("a row's link opens its cell in the spreadsheet", async () => {
        const href = await page.$eval("#result tr.row-attention a", (a) => a.getAttribute("href"));
        assert.equal(
          href,
          `https://docs.google.com/spreadsheets/d/${SPREADSHEET_ID}/edit#gid=0&range=${
            cellOf(rows[0], "orderDate", 6)
          }`,
        );
        await Promise.all([
          page.waitForNavigation({ waitUntil: "load" }),
          page.click("#result tr.row-attention a"),
        ]);
        assert.equal(await text(page, "#opened"), href);
        assert.equal(new URL(page.url()).hash, `#gid=0&range=${cellOf(rows[0], "orderDate", 6)}`);
      });

      await t.step("«Повторить отклонённые» re-sends what Calltouch refused", async () => {
        rig.calltouch.rejectOrder("1001", "Недопустимый статус");
        rig.type(cellOf(rows[0], "status", 2), [["Пришел"]]);
        await page.goto(`${rig.worker.url}/`, { waitUntil: "load" });
        await press(page, "Синхронизировать сейчас");
        assert.match(await page.content(), /Calltouch не принял сделку/);
        rig.calltouch.acceptOrder("1001");
        await press(page, "Повторить отклонённые");
        assert.equal(await text(page, "#result-title"), "Результат повторной отправки");
        assert.match(await page.content(), /1001<\/td><td>✅ обновлена/);
      });

      await t.step(
        "on a phone: one column, nothing wider than the screen, tables whole",
        async () => {
          await page.setViewport({ width: 360, height: 740, isMobile: true, hasTouch: true });
          await page.goto(`${rig.worker.url}/`, { waitUntil: "load" });
          const layout = await page.evaluate(() => ({
            page: document.documentElement.scrollWidth,
            buttons: [...document.querySelectorAll("form button")].map((b) => {
              const box = b.getBoundingClientRect();
              return {
                left: Math.round(box.left),
                width: Math.round(box.width),
                height: box.height,
              };
            }),
            // A table wider than its box would scroll sideways: a phone shows half a column.
            tables: [...document.querySelectorAll(".scroll")].map((box) => ({
              heads: [...box.querySelectorAll("th")].map((th) => th.textContent).join(" | "),
              overflow: box.scrollWidth - box.clientWidth,
            })),
            cutHeads: [...document.querySelectorAll("th")]
              .filter((th) => th.scrollWidth > th.clientWidth)
              .map((th) => th.textContent),
          }));
          assert.ok(layout.page <= 360, `the page is ${layout.page}px wide`);
          assert.ok(layout.tables.length >= 2, "the runs table and the rows table");
          for (const table of layout.tables) {
            assert.ok(table.overflow <= 0, `${table.heads}: ${table.overflow}px cut off`);
          }
          assert.deepEqual(layout.cutHeads, [], "every column's heading reads whole");
          for (const button of layout.buttons) {
            assert.ok(button.width >= 300, "full-width buttons");
            assert.ok(button.height >= 44, "a finger-sized target");
          }
          await shot(page, "panel-phone");
        },
      );

      await t.step(
        "a cross-site form post is refused, even with the browser's credentials",
        async () => {
          const before = rig.calltouch.requests.length;
          const evil = Deno.serve(
            { hostname: "127.0.0.1", port: 0, onListen() {} },
            () =>
              new Response(
                `<form id="f" method="post" action="${rig.worker.url}/actions/sync"></form>` +
                  `<script>document.getElementById("f").submit()</script>`,
                { headers: { "content-type": "text/html" } },
              ),
          );
          try {
            const evilPage = await browser.newPage();
            await evilPage.authenticate({ username: "clinic", password: SYNC_TOKEN });
            const [response] = await Promise.all([
              evilPage.waitForNavigation({ waitUntil: "load" }),
              evilPage.goto(`http://127.0.0.1:${evil.addr.port}/`),
            ]);
            assert.equal(response?.status(), 403);
            assert.equal(rig.calltouch.requests.length, before, "no sync ran");
            await evilPage.close();
          } finally {
            await evil.shutdown();
          }
        },
      );

      await t.step("the token is in no URL the browser asked for", () => {
        assert.ok(urls.length > 5);
        for (const url of urls) assert.ok(!url.includes(SYNC_TOKEN), url);
      });
    } finally {
      await browser.close();
      await rig.close();
    }
  },
});
