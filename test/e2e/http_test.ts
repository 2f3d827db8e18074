/** The Worker's HTTP interface in workerd: auth, dry run, status page, setup, config errors. */
import assert from "node:assert/strict";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { startRig, SYNC_TOKEN, TAB } from "../support/e2e.ts";
import { startWorker } from "../support/worker.ts";

const basic = (password: string) => ({ authorization: `Basic ${btoa(`clinic:${password}`)}` });

Deno.test("POST /sync answers 401 without a token or with a wrong one, and runs nothing", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    for (const token of [null, "wrong-token", `${SYNC_TOKEN}x`, ""]) {
      const { status, body } = await rig.sync({ token });
      assert.equal(status, 401, `token ${token}`);
      assert.equal(body.ok, false);
      assert.equal(body.error.kind, "auth");
      assert.ok(!JSON.stringify(body).includes(SYNC_TOKEN));
    }
    assert.equal(rig.google.counters().valuesRead, 0);
    assert.equal(rig.calltouch.requests.length, 0);
    const missing = await rig.worker.fetch("/nope", { method: "POST" });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error.kind, "not_found");
  } finally {
    await rig.close();
  }
});

Deno.test("POST /sync?dryRun=1 returns the plan with exact payloads and changes nothing anywhere", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const kvBefore = await rig.kvDump();
    const cellsBefore = JSON.stringify(rig.cells());
    const { status, body } = await rig.sync({ dryRun: true });
    assert.equal(status, 200);
    assert.equal(body.trigger, "dry-run");
    assert.equal(body.counts.created, 11);
    assert.equal(body.payloads.create.length, 1);
    const [request] = body.payloads.create;
    assert.equal(request.crm, "Google Sheets");
    assert.equal(request.orders.length, 11);
    assert.deepEqual(request.orders[0].matching[0], {
      type: "callContact",
      callContactParams: {
        phones: ["79157771122"],
        date: "20-11-2026 10:30:00",
        callTypeToMatch: "nearest",
        searchDepth: 259200,
      },
    });
    assert.ok(body.rows.some((r: { action: string }) => r.action === "invalid"));
    assert.equal(rig.calltouch.requests.length, 0, "nothing sent");
    assert.equal(rig.google.counters().writes, 0, "nothing written to the sheet");
    assert.equal(JSON.stringify(rig.cells()), cellsBefore);
    assert.deepEqual(await rig.kvDump(), kvBefore, "nothing stored");
  } finally {
    await rig.close();
  }
});

Deno.test("GET / shows the status page behind Basic auth", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const denied = await rig.worker.fetch("/");
    assert.equal(denied.status, 401);
    assert.match(denied.headers.get("www-authenticate") ?? "", /^Basic /);
    assert.equal((await rig.worker.fetch("/", { headers: basic("nope") })).status, 401);

    const empty = await rig.worker.fetch("/", { headers: basic(SYNC_TOKEN) });
    assert.equal(empty.status, 200);
    assert.match(await empty.text(), /Синхронизация ещё не запускалась/);

    await rig.worker.scheduled();
    const page = await rig.worker.fetch("/", { headers: basic(SYNC_TOKEN) });
    const html = await page.text();
    assert.match(html, /<h1>Синхронизация сделок с Calltouch<\/h1>/);
    assert.match(html, /по расписанию/);
    assert.match(html, /создано 11/);
    assert.match(html, /нет такой даты «31\.02\.2026 09:00»/, "problems by row");
    assert.match(html, /Следующий запуск по расписанию/);
    assert.match(
      html,
      new RegExp(`Лист первый в таблице → проект Calltouch ${rig.calltouch.siteId}`),
    );
    assert.match(
      html,
      /Часовой пояс таблицы: Europe\/Moscow; даты уходят в Calltouch в поясе Europe\/Moscow/,
    );
    assert.doesNotMatch(html, /Пояса различаются/);

    await rig.restart({ CALLTOUCH_TIME_ZONE: "Asia/Novosibirsk", SHEET_NAME: TAB });
    await rig.worker.scheduled();
    const zoned = await (await rig.worker.fetch("/", { headers: basic(SYNC_TOKEN) })).text();
    assert.match(zoned, /Лист «Сделки» → проект Calltouch/);
    assert.match(zoned, /в поясе Asia\/Novosibirsk/);
    assert.match(zoned, /Пояса различаются/);
    assert.match(zoned, /выбран пояс Asia\/Novosibirsk/);
  } finally {
    await rig.close();
  }
});

Deno.test("settings problems: 500 listing every bad setting, never a secret", async () => {
  const worker = await startWorker({
    bindings: {
      SYNC_TOKEN,
      CALLTOUCH_TOKEN: "ct-secret-value",
      GOOGLE_SERVICE_ACCOUNT: "{not json secret-key",
      MATCH_MODE: "first",
    },
  });
  try {
    const res = await worker.fetch("/sync", {
      method: "POST",
      headers: { authorization: `Bearer ${SYNC_TOKEN}` },
    });
    assert.equal(res.status, 500);
    const body = await res.json();
    assert.equal(body.error.kind, "config");
    assert.deepEqual(body.error.problems.map((p: string) => p.split(" ")[0]), [
      "SPREADSHEET_ID",
      "CALLTOUCH_SITE_ID",
      "GOOGLE_SERVICE_ACCOUNT",
      "MATCH_MODE",
    ]);
    // Neither secret's value (the messages may say `wrangler secret put`, not what was put).
    const text = JSON.stringify(body);
    assert.ok(!text.includes("ct-secret-value") && !text.includes("secret-key"), text);
    const cron = await worker.scheduled();
    assert.equal(cron.outcome, "exception");
    const page = await worker.fetch("/", { headers: basic(SYNC_TOKEN) });
    assert.match(await page.text(), /Настройки содержат ошибки/);
  } finally {
    await worker.dispose();
  }
});

Deno.test("without SYNC_TOKEN the HTTP routes are closed, /healthz still answers", async () => {
  const worker = await startWorker();
  try {
    const sync = await worker.fetch("/sync", { method: "POST" });
    assert.equal(sync.status, 500);
    assert.match((await sync.json()).error.message, /SYNC_TOKEN is missing/);
    assert.equal((await worker.fetch("/")).status, 500);
    assert.equal((await worker.fetch("/healthz")).status, 200);
    assert.equal((await worker.fetch("/nope")).status, 404);
  } finally {
    await worker.dispose();
  }
});

Deno.test("POST /setup prepares the sheet once and reports what it did", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const post = () =>
      rig.worker.fetch("/setup", {
        method: "POST",
        headers: { authorization: `Bearer ${SYNC_TOKEN}` },
      });
    assert.equal((await rig.worker.fetch("/setup", { method: "POST" })).status, 401);
    const first = await post();
    assert.equal(first.status, 200);
    const report = await first.json();
    assert.equal(report.ok, true);
    assert.equal(report.changed, true);
    assert.equal(rig.cells()[0].at(-1), "Calltouch");
    const second = await (await post()).json();
    assert.equal(second.changed, false);
    assert.equal(second.requests, 0);
  } finally {
    await rig.close();
  }
});
