/**
 * The control panel's buttons over HTTP, in workerd: each action, its result on the page, the
 * colours, the links to cells, and the refusal of cross-site posts. (The same in a real browser:
 * `test/browser/panel_test.ts`.)
 */
import assert from "node:assert/strict";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { contactsOf } from "../cli/support.ts";
import { DEMO_INVALID_ROWS } from "../support/demo_sheet.ts";
import { type Rig, SPREADSHEET_ID, startRig, SYNC_TOKEN } from "../support/e2e.ts";
import { cellOf } from "../support/columns.ts";

const DEMO_HEADER = (await demoClinicRows())[0];

const ORIGIN = "http://worker.test";

function basic(password: string): Record<string, string> {
  return { authorization: `Basic ${btoa(`clinic:${password}`)}` };
}

/** Presses a button as a browser on the page would: a same-origin form post. */
async function press(rig: Rig, action: string, headers: Record<string, string> = {}) {
  const res = await rig.worker.fetch(`/actions/${action}`, {
    method: "POST",
    headers: {
      ...basic(SYNC_TOKEN),
      "content-type": "application/x-www-form-urlencoded",
      origin: ORIGIN,
      "sec-fetch-site": "same-origin",
      ...headers,
    },
    body: "",
  });
  return { status: res.status, html: await res.text() };
}

Deno.test("control panel: the buttons work from the page, and only from it", async (t) => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    await t.step("the page offers three real buttons, and no token anywhere", async () => {
      const page = await rig.worker.fetch("/", { headers: basic(SYNC_TOKEN) });
      const html = await page.text();
      for (const action of ["sync", "dry-run", "retry-held"]) {
        assert.match(html, new RegExp(`<form method="post" action="/actions/${action}">`));
      }
      assert.match(html, /<button type="submit"[^>]*>Синхронизировать сейчас<\/button>/);
      assert.match(html, /Проверить без отправки/);
      assert.match(html, /Повторить отклонённые/);
      assert.ok(!html.includes(SYNC_TOKEN), "the token is not in the page");
      assert.doesNotMatch(html, /<script/, "no JavaScript needed");
      assert.equal(page.headers.get("x-frame-options"), "DENY");
      assert.match(page.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
      assert.match(page.headers.get("content-security-policy") ?? "", /form-action 'self'/);
    });

    await t.step("«Проверить без отправки»: a readable table, contacts nowhere", async () => {
      const { status, html } = await press(rig, "dry-run");
      assert.equal(status, 200);
      assert.match(html, /<h2 id="result-title">Проверка без отправки<\/h2>/);
      assert.match(html, /verdict verdict-attention/, "rows with mistakes: amber");
      assert.match(html, /будет создано 11, будет обновлено 0/);
      assert.match(html, /<tr class="preview-create"><td>2<\/td><td>1001<\/td><td>создать<\/td>/);
      const contacts = contactsOf(await demoClinicRows());
      assert.ok(contacts.length >= 15);
      for (const contact of contacts) assert.ok(!html.includes(contact), `on the page: ${contact}`);
      assert.equal(rig.calltouch.requests.length, 0, "nothing sent");
      assert.match(html, /Это проверка: ничего не отправлено/);
      // Each row that needs attention opens its cell.
      assert.match(
        html,
        new RegExp(
          `<a href="https://docs\\.google\\.com/spreadsheets/d/${SPREADSHEET_ID}/edit#gid=0&amp;range=B6" aria-label="6: открыть ячейку B6">6</a>`,
        ),
      );
    });

    await t.step(
      "«Синхронизировать сейчас»: counts, changed rows, amber while rows wait",
      async () => {
        const { status, html } = await press(rig, "sync");
        assert.equal(status, 200);
        assert.match(html, /<h2 id="result-title">Результат синхронизации<\/h2>/);
        assert.match(html, /создано 11, обновлено 0/);
        assert.match(html, /class="result verdict-attention"/);
        assert.match(
          html,
          /<tr class="row-ok"><td><a [^>]*>2<\/a><\/td><td>1001<\/td><td>✅ создана/,
        );
        assert.equal(rig.calltouch.deals.size, 11);
        assert.ok(!html.includes(SYNC_TOKEN));
      },
    );

    await t.step("green only when every row is in Calltouch as in the sheet", async () => {
      fixEveryRow(rig);
      const { html } = await press(rig, "sync");
      assert.match(html, /class="result verdict-ok"/, html.slice(0, 2000));
      assert.match(html, /всё в Calltouch/);
    });

    await t.step("«Повторить отклонённые» sends held deals again", async () => {
      rig.calltouch.rejectOrder("1001", "Недопустимый статус");
      rig.type(cellOf(DEMO_HEADER, "status", 2), [["Пришел"]]);
      const held = await press(rig, "sync");
      assert.match(held.html, /Calltouch не принял сделку/);
      assert.match(held.html, /class="result verdict-attention"/);
      const requests = rig.calltouch.requests.length;
      const quiet = await press(rig, "sync");
      assert.equal(rig.calltouch.requests.length, requests, "held: not sent again by a sync");
      assert.match(quiet.html, /verdict-attention/);
      rig.calltouch.acceptOrder("1001");
      const retried = await press(rig, "retry-held");
      assert.match(retried.html, /<h2 id="result-title">Результат повторной отправки<\/h2>/);
      assert.match(retried.html, /class="result verdict-ok"/);
      assert.ok(rig.calltouch.requests.length >= 1);
    });

    await t.step("a failed run is red, with its reason", async () => {
      rig.google.unshare(
        SPREADSHEET_ID,
        JSON.parse(rig.settings.GOOGLE_SERVICE_ACCOUNT).client_email,
      );
      const { html } = await press(rig, "sync");
      assert.match(html, /class="result verdict-failed"/);
      assert.match(html, /ошибка: /);
    });

    await t.step("cross-site posts and unauthenticated ones are refused", async () => {
      const requests = rig.calltouch.requests.length;
      const evil = await press(rig, "sync", {
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      });
      assert.equal(evil.status, 403);
      const noOrigin = await rig.worker.fetch("/actions/sync", {
        method: "POST",
        headers: { ...basic(SYNC_TOKEN), "content-type": "application/x-www-form-urlencoded" },
        body: "",
      });
      assert.equal(noOrigin.status, 403, "no Origin, no Sec-Fetch-Site: refused");
      await noOrigin.body?.cancel();
      const anonymous = await press(rig, "sync", { authorization: "" });
      assert.equal(anonymous.status, 401);
      const unknown = await press(rig, "frobnicate");
      assert.equal(unknown.status, 404);
      assert.equal(rig.calltouch.requests.length, requests, "none of them ran a sync");
      assert.ok(!rig.worker.logs.join("\n").includes(SYNC_TOKEN), "the token is in no log line");
    });
  } finally {
    await rig.close();
  }
});

/** Types valid values over every row of the demo sheet that has a mistake. */
function fixEveryRow(rig: Rig): void {
  const header = rig.cells()[0].map(String);
  const column = (name: string) => String.fromCharCode(65 + header.indexOf(name));
  const set = (name: string, row: number, value: string | number) =>
    rig.type(`${column(name)}${row}`, [[value]]);
  for (const row of DEMO_INVALID_ROWS) {
    set("ID сделки", row, `FIX-${row}`);
    set("Дата сделки", row, "20.11.2026 10:00");
    set("Статус", row, "Запись");
    set("Дата статуса", row, "");
    set("Сумма", row, 1000);
    set("Телефон", row, `+7 916 000-${String(row).padStart(2, "0")}-00`);
    set("Email", row, "");
  }
}

Deno.test("control panel in English (STATUS_LANGUAGE=en)", async () => {
  const rig = await startRig({ rows: await demoClinicRows(), settings: { STATUS_LANGUAGE: "en" } });
  try {
    const { html } = await press(rig, "dry-run");
    assert.match(html, /<html lang="en">/);
    assert.match(html, />Sync now<\/button>/);
    assert.match(html, />Check without sending<\/button>/);
    assert.match(html, />Retry refused deals<\/button>/);
    assert.match(html, /<h2 id="result-title">Check without sending<\/h2>/);
    assert.match(html, /to create 11, to update 0/);
    assert.match(html, /some rows need attention/);
    assert.doesNotMatch(html, /Синхронизировать|будет создано/);
  } finally {
    await rig.close();
  }
});
