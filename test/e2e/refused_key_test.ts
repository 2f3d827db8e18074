/**
 * The most common setup mistake, end to end: a wrong Calltouch key (or API address) fails the run
 * visibly, every affected row names the cause and who fixes it (never «Calltouch не ответил»),
 * nothing of the refused request counts as sent, and fixing the setting heals every row on the
 * next run, each deal created once.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { EMULATOR_TOKEN } from "../emulators/calltouch.ts";
import { startRig } from "../support/e2e.ts";

const ROWS: CellValue[][] = [
  ["ID сделки", "Дата сделки", "Статус", "Телефон"],
  ["K1", "20.11.2026 10:00", "Запись", "+7 916 111-22-33"],
  ["K2", "20.11.2026 11:00", "Запись", "+7 916 222-33-44"],
  ["K3", "20.11.2026 12:00", "Запись", ""],
];

Deno.test("a refused Calltouch key: the run fails visibly, rows name the key, the fix heals them", async () => {
  const rig = await startRig({ rows: ROWS, settings: { CALLTOUCH_TOKEN: "wrong-token-123" } });
  try {
    const refused = await rig.sync();
    assert.equal(refused.body.ok, false);
    assert.equal(refused.body.error.kind, "calltouch");
    assert.equal(refused.body.error.code, "key");
    assert.match(refused.body.error.message, /CALLTOUCH_TOKEN/);
    assert.equal(refused.body.requests.calltouch, 1, "one refusal is enough to stop");
    for (const id of ["K1", "K2", "K3"]) {
      const text = rig.statusOf(id) ?? "";
      assert.match(text, /^⏳ Calltouch не принял ключ API/, text);
      assert.match(text, /CALLTOUCH_TOKEN, CALLTOUCH_SITE_ID/);
      assert.doesNotMatch(text, /не ответил/);
    }
    // Runs before the fix say the same (and stay failed): the rows never read "will retry".
    const again = await rig.sync();
    assert.equal(again.body.ok, false);
    assert.match(rig.statusOf("K1") ?? "", /не принял ключ API/);

    await rig.restart({ CALLTOUCH_TOKEN: EMULATOR_TOKEN });
    const fixed = await rig.sync();
    assert.equal(fixed.body.ok, true, JSON.stringify(fixed.body.error));
    assert.equal(fixed.body.counts.created, 3, "created, not updated: nothing was in doubt");
    for (const id of ["K1", "K2", "K3"]) assert.match(rig.statusOf(id) ?? "", /^✅ создана/);
    for (const deal of rig.calltouch.deals.values()) assert.equal(deal.createCount, 1);
  } finally {
    await rig.close();
  }
});

Deno.test("a wrong CALLTOUCH_API_URL: rows name the address to fix; the fix heals them", async () => {
  const rig = await startRig({ rows: ROWS });
  const right = rig.settings.CALLTOUCH_API_URL;
  try {
    await rig.restart({ CALLTOUCH_API_URL: `${right}/wrong` });
    const wrong = await rig.sync();
    assert.equal(wrong.body.ok, false);
    assert.equal(wrong.body.error.code, "url");
    for (const id of ["K1", "K2", "K3"]) {
      const text = rig.statusOf(id) ?? "";
      assert.match(text, /^⏳ по адресу API Calltouch нет методов сделок/, text);
      assert.match(text, /CALLTOUCH_API_URL/);
    }
    await rig.restart({ CALLTOUCH_API_URL: right });
    const fixed = await rig.sync();
    assert.equal(fixed.body.counts.created, 3);
    for (const id of ["K1", "K2", "K3"]) assert.match(rig.statusOf(id) ?? "", /^✅ создана/);
  } finally {
    await rig.close();
  }
});

Deno.test("with TARGETS, a refused key names the target's own secret", async () => {
  const rig = await startRig({ rows: ROWS });
  try {
    const { SPREADSHEET_ID: spreadsheet, CALLTOUCH_SITE_ID: site } = rig.settings;
    await rig.restart({
      TARGETS: JSON.stringify([{
        id: "dental",
        spreadsheet,
        calltouchSiteId: site,
        calltouchTokenSecret: "CALLTOUCH_TOKEN_DENTAL",
      }]),
      CALLTOUCH_TOKEN_DENTAL: "wrong-token-456",
    });
    const refused = await rig.sync();
    const text = rig.statusOf("K1") ?? "";
    assert.match(text, /CALLTOUCH_TOKEN_DENTAL/, text);
    assert.match(text, /calltouchSiteId \(TARGETS "dental"\)/);
    // The run's error (the panel shows it) names them too; never a setting this deployment lacks.
    const error = refused.body.reports[0].report.error.message;
    assert.match(
      error,
      /проверьте CALLTOUCH_TOKEN_DENTAL .* и calltouchSiteId \(TARGETS "dental"\)/,
    );
    assert.doesNotMatch(error, /CALLTOUCH_TOKEN\b|CALLTOUCH_SITE_ID/);

    // A tab the spreadsheet does not have: the target's `tab`, not SHEET_NAME.
    await rig.restart({
      TARGETS: JSON.stringify([{
        id: "dental",
        spreadsheet,
        tab: "Записи",
        calltouchSiteId: site,
        calltouchTokenSecret: "CALLTOUCH_TOKEN_DENTAL",
      }]),
      CALLTOUCH_TOKEN_DENTAL: EMULATOR_TOKEN,
    });
    const noTab = (await rig.sync()).body.reports[0].report.error.message;
    assert.match(noTab, /Лист «Записи» не найден .* Проверьте tab \(TARGETS "dental"\)/);
    assert.doesNotMatch(noTab, /SHEET_NAME/);
  } finally {
    await rig.close();
  }
});
